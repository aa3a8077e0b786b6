"""The verdict table's rows of choice characteristics and of the value types nothing can judge."""

from dataclasses import replace

from tests.verdicts.builders import choice, other
from tests.verdicts.cases import INVALID, NONE, PENDING, F, P, case

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
