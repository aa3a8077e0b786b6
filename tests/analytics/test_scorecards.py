"""Supplier scorecards: the maths on plain rows, the queries on a hand-built world with known
answers, the two pages, who may see them, and what they cost."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from qualityhub.analytics.models import StageStay
from qualityhub.analytics.scorecards import (
    COLUMNS,
    PARETO_SIZE,
    FailureGroup,
    Period,
    Ratio,
    Scorecard,
    StageTime,
    build_scorecards,
    is_quantitative,
    pareto,
    sort_scorecards,
    stage_times,
)
from qualityhub.analytics.tasks import refresh_scorecards
from qualityhub.analytics.views.suppliers import period_from_query
from qualityhub.attachments.models import Attachment
from qualityhub.inspections.models import Characteristic, Inspection

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
# The default period (13 weeks) with the clock at NOW: 2025-03-20 00:00 up to 2025-06-19 00:00.
START = datetime(2025, 3, 20, tzinfo=UTC)
END = datetime(2025, 6, 19, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_cached_ranking():
    """The ranking is cached for 5 minutes in the process's memory: start every test without."""
    cache.clear()
    yield
    cache.clear()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- Pure maths: no database ----------------------------------------------------------------


def test_a_ratio_is_a_decimal_shown_as_a_percentage_with_one_decimal() -> None:
    assert Ratio(1, 3).value == Decimal("0.3333")
    assert Ratio(2, 3).percent == "66.7%"
    assert Ratio(1, 8).percent == "12.5%"
    assert Ratio(1, 1).percent == "100.0%"
    assert Ratio(0, 5).percent == "0.0%"


def test_a_ratio_rounds_half_up_as_people_do() -> None:
    assert Ratio(1, 16).percent == "6.3%"  # 6.25 %


def test_a_ratio_without_a_denominator_is_undefined_and_shown_as_a_dash() -> None:
    assert Ratio(0, 0).value is None
    assert Ratio(0, 0).percent == "—"


def test_the_period_is_the_last_n_weeks_of_days_including_today() -> None:
    period = Period.last_weeks(13, TODAY)
    assert (period.start, period.end) == (START, END)
    assert (period.first_day, period.last_day) == (date(2025, 3, 20), TODAY)
    assert (period.last_day - period.first_day).days + 1 == 13 * 7


@pytest.mark.parametrize(
    ("value", "weeks"),
    [("4", 4), ("13", 13), ("26", 26), ("52", 52), ("", 13), ("5", 13), ("-4", 13), ("x", 13)],
)
def test_the_period_comes_from_the_weeks_parameter_or_is_13_weeks(value, weeks) -> None:
    assert period_from_query(value, TODAY).weeks == weeks


def test_stage_times_are_medians_of_days_per_supplier_and_stage() -> None:
    stays = [(1, "Open", 1.0), (1, "Open", 4.0), (1, "In Progress", 0.5), (2, "In Buyer Review", 3)]
    times = stage_times(stays)
    assert times[1] == (
        StageTime("Open", 2.5, 2),
        StageTime("In Progress", 0.5, 1),
        StageTime("In Buyer Review", None, 0),
    )
    assert times[2][2] == StageTime("In Buyer Review", 3.0, 1)


def test_stage_times_drop_the_float_noise_of_date_arithmetic() -> None:
    assert stage_times([(1, "Open", 1.2500000001)])[1][0].median_days == 1.25


def _totals(supplier_id: int, **counts: int) -> dict:
    row = dict.fromkeys(
        (
            "inspections",
            "accepted",
            "rejected",
            "first_pass",
            "failing",
            "characteristics",
            "closed_reviewed",
            "on_time",
        ),
        0,
    )
    return {"supplier_id": supplier_id, **row, **counts}


def test_build_scorecards_turns_counts_into_ratios() -> None:
    busy = {"accepted": 2, "rejected": 1, "first_pass": 1, "failing": 3, "characteristics": 12}
    busy |= {"closed_reviewed": 3, "on_time": 2}
    totals = [_totals(9, inspections=4, **busy), _totals(2, inspections=1)]
    cards = build_scorecards(totals, {9: (3, 1)}, [(9, "Open", 2.0)])
    assert [card.supplier_id for card in cards] == [2, 9]
    quiet, busy = cards
    assert busy.acceptance == Ratio(2, 3)
    assert busy.first_pass == Ratio(1, 3)
    assert busy.failing == Ratio(3, 12)
    assert busy.on_time == Ratio(2, 3)
    assert busy.evidence == Ratio(1, 3)
    assert busy.median_days("Open") == 2.0
    assert busy.median_days("In Progress") is None
    assert [ratio.value for ratio in quiet.ratios] == [None] * 5
    assert [stage.stays for stage in quiet.stage_times] == [0, 0, 0]


