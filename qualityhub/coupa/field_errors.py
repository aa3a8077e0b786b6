"""Coupa's validation errors, read as places in the request we sent (named our way).

Coupa answers a refused create with field paths (`dueDate`,
`characteristics[1].expectedLimits[0].comparisonOperator`) and messages. `locate_error` says
which field of the request a path names, by the names of `outbound` (`due_date`; the second
characteristic's `min_operator`, when its first limit sent was the minimum).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qualityhub.coupa.outbound import HEADER_KEYS

# The whole record, and the characteristics as a list: Coupa's names for them.
_WHOLE_RECORD = "base"
_ALL_CHARACTERISTICS = "characteristics"
_HEADER_BY_KEY = {key: name for name, key in HEADER_KEYS.items()}
_CHARACTERISTIC_BY_KEY = {
    "name": "name",
    "type": "required",
    "isQuantitative": "is_quantitative",
    "requirement": "requirement",
    "specification": "requirement",
    "valueType": "value_type",
    "characteristicValues": "choices",
    "expectedResults": "target",
    "targetValue": "target",
    "numericValue": "target",
    "valuePrecision": "precision",
}
_TARGET_KEYS = ("targetValue", "numericValue")
_CHARACTERISTIC_PATH = re.compile(
    r"^characteristics\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?(?:\.(\w+))?)?$"
)


@dataclass(frozen=True)
class ErrorPlace:
    """Where one of Coupa's errors belongs in the request that was sent."""

    characteristic: int | None = None  # its index among those sent; None: the header
    field: str | None = None  # our name of the field; None: the header or characteristic
    all_characteristics: bool = False  # about the list of characteristics as a whole
    path: str = ""  # Coupa's path, to show with the message when it names nothing we have


def locate_error(path: str, limit_sides: Sequence[Sequence[str]]) -> ErrorPlace:
    """The place a Coupa error path names. `limit_sides[i]` lists the sides ("min", "max") of
    the limits sent for characteristic i, in the order they were sent."""
    if path in _HEADER_BY_KEY:
        return ErrorPlace(field=_HEADER_BY_KEY[path])
    if path == _WHOLE_RECORD:
        return ErrorPlace()
    if path == _ALL_CHARACTERISTICS:
        return ErrorPlace(all_characteristics=True)
    match = _CHARACTERISTIC_PATH.match(path)
    if match is None:
        return ErrorPlace(path=path)
    row, key, index, subkey = int(match[1]), match[2], match[3], match[4]
    if row >= len(limit_sides):
        return ErrorPlace(path=path)  # a characteristic we did not send
    if key is None:
        return ErrorPlace(row, path=path)
    if key == "expectedLimits":
        sides = limit_sides[row]
        if index is None or int(index) >= len(sides):
            return ErrorPlace(row, path=path)
        part = "value" if subkey == "comparisonValue" else "operator"
        return ErrorPlace(row, f"{sides[int(index)]}_{part}")
    if key == "expectedResults" and subkey is not None and subkey not in _TARGET_KEYS:
        key = subkey
    name = _CHARACTERISTIC_BY_KEY.get(key)
    return ErrorPlace(row, name, path="" if name else path)


def error_on(field: str, message: str) -> dict[str, list[str]]:
    """An error of ours on a header field, written as Coupa writes its own (so one reader,
    `locate_error`, places both)."""
    return {HEADER_KEYS[field]: [message]}


def errors_answer(field_errors: Mapping[str, Sequence[str]]) -> str:
    """Field errors as the body of Coupa's refusal, for the audit trail when Coupa's own body
    is not at hand."""
    return json.dumps({"errors": {path: list(messages) for path, messages in field_errors.items()}})
