"""The detail page's tolerance bar: where the marker goes and what colour it takes.

Plain tests of the presenter over unsaved lines judged by the real rules: the marker's colour is
the line's verdict, a value sits on the passing band exactly when it passed, and a value beyond
the drawn range is an arrow past that end, never a pin of the wrong colour.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from qualityhub.inspections.models import Characteristic
from qualityhub.inspections.presenters import BAR_PAD, BAR_WIDTH, bar_scale, characteristic_row
from qualityhub.verdicts import Limit, Verdict, evaluate_characteristic
from tests.verdicts.builders import lim, numeric

D = Decimal
PASSING = {Verdict.PASS, Verdict.MARGINAL}
LEFT, RIGHT = D(BAR_PAD), D(BAR_PAD + BAR_WIDTH)


def judged_bar(value: str, *limits: str, target: str | None = None, precision=None):
    """The bar of a numeric line whose verdict the rules gave, as the sync stores it."""
    given_limits = [lim(spec) for spec in limits]
    judgement = evaluate_characteristic(numeric(value, *limits, target=target, precision=precision))
    line = Characteristic(
        coupa_id=1,
        value_type="numeric",
        target=D(target) if target is not None else None,
        precision=precision,
        recorded_numeric=D(value),
        verdict=judgement.verdict,
    )
    return characteristic_row(line, given_limits).bar


def test_a_pass_far_above_an_at_least_limit_is_a_green_arrow_not_a_red_pin() -> None:
    bar = judged_bar("132.9", "min ge 96", target="99")
    assert bar.verdict == Verdict.PASS
    assert (bar.arrow, bar.marker_x) == ("high", None)


def test_a_pass_above_an_at_least_limit_without_target_sits_on_the_band() -> None:
    bar = judged_bar("132.9", "min ge 96")
    assert bar.verdict == Verdict.PASS and bar.arrow == ""
    assert bar.band_x <= bar.marker_x <= bar.band_end_x


def test_a_fail_on_a_strict_limit_is_a_red_marker_on_the_limit() -> None:
    bar = judged_bar("0.01", "max lt 0.01", target="0")
    assert bar.verdict == Verdict.FAIL
    assert bar.marker_x == bar.upper_x == bar.band_end_x
    assert bar.upper_text == "< 0.01"


def test_a_value_far_below_two_limits_is_an_arrow_beyond_the_low_end() -> None:
    bar = judged_bar("-50", "min ge 10", "max le 20")
    assert (bar.verdict, bar.arrow, bar.marker_x) == (Verdict.FAIL, "low", None)


def test_a_value_just_outside_two_limits_is_drawn_beside_the_band() -> None:
    bar = judged_bar("21", "min ge 10", "max le 20")
    assert bar.verdict == Verdict.FAIL and bar.arrow == ""
    assert bar.band_end_x < bar.marker_x < RIGHT


def test_a_marginal_value_takes_the_marginal_colour() -> None:
    bar = judged_bar("10.5", "min ge 10", "max le 20")
    assert bar.verdict == Verdict.MARGINAL and bar.verdict_label == "Marginal"


def test_the_bar_judges_the_value_rounded_to_its_precision() -> None:
    # 9.996 rounds to 10.00 at 2 places and passes ≥ 10: the marker sits on the band's edge.
    bar = judged_bar("9.996", "min ge 10", "max le 20", precision=2)
    assert bar.verdict in PASSING and bar.marker_x == bar.band_x


def test_crossed_limits_draw_no_bar() -> None:
    assert judged_bar("5", "min ge 20", "max le 10") is None


def test_a_value_on_a_one_sided_limit_without_target_still_gets_a_scale() -> None:
    scale = bar_scale(D(0), None, None, D(0))
    assert scale is not None and scale.start < D(0) < scale.end


# --- properties ---------------------------------------------------------------------------

limit_values = st.decimals(min_value=-1000, max_value=1000, places=2)
values = st.decimals(min_value=-5000, max_value=5000, places=4)
operators = {"min": ["ge", "gt"], "max": ["le", "lt"]}


@st.composite
def lines(draw):
    """A numeric line with one or two bounding limits, maybe a target, judged by the rules."""
    sides = draw(st.sampled_from([("min",), ("max",), ("min", "max")]))
    limits = []
    for side in sides:
        limits.append(Limit(side, draw(st.sampled_from(operators[side])), draw(limit_values)))
    target = draw(st.one_of(st.none(), limit_values))
    value = draw(values)
    precision = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=4)))
    judgement = evaluate_characteristic(
        numeric(str(value), *(f"{x.limit_type} {x.operator} {x.value}" for x in limits),
                target=None if target is None else str(target), precision=precision)
    )  # fmt: skip
    line = Characteristic(
        coupa_id=1,
        value_type="numeric",
        target=target,
        precision=precision,
        recorded_numeric=value,
        verdict=judgement.verdict,
    )
    return line, limits


@given(lines())
def test_the_marker_is_inside_the_bar_or_an_arrow_beyond_an_end(case) -> None:
    line, limits = case
    bar = characteristic_row(line, limits).bar
    assume(bar is not None)
    if bar.arrow:
        assert bar.arrow in {"low", "high"} and bar.marker_x is None
    else:
        assert LEFT <= bar.marker_x <= RIGHT
    assert LEFT <= bar.band_x <= bar.band_end_x <= RIGHT


@given(lines())
def test_the_marker_colour_is_always_the_lines_verdict(case) -> None:
    line, limits = case
    bar = characteristic_row(line, limits).bar
    assume(bar is not None)
    assert bar.verdict == line.verdict


@given(lines())
def test_a_passing_value_is_on_the_band_and_a_failing_one_never_inside_it(case) -> None:
    line, limits = case
    bar = characteristic_row(line, limits).bar
    assume(bar is not None)
    open_low = not any(limit.operator in {"ge", "gt"} for limit in limits)
    open_high = not any(limit.operator in {"le", "lt"} for limit in limits)
    on_open_end = (bar.arrow == "low" and open_low) or (bar.arrow == "high" and open_high)
    if line.verdict in PASSING:
        assert on_open_end or (not bar.arrow and bar.band_x <= bar.marker_x <= bar.band_end_x), (
            "a passing value drawn off its band"
        )
    elif line.verdict == Verdict.FAIL:
        assert not on_open_end
        if not bar.arrow:
            assert not bar.band_x < bar.marker_x < bar.band_end_x, "a fail drawn on the band"