def _card(supplier_id: int, inspections: int, ratio: Ratio, days: float | None) -> Scorecard:
    stages = (StageTime("Open", days, 1), StageTime("In Progress", days, 1))
    stages += (StageTime("In Buyer Review", days, 1),)
    return Scorecard(supplier_id, inspections, ratio, ratio, ratio, ratio, ratio, stages)


def test_sorting_puts_undefined_values_last_both_ways_and_keeps_ties_in_supplier_order() -> None:
    cards = [
        _card(4, 2, Ratio(1, 2), 3.0),
        _card(1, 5, Ratio(0, 0), None),
        _card(3, 2, Ratio(1, 4), 1.0),
        _card(2, 7, Ratio(1, 2), None),
    ]
    order = {key: [c.supplier_id for c in sort_scorecards(cards, key)] for key in COLUMNS}
    order |= {
        f"-{key}": [c.supplier_id for c in sort_scorecards(cards, f"-{key}")] for key in COLUMNS
    }
    assert order["supplier"] == [1, 2, 3, 4]
    assert order["-supplier"] == [4, 3, 2, 1]
    assert order["inspections"] == [3, 4, 1, 2]
    assert order["-inspections"] == [2, 1, 3, 4]
    for ratio in ("acceptance", "first_pass", "failing", "on_time", "evidence"):
        assert order[ratio] == [3, 2, 4, 1]
        assert order[f"-{ratio}"] == [2, 4, 3, 1]
    for stage in ("open", "in_progress", "buyer_review"):
        assert order[stage] == [3, 4, 1, 2]
        assert order[f"-{stage}"] == [4, 3, 1, 2]


def test_sorting_by_an_unknown_column_sorts_by_inspections() -> None:
    cards = [_card(1, 1, Ratio(0, 0), None), _card(2, 3, Ratio(0, 0), None)]
    assert [c.supplier_id for c in sort_scorecards(cards, "-nonsense")] == [2, 1]


def _group(name: str, count: int, *, code: str = "", item: int | None = 1) -> FailureGroup:
    return FailureGroup(item, f"Item {item}", name, code, code.title(), not code, count)


def test_the_pareto_adds_up_items_and_orders_by_failures_with_shares_and_running_shares() -> None:
    groups = [
        _group("Color", 2, code="RED", item=1),
        _group("Length", 2, item=1),
        _group("Color", 1, code="RED", item=2),
        _group("Length", 3, item=2),
        _group("Color", 2, code="BLUE", item=1),
    ]
    result = pareto(groups)
    assert result.total == 10
    rows = [(r.label, r.count, r.share.percent, r.cumulative.percent) for r in result.rows]
    assert rows == [
        ("Length", 5, "50.0%", "50.0%"),
        ("Color · code RED", 3, "30.0%", "80.0%"),
        ("Color · code BLUE", 2, "20.0%", "100.0%"),
    ]
    assert result.rows[0].items == ((2, "Item 2"), (1, "Item 1"))
    assert result.rows[1].items == ()  # a choice answer has no trend
    assert result.rows[1].text == "Red"
    assert (result.hidden_groups, result.hidden_count) == (0, 0)


def test_the_pareto_shows_the_top_ten_and_counts_the_rest() -> None:
    groups = [_group(f"C{n:02}", 20 - n) for n in range(12)]  # C00: 20 … C11: 9
    result = pareto(groups)
    assert len(result.rows) == PARETO_SIZE
    assert [r.name for r in result.rows] == [f"C{n:02}" for n in range(10)]
    assert result.total == sum(range(9, 21))
    assert (result.hidden_groups, result.hidden_count) == (2, 10 + 9)
    assert result.rows[-1].cumulative == Ratio(result.total - 19, result.total)


def test_pareto_ties_are_ordered_by_name_then_code() -> None:
    groups = [_group("B", 1), _group("A", 1, code="Z"), _group("A", 1, code="Y")]
    assert [r.label for r in pareto(groups).rows] == ["A · code Y", "A · code Z", "B"]


def test_the_pareto_links_at_most_five_items_per_row() -> None:
    result = pareto([_group("Length", 1, item=n) for n in range(1, 8)])
    assert result.rows[0].items == tuple((n, f"Item {n}") for n in range(1, 6))
    assert result.rows[0].more_items == 2


def test_an_empty_pareto_has_no_rows() -> None:
    assert pareto([]).rows == ()
    assert pareto([]).total == 0


