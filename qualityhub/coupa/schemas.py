"""Coupa's inspection records as typed objects, read leniently (section 4 of our API notes).

Lenient in: either enum casing, numbers as strings, missing = null = empty collections, unknown
keys ignored, a one-element list where one object is expected. Exact out: every number is a
`Decimal` carrying the digits Coupa sent. A record we cannot make sense of raises
`CoupaParseError` naming the record and the field, so a sync can skip it and go on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from qualityhub.coupa.errors import CoupaParseError
from qualityhub.coupa.text import without_invisible
from qualityhub.coupa.vocabulary import (
    CharacteristicKind,
    ValueType,
    normalise_decision,
    normalise_status,
)

# Bounds of what a record may sanely hold (and the cache can keep): ids are whole numbers from 1
# (no record has id 0) that fit a signed 64-bit integer, line numbers and precisions fit a 32-bit
# one, numbers have fewer than 20 integer digits. Beyond them a record is refused: stored, such a
# value would fail the whole page's write. What we send Coupa is held to the same bounds, so
# nothing we create is refused when it comes back.
MIN_ID, MAX_ID = 1, 2**63 - 1
MAX_MAGNITUDE = Decimal(10) ** 20
_MAX_INTEGER, _MAX_SMALL = MAX_ID, 2**31 - 1


@dataclass(frozen=True, slots=True)
class CharacteristicValue:
    id: int | None
    code: str
    domain: str | None
    value: str | None


@dataclass(frozen=True, slots=True)
class ExpectedResult:
    id: int | None
    numeric_value: Decimal | None
    value_precision: int | None
    qualitative_value: str | None


@dataclass(frozen=True, slots=True)
class ExpectedLimit:
    id: int | None
    limit_type: str
    operator: str
    value: Decimal | None


@dataclass(frozen=True, slots=True)
class RecordedCharacteristic:
    id: int | None
    numeric_value: Decimal | None
    code: str | None
    qualitative_value: str | None
    decision_value: bool | None


@dataclass(frozen=True, slots=True)
class Characteristic:
    id: int
    line_num: int | None
    inspection_id: int | None
    name: str
    type: str
    is_quantitative: bool | None
    specification: str | None
    remarks: str | None
    value_type: str
    recording_type: str | None
    values: tuple[CharacteristicValue, ...]
    expected: ExpectedResult | None
    limits: tuple[ExpectedLimit, ...]
    recorded: RecordedCharacteristic | None

    @property
    def required(self) -> bool:
        return self.type != CharacteristicKind.OPTIONAL


@dataclass(frozen=True, slots=True)
class Inspection:
    id: int
    type: str | None
    status: str | None
    review_decision: str | None
    resolution_reason_text: str | None
    resolution_reason_type: str | None
    resolution_reason_code: str | None
    request_date: datetime | None
    due_date: datetime
    supplier_id: int
    item_id: int | None
    item_name: str | None
    item_description: str | None
    warehouse_id: int | None
    buyer_batch_number: str | None
    supplier_part_number: str | None
    buyer_part_number: str | None
    item_quantity: Decimal | None
    sample_size: Decimal | None
    uom: int | None
    requested_by: int | None
    ref_document_type: str | None
    ref_document_id: str | None
    ref_document_item: str | None
    reviewed_date: datetime | None
    reviewed_by: str | None
    submitted_date: datetime | None
    submitted_by: str | None
    external_inspection_id: str | None
    created_at: datetime | None
    created_by: int | None
    modified_at: datetime | None
    modified_by: int | None
    exported: bool
    # None when the record came without the key (a list that leaves lines out), () when empty.
    characteristics: tuple[Characteristic, ...] | None


@dataclass(frozen=True, slots=True)
class Attachment:
    id: int
    inspection_id: int | None
    characteristic_id: int | None
    type: str | None
    intent: str | None
    file_name: str | None
    content_type: str | None
    size: int | None
    url: str | None
    created_at: datetime | None
    updated_at: datetime | None
    created_by: str | None


class _Reader:
    """Reads typed fields out of one JSON object, raising errors that name the record."""

    __slots__ = ("data", "record_id", "prefix")

    def __init__(self, data: Any, record_id: object, prefix: str = "") -> None:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise CoupaParseError(
                f"record {record_id}: {prefix or 'record'} is {type(data).__name__}, not an object",
                record_id=record_id,
                field=prefix,
            )
        self.data = data
        self.record_id = record_id
        self.prefix = prefix

    def fail(self, key: str, problem: str) -> CoupaParseError:
        field = f"{self.prefix}.{key}" if self.prefix else key
        return CoupaParseError(
            f"inspection {self.record_id}: {field} {problem}", record_id=self.record_id, field=field
        )

    def raw(self, *keys: str) -> Any:
        for key in keys:
            value = self.data.get(key)
            if value is not None:
                return value
        return None

    def integer(self, *keys: str, required: bool = False, small: bool = False) -> int | None:
        value = self.data.get(keys[0]) if len(keys) == 1 else self.raw(*keys)
        bound = _MAX_SMALL if small else _MAX_INTEGER
        if type(value) is int and -bound - 1 <= value <= bound:
            return value  # as nearly every record sends it
        if value is None or value == "":
            if required:
                raise self.fail(keys[0], "is missing")
            return None
        if isinstance(value, bool):
            raise self.fail(keys[0], f"is {value!r}, not a whole number")
        if isinstance(value, int):
            number = value
        else:
            number = self._to_decimal(keys[0], value)
            if number != number.to_integral_value():
                raise self.fail(keys[0], f"is {value!r}, not a whole number")
        if not -bound - 1 <= number <= bound:
            raise self.fail(keys[0], f"is {value!r}, out of range")
        return int(number)

    def identifier(self, *keys: str, required: bool = False) -> int | None:
        """An id: a whole number from MIN_ID to MAX_ID (0 or below names no record)."""
        value = self.integer(*keys, required=required)
        if value is not None and value < MIN_ID:
            raise self.fail(keys[0], f"is {value}, not an id (ids start at {MIN_ID})")
        return value

    def decimal(self, *keys: str) -> Decimal | None:
        value = self.data.get(keys[0]) if len(keys) == 1 else self.raw(*keys)
        if value is None or value == "":
            return None
        return self._to_decimal(keys[0], value)

    def _to_decimal(self, key: str, value: Any) -> Decimal:
        if type(value) is Decimal and value.is_finite() and abs(value) < MAX_MAGNITUDE:
            return value  # JSON numbers, parsed with parse_float=Decimal
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
            raise self.fail(key, f"is {value!r}, not a number")
        try:
            # float only reaches here when a caller parsed JSON without parse_float=Decimal.
            number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
        except InvalidOperation:
            raise self.fail(key, f"is {value!r}, not a number") from None
        if not number.is_finite():
            raise self.fail(key, f"is {value!r}, not a finite number")
        if abs(number) >= MAX_MAGNITUDE:
            raise self.fail(key, f"is {value!r}, out of range")
        return number

    def text(self, *keys: str, required: bool = False) -> str | None:
        value = self.data.get(keys[0]) if len(keys) == 1 else self.raw(*keys)
        if type(value) is str and value.isprintable():
            return value  # as nearly every record sends it
        if value is None:
            if required:
                raise self.fail(keys[0], "is missing")
            return None
        if isinstance(value, bool | Mapping | list):
            raise self.fail(keys[0], f"is {type(value).__name__}, not text")
        # Every text is stored as shown: no bidi override or other invisible character (nor a
        # NUL byte, which PostgreSQL cannot store), whatever page or file name it reaches.
        return without_invisible(value if isinstance(value, str) else str(value))

    def boolean(self, *keys: str) -> bool | None:
        value = self.data.get(keys[0]) if len(keys) == 1 else self.raw(*keys)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
            return value.strip().lower() in ("true", "1")
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise self.fail(keys[0], f"is {value!r}, not true or false")

    def moment(self, *keys: str, required: bool = False) -> datetime | None:
        value = self.data.get(keys[0]) if len(keys) == 1 else self.raw(*keys)
        if value is None or value == "":
            if required:
                raise self.fail(keys[0], "is missing")
            return None
        if not isinstance(value, str):
            raise self.fail(keys[0], f"is {value!r}, not a date and time")
        try:
            moment = parse_datetime(value)
            moment.astimezone(UTC)  # 0001-01-01T00:00+14:00 has no UTC time to store
        except (ValueError, OverflowError):
            raise self.fail(keys[0], f"is {value!r}, not a date and time") from None
        return moment

    def items(self, *keys: str) -> list[Any] | None:
        value = self.data.get(keys[0]) if len(keys) == 1 else self.raw(*keys)
        if value is None:
            return None if not any(k in self.data for k in keys) else []
        if isinstance(value, Mapping):
            return [value]
        if not isinstance(value, list):
            raise self.fail(keys[0], f"is {type(value).__name__}, not a list")
        return value

    def one(self, *keys: str) -> Any:
        value = self.data.get(keys[0]) if len(keys) == 1 else self.raw(*keys)
        if isinstance(value, list):
            if len(value) > 1:
                raise self.fail(keys[0], f"has {len(value)} entries, expected one")
            return value[0] if value else None
        return value

    def child(self, value: Any, key: str) -> _Reader:
        prefix = f"{self.prefix}.{key}" if self.prefix else key
        return _Reader(value, self.record_id, prefix)


def parse_datetime(value: str) -> datetime:
    """ISO 8601 with Z, an offset or none (taken as UTC), any number of fractional digits."""
    text = value.strip()
    if len(text) == 10:
        text += "T00:00:00"
    if "." in text:
        # fromisoformat wants 3 or 6 fractional digits before 3.11's wider support; pad/trim.
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        zone = tail[len(digits) :]
        text = f"{head}.{(digits + '000000')[:6]}{zone}"
    moment = datetime.fromisoformat(text.replace("z", "Z"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def format_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _lower(value: str | None, default: str = "") -> str:
    return value.strip().lower() if value else default


def parse_inspection(data: Any) -> Inspection:
    record_id = data.get("id") if isinstance(data, Mapping) else None
    reader = _Reader(data, record_id)
    inspection_id = reader.identifier("id", required=True)
    reader.record_id = inspection_id
    raw_lines = reader.items("characteristics")
    characteristics = None
    if raw_lines is not None:
        characteristics = tuple(
            parse_characteristic(reader.child(line, f"characteristics[{index}]"))
            for index, line in enumerate(raw_lines)
        )
        characteristics = tuple(sorted(characteristics, key=lambda c: (c.line_num or 0, c.id)))
        _check_line_ids(reader, characteristics)
    return Inspection(
        id=inspection_id,
        type=reader.text("type"),
        status=normalise_status(reader.text("status")),
        review_decision=normalise_decision(reader.text("reviewDecision")),
        resolution_reason_text=reader.text("resolutionReasonText"),
        resolution_reason_type=reader.text("resolutionReasonType"),
        resolution_reason_code=reader.text("resolutionReasonCode"),
        request_date=reader.moment("requestDate"),
        due_date=reader.moment("dueDate", required=True),
        supplier_id=reader.identifier("supplierId", required=True),
        item_id=reader.identifier("itemId"),
        item_name=reader.text("itemName"),
        item_description=reader.text("itemDescription"),
        warehouse_id=reader.identifier("warehouseId"),
        buyer_batch_number=reader.text("buyerBatchNumber"),
        supplier_part_number=reader.text("supplierPartNumber"),
        buyer_part_number=reader.text("buyerPartNumber"),
        item_quantity=reader.decimal("itemQuantity"),
        sample_size=reader.decimal("sampleSize"),
        uom=reader.identifier("uom"),
        requested_by=reader.identifier("requestedBy"),
        ref_document_type=reader.text("refDocumentType"),
        ref_document_id=reader.text("refDocumentId"),
        ref_document_item=reader.text("refDocumentItem"),
        reviewed_date=reader.moment("reviewedDate"),
        reviewed_by=reader.text("reviewedBy"),
        submitted_date=reader.moment("submittedDate"),
        submitted_by=reader.text("submittedBy"),
        external_inspection_id=reader.text("externalInspectionId"),
        created_at=reader.moment("createdAt"),
        created_by=reader.identifier("createdBy"),
        modified_at=reader.moment("modifiedAt"),
        modified_by=reader.identifier("modifiedBy"),
        exported=bool(reader.boolean("exported")),
        characteristics=characteristics,
    )


def _check_line_ids(reader: _Reader, lines: tuple[Characteristic, ...]) -> None:
    # One line id twice would be merged into one row by the cache: the record is refused.
    seen: set[int] = set()
    for line in lines:
        if line.id in seen:
            raise reader.fail("characteristics", f"hold characteristic {line.id} twice")
        seen.add(line.id)


def parse_characteristic(reader: _Reader) -> Characteristic:
    values = tuple(
        CharacteristicValue(
            id=entry.identifier("id"),
            code=entry.text("code", required=True),
            domain=entry.text("domain"),
            value=entry.text("value"),
        )
        for entry in (
            reader.child(v, f"characteristicValues[{i}]")
            for i, v in enumerate(reader.items("characteristicValues") or [])
        )
    )
    limits = tuple(
        ExpectedLimit(
            id=entry.identifier("id"),
            limit_type=_lower(entry.text("limitType")),
            operator=_lower(entry.text("comparisonOperator")),
            value=entry.decimal("comparisonValue"),
        )
        for entry in (
            reader.child(v, f"expectedLimits[{i}]")
            for i, v in enumerate(reader.items("expectedLimits") or [])
        )
    )
    expected_raw = reader.one("expectedResults")
    expected = None
    if expected_raw is not None:
        entry = reader.child(expected_raw, "expectedResults")
        expected = ExpectedResult(
            id=entry.identifier("id"),
            numeric_value=entry.decimal("numericValue", "targetValue"),
            value_precision=entry.integer("valuePrecision", small=True),
            qualitative_value=entry.text("qualitativeValue"),
        )
    recorded_raw = reader.one("recordedCharacteristic")
    recorded = None
    if recorded_raw is not None:
        entry = reader.child(recorded_raw, "recordedCharacteristic")
        recorded = RecordedCharacteristic(
            id=entry.identifier("id"),
            numeric_value=entry.decimal("numericValue"),
            code=entry.text("code"),
            qualitative_value=entry.text("qualitativeValue"),
            decision_value=entry.boolean("decisionValue"),
        )
    return Characteristic(
        id=reader.identifier("id", required=True),
        line_num=reader.integer("lineNum", small=True),
        inspection_id=reader.identifier("inspectionId"),
        name=reader.text("name") or "",
        type=_lower(reader.text("type"), CharacteristicKind.REQUIRED.value),
        is_quantitative=reader.boolean("isQuantitative"),
        specification=reader.text("specification", "requirement"),
        remarks=reader.text("remarks"),
        value_type=_lower(reader.text("valueType"), ValueType.NONE.value),
        recording_type=reader.text("recordingType"),
        values=values,
        expected=expected,
        limits=limits,
        recorded=recorded,
    )


def parse_attachment(data: Any) -> Attachment:
    # QC documents no attachment schema: accept our sandbox's camelCase and Core's kebab-case.
    record_id = data.get("id") if isinstance(data, Mapping) else None
    reader = _Reader(data, record_id, "attachment")
    return Attachment(
        id=reader.identifier("id", required=True),
        inspection_id=reader.identifier("inspectionId"),
        characteristic_id=reader.identifier("characteristicId"),
        type=reader.text("type"),
        intent=reader.text("intent"),
        file_name=reader.text("fileName", "file-file-name", "file"),
        content_type=reader.text("fileContentType", "file-content-type"),
        size=reader.integer("fileSize", "file-file-size"),
        url=reader.text("fileUrl", "file-url"),
        created_at=reader.moment("createdAt", "created-at"),
        updated_at=reader.moment("updatedAt", "updated-at"),
        created_by=reader.text("createdBy", "created-by"),
    )
