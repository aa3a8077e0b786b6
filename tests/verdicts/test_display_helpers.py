"""limit_text, format_value and tolerance_position: what the detail page shows."""

from decimal import Decimal

import pytest

from qualityhub.verdicts import Limit, format_value, limit_text, tolerance_position
from tests.verdicts.builders import lim

D = Decimal


@pytest.mark.parametrize(
    ("limits", "precision", "text"),
    [
        pytest.param(
            ["min gt 0.000000", "max lt 0.100000"],
            None,
            "> 0 and < 0.1",
            id="coupa fixed decimals lose their trailing zeros",
        ),
        pytest.param(
            ["min gt 0.000000", "max lt 0.100000"],
            2,
            "> 0.00 and < 0.10",
            id="precision digits are kept",
        ),
        pytest.param(
            ["max lt 0.100000", "min gt 0"], None, "> 0 and < 0.1", id="min limit first then max"
        ),
        pytest.param(["min ge 10"], 2, "≥ 10.00", id="ge with precision pads"),
        pytest.param(["max le 70.000000"], None, "≤ 70", id="le drops zeros but not the 70"),
        pytest.param(["min eq 5"], None, "= 5", id="eq"),
        pytest.param(["max ne 3"], None, "≠ 3", id="ne"),
        pytest.param(
            ["MIN GT_OR_EQ 1", "MAX LT_OR_EQ 2"],
            None,
            "≥ 1 and ≤ 2",
            id="query spellings in upper case",
        ),
        pytest.param(["max not_eq 3"], None, "≠ 3", id="not_eq"),
        pytest.param(["max between 3"], None, "between 3", id="unknown operator verbatim"),
        pytest.param(["max lt -"], None, "< ?", id="missing value as a question mark"),
        pytest.param(["max lt 0.125"], 2, "< 0.125", id="a limit is never rounded"),
        pytest.param(["max lt 1E+2"], None, "< 100", id="exponent notation written out"),
        pytest.param(["max lt -0.50"], None, "< -0.5", id="negative values"),
        pytest.param(
            ["other lt 1", "max lt 2", "min gt 0"],
            None,
            "> 0 and < 2 and < 1",
            id="an unknown limit type comes last",
        ),
        pytest.param(["max lt 1"], -3, "< 1", id="an invalid precision is ignored"),
        pytest.param([], 2, "", id="no limits is empty"),
    ],
)
def test_limit_text_reads_like_people_write_limits(limits, precision, text) -> None:
    assert limit_text([lim(spec) for spec in limits], precision) == text


def test_limit_text_accepts_none_for_no_limits() -> None:
    assert limit_text(None, None) == ""


def test_limit_text_shows_a_non_finite_value_as_text() -> None:
    assert limit_text([Limit("max", "lt", D("NaN"))], 2) == "< NaN"


@pytest.mark.parametrize(
    ("value", "precision", "text"),
    [
        pytest.param("0.125", 2, "0.13", id="half up"),
        pytest.param("0.135", 2, "0.14", id="half up again"),
        pytest.param("-0.125", 2, "-0.13", id="negative half away from zero"),
        pytest.param("69.000000000", 2, "69.00", id="keeps the precision digits"),
        pytest.param("69.000000000", None, "69", id="no precision drops trailing zeros"),
        pytest.param("0.050000000", None, "0.05", id="no precision keeps significant digits"),
        pytest.param("69.5", 0, "70", id="precision 0"),
        pytest.param("-0.001", 2, "0.00", id="no negative zero"),
        pytest.param("1E+3", 1, "1000.0", id="exponent notation written out"),
        pytest.param("NaN", 2, "NaN", id="NaN as text"),
        pytest.param("Infinity", None, "Infinity", id="infinity as text"),
        pytest.param("1.23", 21, "1.23", id="an absurd precision is ignored"),
        pytest.param("1.23", -1, "1.23", id="a negative precision is ignored"),
    ],
)
def test_format_value_shows_the_value_at_its_precision(value, precision, text) -> None:
    assert format_value(D(value), precision) == text


def test_format_value_of_none_is_empty() -> None:
    assert format_value(None, 2) == ""


def test_two_sided_bar_runs_between_the_limits() -> None:
    bar = tolerance_position(D("69"), [lim("min gt 0"), lim("max lt 70")], D("55"))
    assert (bar.lower, bar.upper, bar.start, bar.end) == (D(0), D(70), D(0), D(70))
    assert bar.position == D("0.9857")
    assert bar.outside is False
    assert bar.drawable


