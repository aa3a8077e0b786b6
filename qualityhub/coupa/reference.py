"""Coupa Core's reference data (suppliers, users, units of measure) as typed records.

Read leniently, as `schemas` reads inspections: keys hyphenated as Coupa sends them
(`display-name`, `updated-at`) or underscored (seen in some of Coupa's answers); numbers as text
accepted; text without invisible characters and cut to what the directory keeps. A field of the
wrong type is left empty with a reason; a record without a usable id (or without anything to call
it by) is skipped with a reason. Nothing here raises for one bad record: a page of names is never
lost to one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from qualityhub.coupa.schemas import MAX_ID, MIN_ID, parse_datetime
from qualityhub.coupa.text import without_invisible

# What each kind needs its OAuth client to be granted (our API notes, 6.2).
SCOPES = {
    "suppliers": "core.supplier.read",
    "users": "core.user.read",
    "uoms": "core.common.read",
}
NAME_SCOPES = tuple(SCOPES.values())
# Only what QualityHub shows is asked for (`fields=[...]`): a whole supplier is ~18 kB.
FIELDS = {
    "suppliers": ("id", "name", "display-name", "number", "status", "updated-at"),
    "users": ("id", "fullname", "firstname", "lastname", "login", "email", "active", "updated-at"),
    "uoms": ("id", "code", "name", "updated-at"),
}
# What a person reads is kept to the directory's columns (a 10,000-character name is cut).
MAX_TEXT = 255
MAX_CODE = 40


@dataclass(frozen=True, slots=True)
class SupplierRecord:
    coupa_id: int
    name: str
    display_name: str
    number: str
    status: str
    updated_at: datetime | None

    @property
    def label(self) -> str:
        return self.display_name or self.name


@dataclass(frozen=True, slots=True)
class UserRecord:
    coupa_id: int
    full_name: str
    login: str
    email: str
    active: bool
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class UnitRecord:
    coupa_id: int
    code: str
    name: str
    updated_at: datetime | None


ReferenceRecord = SupplierRecord | UserRecord | UnitRecord


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that could not be read (`coupa_id` when it had a usable one) and why."""

    coupa_id: int | None
    reason: str


class RecordList(list):
    """The records of one answer, with what was read past: `skipped` records, `problems` with
    fields left empty, and `received` (how many records Coupa sent: a page ends the list when
    fewer than asked for came, however many of them were readable)."""

    def __init__(self, records=(), *, skipped=(), problems=(), received: int = 0) -> None:
        super().__init__(records)
        self.skipped: list[Skipped] = list(skipped)
        self.problems: list[str] = list(problems)
        self.received = received


class _Unreadable(Exception):
    pass


class _Fields:
    """One record's fields, looked up under either spelling; problems collected, not raised."""

    def __init__(self, kind: str, data: Mapping[str, Any]) -> None:
        self.kind = kind
        self.data = data
        self.coupa_id: int | None = None
        self.problems: list[str] = []

    def raw(self, key: str) -> Any:
        for spelling in (key, key.replace("-", "_")):
            value = self.data.get(spelling)
            if value is not None:
                return value
        return None

    def problem(self, key: str, what: str) -> None:
        self.problems.append(f"{_singular(self.kind)} {self.coupa_id}: {key} {what}; left empty")

    def text(self, key: str, limit: int = MAX_TEXT) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.problem(key, f"is {type(value).__name__}, not text")
            return ""
        return without_invisible(str(value)).strip()[:limit]

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
            return value.strip().lower() in ("true", "1")
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        self.problem(key, f"is {_shown(value)}, not true or false")
        return default

    def moment(self, key: str) -> datetime | None:
        value = self.raw(key)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                moment = parse_datetime(value)
                moment.astimezone(UTC)
                return moment
            except (ValueError, OverflowError):
                pass
        self.problem(key, f"is {_shown(value)}, not a date and time")
        return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _singular(kind: str) -> str:
    return {"suppliers": "supplier", "users": "user", "uoms": "unit"}.get(kind, kind)


def coupa_id_of(value: Any) -> int | None:
    """An id as Coupa may send it (a number, or a number as text), within the database's
    range; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str | Decimal):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        if not number.is_finite() or number != number.to_integral_value():
            return None
        value = int(number)
    if isinstance(value, int) and MIN_ID <= value <= MAX_ID:
        return value
    return None


def _read(kind: str, data: Any) -> tuple[ReferenceRecord, list[str]]:
    if not isinstance(data, Mapping):
        raise _Unreadable(f"a {_singular(kind)} is {type(data).__name__}, not an object")
    fields = _Fields(kind, data)
    coupa_id = coupa_id_of(fields.raw("id"))
    if coupa_id is None:
        raise _Unreadable(f"a {_singular(kind)} has no usable id: {_shown(fields.raw('id'))}")
    fields.coupa_id = coupa_id
    if kind == "suppliers":
        record: ReferenceRecord = SupplierRecord(
            coupa_id=coupa_id,
            name=fields.text("name"),
            display_name=fields.text("display-name"),
            number=fields.text("number"),
            status=fields.text("status", MAX_CODE).lower(),
            updated_at=fields.moment("updated-at"),
        )
        if not record.label:
            raise _Unreadable(f"supplier {coupa_id} has no name", coupa_id)
    elif kind == "users":
        full_name = fields.text("fullname")
        if not full_name:
            given, family = fields.text("firstname"), fields.text("lastname")
            full_name = " ".join(part for part in (given, family) if part)[:MAX_TEXT]
        record = UserRecord(
            coupa_id=coupa_id,
            full_name=full_name,
            login=fields.text("login"),
            email=fields.text("email"),
            active=fields.boolean("active", True),
            updated_at=fields.moment("updated-at"),
        )
        if not (record.full_name or record.login):
            raise _Unreadable(f"user {coupa_id} has neither a name nor a login", coupa_id)
    elif kind == "uoms":
        record = UnitRecord(
            coupa_id=coupa_id,
            code=fields.text("code", MAX_CODE),
            name=fields.text("name"),
            updated_at=fields.moment("updated-at"),
        )
        if not record.code:
            raise _Unreadable(f"unit {coupa_id} has no code", coupa_id)
    else:
        raise ValueError(f"unknown reference kind {kind!r}")
    return record, fields.problems


def parse_reference(kind: str, data: Any) -> ReferenceRecord | Skipped:
    """One record of `kind` ("suppliers", "users" or "uoms"), or why it was skipped."""
    records = parse_references(kind, [data])
    return records[0] if records else records.skipped[0]


def parse_references(kind: str, items: list[Any]) -> RecordList:
    """The readable records of a list answer; the others in `skipped`, with their reasons."""
    if kind not in FIELDS:
        raise ValueError(f"unknown reference kind {kind!r}")
    result = RecordList(received=len(items))
    for data in items:
        try:
            record, problems = _read(kind, data)
        except _Unreadable as exc:
            coupa_id = exc.args[1] if len(exc.args) > 1 else None
            result.skipped.append(Skipped(coupa_id, str(exc.args[0])))
            continue
        result.append(record)
        result.problems.extend(problems)
    return result
