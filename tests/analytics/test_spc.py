"""SPC maths against values worked out by hand. Pure: no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qualityhub.analytics import spc
from qualityhub.verdicts import Limit

D = Decimal


def values(text: str) -> list[Decimal]:
    return [D(word) for word in text.split()]


def to_places(number: Decimal | None, places: int = 20) -> Decimal:
    """Non-terminating results compared at 20 places (they are held to 50 digits)."""
    assert number is not None
    return number.quantize(D(1).scaleb(-places))


# The hand-worked series: 10, 12, 11, 13, 12 with LSL ≥ 5 and USL ≤ 18.
#   Σx = 58, n = 5                 → x̄ = 58 / 5 = 11.6
#   MR = |12−10|, |11−12|, |13−11|, |12−13| = 2, 1, 2, 1
#   ΣMR = 6, n − 1 = 4             → MR̄ = 1.5
#   σ = MR̄ / d2 = 1.5 / 1.128      = 1.329787234042553191489…
#   UCL = x̄ + E2·MR̄ = 11.6 + 2.66 × 1.5 = 11.6 + 3.99 = 15.59
#   LCL = x̄ − E2·MR̄ = 11.6 − 3.99 = 7.61
#   MR chart UCL = D4·MR̄ = 3.267 × 1.5 = 4.9005
#   Cp  = (USL − LSL) / 6σ = 13 / (6 × 1.5 / 1.128) = 13 × 1.128 / 9 = 14.664 / 9 = 1.62933…
#   Cpk = min(18 − 11.6, 11.6 − 5) / 3σ = 6.4 × 1.128 / 4.5 = 7.2192 / 4.5 = 1.604266…
#   LSL only: Cpk = 6.6 × 1.128 / 4.5 = 7.4448 / 4.5 = 1.6544 exactly
SERIES = values("10 12 11 13 12")
TWO_SIDED = [Limit("min", "ge", D(5)), Limit("max", "le", D(18))]


def test_the_control_limits_of_the_hand_worked_series_are_exact() -> None:
    limits = spc.control_limits(SERIES)
    assert limits is not None
    assert limits.centre == D("11.6")
    assert limits.mr_bar == D("1.5")
    assert limits.ucl == D("15.59")
    assert limits.lcl == D("7.61")
    assert limits.mr_ucl == D("4.9005")
    assert to_places(limits.sigma) == D("1.32978723404255319149")


def test_the_moving_ranges_are_absolute_differences_of_neighbours() -> None:
    assert spc.moving_ranges(SERIES) == values("2 1 2 1")
    assert spc.moving_ranges(values("3")) == []


def test_cp_and_cpk_of_the_hand_worked_series() -> None:
    chart = spc.individuals_chart(SERIES, TWO_SIDED)
    assert to_places(chart.capability.cp) == D("1.62933333333333333333")
    assert to_places(chart.capability.cpk) == D("1.60426666666666666667")
    assert chart.capability.cp_reason == chart.capability.cpk_reason == ""
    assert spc.capability_text(chart.capability.cp) == "1.63"
    assert spc.capability_text(chart.capability.cpk) == "1.60"


def test_cp_is_the_one_division_of_the_formula_not_a_rounded_sigma_divided_again() -> None:
    chart = spc.individuals_chart(SERIES, TWO_SIDED)
    context = spc._context(D("14.664"))
    assert chart.capability.cp == context.divide(D("14.664"), D(9))
    assert chart.capability.cpk == context.divide(D("7.2192"), D("4.5"))


def test_an_lsl_alone_gives_the_lower_cpk_and_no_cp() -> None:
    capability = spc.individuals_chart(SERIES, [Limit("min", "ge", D(5))]).capability
    assert capability.cpk == D("1.6544")
    assert capability.cp is None
    assert capability.cp_reason == "needs both an LSL and a USL"


def test_a_usl_alone_gives_the_upper_cpk_and_no_cp() -> None:
    capability = spc.individuals_chart(SERIES, [Limit("max", "lt", D(18))]).capability
    assert to_places(capability.cpk) == D("1.60426666666666666667")
    assert capability.cp is None


def test_equal_values_have_sigma_zero_and_no_capability_rather_than_a_crash() -> None:
    chart = spc.individuals_chart(values("5 5 5 5"), [Limit("min", "gt", D(4))])
    assert chart.limits is not None
    assert chart.limits.sigma == 0 and chart.limits.mr_bar == 0
    assert chart.limits.ucl == chart.limits.lcl == D(5)
    assert chart.capability.cp is None and chart.capability.cpk is None
    assert "σ is 0" in chart.capability.cpk_reason
    assert not any(point.out_of_control for point in chart.points)


def test_one_point_has_a_mean_but_no_limits_and_says_so() -> None:
    chart = spc.individuals_chart(values("7.5"), TWO_SIDED)
    assert chart.n == 1
    assert chart.mean == D("7.5")
    assert chart.limits is None
    assert chart.capability.cp is None and chart.capability.cpk is None
    assert chart.capability.cpk_reason == "needs at least 2 points"
    assert any("At least 2 points are needed" in note for note in chart.notes)
    assert chart.points[0].moving_range is None


def test_no_points_give_an_empty_chart() -> None:
    chart = spc.individuals_chart([], TWO_SIDED)
    assert chart.n == 0 and chart.mean is None and chart.limits is None
    assert chart.notes == ("No recorded values.",)


def test_two_points_are_enough_for_limits_with_the_too_few_warning() -> None:
    chart = spc.individuals_chart(values("1 3"), TWO_SIDED)
    assert chart.limits is not None
    assert chart.limits.centre == D(2) and chart.limits.mr_bar == D(2)
    assert chart.limits.ucl == D("7.32") and chart.limits.lcl == D("-3.32")
    assert any("Too few points for a reliable Cpk: 2 used" in note for note in chart.notes)


def test_twenty_five_points_carry_no_too_few_warning() -> None:
    chart = spc.individuals_chart(values("10 11 " * 12 + "10"), TWO_SIDED)
    assert chart.n == spc.RELIABLE_POINTS
    assert not any("Too few" in note for note in chart.notes)
    shorter = spc.individuals_chart(values("10 11 " * 12), TWO_SIDED)
    assert any("Too few points for a reliable Cpk: 24 used" in note for note in shorter.notes)


# A jump: 10, 11 four times, 10, then 20.
#   Σx = 5×10 + 4×11 + 20 = 114, n = 10 → x̄ = 11.4
#   MR: eight 1s, then |20 − 10| = 10 → ΣMR = 18, MR̄ = 18 / 9 = 2
#   UCL = 11.4 + 2.66 × 2 = 16.72, LCL = 6.08; MR UCL = 3.267 × 2 = 6.534
JUMP = values("10 11 10 11 10 11 10 11 10 20")


def test_a_point_beyond_the_ucl_is_flagged_out_of_control() -> None:
    chart = spc.individuals_chart(JUMP)
    assert chart.limits is not None
    assert (chart.limits.centre, chart.limits.mr_bar) == (D("11.4"), D(2))
    assert (chart.limits.ucl, chart.limits.lcl) == (D("16.72"), D("6.08"))
    last = chart.points[-1]
    assert last.above_ucl and last.out_of_control and not last.below_lcl
    assert last.range_above_ucl  # 10 > 6.534
    assert last.flags == ("above UCL", "moving range above its UCL")
    assert not any(point.out_of_control for point in chart.points[:-1])


def test_a_point_below_the_lcl_is_flagged() -> None:
    chart = spc.individuals_chart(values("10 11 10 11 10 11 10 11 10 0"))
    # x̄ = 94 / 10 = 9.4, MR̄ = 2, LCL = 9.4 − 5.32 = 4.08
    assert chart.limits is not None and chart.limits.lcl == D("4.08")
    assert chart.points[-1].below_lcl and chart.points[-1].flags[0] == "below LCL"


def test_a_point_exactly_on_a_control_limit_is_not_flagged() -> None:
    # 0, 2: x̄ = 1, MR̄ = 2, UCL = 1 + 5.32 = 6.32; so a value of 6.32 would sit on it.
    chart = spc.individuals_chart(values("0 2"))
    assert chart.limits is not None and chart.limits.ucl == D("6.32")
    assert not any(point.out_of_control for point in chart.points)


def test_points_outside_the_spec_are_flagged_separately_from_control() -> None:
    chart = spc.individuals_chart(values("4 10 19 12"), TWO_SIDED)
    low, inside, high, _ = chart.points
    assert low.below_lsl and low.out_of_spec and not low.out_of_control
    assert high.above_usl and high.flags == ("above USL",)
    assert not inside.out_of_spec


def test_the_spec_operator_decides_whether_a_value_on_the_limit_fails() -> None:
    strict = spc.individuals_chart(values("10 12"), [Limit("min", "gt", D(10))])
    inclusive = spc.individuals_chart(values("10 12"), [Limit("min", "ge", D(10))])
    assert strict.points[0].below_lsl
    assert not inclusive.points[0].below_lsl
    upper = spc.individuals_chart(values("12 10"), [Limit("max", "lt", D(12))])
    assert upper.points[0].above_usl


def test_eq_and_ne_limits_give_no_spec_band_and_are_named_in_a_note() -> None:
    chart = spc.individuals_chart(
        values("4 5 6"), [Limit("min", "eq", D(5)), Limit("max", "ne", D(7))]
    )
    assert chart.spec.lsl is None and chart.spec.usl is None
    assert chart.spec.ignored == ("min = 5", "max ≠ 7")
    assert not any(point.out_of_spec for point in chart.points)
    assert chart.capability.cpk is None
    assert chart.capability.cpk_reason.startswith("no spec limits")
    assert any("The limit min = 5 gives no spec band" in note for note in chart.notes)


def test_an_eq_limit_beside_a_band_leaves_the_band_alone() -> None:
    spec = spc.spec_limits([*TWO_SIDED, Limit("max", "eq", D(3))])
    assert (spec.lsl, spec.usl) == (D(5), D(18))
    assert spec.ignored == ("max = 3",)


def test_a_min_limit_with_an_upper_operator_is_not_a_spec_limit() -> None:
    spec = spc.spec_limits([Limit("min", "lt", D(5)), Limit("max", "gt", D(1))])
    assert spec.lsl is None and spec.usl is None
    assert spec.ignored == ("min < 5", "max > 1")


def test_the_tightest_of_several_limits_on_a_side_wins() -> None:
    spec = spc.spec_limits(
        [
            Limit("min", "ge", D(5)),
            Limit("min", "gt", D(6)),
            Limit("min", "ge", D(6)),
            Limit("max", "le", D(20)),
            Limit("max", "lt", D(18)),
            Limit("max", "le", D(18)),
        ]
    )
    assert spec.lower is not None and (spec.lower.operator, spec.lsl) == ("gt", D(6))
    assert spec.upper is not None and (spec.upper.operator, spec.usl) == ("lt", D(18))


def test_limits_in_coupas_other_spellings_are_understood() -> None:
    spec = spc.spec_limits([Limit("MIN", "GT_OR_EQ", D(5)), Limit("Max", "lt_or_eq", D(18))])
    assert (spec.lsl, spec.usl) == (D(5), D(18))


def test_an_unusable_limit_is_ignored_with_its_reason() -> None:
    spec = spc.spec_limits([Limit("min", "about", D(5)), Limit("max", "le", None)])
    assert spec.lsl is None and spec.usl is None
    assert spec.ignored == (
        "about 5 (unknown operator 'about' in the min limit)",
        "≤ ? (the max limit ≤ has no value)",
    )


def test_crossed_spec_limits_give_no_capability() -> None:
    chart = spc.individuals_chart(SERIES, [Limit("min", "ge", D(18)), Limit("max", "le", D(5))])
    assert chart.capability.cp is None and chart.capability.cpk is None
    assert chart.capability.cp_reason == "the USL is not above the LSL"


def test_a_mean_outside_the_spec_gives_a_negative_cpk() -> None:
    # x̄ = 11.6 above USL 10: Cpk = (10 − 11.6) × 1.128 / 4.5 = −1.8048 / 4.5 = −0.401066…
    capability = spc.individuals_chart(SERIES, [Limit("max", "le", D(10))]).capability
    assert to_places(capability.cpk) == D("-0.40106666666666666667")
    assert spc.capability_text(capability.cpk) == "-0.40"


def test_full_precision_is_kept_for_a_non_terminating_mean() -> None:
    limits = spc.control_limits(values("1 2 2"))
    assert limits is not None
    # 5 / 3 to 50 significant digits, rounded half up at the last one.
    assert limits.centre == D("1." + "6" * 48 + "7")
    assert limits.mr_bar == D("0.5")


def test_exact_sums_of_values_with_many_digits() -> None:
    limits = spc.control_limits(values("0.0000000001 0.0000000003"))
    assert limits is not None
    assert limits.centre == D("0.0000000002")
    assert limits.ucl == D("0.0000000002") + D("2.66") * D("0.0000000002")


def test_non_finite_values_are_refused() -> None:
    with pytest.raises(ValueError):
        spc.individuals_chart([D(1), D("NaN")])


@pytest.mark.parametrize(
    ("readings", "precision", "places"),
    [
        ("12.0000000000 13.0000000000", None, 2),  # stored with 10 places, read as integers
        ("0.32 0.3", None, 4),
        ("0.32 0.3", 3, 5),
        ("1.5", 12, spc.MAX_STAT_PLACES),
        ("1.5", 99, 3),  # an invalid precision falls back to the data
        ("0.000000001", None, spc.MAX_STAT_PLACES),
    ],
)
def test_statistics_are_shown_two_places_finer_than_the_readings(
    readings: str, precision: int | None, places: int
) -> None:
    assert spc.stat_places(values(readings), precision) == places


def test_statistics_text_rounds_half_up_and_keeps_the_places() -> None:
    assert spc.stat_text(D("11.6"), 2) == "11.60"
    assert spc.stat_text(D("1.329787234"), 2) == "1.33"
    assert spc.stat_text(D("0.125"), 2) == "0.13"
    assert spc.stat_text(None, 2) == ""
