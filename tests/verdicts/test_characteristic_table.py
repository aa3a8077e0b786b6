"""The verdict rules as a table: one readable row per rule and per boundary (the rows are in
numeric_cases.py and choice_cases.py)."""

import pytest

from qualityhub.verdicts import (
    CharacteristicInput,
    Judgement,
    Verdict,
    evaluate_characteristic,
)
from tests.verdicts.choice_cases import CHOICE_CASES, OTHER_TYPE_CASES
from tests.verdicts.numeric_cases import NUMERIC_CASES, _operator_boundary_cases


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
