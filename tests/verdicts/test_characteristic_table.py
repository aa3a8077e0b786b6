"""The verdict rules as a table: one readable row per rule and per boundary."""

from dataclasses import replace
from decimal import Decimal

import pytest

from qualityhub.verdicts import (
    CharacteristicInput,
    Judgement,
    Limit,
    Verdict,
    evaluate_characteristic,
)
from tests.verdicts.builders import choice, numeric, other

P, M, F = Verdict.PASS, Verdict.MARGINAL, Verdict.FAIL
PENDING, NONE, INVALID = Verdict.PENDING, Verdict.NONE, Verdict.INVALID


def case(case_id: str, characteristic: CharacteristicInput, verdict: Verdict, **expected):
    return pytest.param(characteristic, verdict, expected, id=case_id)


def _operator_boundary_cases():
    """The value equal to the limit (5), just below (4.99) and just above (5.01), under every
    operator spelling in lower and upper case."""
    #           operator     limit   at 5  at 4.99  at 5.01
    table = [
        ("gt", "min", F, F, P),
        ("ge", "min", P, F, P),
        ("gt_or_eq", "min", P, F, P),
        ("lt", "max", F, P, F),
        ("le", "max", P, P, F),
        ("lt_or_eq", "max", P, P, F),
        ("eq", "min", P, F, F),
        ("ne", "max", F, P, P),
        ("not_eq", "max", F, P, P),
    ]
    for operator, limit_type, at, below, above in table:
        for spelling in (operator, operator.upper()):
            for value, verdict, where in (
                ("5", at, "equal to"),
                ("4.99", below, "below"),
                ("5.01", above, "above"),
            ):
                outcome = "passes" if verdict == P else "fails"
                yield case(
                    f"value {where} the {spelling} limit {outcome}",
                    numeric(value, f"{limit_type} {spelling} 5"),
                    verdict,
                )


