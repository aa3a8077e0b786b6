"""The spec's GET example (tests/data/seed_get_response.json) judged end to end."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from qualityhub.verdicts import (
    CharacteristicInput,
    Choice,
    InspectionVerdict,
    Limit,
    Verdict,
    evaluate_characteristic,
    evaluate_inspection,
    limit_text,
)

GET_EXAMPLE = Path(__file__).parent.parent / "data" / "seed_get_response.json"


def to_input(line: dict) -> CharacteristicInput:
    """Map one characteristic of the API response the way the sync layer would."""
    expected = line.get("expectedResults") or {}
    recorded = line.get("recordedCharacteristic") or {}
    return CharacteristicInput(
        value_type=line["valueType"],
        required=line["type"].lower() == "required",
        target=expected.get("numericValue"),
        precision=expected.get("valuePrecision"),
        limits=[
            Limit(limit["limitType"], limit["comparisonOperator"], limit.get("comparisonValue"))
            for limit in line.get("expectedLimits") or []
        ],
        recorded_numeric=recorded.get("numericValue"),
        recorded_code=recorded.get("code"),
        choices=[Choice(value["code"], value["value"]) for value in line["characteristicValues"]],
    )


@pytest.fixture(scope="module")
def characteristics() -> dict[str, CharacteristicInput]:
    inspection = json.loads(GET_EXAMPLE.read_text(), parse_float=Decimal)
    return {line["name"]: to_input(line) for line in inspection["characteristics"]}


def test_color_yellow_against_no_colour_fails_with_both_texts(characteristics) -> None:
    result = evaluate_characteristic(characteristics["Color"])
    assert result.verdict == Verdict.FAIL
    assert result.chosen_text == "Yellow"
    assert result.expected_text == "No colour"
    assert result.expected_code == "3"


def test_non_volatile_residue_0_05_passes(characteristics) -> None:
    result = evaluate_characteristic(characteristics["Non-volatile residue"])
    assert result.verdict == Verdict.PASS
    assert result.rounded == Decimal("0.05")
    assert result.rounding_changed_verdict is False


def test_reducing_substances_69_is_marginal(characteristics) -> None:
    result = evaluate_characteristic(characteristics["Reducing substances"])
    assert result.verdict == Verdict.MARGINAL
    assert result.rounded == Decimal("69.00")
    assert "< 70" in result.reason


def test_the_example_inspection_fails_because_color_is_required(characteristics) -> None:
    assert evaluate_inspection(characteristics.values()) == InspectionVerdict.FAIL


def test_the_example_limits_read_with_their_precision(characteristics) -> None:
    residue = characteristics["Non-volatile residue"]
    assert limit_text(residue.limits, residue.precision) == "> 0.00 and < 0.10"
    assert limit_text(residue.limits, None) == "> 0 and < 0.1"
