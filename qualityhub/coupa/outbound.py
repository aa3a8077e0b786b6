"""The create request exactly as Coupa's spec writes it, and what we keep of Coupa's answer.

UPPERCASE enums, `requirement` (not `specification`), and target, precision and limit values as
strings; a value given as text is sent as typed (".32" stays ".32"), a Decimal in plain notation.

Outside this package a request is its dataclasses (`InspectionRequest`) and its body a string
(`request_body`), sent and compared as it is. Its fields go by our names: the header's are
`InspectionRequest`'s attributes, a characteristic's `CharacteristicRequest`'s, and the two parts
of a limit are `min_operator`, `min_value`, `max_operator` and `max_value`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from qualityhub.coupa import wirejson
from qualityhub.coupa.schemas import Inspection, format_datetime
from qualityhub.coupa.vocabulary import CharacteristicKind, ValueType

# Our name of each header field -> Coupa's key.
HEADER_KEYS = {
    "due_date": "dueDate",
    "supplier_id": "supplierId",
    "item_id": "itemId",
    "supplier_part_number": "supplierPartNumber",
    "buyer_part_number": "buyerPartNumber",
    "buyer_batch_number": "buyerBatchNumber",
    "item_quantity": "itemQuantity",
    "sample_size": "sampleSize",
    "uom": "uom",
    "requested_by": "requestedBy",
    "ref_document_id": "refDocumentId",
    "ref_document_item": "refDocumentItem",
    "external_inspection_id": "externalInspectionId",
}


def _text(value: Decimal | int | str) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@dataclass(frozen=True, slots=True)
class ChoiceRequest:
    code: str
    value: str
    domain: str = ""

    def to_wire(self) -> dict[str, Any]:
        return {"code": self.code, "domain": self.domain, "value": self.value}


@dataclass(frozen=True, slots=True)
class LimitRequest:
    limit_type: str  # min | max
    operator: str  # eq | gt | lt | ge | le
    value: Decimal | str

    def to_wire(self) -> dict[str, Any]:
        return {
            "limitType": self.limit_type.upper(),
            "comparisonOperator": self.operator.upper(),
            "comparisonValue": _text(self.value),
        }


@dataclass(frozen=True, slots=True)
class CharacteristicRequest:
    name: str
    required: bool = True
    is_quantitative: bool = True
    requirement: str = ""
    value_type: str = ValueType.NUMERIC
    target: Decimal | str | None = None
    precision: int | None = None
    qualitative_target: str | None = None
    choices: tuple[ChoiceRequest, ...] = ()
    limits: tuple[LimitRequest, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        if self.target is not None and self.target != "":
            expected["targetValue"] = _text(self.target)
        if self.precision is not None:
            expected["valuePrecision"] = str(self.precision)
        if self.qualitative_target:
            expected["qualitativeValue"] = self.qualitative_target
        kind = CharacteristicKind.REQUIRED if self.required else CharacteristicKind.OPTIONAL
        return {
            "name": self.name,
            "type": kind.upper(),  # Coupa's enums are upper case on the wire
            "isQuantitative": self.is_quantitative,
            "requirement": self.requirement,
            "valueType": self.value_type.upper(),
            "characteristicValues": [choice.to_wire() for choice in self.choices],
            "expectedResults": expected,
            "expectedLimits": [limit.to_wire() for limit in self.limits],
        }


@dataclass(frozen=True, slots=True)
class InspectionRequest:
    due_date: datetime
    supplier_id: int
    item_quantity: Decimal
    uom: int
    requested_by: int
    item_id: int | None = None
    supplier_part_number: str = ""
    buyer_part_number: str = ""
    buyer_batch_number: str = ""
    sample_size: int | None = None
    ref_document_type: str = "Purchase Order"
    ref_document_id: str = ""
    ref_document_item: str = ""
    external_inspection_id: str = ""
    characteristics: tuple[CharacteristicRequest, ...] = field(default_factory=tuple)

    def to_wire(self) -> dict[str, Any]:
        optional = {
            "itemId": self.item_id,
            "supplierPartNumber": self.supplier_part_number,
            "buyerPartNumber": self.buyer_part_number,
            "buyerBatchNumber": self.buyer_batch_number,
            "sampleSize": self.sample_size,
            "refDocumentType": self.ref_document_type if self.ref_document_id else "",
            "refDocumentId": self.ref_document_id,
            "refDocumentItem": self.ref_document_item,
            "externalInspectionId": self.external_inspection_id,
        }
        body: dict[str, Any] = {
            "type": "inspection",
            "dueDate": format_datetime(self.due_date),
            "supplierId": self.supplier_id,
            "itemQuantity": self.item_quantity,
            "uom": self.uom,
            "requestedBy": self.requested_by,
        }
        body.update({key: value for key, value in optional.items() if value not in (None, "")})
        body["characteristics"] = [line.to_wire() for line in self.characteristics]
        return body


def request_body(request: InspectionRequest) -> str:
    """The body of the create, as it is sent (and compared: the same request, the same text)."""
    return wirejson.dumps(request.to_wire())


def create_answer_summary(created: Inspection, external_id: str) -> str:
    """What the audit trail keeps of Coupa's answer to a create (the answer leaves the external
    id out; it is the one that was sent)."""
    lines = created.characteristics or ()
    return json.dumps(
        {
            "id": created.id,
            "status": created.status,
            "externalInspectionId": external_id,
            "characteristicIds": [line.id for line in lines],
        }
    )