NUMERIC_CASES = [
    # --- the spec's GET example
    case(
        "spec: Non-volatile residue 0.05 within > 0 and < 0.1 passes",
        numeric(
            "0.050000000", "min gt 0.000000", "max lt 0.100000", precision=2, target="0.320000000"
        ),
        P,
        rounded=Decimal("0.05"),
        reason="",
    ),
    case(
        "spec: Reducing substances 69 within 7 of < 70 is marginal",
        numeric(
            "69.000000000",
            "min gt 0.000000",
            "max lt 70.000000",
            precision=2,
            target="55.000000000",
        ),
        M,
        rounded=Decimal("69.00"),
    ),
    # --- precision
    case(
        "0.095 at precision 2 rounds to 0.10 and fails lt 0.1",
        numeric("0.095", "min gt 0", "max lt 0.1", precision=2),
        F,
        rounded=Decimal("0.10"),
        rounding_changed_verdict=True,
    ),
    case(
        "0.094 at precision 2 rounds to 0.09 and passes lt 0.1",
        numeric("0.094", "min gt 0", "max lt 0.1", precision=2),
        M,
        rounded=Decimal("0.09"),
        rounding_changed_verdict=False,
    ),
    case(
        "0.104 at precision 2 rounds to 0.10 and passes only because of rounding",
        numeric("0.104", "max le 0.1", precision=2),
        P,
        rounded=Decimal("0.10"),
        rounding_changed_verdict=True,
    ),
    case(
        "0.125 rounds half up to 0.13 and fails le 0.125",
        numeric("0.125", "max le 0.125", precision=2),
        F,
        rounded=Decimal("0.13"),
        rounding_changed_verdict=True,
    ),
    case(
        "-0.125 rounds half away from zero to -0.13",
        numeric("-0.125", "min ge -0.13", precision=2),
        P,
        rounded=Decimal("-0.13"),
    ),
    case(
        "precision 0 rounds 69.5 up to 70 and fails lt 70",
        numeric("69.5", "max lt 70", precision=0),
        F,
        rounded=Decimal("70"),
        rounding_changed_verdict=True,
    ),
    case(
        "no precision judges the value as recorded",
        numeric("0.0999999", "max lt 0.1"),
        P,
        rounded=Decimal("0.0999999"),
        rounding_changed_verdict=False,
    ),
    case(
        "precision 2 pads the judged value to 69.00",
        numeric("69", "max lt 100", precision=2),
        P,
        rounded=Decimal("69.00"),
    ),
    case("precision 20 is accepted", numeric("1", "max lt 2", precision=20), P),
    # --- fail reasons name every broken limit
    case(
        "a value above the max names the broken limit",
        numeric("0.15", "min gt 0", "max lt 0.100000", precision=2),
        F,
        reason="0.15 is not < 0.1",
    ),
    case(
        "a value breaking contradictory limits names both, min first",
        numeric("5", "max lt 3", "min gt 10"),
        F,
        reason="5 is not > 10; 5 is not < 3",
    ),
    case(
        "the rounding that decided a failure is noted in the reason",
        numeric("0.095", "max lt 0.1", precision=2),
        F,
        reason="0.10 is not < 0.1; fails only after rounding 0.095 to 0.10 at precision 2",
    ),
    # --- unusual but valid
    case(
        "a min limit with operator lt is evaluated as written (pass)", numeric("4", "min lt 5"), P
    ),
    case(
        "a min limit with operator lt is evaluated as written (fail)", numeric("6", "min lt 5"), F
    ),
    case(
        "value type, limit type and operator in mixed case with spaces",
        CharacteristicInput(
            " Numeric ",
            True,
            None,
            None,
            [Limit(" MaX ", " Lt_Or_Eq ", Decimal("2"))],
            Decimal("1"),
            None,
        ),
        P,
    ),
    case("two max limits must both hold", numeric("5", "max lt 10", "max lt 4"), F),
    case("negative limits and values", numeric("-3", "min gt -10", "max lt 0"), P),
    # --- target only
    case(
        "target only: equal at the precision passes",
        numeric("0.32", target="0.320000000", precision=2),
        P,
        reason="",
    ),
    case(
        "target only: different at the precision fails",
        numeric("0.33", target="0.32", precision=2),
        F,
        reason="0.33 is not the target 0.32",
    ),
    case(
        "target only: equal after rounding both passes and flags the rounding",
        numeric("0.3249", target="0.32", precision=2),
        P,
        rounding_changed_verdict=True,
    ),
    case(
        "target only: the target is rounded at the precision too",
        numeric("0.33", target="0.325", precision=2),
        P,
    ),
    case(
        "target only without precision compares exactly",
        numeric("0.3200", target="0.32"),
        P,
        rounding_changed_verdict=False,
    ),
    case(
        "target only without precision, a tiny difference fails",
        numeric("0.3201", target="0.32"),
        F,
    ),
    case("target only is never marginal", numeric("55", target="55"), P),
    # --- pending and none
    case(
        "nothing recorded is pending",
        numeric(None, "max lt 0.1", precision=2),
        PENDING,
        reason="nothing recorded",
    ),
    case(
        "nothing recorded is pending even with a broken limit",
        numeric(None, "max between 0.1"),
        PENDING,
    ),
    case(
        "no limits and no target is none",
        numeric("5", precision=2),
        NONE,
        reason="no criteria",
        rounded=Decimal("5.00"),
    ),
    # --- marginal, two-sided (band 70, 10% = 7)
    case(
        "two-sided: 7 from the upper limit is marginal", numeric("63", "min gt 0", "max lt 70"), M
    ),
    case(
        "two-sided: just over 7 from the upper limit passes",
        numeric("62.99", "min gt 0", "max lt 70"),
        P,
    ),
    case("two-sided: 7 from the lower limit is marginal", numeric("7", "min gt 0", "max lt 70"), M),
    case(
        "two-sided: just over 7 from the lower limit passes",
        numeric("7.01", "min gt 0", "max lt 70"),
        P,
    ),
    case("two-sided: the middle of the band passes", numeric("35", "min gt 0", "max lt 70"), P),
    case(
        "two-sided: a value on an inclusive limit is marginal",
        numeric("70", "min ge 0", "max le 70"),
        M,
    ),
    case(
        "two-sided: marginal is measured from the rounded value",
        numeric("62.996", "min gt 0", "max lt 70", precision=2),
        M,
        rounded=Decimal("63.00"),
    ),
    case(
        "two-sided: the tightest of several limits on a side counts",
        numeric("45", "min gt 0", "max lt 70", "max lt 50"),
        M,
    ),
    # --- marginal, one-sided
    case(
        "one-sided max with target: within 10% of target-to-limit is marginal",
        numeric("68.5", "max lt 70", target="55"),
        M,
    ),
    case(
        "one-sided max with target: further than 10% passes",
        numeric("68.4", "max lt 70", target="55"),
        P,
    ),
    case(
        "one-sided min with target: within 10% is marginal",
        numeric("1", "min gt 0", target="10"),
        M,
    ),
    case(
        "one-sided min with target: further than 10% passes",
        numeric("1.01", "min gt 0", target="10"),
        P,
    ),
    case("one-sided without target is never marginal", numeric("69.99", "max lt 70"), P),
    case(
        "one-sided with the target equal to the limit is never marginal",
        numeric("69.99", "max le 70", target="70"),
        P,
    ),
    case(
        "one-sided band uses the target rounded at the precision",
        numeric("9.5", "max lt 10", target="5.004", precision=2),
        M,
    ),
    case("equality limits never make a value marginal", numeric("5", "min eq 5"), P),
    case("inequality limits never make a value marginal", numeric("5.0001", "max ne 5"), P),
    case(
        "an equality limit beside a two-sided band does not shrink it",
        numeric("50", "min gt 0", "max lt 100", "max ne 50.5"),
        P,
    ),
    # --- invalid
    case(
        "an unknown operator is invalid",
        numeric("5", "max between 10"),
        INVALID,
        reason="unknown operator 'between' in the max limit",
    ),
    case("a symbol instead of an operator name is invalid", numeric("5", "max < 10"), INVALID),
    case(
        "a limit without a value is invalid",
        numeric("5", "max lt -"),
        INVALID,
        reason="the max limit < has no value",
    ),
    case(
        "an unknown limit type is invalid",
        numeric("5", "target lt 10"),
        INVALID,
        reason="unknown limit type 'target'",
    ),
    case("a NaN limit value is invalid", numeric("5", "max lt NaN"), INVALID),
    case("an infinite limit value is invalid", numeric("5", "max lt Infinity"), INVALID),
    case(
        "a NaN recorded value is invalid",
        numeric("NaN", "max lt 10"),
        INVALID,
        reason="recorded value NaN is not a finite number",
    ),
    case("a signalling NaN recorded value is invalid", numeric("sNaN", "max lt 10"), INVALID),
    case("an infinite recorded value is invalid", numeric("Infinity", "max lt 10"), INVALID),
    case(
        "a negative infinite recorded value is invalid even with no criteria",
        numeric("-Infinity"),
        INVALID,
    ),
    case("a NaN target is invalid", numeric("5", target="NaN"), INVALID),
    case("a negative precision is invalid", numeric("5", "max lt 10", precision=-1), INVALID),
    case("a precision above 20 is invalid", numeric("5", "max lt 10", precision=21), INVALID),
    case("an absurd precision is invalid", numeric("5", "max lt 10", precision=10**9), INVALID),
    case(
        "a broken limit makes the characteristic invalid even when others fail",
        numeric("500", "min gt 0", "max lt 10", "max xx 1"),
        INVALID,
    ),
    case(
        "a value too large to round is invalid",
        numeric("1E+2000", "max lt 10", precision=2),
        INVALID,
    ),
]


