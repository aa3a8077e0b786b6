"""Many inspection requests at once: a CSV file or JSON in the API's request shape.

Both are turned into the web form's fields and checked by the same forms, so an import refuses
exactly what the form refuses. Text in, `ParsedImport` out; nothing is sent. Given a `Directory`
(`resolving.py`, the user's view of the directory), a CSV may name the supplier, item, unit and
requester as a person knows them (a supplier's name or number, ...), and the preview shows every
one by name; without one, the functions read ids only and touch no database.

CSV: one row per characteristic, the header columns repeated on each row. Consecutive rows with
the same header columns are one inspection. See `COLUMNS` and docs/new-inspections.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityhub.coupa import wirejson
from qualityhub.coupa.outbound import request_body
from qualityhub.coupa.request_records import (
    KEY_OF_FIELD,
    CharacteristicRecord,
    read_request_record,
)
from qualityhub.coupa.vocabulary import CharacteristicKind, ValueType
from qualityhub.creation.forms import (
    FORM_FIELD_OF,
    REQUEST_FIELD_OF,
    HeaderForm,
    check_request,
    new_external_id,
)
from qualityhub.creation.import_warnings import RowWarning, warnings_for
from qualityhub.creation.resolving import KINDS, Directory, Resolved

MAX_INSPECTIONS = 500
MAX_BYTES = 2_000_000
HEADER_COLUMNS = (
    "due_date", "supplier_id", "item_id", "supplier_part_number", "buyer_part_number",
    "buyer_batch_number", "item_quantity", "sample_size", "uom", "requested_by", "po_number",
    "po_line", "external_id",
)  # fmt: skip
CHARACTERISTIC_COLUMNS = (
    "characteristic", "type", "quantitative", "requirement", "value_type", "choices", "target",
    "precision", "min_operator", "min_value", "max_operator", "max_value",
)  # fmt: skip
COLUMNS = HEADER_COLUMNS + CHARACTERISTIC_COLUMNS
REQUIRED_COLUMNS = ("due_date", "supplier_id", "item_quantity", "uom", "requested_by")
# CSV column -> form field, where they differ.
FIELD_OF_COLUMN = {"characteristic": "name", "type": "kind"}
COLUMN_OF_FIELD = {v: k for k, v in FIELD_OF_COLUMN.items()} | {"idempotency_key": "external_id"}
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
OPERATOR_WORDS = {
    ">": "gt", ">=": "ge", "≥": "ge", "=": "eq", "==": "eq", "<=": "le", "≤": "le", "<": "lt",
}  # fmt: skip
OPERATOR_SIGNS = {"gt": ">", "ge": "≥", "eq": "=", "le": "≤", "lt": "<"}
NAMED_COLUMNS = tuple(KINDS)  # supplier_id, item_id, uom, requested_by

NewKey = Callable[[], str]
Resolutions = dict[str, dict[str, Resolved]]  # column -> cell (stripped) -> what it names


@dataclass(frozen=True)
class RowError:
    where: str  # "row 4" or "inspection 2, characteristic 3"
    column: str  # the CSV column or JSON key; "" for the record as a whole
    message: str


@dataclass
class ImportEntry:
    """One inspection to be created, with everything wrong with its rows."""

    where: str
    external_id: str
    key_generated: bool
    header: dict[str, str]  # the form's header fields, as given (for the preview)
    lines: list[dict[str, Any]]  # the form's characteristic fields, as given
    errors: list[RowError] = field(default_factory=list)
    payload: str = ""  # the request body exactly as it will be sent; "" while there are errors
    warnings: list[RowWarning] = field(default_factory=list)
    # For the warnings (not kept): the due date as read, and where each line came from.
    due_date: datetime | None = None
    header_where: str = ""
    line_wheres: list[str] = field(default_factory=list)
    column_of: Callable[[str], str] = str  # a form field's name in the file
    # What the named columns resolved to, for the preview: column -> {id, text, detail, known}.
    names: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "external_id": self.external_id,
            "key_generated": self.key_generated,
            "header": self.header,
            "names": self.names,
            "lines": [_line_view(line) for line in self.lines if line.get("name", "").strip()],
            "errors": [e.__dict__ for e in self.errors],
            "warnings": [w.__dict__ for w in self.warnings],
            "payload": self.payload,
        }


@dataclass
class ParsedImport:
    problems: list[str] = field(default_factory=list)  # the file as a whole
    entries: list[ImportEntry] = field(default_factory=list)
    file_format: str = ""  # csv | json

    @property
    def sendable(self) -> list[ImportEntry]:
        return [entry for entry in self.entries if not entry.errors]


def parse_upload(
    file_name: str,
    content: bytes,
    new_key: NewKey = new_external_id,
    directory: Directory | None = None,
    now: datetime | None = None,
) -> ParsedImport:
    """A CSV or JSON upload, told apart by its name (or, failing that, its first character).
    `now`: when a due date counts as past (default: now)."""
    if len(content) > MAX_BYTES:
        return ParsedImport(
            [_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 1_000_000}]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParsedImport([_("The file is not UTF-8 text (save the CSV as UTF-8).")])
    name = file_name.lower()
    if name.endswith(".json") or (not name.endswith(".csv") and text.lstrip()[:1] in "[{"):
        return parse_json(text, new_key, directory, now)
    return parse_csv(text, new_key, directory, now)


# --- CSV --------------------------------------------------------------------------------------


def parse_csv(
    text: str,
    new_key: NewKey = new_external_id,
    directory: Directory | None = None,
    now: datetime | None = None,
) -> ParsedImport:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [name.strip() for name in reader.fieldnames or []]
    problems = _column_problems(columns)
    if problems:
        return ParsedImport(problems)
    reader.fieldnames = columns
    groups: list[list[tuple[int, dict[str, str]]]] = []
    for number, record in enumerate(reader, start=2):
        if None in record:
            return ParsedImport(
                [_("Row %(number)s has more cells than there are columns.") % {"number": number}]
            )
        values = {key: value or "" for key, value in record.items()}
        if not any(value.strip() for value in values.values()):
            continue
        if not groups or _header_of(groups[-1][0][1]) != _header_of(values):
            groups.append([])
        groups[-1].append((number, values))
    if not groups:
        return ParsedImport([_("The file holds no inspection (no rows under the header).")])
    if len(groups) > MAX_INSPECTIONS:
        return ParsedImport([_too_many()])
    resolved = _resolve(groups, directory)
    entries = [_csv_entry(group, new_key, resolved, directory) for group in groups]
    _flag_repeated_ids(entries)
    _warn(entries, now)
    return ParsedImport([], entries, "csv")


def _resolve(
    groups: list[list[tuple[int, dict[str, str]]]], directory: Directory | None
) -> Resolutions:
    """Every distinct cell of the named columns, resolved at once (a few queries per file)."""
    if directory is None:
        return {}
    return {
        column: directory.resolve(column, {group[0][1].get(column, "") for group in groups})
        for column in NAMED_COLUMNS
    }


def _too_many() -> str:
    return _("At most %(count)s inspections per import.") % {"count": MAX_INSPECTIONS}


def _column_problems(columns: list[str]) -> list[str]:
    if not columns:
        return [_("The file is empty.")]
    problems = [
        _("Unknown column %(name)s.") % {"name": repr(name)}
        for name in columns
        if name not in COLUMNS
    ]
    problems += [
        _("Column %(name)s appears twice.") % {"name": repr(name)}
        for name in set(columns)
        if columns.count(name) > 1
    ]
    missing = [name for name in REQUIRED_COLUMNS + ("characteristic",) if name not in columns]
    if missing:
        problems.append(_("Missing column(s): %(names)s.") % {"names": ", ".join(missing)})
    if problems:
        problems.append(_("The columns are: %(names)s.") % {"names": ", ".join(COLUMNS)})
    return problems


def _header_of(values: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(values.get(column, "").strip() for column in HEADER_COLUMNS)


def _csv_entry(
    group: list[tuple[int, dict[str, str]]],
    new_key: NewKey,
    resolved: Resolutions,
    directory: Directory | None,
) -> ImportEntry:
    first_row, first = group[0]
    numbers = [number for number, _ in group]
    where = f"row {first_row}" if len(group) == 1 else f"rows {first_row}–{numbers[-1]}"
    header = {column: first.get(column, "") for column in HEADER_COLUMNS}
    external_id = header["external_id"].strip()
    errors: list[RowError] = []
    lines = []
    for number, values in group:
        line, problems = _csv_characteristic(values)
        lines.append(line)
        errors += [RowError(f"row {number}", column, message) for column, message in problems]
    entry = ImportEntry(where, external_id or new_key(), not external_id, header, lines, errors)
    # The form is given the ids the named cells resolved to; an unresolved cell's error is its
    # column's only one (the form would only add "Enter a whole number." to it).
    sent = dict(header)
    unresolved = set()
    for column in NAMED_COLUMNS:
        found = resolved.get(column, {}).get(header[column].strip())
        if found is None:
            continue
        if found.error:
            entry.errors.append(RowError(f"row {first_row}", column, found.error))
            unresolved.add(column)
        else:
            sent[column] = str(found.coupa_id)
            entry.names[column] = found.as_json()
    rows = [f"row {n}" for n in numbers]
    _check(entry, f"row {first_row}", rows, COLUMN_OF_FIELD.get, sent, unresolved, directory)
    return entry


def _csv_characteristic(values: Mapping[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The form's fields of one CSV row's characteristic, and what could not be read."""
    line: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for column in CHARACTERISTIC_COLUMNS:
        line[FIELD_OF_COLUMN.get(column, column)] = values.get(column, "")
    flag = line.pop("quantitative").strip().lower()
    if flag in TRUE_WORDS:
        line["quantitative"] = "on"
    elif flag not in FALSE_WORDS:
        problems.append(
            ("quantitative", _("Write yes or no, not %(flag)s.") % {"flag": repr(flag)})
        )
    line["kind"] = line["kind"].strip().lower() or CharacteristicKind.REQUIRED.value
    line["value_type"] = line["value_type"].strip().lower() or ValueType.NUMERIC.value
    for side in ("min", "max"):
        operator = line[f"{side}_operator"].strip().lower()
        line[f"{side}_operator"] = OPERATOR_WORDS.get(operator, operator)
    # In a cell, choice values may be separated by ";" as well as by line breaks.
    line["choices"] = "\n".join(part for part in line["choices"].replace(";", "\n").splitlines())
    return line, problems