def test_a_value_beyond_the_upper_limit_is_clamped_and_flagged() -> None:
    bar = tolerance_position(D("80"), [lim("min gt 0"), lim("max lt 70")], None)
    assert bar.position == 1
    assert bar.outside is True


def test_a_value_below_the_lower_limit_is_clamped_and_flagged() -> None:
    bar = tolerance_position(D("-5"), [lim("min ge 0"), lim("max le 70")], None)
    assert bar.position == 0
    assert bar.outside is True


def test_a_value_on_a_limit_is_at_the_end_and_not_outside() -> None:
    bar = tolerance_position(D("70"), [lim("min gt 0"), lim("max lt 70")], None)
    assert (bar.position, bar.outside) == (1, False)


def test_one_sided_max_with_target_runs_from_target_to_limit() -> None:
    bar = tolerance_position(D("62.5"), [lim("max lt 70")], D("55"))
    assert (bar.lower, bar.upper, bar.start, bar.end) == (None, D(70), D(55), D(70))
    assert bar.position == D("0.5")


def test_one_sided_min_with_target_runs_from_limit_to_target() -> None:
    bar = tolerance_position(D("2.5"), [lim("min gt 0")], D("10"))
    assert (bar.lower, bar.upper, bar.start, bar.end) == (D(0), None, D(0), D(10))
    assert bar.position == D("0.25")


def test_a_value_beyond_the_target_side_is_clamped_at_the_target_end() -> None:
    bar = tolerance_position(D("40"), [lim("max lt 70")], D("55"))
    assert (bar.position, bar.outside) == (0, True)


def test_one_sided_without_target_runs_from_value_to_limit() -> None:
    bar = tolerance_position(D("40"), [lim("max lt 70")], None)
    assert (bar.start, bar.end, bar.position, bar.outside) == (D(40), D(70), 0, False)


def test_one_sided_with_target_on_the_wrong_side_uses_the_value() -> None:
    bar = tolerance_position(D("0.05"), [lim("max lt 0.1")], D("0.32"))
    assert (bar.start, bar.end, bar.position) == (D("0.05"), D("0.1"), 0)


def test_a_failing_value_beyond_a_one_sided_limit_sits_at_the_far_end() -> None:
    bar = tolerance_position(D("80"), [lim("max lt 70")], None)
    assert (bar.start, bar.end, bar.position, bar.outside) == (D(70), D(80), 1, False)


def test_the_tightest_limit_on_each_side_bounds_the_bar() -> None:
    bar = tolerance_position(
        D("5"), [lim("min gt 0"), lim("min ge 2"), lim("max lt 10"), lim("max le 8")], None
    )
    assert (bar.lower, bar.upper, bar.position) == (D(2), D(8), D("0.5"))


def test_direction_comes_from_the_operator_not_the_limit_type() -> None:
    bar = tolerance_position(D("3"), [lim("min lt 5"), lim("max gt 1")], None)
    assert (bar.lower, bar.upper, bar.position) == (D(1), D(5), D("0.5"))


@pytest.mark.parametrize(
    ("value", "limits", "target"),
    [
        pytest.param("5", [], "5", id="no limits"),
        pytest.param("5", ["min eq 5"], None, id="only equality limits"),
        pytest.param(None, ["min gt 0", "max lt 70"], None, id="no value"),
        pytest.param("NaN", ["min gt 0", "max lt 70"], None, id="NaN value"),
        pytest.param("5", ["min ge 5", "max le 5"], None, id="limits that coincide"),
        pytest.param("5", ["min gt 10", "max lt 0"], None, id="limits that cross"),
        pytest.param("70", ["max lt 70"], None, id="value on a one-sided limit without target"),
        pytest.param("5", ["max between 7", "min gt -"], None, id="only unusable limits"),
    ],
)
def test_no_bar_is_drawn_when_there_are_not_two_distinct_ends(value, limits, target) -> None:
    bar = tolerance_position(
        None if value is None else D(value),
        [lim(spec) for spec in limits],
        None if target is None else D(target),
    )
    assert bar.position is None
    assert not bar.drawable


def test_unusable_limits_are_skipped_when_drawing() -> None:
    bar = tolerance_position(D("5"), [lim("min gt 0"), lim("max xx 1"), lim("max lt 10")], None)
    assert (bar.lower, bar.upper, bar.position) == (D(0), D(10), D("0.5"))