CHOICE_CASES = [
    case(
        "spec: Color recorded Yellow, expected No colour, fails",
        choice("1", "3.000000000"),
        F,
        chosen_text="Yellow",
        expected_text="No colour",
        expected_code="3",
        reason="chose '1' (Yellow), expected '3' (No colour)",
    ),
    case(
        "choice equal to the expected code passes",
        choice("3", "3.000000000"),
        P,
        chosen_text="No colour",
        expected_text="No colour",
        expected_code="3",
        reason="",
    ),
    case("integer codes compare by value", choice("03", "3"), P, chosen_text="No colour"),
    case("a code with spaces is stripped", choice(" 3 ", "3"), P),
    case(
        "a non-integral target stays a decimal code",
        choice("2.5", "2.50", choices=()),
        P,
        expected_code="2.5",
    ),
    case("non-integer codes compare as exact strings", choice("2.50", "2.5", choices=()), F),
    case("a code that is not a number never equals a numeric target", choice("x3", "3"), F),
    case(
        "an unknown code is judged and noted",
        choice("7", "3"),
        F,
        chosen_text=None,
        expected_text="No colour",
        reason="chose '7', expected '3' (No colour); code '7' is not among the choices",
    ),
    case(
        "an unknown code equal to the target still passes, with the note",
        choice("9", "9"),
        P,
        expected_text=None,
        reason="code '9' is not among the choices",
    ),
    case("without a choice list no code is unknown", choice("7", "7", choices=()), P, reason=""),
    case(
        "no recorded code is pending",
        choice(None, "3"),
        PENDING,
        expected_code="3",
        expected_text="No colour",
    ),
    case("a blank recorded code is pending", choice("  ", "3"), PENDING),
    case("no target is none", choice("1", None), NONE, chosen_text="Yellow"),
    case("a NaN target is invalid", choice("1", "NaN"), INVALID),
    case("a negative zero target is code 0", choice("0", "-0", choices=()), P, expected_code="0"),
    case("value type in upper case", replace(choice("3", "3"), value_type="CHOICE"), P),
]


