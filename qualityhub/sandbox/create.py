"""Creating an inspection: the spec's request shape in, the spec's response shape out.

`parse_request` validates everything at once (422 names every bad field); `build` turns a valid
request into the create response (echoing numbers as sent, omitting what Coupa does not echo)
and the stored document (full GET shape with fixed decimals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import validation as v
from .catalogue import INTEGRATION_USER
from .documents import (
    CHAR_ORDER,
    HEADER_ORDER,
    LIMIT_PLACES,
    NUMERIC_PLACES,
    item_quantity,
    ordered,
)
from .items import ITEMS_BY_ID
from .wire import fixed

HEADER_FIELDS = {
    "requestDate": "datetime", "dueDate": "datetime", "supplierId": "id",
    "itemId": "id", "itemName": "string", "itemDescription": "string",
    "warehouseId": "id", "buyerBatchNumber": "string", "supplierPartNumber": "string",
    "buyerPartNumber": "string", "itemQuantity": "number", "sampleSize": "count",
    "uom": "id", "requestedBy": "id", "refDocumentType": "string",
    "refDocumentId": "string", "refDocumentItem": "string", "externalInspectionId": "string",
}  # fmt: skip
REQUIRED_HEADER = ("dueDate", "supplierId", "itemQuantity", "uom", "requestedBy")
NOT_ECHOED = ("buyerBatchNumber", "sampleSize", "externalInspectionId", "warehouseId")
CHAR_TYPES = ("REQUIRED", "OPTIONAL")
VALUE_TYPES = ("NONE", "NUMERIC", "DECISION", "CHOICE")
LIMIT_TYPES = ("MIN", "MAX")
OPERATORS = ("EQ", "GT", "LT", "GE", "LE")


@dataclass
class CharRequest:
    name: str = ""
    type: str = "required"
    is_quantitative: bool | None = None
    specification: str | None = None
    remarks: str | None = None
    value_type: str = "none"
    values: list[dict[str, str]] = field(default_factory=list)
    target: Decimal | None = None
    precision: int | None = None
    qualitative: str | None = None
    limits: list[tuple[str, str, Decimal]] = field(default_factory=list)


@dataclass
class CreateRequest:
    header: dict[str, Any]
    characteristics: list[CharRequest]

    def counts(self) -> tuple[int, int, int]:
        """How many characteristic, value and limit ids the new inspection needs."""
        chars = self.characteristics
        return len(chars), sum(len(c.values) for c in chars), sum(len(c.limits) for c in chars)


def parse_request(body: dict[str, Any]) -> CreateRequest | dict[str, list[str]]:
    """The validated request, or the errors keyed by field path."""
    errors = v.Errors()
    header = _header(errors, body)
    chars: list[CharRequest] = []
    raw_chars = body.get("characteristics")
    if raw_chars is not None and v.as_list(errors, "characteristics", raw_chars) is not None:
        chars = [
            _characteristic(errors, f"characteristics[{i}]", c) for i, c in enumerate(raw_chars)
        ]
    return errors.by_field if errors else CreateRequest(header, chars)


def _header(errors: v.Errors, body: dict[str, Any]) -> dict[str, Any]:
    kind = body.get("type")
    if kind is not None and not (isinstance(kind, str) and kind.strip().lower() == "inspection"):
        errors.add("type", "must be Inspection")
    header: dict[str, Any] = {}
    for name, check in HEADER_FIELDS.items():
        value = body.get(name)
        if name in REQUIRED_HEADER and not v.required(errors, name, value):
            continue
        if value is not None:
            header[name] = _CHECKS[check](errors, name, value)
    return header


_CHECKS = {
    "datetime": v.datetime_text,
    "id": v.identifier,
    "count": v.identifier,  # a sample of at least one, at most what an id may be
    "number": v.number,
    "string": v.string,
}


def _characteristic(errors: v.Errors, path: str, raw: Any) -> CharRequest:
    result = CharRequest()
    if v.as_object(errors, path, raw) is None:
        return result
    if v.required(errors, f"{path}.name", raw.get("name")):
        result.name = v.string(errors, f"{path}.name", raw["name"]) or ""
    if raw.get("type") is not None:
        result.type = v.choice(errors, f"{path}.type", raw["type"], CHAR_TYPES) or "required"
    if raw.get("isQuantitative") is not None:
        result.is_quantitative = v.boolean(errors, f"{path}.isQuantitative", raw["isQuantitative"])
    requirement = raw.get("requirement", raw.get("specification"))
    if requirement is not None:
        result.specification = v.string(errors, f"{path}.requirement", requirement, 4000)
    if raw.get("remarks") is not None:
        result.remarks = v.string(errors, f"{path}.remarks", raw["remarks"], 4000)
    if raw.get("valueType") is not None:
        result.value_type = v.choice(errors, f"{path}.valueType", raw["valueType"], VALUE_TYPES)
    elif result.is_quantitative:
        result.value_type = "numeric"
    if raw.get("recordingType") is not None:
        v.string(errors, f"{path}.recordingType", raw["recordingType"])
    if result.is_quantitative is None:
        result.is_quantitative = result.value_type == "numeric"
    result.values = _values(errors, f"{path}.characteristicValues", raw.get("characteristicValues"))
    _expected(errors, f"{path}.expectedResults", raw.get("expectedResults"), result)
    result.limits = _limits(errors, f"{path}.expectedLimits", raw.get("expectedLimits"))
    return result


def _values(errors: v.Errors, path: str, raw: Any) -> list[dict[str, str]]:
    if raw is None or v.as_list(errors, path, raw) is None:
        return []
    values = []
    for i, entry in enumerate(raw):
        at = f"{path}[{i}]"
        if v.as_object(errors, at, entry) is None:
            continue
        value: dict[str, str] = {}
        if v.required(errors, f"{at}.code", entry.get("code")):
            value["code"] = v.string(errors, f"{at}.code", entry["code"])
        for name in ("domain", "value"):
            if entry.get(name) is not None:
                value[name] = v.string(errors, f"{at}.{name}", entry[name])
        values.append(value)
    return values


def _expected(errors: v.Errors, path: str, raw: Any, result: CharRequest) -> None:
    if isinstance(raw, list) and len(raw) == 1:
        raw = raw[0]  # a one-element list is tolerated for the single expectedResults object
    if raw is None or v.as_object(errors, path, raw) is None:
        return
    target = raw.get("targetValue", raw.get("numericValue"))
    if target is not None:
        result.target = v.number(errors, f"{path}.targetValue", target, text_ok=True)
    if raw.get("valuePrecision") is not None:
        result.precision = v.integer(
            errors, f"{path}.valuePrecision", raw["valuePrecision"], text_ok=True,
            minimum=0, maximum=NUMERIC_PLACES,
        )  # fmt: skip
    if raw.get("qualitativeValue") is not None:
        result.qualitative = v.string(errors, f"{path}.qualitativeValue", raw["qualitativeValue"])


def _limits(errors: v.Errors, path: str, raw: Any) -> list[tuple[str, str, Decimal]]:
    if raw is None or v.as_list(errors, path, raw) is None:
        return []
    limits = []
    for i, entry in enumerate(raw):
        at = f"{path}[{i}]"
        if v.as_object(errors, at, entry) is None:
            continue
        kind = op = value = None
        if v.required(errors, f"{at}.limitType", entry.get("limitType")):
            kind = v.choice(errors, f"{at}.limitType", entry["limitType"], LIMIT_TYPES)
        if v.required(errors, f"{at}.comparisonOperator", entry.get("comparisonOperator")):
            op = v.choice(
                errors, f"{at}.comparisonOperator", entry["comparisonOperator"], OPERATORS
            )
        if v.required(errors, f"{at}.comparisonValue", entry.get("comparisonValue")):
            value = v.number(
                errors, f"{at}.comparisonValue", entry["comparisonValue"], text_ok=True
            )
        if kind and op and value is not None:
            limits.append((kind, op, value))
    return limits


@dataclass
class NewIds:
    inspection: int
    first_characteristic: int
    first_value: int
    first_limit: int


def build(
    request: CreateRequest, ids: NewIds, created_at: str, modified_at: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(create response, stored document in the GET shape)."""
    header = dict(request.header)
    item = ITEMS_BY_ID.get(header.get("itemId")) if isinstance(header.get("itemId"), int) else None
    if item is not None:
        header["itemName"], header["itemDescription"] = item.name, item.description
    common = {
        **header,
        "id": ids.inspection,
        "type": "Inspection",
        "status": "Open",
        "createdAt": created_at,
        "modifiedAt": modified_at,
        "exported": False,
    }
    counters = [ids.first_characteristic, ids.first_value, ids.first_limit]
    response_chars, stored_chars = [], []
    for line, char in enumerate(request.characteristics, 1):
        cid, value_ids, limit_ids = _take_ids(counters, char)
        response_chars.append(
            _char_doc(char, cid, value_ids, limit_ids, ids.inspection, line, False)
        )
        stored_chars.append(_char_doc(char, cid, value_ids, limit_ids, ids.inspection, line, True))
    response = {k: val for k, val in common.items() if k not in NOT_ECHOED}
    response["characteristics"] = response_chars
    stored = {**common, "createdBy": INTEGRATION_USER, "modifiedBy": INTEGRATION_USER}
    stored["itemQuantity"] = item_quantity(header["itemQuantity"])
    stored["characteristics"] = stored_chars
    return ordered(response, HEADER_ORDER), ordered(stored, HEADER_ORDER)