@pytest.mark.parametrize(
    ("flag", "value_type", "expected"),
    [(True, "choice", True), (False, "numeric", False), (None, "numeric", True), (None, "", False)],
)
def test_a_characteristic_is_quantitative_by_its_flag_or_else_its_value_type(
    flag, value_type, expected
) -> None:
    assert is_quantitative(flag, value_type) is expected


# --- A hand-built world with known answers ----------------------------------------------------


def inspection(coupa_id: int, supplier_id: int, due: str, **fields) -> Inspection:
    return Inspection.objects.create(
        coupa_id=coupa_id, supplier_id=supplier_id, due_date=at(due), **fields
    )


def line(coupa_id: int, of: Inspection, name: str, verdict: str = "pass", **fields):
    fields.setdefault("is_quantitative", not fields.get("recorded_code"))
    return Characteristic.objects.create(
        coupa_id=coupa_id, inspection=of, name=name, verdict=verdict, **fields
    )


def attach(of: Inspection, state: str, characteristic: Characteristic | None = None) -> None:
    Attachment.objects.create(inspection=of, characteristic=characteristic, state=state)


def stay(inspection_id: int, supplier_id: int, stage: str, entered: str | None, left: str | None):
    StageStay.objects.create(
        inspection_id=inspection_id,
        supplier_id=supplier_id,
        stage=stage,
        entered_at=at(entered) if entered else None,
        left_at=at(left) if left else None,
    )


def closed(
    coupa_id: int,
    supplier_id: int,
    due: str,
    decision: str,
    reviewed: str | None,
    failing: int = 0,
    of: int = 0,
    **fields,
) -> Inspection:
    return inspection(
        coupa_id,
        supplier_id,
        due,
        status="Closed",
        review_decision=decision,
        reviewed_date=at(reviewed) if reviewed else None,
        failing_count=failing,
        characteristic_count=of,
        **fields,
    )


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db, frozen) -> None:
    """Supplier 1: six inspections in the period and every boundary around them.
    Supplier 2: one open inspection, nothing to divide by. Supplier 3: one rejected one.
    Supplier 4: only an inspection long ago. Supplier 5: only a gone one."""
    bolt, nut = {"item_id": 7, "item_name": "Bolt"}, {"item_id": 8, "item_name": "Nut"}
    # A: accepted at its first review, reviewed exactly at the due date (on time).
    a = closed(101, 1, "2025-06-10T12:00", "Accepted", "2025-06-10T12:00", 2, 4, **bolt)
    length = line(1011, a, "Length", "fail")
    attach(a, "synced", length)
    attach(a, "failed", length)  # two files, one characteristic: counted once
    attach(a, "failed", line(1012, a, "Color", "fail", recorded_code="RED", recorded_text="Red"))
    attach(a, "synced", line(1013, a, "Width"))  # passing: not part of evidence
    line(1014, a, "Weight")
    # B: accepted after being sent back (two buyer-review stays), a second late.
    b = closed(102, 1, "2025-06-01T12:00", "Accepted", "2025-06-01T12:00:01", 1, 3, **bolt)
    attach(b, "pending", line(1021, b, "Length", "fail"))  # on its way: evidence
    line(1022, b, "Width")
    line(1023, b, "Weight")
    # C: rejected, reviewed early.
    c = closed(103, 1, "2025-05-01T12:00", "Rejected", "2025-04-30T12:00", 3, 3, **nut)
    attach(c, "deleting", line(1031, c, "Color", "fail", recorded_code="RED", recorded_text="Red"))
    line(1032, c, "Color", "fail", recorded_code="BLUE", recorded_text="Blue")
    attach(c, "synced")  # on the header: evidence for no characteristic
    attach(c, "uploading", line(1033, c, "Length", "fail"))
    # D: closed without a decision or a review date; E: due later today; F: due at the start.
    closed(104, 1, "2025-04-15T12:00", "", None, 0, 2)
    inspection(105, 1, "2025-06-18T23:00", status="In Buyer Review", characteristic_count=1)
    inspection(106, 1, "2025-03-20T00:00", status="Open")
    # Outside: a second before the period, due tomorrow, gone upstream.
    g = closed(107, 1, "2025-03-19T23:59:59", "Accepted", "2025-03-01T00:00", 1, 1, **bolt)
    line(1071, g, "Length", "fail")
    inspection(108, 1, "2025-06-19T00:00", status="Open", characteristic_count=9)
    gone = closed(
        109,
        1,
        "2025-06-01T12:00",
        "Accepted",
        "2025-05-01T00:00",
        5,
        5,
        **bolt,
        gone_at=at("2025-06-05T00:00"),
    )
    attach(gone, "synced", line(1091, gone, "Length", "fail"))

    # Open: 1, 2 and 4 days (the last ends exactly at the start of the period) → median 2.
    stay(101, 1, "Open", "2025-06-01T00:00", "2025-06-02T00:00")
    stay(102, 1, "Open", "2025-05-01T00:00", "2025-05-03T00:00")
    stay(103, 1, "Open", "2025-03-16T00:00", "2025-03-20T00:00")
    stay(104, 1, "Open", None, "2025-05-01T00:00")  # start unknown
    stay(105, 1, "Open", "2025-06-10T00:00", None)  # still there
    stay(106, 1, "Open", "2025-03-01T00:00", "2025-03-19T23:59")  # ended before the period
    stay(105, 1, "Open", "2025-06-18T00:00", "2025-06-19T00:00")  # ends at the period's end
    stay(109, 1, "Open", "2025-01-01T00:00", "2025-04-11T00:00")  # gone inspection
    # In Progress: 1 and 4 days → 2.5.
    stay(101, 1, "In Progress", "2025-06-02T00:00", "2025-06-03T00:00")
    stay(102, 1, "In Progress", "2025-05-03T00:00", "2025-05-07T00:00")
    # In Buyer Review: 0.5 and 2 days in the period → 1.25; B's first review, long before the
    # period, still makes B a second pass.
    stay(101, 1, "In Buyer Review", "2025-06-09T12:00", "2025-06-10T00:00")
    stay(102, 1, "In Buyer Review", "2025-03-01T00:00", "2025-03-02T00:00")
    stay(102, 1, "In Buyer Review", "2025-05-10T00:00", "2025-05-12T00:00")

    inspection(201, 2, "2025-06-01T12:00", status="Open")

    r = closed(301, 3, "2025-05-20T12:00", "Rejected", "2025-05-19T12:00", 1, 2)
    attach(r, "uploaded", line(3011, r, "Hardness", "fail"))
    line(3012, r, "Hardness")
    stay(301, 3, "Open", "2025-05-01T00:00", "2025-05-11T00:00")
    stay(301, 3, "In Progress", "2025-05-11T00:00", "2025-05-16T00:00")
    stay(301, 3, "In Buyer Review", "2025-05-16T00:00", "2025-05-16T06:00")

    closed(401, 4, "2025-01-01T12:00", "Accepted", None)
    inspection(501, 5, "2025-06-01T12:00", status="Open", gone_at=at("2025-06-02T00:00"))