def _flag_repeated_ids(entries: list[ImportEntry]) -> None:
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.key_generated:
            continue
        if entry.external_id in seen:
            message = _(
                "External id %(id)s is also used at %(where)s: one inspection's rows must be next "
                "to each other with the same header columns."
            ) % {"id": entry.external_id, "where": seen[entry.external_id]}
            entry.errors.append(RowError(entry.where, "external_id", message))
            entry.payload = ""
        else:
            seen[entry.external_id] = entry.where


# --- JSON -------------------------------------------------------------------------------------


def parse_json(
    text: str,
    new_key: NewKey = new_external_id,
    directory: Directory | None = None,
    now: datetime | None = None,
) -> ParsedImport:
    """One request object, or a list of them, exactly as `POST /quality_inspections` takes."""
    try:
        data = wirejson.loads(text)
    except ValueError as exc:
        return ParsedImport([_("The file is not valid JSON: %(error)s") % {"error": exc}])
    records = data if isinstance(data, list) else [data]
    if len(records) > MAX_INSPECTIONS:
        return ParsedImport([_too_many()])
    if not records:
        return ParsedImport([_("The file holds no inspection.")])
    entries = [
        _json_entry(number, record, new_key, directory) for number, record in enumerate(records, 1)
    ]
    _flag_repeated_ids(entries)
    if directory is not None:
        _name_ids(entries, directory)
    _warn(entries, now)
    return ParsedImport([], entries, "json")


