"""Create requests written in Coupa's request shape (a JSON import), read back into our names.

The reverse of `outbound`: a record as `POST /quality_inspections` takes it becomes text fields
under our names (those of `outbound`), as given, for the web form's rules to check, and
whatever is wrong with the record's shape, named by Coupa's key so the person finds it in the
file. Nothing is judged here beyond the shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from qualityhub.coupa.outbound import HEADER_KEYS
from qualityhub.coupa.vocabulary import CharacteristicKind, ValueType

_RECORD_KEYS = set(HEADER_KEYS.values()) | {"type", "refDocumentType", "characteristics"}
_CHARACTERISTIC_KEYS = {
    "name", "type", "isQuantitative", "requirement", "specification", "valueType",
    "characteristicValues", "expectedResults", "expectedLimits", "remarks",
}  # fmt: skip
_RESULT_KEYS = {"targetValue", "numericValue", "valuePrecision"}
_LIMIT_KEYS = {"limitType", "comparisonOperator", "comparisonValue"}
_VALUE_KEYS = {"code", "domain", "value", "id"}
# Our name of a field -> how the file names it, for the errors the form's rules find.
KEY_OF_FIELD = HEADER_KEYS | {
    "name": "name",
    "required": "type",
    "is_quantitative": "isQuantitative",
    "requirement": "requirement",
    "value_type": "valueType",
    "choices": "characteristicValues",
    "target": "expectedResults.targetValue",
    "precision": "expectedResults.valuePrecision",
    "min_operator": "expectedLimits(MIN).comparisonOperator",
    "min_value": "expectedLimits(MIN).comparisonValue",
    "max_operator": "expectedLimits(MAX).comparisonOperator",
    "max_value": "expectedLimits(MAX).comparisonValue",
}

Problem = tuple[str, str]  # (Coupa's key, what is wrong with it); "" for the object itself


@dataclass
class CharacteristicRecord:
    """One characteristic of a record, its values as text, as given."""

    name: str = ""
    required: str = CharacteristicKind.REQUIRED.value  # Coupa's type, lower case, or a mistake
    is_quantitative: bool = False
    requirement: str = ""
    value_type: str = ValueType.NUMERIC.value
    target: str = ""
    precision: str = ""
    choices: list[tuple[str, str, str]] = field(default_factory=list)  # (code, domain, text)
    limits: dict[str, tuple[str, str]] = field(default_factory=dict)  # side -> (operator, value)


@dataclass
class RequestRecord:
    """One record: the header fields by our names (text), its characteristics, its problems."""

    header: dict[str, str] = field(default_factory=dict)
    characteristics: list[CharacteristicRecord | None] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Per characteristic (same order): its problems; None stands for one that is not an object.
    characteristic_problems: list[list[Problem]] = field(default_factory=list)


def read_request_record(record: Any) -> RequestRecord | None:
    """The record in our names, or None when it is not a JSON object."""
    if not isinstance(record, dict):
        return None
    problems = [(key, "Unknown field.") for key in record if key not in _RECORD_KEYS]
    if str(record.get("type") or "inspection").lower() != "inspection":
        problems.append(("type", "Must be inspection."))
    if str(record.get("refDocumentType") or "Purchase Order") != "Purchase Order":
        problems.append(("refDocumentType", "Only Purchase Order is supported."))
    header = {name: _text(record.get(key)) for name, key in HEADER_KEYS.items()}
    raw_lines = record.get("characteristics") or []
    if not isinstance(raw_lines, list):
        problems.append(("characteristics", "Must be a list."))
        raw_lines = []
    read = RequestRecord(header, problems=problems)
    for raw in raw_lines:
        line, line_problems = _characteristic(raw)
        read.characteristics.append(line)
        read.characteristic_problems.append(line_problems)
    return read


def _characteristic(raw: Any) -> tuple[CharacteristicRecord | None, list[Problem]]:
    if not isinstance(raw, dict):
        return None, [("", "Not a JSON object.")]
    problems = [(key, "Unknown field.") for key in raw if key not in _CHARACTERISTIC_KEYS]
    quantitative = raw.get("isQuantitative")
    line = CharacteristicRecord(
        name=_text(raw.get("name")),
        required=_text(raw.get("type")).lower() or CharacteristicKind.REQUIRED.value,
        is_quantitative=quantitative is True or str(quantitative).lower() == "true",
        requirement=_text(raw.get("requirement", raw.get("specification"))),
        value_type=_text(raw.get("valueType")).lower() or ValueType.NUMERIC.value,
    )
    expected = raw.get("expectedResults") or {}
    if isinstance(expected, list) and len(expected) == 1:
        expected = expected[0]
    if isinstance(expected, dict):
        problems += [
            (f"expectedResults.{k}", "Unknown field.") for k in expected if k not in _RESULT_KEYS
        ]
        line.target = _text(expected.get("targetValue", expected.get("numericValue")))
        line.precision = _text(expected.get("valuePrecision"))
    else:
        problems.append(("expectedResults", "Must be an object."))
    problems += _choices(raw.get("characteristicValues") or [], line)
    problems += _limits(raw.get("expectedLimits") or [], line)
    return line, problems


def _choices(raw: Any, line: CharacteristicRecord) -> list[Problem]:
    if not isinstance(raw, list):
        return [("characteristicValues", "Must be a list.")]
    problems = []
    for index, value in enumerate(raw):
        if not isinstance(value, dict) or set(value) - _VALUE_KEYS:
            problems.append((f"characteristicValues[{index}]", "Must be {code, domain, value}."))
            continue
        code, domain, text = (_text(value.get(key)) for key in ("code", "domain", "value"))
        if "|" in code or "|" in domain:
            problems.append((f"characteristicValues[{index}]", "A code or domain with | ."))
        line.choices.append((code, domain, text))
    return problems


def _limits(raw: Any, line: CharacteristicRecord) -> list[Problem]:
    if not isinstance(raw, list):
        return [("expectedLimits", "Must be a list.")]
    problems = []
    for index, limit in enumerate(raw):
        at = f"expectedLimits[{index}]"
        if not isinstance(limit, dict) or set(limit) - _LIMIT_KEYS:
            problems.append((at, "Must be {limitType, comparisonOperator, comparisonValue}."))
            continue
        side = _text(limit.get("limitType")).lower()
        if side not in ("min", "max"):
            problems.append((f"{at}.limitType", "Must be MIN or MAX."))
        elif any(line.limits.get(side, ())):
            problems.append((at, f"Only one {side.upper()} limit per characteristic."))
        else:
            operator = _text(limit.get("comparisonOperator")).lower()
            line.limits[side] = (operator, _text(limit.get("comparisonValue")))
    return problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