OTHER_TYPE_CASES = [
    case("decision with nothing recorded is pending", other("decision"), PENDING),
    case("decision with a value and no criteria is none", other("decision", code="true"), NONE),
    case(
        "decision with a value and a target is invalid",
        other("decision", None, "true", "1"),
        INVALID,
        reason="value type 'decision' cannot be evaluated",
    ),
    case(
        "decision with a value and limits is invalid",
        other("DECISION", "1", None, None, "max lt 2"),
        INVALID,
        reason="value type 'decision' cannot be evaluated",
    ),
    case("value type none with nothing recorded is pending", other("none", target="1"), PENDING),
    case("value type none with a value and no criteria is none", other("none", "5"), NONE),
    case(
        "value type none with a value and a target is invalid",
        other("None", "5", None, "5"),
        INVALID,
        reason="value type 'none' cannot be evaluated",
    ),
    case(
        "an unknown value type with a value and criteria is invalid",
        other("text", None, "abc", "1"),
        INVALID,
        reason="value type 'text' cannot be evaluated",
    ),
    case(
        "an empty value type with a value and criteria is invalid",
        other("", "1", None, "1"),
        INVALID,
    ),
    case("an unknown value type with nothing recorded is pending", other("text"), PENDING),
]


@pytest.mark.parametrize(
    ("characteristic", "verdict", "expected"),
    [*_operator_boundary_cases(), *NUMERIC_CASES, *CHOICE_CASES, *OTHER_TYPE_CASES],
)
def test_each_case_gets_its_expected_verdict(
    characteristic: CharacteristicInput, verdict: Verdict, expected: dict
) -> None:
    result = evaluate_characteristic(characteristic)
    assert isinstance(result, Judgement)
    assert result.verdict == verdict, result.reason
    for field, value in expected.items():
        assert getattr(result, field) == value, field
    if verdict in (Verdict.INVALID, Verdict.FAIL, Verdict.MARGINAL):
        assert result.reason, "a failing, marginal or invalid verdict always says why"


# --- a few rules spelled out as sentences -------------------------------------------------


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
