"""The verdict table's numeric rows: every operator at its boundary, then one row per rule."""

from decimal import Decimal

from qualityhub.verdicts import CharacteristicInput, Limit
from tests.verdicts.builders import numeric
from tests.verdicts.cases import INVALID, NONE, PENDING, F, M, P, case


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
