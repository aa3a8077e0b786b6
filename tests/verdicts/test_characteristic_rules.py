"""A few verdict rules spelled out as sentences: strict and inclusive limits, rounding onto a limit,
the stored strings, and the inputs the rules accept."""

from dataclasses import replace
from decimal import Decimal

from qualityhub.verdicts import Limit, Verdict, evaluate_characteristic
from tests.verdicts.builders import numeric


def test_value_equal_to_lt_limit_fails() -> None:
    assert evaluate_characteristic(numeric("0.1", "max lt 0.1")).verdict == Verdict.FAIL


def test_value_equal_to_le_limit_passes() -> None:
    assert evaluate_characteristic(numeric("0.1", "max le 0.1")).verdict == Verdict.PASS


def test_value_equal_to_gt_limit_fails() -> None:
    assert evaluate_characteristic(numeric("0", "min gt 0")).verdict == Verdict.FAIL


def test_rounding_onto_a_strict_limit_fails_and_is_flagged() -> None:
    result = evaluate_characteristic(numeric("0.095", "max lt 0.1", precision=2))
    assert result.verdict == Verdict.FAIL
    assert result.rounded == Decimal("0.10")
    assert result.rounding_changed_verdict is True
    assert result.reason.startswith("0.10 is not < 0.1")


def test_half_up_rounding_takes_0_125_to_0_13() -> None:
    assert evaluate_characteristic(numeric("0.125", precision=2)).rounded == Decimal("0.13")


def test_verdict_values_are_exactly_the_stored_strings() -> None:
    assert [str(verdict) for verdict in Verdict] == [
        "pass",
        "marginal",
        "fail",
        "pending",
        "none",
        "invalid",
    ]
    assert Verdict.PASS == "pass"


def test_recorded_values_given_as_int_str_or_float_are_accepted() -> None:
    base = numeric(None, "min gt 0", "max lt 0.1", precision=2)
    for recorded in (0, "0.05", 0.05):
        result = evaluate_characteristic(replace(base, recorded_numeric=recorded))
        expected = Verdict.FAIL if recorded == 0 else Verdict.PASS
        assert result.verdict == expected, recorded


def test_a_recorded_value_that_is_not_a_number_is_invalid() -> None:
    base = numeric(None, "max lt 1")
    for recorded in ("abc", True, object()):
        result = evaluate_characteristic(replace(base, recorded_numeric=recorded))
        assert result.verdict == Verdict.INVALID, recorded


def test_precision_given_as_a_string_is_accepted() -> None:
    result = evaluate_characteristic(numeric("0.095", "max lt 0.1", precision="2"))
    assert result.rounded == Decimal("0.10")


def test_limits_need_only_be_a_sequence_of_objects_with_the_same_attributes() -> None:
    class Row:  # what a database row might look like
        limit_type, operator, value = "MAX", "LT", Decimal("0.1")

    result = evaluate_characteristic(replace(numeric("0.2"), limits=[Row()]))
    assert result.verdict == Verdict.FAIL


def test_a_none_operator_is_invalid_not_an_exception() -> None:
    result = evaluate_characteristic(replace(numeric("1"), limits=[Limit("max", None, None)]))
    assert result.verdict == Verdict.INVALID


def test_the_characteristic_is_passing_only_for_pass_and_marginal() -> None:
    assert evaluate_characteristic(numeric("69", "min gt 0", "max lt 70")).passed
    assert evaluate_characteristic(numeric("35", "min gt 0", "max lt 70")).passed
    assert not evaluate_characteristic(numeric("70", "min gt 0", "max lt 70")).passed
    assert not evaluate_characteristic(numeric(None, "max lt 70")).passed