def _take_ids(counters: list[int], char: CharRequest) -> tuple[int, list[int], list[int]]:
    cid = counters[0]
    value_ids = list(range(counters[1], counters[1] + len(char.values)))
    limit_ids = list(range(counters[2], counters[2] + len(char.limits)))
    counters[0] += 1
    counters[1] += len(char.values)
    counters[2] += len(char.limits)
    return cid, value_ids, limit_ids


def _char_doc(char: CharRequest, cid: int, value_ids: list[int], limit_ids: list[int],
              inspection_id: int, line: int, get_style: bool) -> dict[str, Any]:  # fmt: skip
    """One characteristic; `get_style` adds child characteristicIds, [] and fixed decimals."""
    link = {"characteristicId": cid} if get_style else {}
    values = [
        {"id": vid, **link, **value} for vid, value in zip(value_ids, char.values, strict=True)
    ]
    expected: dict[str, Any] = {"id": cid, "characteristicId": cid}
    if char.target is not None:
        expected["numericValue"] = fixed(char.target, NUMERIC_PLACES) if get_style else char.target
    if char.precision is not None:
        expected["valuePrecision"] = char.precision
    if char.qualitative is not None:
        expected["qualitativeValue"] = char.qualitative
    limits = [
        {"id": lid, **link, "limitType": kind, "comparisonOperator": op,
         "comparisonValue": fixed(value, LIMIT_PLACES) if get_style else value}
        for lid, (kind, op, value) in zip(limit_ids, char.limits, strict=True)
    ]  # fmt: skip
    doc: dict[str, Any] = {
        "id": cid,
        "lineNum": line,
        "inspectionId": inspection_id,
        "name": char.name,
        "type": char.type,
        "isQuantitative": char.is_quantitative,
        "remarks": char.remarks,
        "specification": char.specification,
        "valueType": char.value_type,
        "characteristicValues": values if (values or get_style) else None,
        "expectedResults": expected,
        "expectedLimits": limits if (limits or get_style) else None,
        "recordedCharacteristic": {"id": cid, "characteristicId": cid},
    }
    return ordered(doc, CHAR_ORDER)