def _name_ids(entries: list[ImportEntry], directory: Directory) -> None:
    """The names of a JSON import's ids, for its preview (its fields are ids, as Coupa takes
    them: names are not looked up)."""
    for column in NAMED_COLUMNS:
        cells = {str(entry.header.get(column) or "").strip() for entry in entries}
        names = directory.names(column, cells)
        for entry in entries:
            found = names.get(str(entry.header.get(column) or "").strip())
            if found is not None:
                entry.names[column] = found.as_json()


def _json_entry(number: int, raw: Any, new_key: NewKey, directory: Directory | None) -> ImportEntry:
    where = f"inspection {number}"
    record = read_request_record(raw)
    if record is None:
        return ImportEntry(where, "", True, {}, [], [RowError(where, "", _("Not a JSON object."))])
    errors = [RowError(where, key, message) for key, message in record.problems]
    header = {FORM_FIELD_OF.get(name, name): value for name, value in record.header.items()}
    external_id = header["external_id"].strip()
    lines = []
    for index, (line, problems) in enumerate(
        zip(record.characteristics, record.characteristic_problems, strict=True), 1
    ):
        lines.append(_form_fields(line) if line is not None else {})
        errors += [RowError(f"{where}, characteristic {index}", k, m) for k, m in problems]
    entry = ImportEntry(where, external_id or new_key(), not external_id, header, lines, errors)
    rows = [f"{where}, characteristic {index}" for index in range(1, len(lines) + 1)]
    _check(entry, where, rows, _json_key, entry.header, set(), directory)
    return entry


