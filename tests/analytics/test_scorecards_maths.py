"""Supplier scorecards' maths on plain rows, no database: ratios, the period, stage times, sorting,
the Pareto of failures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

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
from qualityhub.analytics.views.suppliers import period_from_query
from tests.analytics.scorecard_world import END, START, TODAY


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
