"""Coupa's validation errors put back on the form fields they name.

Coupa answers a refused create with field paths (`dueDate`,
`characteristics[1].expectedLimits[0].comparisonOperator`); the form has fields (`due_date`, the
row's `min_operator`). What names no field is kept on the form as a whole, path in front.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qualityhub.creation.forms import CharacteristicForm, HeaderForm

HEADER_BY_PATH = {
    "dueDate": "due_date",
    "supplierId": "supplier_id",
    "itemId": "item_id",
    "supplierPartNumber": "supplier_part_number",
    "buyerPartNumber": "buyer_part_number",
    "buyerBatchNumber": "buyer_batch_number",
    "itemQuantity": "item_quantity",
    "sampleSize": "sample_size",
    "uom": "uom",
    "requestedBy": "requested_by",
    "refDocumentId": "po_number",
    "refDocumentItem": "po_line",
    "externalInspectionId": "external_id",
}
CHARACTERISTIC_BY_KEY = {
    "name": "name",
    "type": "kind",
    "isQuantitative": "quantitative",
    "requirement": "requirement",
    "specification": "requirement",
    "valueType": "value_type",
    "characteristicValues": "choices",
    "expectedResults": "target",
    "targetValue": "target",
    "numericValue": "target",
    "valuePrecision": "precision",
}
_CHARACTERISTIC_PATH = re.compile(
    r"^characteristics\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?(?:\.(\w+))?)?$"
)


@dataclass(frozen=True)
class ErrorPlace:
    """Where one of Coupa's errors belongs: a row (None: the header) and a field (None: the
    form or row as a whole)."""

    row: int | None
    field: str | None


def locate_coupa_error(path: str, limit_sides: Sequence[Sequence[str]]) -> ErrorPlace:
    """The form field a Coupa error path names. `limit_sides[i]` lists the sides ("min",
    "max") of the limits sent for characteristic i, in the order they were sent."""
    if path in HEADER_BY_PATH:
        return ErrorPlace(None, HEADER_BY_PATH[path])
    match = _CHARACTERISTIC_PATH.match(path)
    if match is None:
        return ErrorPlace(None, None)
    row, key, index, subkey = int(match[1]), match[2], match[3], match[4]
    if key is None:
        return ErrorPlace(row, None)
    if key == "expectedLimits":
        sides = limit_sides[row] if row < len(limit_sides) else ()
        if index is None or int(index) >= len(sides):
            return ErrorPlace(row, None)
        part = "value" if subkey == "comparisonValue" else "operator"
        return ErrorPlace(row, f"{sides[int(index)]}_{part}")
    if key == "expectedResults" and subkey not in (None, "targetValue", "numericValue"):
        return ErrorPlace(row, CHARACTERISTIC_BY_KEY.get(subkey))
    return ErrorPlace(row, CHARACTERISTIC_BY_KEY.get(key))


def place_coupa_errors(
    field_errors: Mapping[str, Sequence[str]],
    header: HeaderForm,
    rows: Sequence[CharacteristicForm],
    formset_errors: list[str],
) -> None:
    """Put Coupa's errors on the fields of the (valid) forms whose request Coupa refused.

    `rows` are the rows that were sent, in order; what names no field goes on the form (or the
    row) as a whole, with Coupa's path in front so nothing is lost. Characteristic-level errors
    that name no row go into `formset_errors`.
    """
    sides = [[limit.limit_type for limit in row.limits()] for row in rows]
    for path, messages in field_errors.items():
        place = locate_coupa_error(path, sides)
        for message in messages:
            if place.row is None and path == "characteristics":
                formset_errors.append(f"Coupa: {message}")
            elif place.row is None:
                text = message if place.field or path == "base" else f"{path}: {message}"
                header.add_error(place.field, f"Coupa: {text}")
            elif place.row < len(rows):
                text = message if place.field else f"{path}: {message}"
                rows[place.row].add_error(place.field, f"Coupa: {text}")
            else:
                header.add_error(None, f"Coupa: {path}: {message}")