@pytest.fixture
def grace(client, manager, frozen):
    client.force_login(manager)
    return client


def _cards(response) -> dict[int, Scorecard]:
    return {card.supplier_id: card for card in response.context["cards"]}


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
    assert html.lstrip().startswith('<div id="results"')
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


def test_a_manager_limited_to_some_suppliers_sees_only_theirs(client, world) -> None:
    from tests.conftest import make_user

    client.force_login(make_user("lim", "Manager", suppliers=[3]))
    assert list(_cards(client.get("/suppliers/"))) == [3]
    assert client.get("/suppliers/3/").status_code == 200
    assert client.get("/suppliers/1/").status_code == 404


def test_coupa_text_is_escaped(grace, db, frozen) -> None:
    bad = inspection(601, 6, "2025-06-01T12:00", item_id=66, item_name="<b>item</b>")
    line(6011, bad, "<script>alert(1)</script>", "fail")
    line(6012, bad, "Colour", "fail", recorded_code="<i>X</i>", recorded_text="<img src=x>")
    html = grace.get("/suppliers/6/").content.decode()
    assert "<script>alert" not in html and "<img" not in html and "<i>X" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;item&lt;/b&gt;" in html
    assert "characteristic=%3Cscript%3Ealert%281%29%3C%2Fscript%3E" in html


# --- Who may look -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("manager", 200), ("engineer", 200), ("buyer", 403), ("outsider", 403)]
)
@pytest.mark.parametrize("url", ["/suppliers/", "/suppliers/1/"])
def test_only_quality_engineers_and_managers_see_scorecards(
    client, world, request, who, status, url
) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", ["/suppliers/", "/suppliers/1/"])
def test_a_visitor_is_sent_to_sign_in(client, world, url) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/suppliers/", "/suppliers/1/"])
def test_the_scorecards_only_answer_get(grace, world, url) -> None:
    assert grace.post(url).status_code == 405


# --- What they cost ---------------------------------------------------------------------------