def _form_fields(line: CharacteristicRecord) -> dict[str, Any]:
    """A characteristic of a JSON record as the form's fields (strings, as a form posts)."""
    fields: dict[str, Any] = {
        "name": line.name,
        "kind": line.required,
        "requirement": line.requirement,
        "value_type": line.value_type,
        "target": line.target,
        "precision": line.precision,
        "choices": "\n".join(" | ".join(choice) for choice in line.choices),
    }
    if line.is_quantitative:
        fields["quantitative"] = "on"
    for side, (operator, value) in line.limits.items():
        fields[f"{side}_operator"], fields[f"{side}_value"] = operator, value
    return fields


def _json_key(form_field: str) -> str | None:
    """How a JSON file names the field a form's error is about."""
    return KEY_OF_FIELD.get(REQUEST_FIELD_OF.get(form_field, form_field))


# --- both -------------------------------------------------------------------------------------


def _check(
    entry: ImportEntry,
    where: str,
    row_wheres: list[str],
    column_of: Callable[[str], str | None],
    sent: Mapping[str, str],
    unresolved: set[str],
    directory: Directory | None,
) -> None:
    """Run the form's rules over the header `sent` (the entry's, with the named cells resolved
    to ids); the request's body on success, its errors per row otherwise. The errors of the
    `unresolved` fields are said already."""
    header = dict(sent, idempotency_key=entry.external_id)
    access = directory.access if directory is not None else None
    checked = check_request(header, entry.lines, access)

    def name(form_field: str) -> str:
        return "" if form_field == "__all__" else column_of(form_field) or form_field

    for form_field, messages in checked.header_errors.items():
        if form_field in unresolved:
            continue
        entry.errors += [RowError(where, name(form_field), m) for m in messages]
    for row_where, row_errors in zip(row_wheres, checked.row_errors, strict=False):
        for form_field, messages in row_errors.items():
            entry.errors += [RowError(row_where, name(form_field), m) for m in messages]
    if checked.request is not None and not entry.errors:
        entry.payload = request_body(checked.request)
    entry.due_date = checked.request.due_date if checked.request else _due_date(sent)
    entry.header_where = where
    entry.line_wheres = row_wheres
    entry.column_of = name


def _due_date(header: Mapping[str, Any]) -> datetime | None:
    """The due date as the form reads it, when it does (its error is said already)."""
    try:
        return HeaderForm.base_fields["due_date"].clean(header.get("due_date"))
    except ValidationError:
        return None


# --- warnings: sent all the same ----------------------------------------------------------------


def _warn(entries: list[ImportEntry], now: datetime | None) -> None:
    now = now or timezone.now()
    for entry in entries:
        where, lines = entry.header_where, entry.lines
        found = warnings_for(where, entry.due_date, lines, entry.line_wheres, now)
        entry.warnings = [replace(w, column=entry.column_of(w.column)) for w in found]


def _line_view(line: Mapping[str, Any]) -> dict[str, Any]:
    """One characteristic as the preview shows it."""
    limits = [
        f"{OPERATOR_SIGNS.get(line.get(f'{side}_operator', ''), '?')} {line[f'{side}_value']}"
        for side in ("min", "max")
        if str(line.get(f"{side}_value") or "").strip()
    ]
    choices = [c for c in str(line.get("choices") or "").splitlines() if c.strip()]
    return {
        "name": line.get("name", ""),
        "kind": line.get("kind", ""),
        "value_type": line.get("value_type", ""),
        "target": line.get("target", ""),
        "precision": line.get("precision", ""),
        "limits": " and ".join(limits),
        "choices": choices,
    }
