"""Inspection documents in the GET shape: key order, id sequences and characteristic builders."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .catalogue import CharSpec
from .wire import fixed

HEADER_ORDER = (
    "id", "type", "status", "reviewDecision", "resolutionReasonText", "resolutionReasonType",
    "resolutionReasonCode", "requestDate", "dueDate", "supplierId", "itemId", "itemName",
    "itemDescription", "warehouseId", "buyerBatchNumber", "supplierPartNumber", "buyerPartNumber",
    "itemQuantity", "sampleSize", "uom", "requestedBy", "refDocumentType", "refDocumentId",
    "refDocumentItem", "reviewedDate", "reviewedBy", "submittedDate", "submittedBy",
    "externalInspectionId", "createdAt", "createdBy", "modifiedAt", "modifiedBy", "exported",
    "characteristics",
)  # fmt: skip
CHAR_ORDER = (
    "id", "lineNum", "inspectionId", "name", "type", "isQuantitative", "remarks", "specification",
    "valueType", "characteristicValues", "expectedResults", "expectedLimits",
    "recordedCharacteristic",
)  # fmt: skip
RECORDED_ORDER = ("id", "characteristicId", "code", "numericValue", "qualitativeValue",
                  "decisionValue")  # fmt: skip

NUMERIC_PLACES = 9  # numericValue in the GET style: 0.320000000
LIMIT_PLACES = 6  # comparisonValue and itemQuantity in the GET style: 0.100000, 50.000000


def ordered(doc: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """The document with known keys in `order`, None values dropped, unknown keys kept last."""
    result = {key: doc[key] for key in order if doc.get(key) is not None}
    for key, value in doc.items():
        if key not in result and key not in order:
            result[key] = value
    return result


def ordered_inspection(doc: dict[str, Any]) -> dict[str, Any]:
    doc = ordered(doc, HEADER_ORDER)
    if isinstance(doc.get("characteristics"), list):
        doc["characteristics"] = [ordered(char, CHAR_ORDER) for char in doc["characteristics"]]
    return doc


def set_recorded(char: dict[str, Any], **values: Any) -> None:
    recorded = dict(char.get("recordedCharacteristic") or {})
    recorded.setdefault("id", char["id"])
    recorded.setdefault("characteristicId", char["id"])
    recorded.update(values)
    char["recordedCharacteristic"] = ordered(recorded, RECORDED_ORDER)


class Sequences:
    """Last-used ids per kind; `take(kind)` hands out the next one."""

    KINDS = ("inspection", "characteristic", "value", "limit", "attachment")

    def __init__(self, last: dict[str, int] | None = None) -> None:
        self.last = dict.fromkeys(self.KINDS, 0) | (last or {})

    def take(self, kind: str) -> int:
        self.last[kind] += 1
        return self.last[kind]

    def observe(self, doc: dict[str, Any]) -> None:
        """Raise the counters past every id in `doc` (used for the verbatim spec example)."""
        self.last["inspection"] = max(self.last["inspection"], doc["id"])
        for char in doc.get("characteristics", []):
            self.last["characteristic"] = max(self.last["characteristic"], char["id"])
            for value in char.get("characteristicValues", []):
                self.last["value"] = max(self.last["value"], value["id"])
            for limit in char.get("expectedLimits", []):
                self.last["limit"] = max(self.last["limit"], limit["id"])


def characteristic_from_spec(
    spec: CharSpec, line: int, inspection_id: int, ids: Sequences
) -> dict[str, Any]:
    cid = ids.take("characteristic")
    values = [
        {"id": ids.take("value"), "characteristicId": cid, "code": code, "domain": domain,
         "value": text}
        for code, domain, text in spec.options
    ]  # fmt: skip
    expected: dict[str, Any] = {
        "id": cid,
        "characteristicId": cid,
        "numericValue": fixed(spec.target, NUMERIC_PLACES),
    }
    if spec.precision is not None:
        expected["valuePrecision"] = spec.precision
    limits = [
        {"id": ids.take("limit"), "characteristicId": cid, "limitType": kind,
         "comparisonOperator": op, "comparisonValue": fixed(value, LIMIT_PLACES)}
        for kind, op, value in spec.limits
    ]  # fmt: skip
    return {
        "id": cid,
        "lineNum": line,
        "inspectionId": inspection_id,
        "name": spec.name,
        "type": "optional" if spec.optional else "required",
        "isQuantitative": spec.value_type == "numeric",
        "specification": spec.specification,
        "valueType": spec.value_type,
        "characteristicValues": values,
        "expectedResults": expected,
        "expectedLimits": limits,
        "recordedCharacteristic": {"id": cid, "characteristicId": cid},
    }


def item_quantity(value: Decimal) -> Decimal:
    return fixed(value, LIMIT_PLACES)