def many_suppliers(suppliers: int, per_supplier: int) -> None:
    """Volume: every supplier with decided inspections, failing lines, files and stays."""
    inspections, lines, files, stays = [], [], [], []
    for s in range(1000, 1000 + suppliers):
        for n in range(per_supplier):
            pk, due = s * 1000 + n, NOW - timedelta(days=n + 1)
            decision = "Accepted" if n % 3 else "Rejected"
            inspections.append(
                Inspection(
                    coupa_id=pk,
                    supplier_id=s,
                    due_date=due,
                    status="Closed",
                    review_decision=decision,
                    reviewed_date=due,
                    item_id=n % 4,
                    failing_count=1,
                    characteristic_count=2,
                )
            )
            lines += [
                Characteristic(
                    coupa_id=pk * 10, inspection_id=pk, name=f"L{n % 5}", verdict="fail"
                ),
                Characteristic(coupa_id=pk * 10 + 1, inspection_id=pk, name="M"),
            ]
            files.append(Attachment(inspection_id=pk, characteristic_id=pk * 10))
            entered = due - timedelta(days=2)
            stays += [
                StageStay(
                    inspection_id=pk, supplier_id=s, stage=stage, entered_at=entered, left_at=due
                )
                for stage in ("Open", "In Progress", "In Buyer Review")
            ]
    Inspection.objects.bulk_create(inspections)
    Characteristic.objects.bulk_create(lines)
    Attachment.objects.bulk_create(files)
    StageStay.objects.bulk_create(stays)


@pytest.mark.parametrize(("suppliers", "per_supplier"), [(2, 2), (60, 15)])
def test_the_ranking_costs_the_same_few_queries_whatever_the_data(
    grace, db, frozen, django_assert_max_num_queries, suppliers, per_supplier
) -> None:
    many_suppliers(suppliers, per_supplier)
    grace.get("/suppliers/?weeks=4")  # warm the session, access and freshness caches
    # No snapshot of 13 weeks yet: the user, the missing row, then the period's rows computed
    # (summaries, 3 for the cards, the failures) and stored (in a savepoint), and read back.
    with django_assert_max_num_queries(12):
        response = grace.get("/suppliers/?sort=-evidence")
    assert len(response.context["cards"]) == suppliers
    assert response.context["cards"][0].evidence == Ratio(per_supplier, per_supplier)
    with django_assert_max_num_queries(2):  # the user, the ranking's row
        again = grace.get("/suppliers/?sort=-evidence")
    assert again.context["cards"] == response.context["cards"]


@pytest.mark.parametrize(("suppliers", "per_supplier"), [(2, 2), (60, 15)])
def test_the_supplier_page_costs_the_same_few_queries_whatever_the_data(
    grace, db, frozen, django_assert_max_num_queries, suppliers, per_supplier
) -> None:
    many_suppliers(suppliers, per_supplier)
    grace.get("/suppliers/1000/")
    with django_assert_max_num_queries(6):  # the user, the supplier, 3 for the card, the Pareto
        response = grace.get("/suppliers/1000/")
    assert response.context["card"].inspections == per_supplier
    assert response.context["pareto"].total == per_supplier


def test_the_ranking_is_kept_until_the_next_refresh_and_sorting_reuses_it(
    grace, world, django_assert_max_num_queries
) -> None:
    first = grace.get("/suppliers/")  # no snapshot yet: computed and kept
    inspection(110, 1, "2025-06-02T12:00", status="Open")
    with django_assert_max_num_queries(2):  # the user, the ranking's row
        again = grace.get("/suppliers/?sort=-failing")
    assert _cards(again)[1].inspections == 6
    assert 'data-testid="computed-at">Figures as of' in again.content.decode()
    assert "18 Jun 2025, 12:00" in again.content.decode()
    with time_machine.travel(NOW + timedelta(minutes=14), tick=False):
        assert _cards(grace.get("/suppliers/"))[1].inspections == 6
        assert _cards(grace.get("/suppliers/?weeks=26"))[1].inspections == 8  # its own row
        refresh_scorecards()
        later = grace.get("/suppliers/")
    assert _cards(later)[1].inspections == 7
    assert first.context["computed_at"] == NOW
    assert later.context["computed_at"] == NOW + timedelta(minutes=14)


def test_a_limited_manager_does_not_get_the_whole_ranking_from_the_cache(client, world) -> None:
    from tests.conftest import make_user

    client.force_login(make_user("full", "Manager"))
    assert list(_cards(client.get("/suppliers/"))) == [1, 2, 3]
    client.force_login(make_user("lim", "Manager", suppliers=[3]))
    assert list(_cards(client.get("/suppliers/"))) == [3]


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
