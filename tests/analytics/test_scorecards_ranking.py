"""The suppliers' ranking over the scorecards' world: every figure exactly, the period, sorting,
htmx, and the reader's time zone."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from qualityhub.analytics.scorecards import Ratio, StageTime
from tests.analytics.scorecard_world import (
    NOW,  # noqa: F401 (the clock frozen stops at)
    _cards,
    inspection,
)

pytestmark = pytest.mark.usefixtures("no_cached_ranking")


def test_the_ranking_has_every_figure_of_supplier_1_exactly(grace, world) -> None:
    card = _cards(grace.get("/suppliers/"))[1]
    assert card.inspections == 6
    assert card.acceptance == Ratio(2, 3)
    assert card.first_pass == Ratio(1, 3)
    assert card.failing == Ratio(6, 13)
    assert card.on_time == Ratio(2, 3)
    assert card.evidence == Ratio(3, 6)
    assert card.stage_times == (
        StageTime("Open", 2.0, 3),
        StageTime("In Progress", 2.5, 2),
        StageTime("In Buyer Review", 1.25, 2),
    )
    assert [ratio.percent for ratio in card.ratios] == ["66.7%", "33.3%", "46.2%", "66.7%", "50.0%"]


def test_a_supplier_with_nothing_to_divide_by_shows_dashes(grace, world) -> None:
    response = grace.get("/suppliers/")
    card = _cards(response)[2]
    assert card.inspections == 1
    assert [ratio.value for ratio in card.ratios] == [None] * 5
    assert [stage.median_days for stage in card.stage_times] == [None] * 3
    row = response.content.decode().split('data-supplier-id="2"')[1].split("</tr>")[0]
    assert row.count("—") == 8


def test_the_ranking_counts_a_rejected_supplier_as_zero_not_undefined(grace, world) -> None:
    card = _cards(grace.get("/suppliers/"))[3]
    assert (card.acceptance.percent, card.first_pass.percent) == ("0.0%", "0.0%")
    assert (card.failing, card.on_time, card.evidence) == (Ratio(1, 2), Ratio(1, 1), Ratio(1, 1))
    assert [stage.median_days for stage in card.stage_times] == [10.0, 5.0, 0.25]


def test_the_ranking_leaves_out_suppliers_without_inspections_in_the_period(grace, world) -> None:
    assert list(_cards(grace.get("/suppliers/"))) == [1, 2, 3]
    assert list(_cards(grace.get("/suppliers/?weeks=52"))) == [1, 2, 3, 4]


def test_a_longer_period_takes_in_the_inspection_before_the_start(grace, world) -> None:
    card = _cards(grace.get("/suppliers/?weeks=26"))[1]
    assert card.inspections == 7  # G joins; H is due tomorrow and the gone one never counts
    assert card.acceptance == Ratio(3, 4)
    assert card.on_time == Ratio(3, 4)
    assert card.median_days("Open") == 3.0  # the stay that ended on 2025-03-19 joins


def test_a_short_period_has_only_the_latest_inspections(grace, world) -> None:
    response = grace.get("/suppliers/?weeks=4")
    assert response.context["period"].first_day == date(2025, 5, 22)
    assert _cards(response)[1].inspections == 3  # A, B and E


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", [1, 2, 3]),  # inspections, most first
        ("supplier", [1, 2, 3]),
        ("-supplier", [3, 2, 1]),
        ("inspections", [2, 3, 1]),
        ("-inspections", [1, 2, 3]),
        ("acceptance", [3, 1, 2]),
        ("-acceptance", [1, 3, 2]),
        ("first_pass", [3, 1, 2]),
        ("-first_pass", [1, 3, 2]),
        ("failing", [1, 3, 2]),
        ("-failing", [3, 1, 2]),
        ("on_time", [1, 3, 2]),
        ("-on_time", [3, 1, 2]),
        ("evidence", [1, 3, 2]),
        ("-evidence", [3, 1, 2]),
        ("open", [1, 3, 2]),
        ("-open", [3, 1, 2]),
        ("in_progress", [1, 3, 2]),
        ("-in_progress", [3, 1, 2]),
        ("buyer_review", [3, 1, 2]),
        ("-buyer_review", [1, 3, 2]),
        ("bogus", [1, 2, 3]),
    ],
)
def test_the_ranking_sorts_by_every_column_both_ways_with_undefined_last(
    grace, world, sort, order
) -> None:
    response = grace.get("/suppliers/", {"sort": sort} if sort else {})
    assert [card.supplier_id for card in response.context["cards"]] == order
    html = response.content.decode()
    assert [html.index(f'data-supplier-id="{n}"') for n in order] == sorted(
        html.index(f'data-supplier-id="{n}"') for n in order
    )


def test_the_ranking_headers_link_to_sorting_and_keep_the_period(grace, world) -> None:
    html = grace.get("/suppliers/?weeks=26&sort=evidence").content.decode()
    assert 'href="?weeks=26&amp;sort=-evidence"' in html  # flips the current column
    assert 'href="?weeks=26&amp;sort=on_time"' in html
    assert 'aria-sort="ascending"' in html
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'href="/suppliers/1/?weeks=26"' in html
    assert ">Supplier 1</a>" in html


def test_the_ranking_answers_htmx_with_only_the_table(grace, world) -> None:
    response = grace.get(
        "/suppliers/?sort=-evidence", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    html = response.content.decode()
    # The region's inside: htmx swaps it into the page's #results, which stays.
    assert 'id="results"' not in html
    assert "<table" in html
    assert "<html" not in html
    assert [card.supplier_id for card in response.context["cards"]] == [3, 1, 2]


def test_the_pages_explain_how_the_figures_are_computed(grace, world) -> None:
    for url in ("/suppliers/", "/suppliers/1/"):
        html = grace.get(url).content.decode()
        assert "How these are computed" in html
        assert "Accepted after a single buyer review" in html
        assert "on or before the due date" in html


def test_an_empty_period_says_why(grace, db, frozen) -> None:
    inspection(401, 4, "2025-01-01T12:00", status="Open")
    response = grace.get("/suppliers/?weeks=4")
    assert response.context["cards"] == []
    assert 'data-empty="no-suppliers"' in response.content.decode()


def test_the_period_follows_the_readers_time_zone(grace, world) -> None:
    assert _cards(grace.get("/suppliers/"))[1].failing == Ratio(6, 13)  # UTC, now cached
    grace.cookies["tz"] = "Pacific/Auckland"  # already 2025-06-19 there (NZDT, +13 in March)
    response = grace.get("/suppliers/")
    period = response.context["period"]
    # The reader's zone ends with the response; its days are read in that zone, as the page did.
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Auckland")):
        assert (period.first_day, period.last_day) == (date(2025, 3, 21), date(2025, 6, 19))
    assert period.start == datetime(2025, 3, 20, 11, tzinfo=UTC)
    # F (due at UTC midnight on 03-20) drops out; H (due 06-19, nine characteristics) comes in.
    assert _cards(response)[1].failing == Ratio(6, 22)
