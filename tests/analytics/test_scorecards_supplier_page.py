"""One supplier's scorecard page over the scorecards' world: the counts behind the card, its worst
characteristics, the links to trends and inspections, empty and unknown suppliers, escaping."""

from __future__ import annotations

import pytest

from tests.analytics.scorecard_world import (
    NOW,  # noqa: F401 (the clock frozen stops at)
    _cards,
    inspection,
    line,
)

pytestmark = pytest.mark.usefixtures("no_cached_ranking")


def test_the_supplier_page_shows_the_card_and_the_counts_behind_it(grace, world) -> None:
    response = grace.get("/suppliers/1/")
    assert response.status_code == 200
    assert response.context["card"] == _cards(grace.get("/suppliers/"))[1]
    html = response.content.decode()
    assert "2 accepted of 3 decided" in html
    assert "1 accepted at the first buyer review of 3 decided" in html
    assert "6 failing of 13 characteristics" in html
    assert "2 closed by the due date of 3 closed with a review date" in html
    assert "3 with an attachment of 6 failing characteristics" in html
    assert 'data-metric="failing">46.2%' in html
    assert 'data-stage="In Buyer Review">1.3' in html  # 1.25 days, rounded half up


def test_the_supplier_page_ranks_its_worst_characteristics_with_choice_codes(grace, world) -> None:
    response = grace.get("/suppliers/1/")
    failures = response.context["pareto"]
    assert failures.total == 6
    rows = [(r.label, r.count, r.share.percent, r.cumulative.percent) for r in failures.rows]
    assert rows == [
        ("Length", 3, "50.0%", "50.0%"),
        ("Color · code RED", 2, "33.3%", "83.3%"),
        ("Color · code BLUE", 1, "16.7%", "100.0%"),
    ]
    assert failures.rows[0].items == ((7, "Bolt"), (8, "Nut"))
    html = response.content.decode()
    assert "Color · code RED" in html and "(Red)" in html


def test_a_measured_failure_links_to_its_trend_for_each_item(grace, world) -> None:
    response = grace.get("/suppliers/1/")
    (length, links), (color, color_links) = response.context["pareto_rows"][:2]
    assert [url for _id, _name, url in links] == [
        "/trends/?item=7&characteristic=Length&supplier=1",
        "/trends/?item=8&characteristic=Length&supplier=1",
    ]
    assert color_links == []
    assert 'href="/trends/?item=7&amp;characteristic=Length&amp;supplier=1"' in (
        response.content.decode()
    )


def test_the_supplier_page_links_to_its_inspections(grace, world) -> None:
    html = grace.get("/suppliers/1/").content.decode()
    assert (
        'href="/inspections/?supplier=1&amp;due_after=2025-03-20&amp;due_before=2025-06-18"' in html
    )
    assert 'href="/inspections/?supplier=1"' in html


def test_the_supplier_links_list_exactly_the_scored_inspections(grace, world) -> None:
    response = grace.get("/inspections/?supplier=1&due_after=2025-03-20&due_before=2025-06-18")
    listed = {row.coupa_id for row in response.context["page"].rows if row.gone_at is None}
    assert listed == {101, 102, 103, 104, 105, 106}


def test_a_supplier_without_inspections_in_the_period_says_why(grace, world) -> None:
    response = grace.get("/suppliers/4/")
    assert response.status_code == 200
    assert response.context["card"] is None
    html = response.content.decode()
    assert 'data-empty="period"' in html
    assert "latest due date in QualityHub is 2025-01-01" in html
    assert grace.get("/suppliers/4/?weeks=52").context["card"].inspections == 1


def test_a_supplier_without_failures_says_so(grace, world) -> None:
    html = grace.get("/suppliers/2/").content.decode()
    assert 'data-empty="no-failures"' in html


@pytest.mark.parametrize("supplier_id", [5, 999])
def test_an_unknown_supplier_is_not_found(grace, world, supplier_id) -> None:
    assert grace.get(f"/suppliers/{supplier_id}/").status_code == 404


def test_coupa_text_is_escaped(grace, db, frozen) -> None:
    bad = inspection(601, 6, "2025-06-01T12:00", item_id=66, item_name="<b>item</b>")
    line(6011, bad, "<script>alert(1)</script>", "fail")
    line(6012, bad, "Colour", "fail", recorded_code="<i>X</i>", recorded_text="<img src=x>")
    html = grace.get("/suppliers/6/").content.decode()
    assert "<script>alert" not in html and "<img" not in html and "<i>X" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;item&lt;/b&gt;" in html
    assert "characteristic=%3Cscript%3Ealert%281%29%3C%2Fscript%3E" in html
