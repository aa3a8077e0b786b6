"""Coupa's Core API reference resources: `/api/suppliers`, `/api/users`, `/api/uoms`,
`/api/items` (index and show), as Coupa serves them.

XML unless the request accepts JSON first; hyphenated keys; JSON index = bare array, show = bare
object; XML with typed leaves (`type="integer"`, `nil="true"`...); datetimes with the instance's
local offset. An index matching nothing is `[]` in JSON and a 404 in XML ("No results match your
search criteria."); an unknown id on show is a 404 in either format.

The records live in memory (built by `reference.build()`); the control API changes one
(`change`), stamping `updated-at`, and `reset` forgets every change.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from . import reference
from .core_query import Query, Record, key_name, parse_query, select, sort_value
from .responses import JSON, Request, Response
from .wire import dump_bytes

SCOPES = {
    "suppliers": "core.supplier.read",
    "users": "core.user.read",
    "uoms": "core.common.read",
    "items": "core.catalog.read",
}
XML = "application/xml; charset=utf-8"
NO_RESULTS = "No results match your search criteria."
FAMILY = "core"
_PATH = re.compile(r"/api/(?P<kind>suppliers|users|uoms|items)(?:/(?P<id>[0-9]+))?\Z")
# Characters XML 1.0 cannot carry at all, not even as references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
UNCHANGEABLE = ("id", "created-at", "updated-at")
_KEY = re.compile(r"[a-z][a-z0-9-]{0,63}\Z")  # a key that is also a well-formed XML name


@dataclass(frozen=True)
class CoreRoute:
    kind: str
    record_id: int | None  # None: the index

    @property
    def operation(self) -> str:
        """The request counter's name: `core_suppliers` (index), `core_suppliers_show`."""
        return f"core_{self.kind}" + ("" if self.record_id is None else "_show")

    @property
    def scope(self) -> str:
        return SCOPES[self.kind]


def match_core(method: str, path: str) -> CoreRoute | list[str] | None:
    """The Core route; `["GET"]` for another method on one (405); None when not a Core path."""
    found = _PATH.match(path)
    if found is None:
        return None
    if method != "GET":
        return ["GET"]
    digits = found["id"]
    if digits is None:
        return CoreRoute(found["kind"], None)
    # No int() on thousands of digits (Python refuses past 4300): such an id names nothing.
    digits = digits.lstrip("0") or "0"
    return CoreRoute(found["kind"], int(digits) if len(digits) <= 19 else -1)


def wants_json(request: Request) -> bool:
    """JSON when the Accept header lists application/json before any XML type; else XML."""
    for part in request.header("Accept").lower().split(","):
        media, _, params = part.partition(";")
        media = media.strip()
        if re.search(r"\bq\s*=\s*0(\.0*)?\s*(;|$)", params):
            continue
        if media == "application/json":
            return True
        if media in ("application/xml", "text/xml"):
            return False
    return False


# -- wire formats ----------------------------------------------------------------------------


def wire_value(value: Any) -> Any:
    """JSON value: datetimes as Coupa writes them (`2025-01-06T08:30:00-08:00`)."""
    if isinstance(value, datetime):
        return value.astimezone(reference.INSTANCE_ZONE).isoformat(timespec="seconds")
    if isinstance(value, dict):
        return {key: wire_value(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [wire_value(inner) for inner in value]
    return value


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))


def xml_element(name: str, value: Any, depth: int = 1) -> list[str]:
    pad = "  " * depth
    if value is None:
        return [f'{pad}<{name} nil="true"/>']
    if isinstance(value, bool):
        return [f'{pad}<{name} type="boolean">{str(value).lower()}</{name}>']
    if isinstance(value, int):
        return [f'{pad}<{name} type="integer">{value}</{name}>']
    if isinstance(value, Decimal):
        return [f'{pad}<{name} type="decimal">{value}</{name}>']
    if isinstance(value, datetime):
        return [f'{pad}<{name} type="dateTime">{wire_value(value)}</{name}>']
    if isinstance(value, dict):
        lines = [f"{pad}<{name}>"]
        for key, inner in value.items():
            lines += xml_element(key, inner, depth + 1)
        return [*lines, f"{pad}</{name}>"]
    return [f"{pad}<{name}>{_text(str(value))}</{name}>"]


def _xml(lines: list[str], status: int = 200) -> Response:
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + "\n".join(lines) + "\n"
    return Response(status, text.encode("utf-8"), XML)


def render_index(kind: str, records: list[Record], as_json: bool) -> Response:
    if as_json:
        return Response(200, dump_bytes([wire_value(r) for r in records]), JSON)
    if not records:
        return core_error(404, reference.SINGULAR[kind], NO_RESULTS, as_json=False)
    lines = [f'<{kind} type="array">']
    for record in records:
        lines += xml_element(reference.SINGULAR[kind], record)
    return _xml([*lines, f"</{kind}>"])


def render_show(kind: str, record: Record, as_json: bool) -> Response:
    if as_json:
        return Response(200, dump_bytes(wire_value(record)), JSON)
    return _xml(xml_element(reference.SINGULAR[kind], record, depth=0))


def core_error(status: int, key: str, message: str, as_json: bool) -> Response:
    """Coupa's Core error shapes: `{"errors": {key: [message]}}`, `<errors><error>…`."""
    if as_json:
        return Response(status, dump_bytes({"errors": {key: [message]}}), JSON)
    return _xml(["<errors>", f"  <error>{_text(message)}</error>", "</errors>"], status)


def _problems(problems: dict[str, list[str]], as_json: bool) -> Response:
    if as_json:
        return Response(400, dump_bytes({"errors": problems}), JSON)
    lines = ["<errors>"]
    for key, messages in problems.items():
        lines += [f"  <error>{_text(f'{key}: {message}')}</error>" for message in messages]
    return _xml([*lines, "</errors>"], 400)


# -- the resources ---------------------------------------------------------------------------


def _schema(records: dict[int, Record]) -> dict[str, type]:
    """The searchable attributes of a kind: its top-level keys with a scalar value."""
    schema: dict[str, type] = {}
    for record in records.values():
        for key, value in record.items():
            if value is not None and not isinstance(value, dict) and key not in schema:
                schema[key] = datetime if isinstance(value, datetime) else type(value)
    return schema


def _changeable(value: Any) -> bool:
    if isinstance(value, list):
        return False
    if isinstance(value, dict):
        return all(
            _KEY.match(key_name(key)) and not isinstance(inner, dict | list)
            for key, inner in value.items()
        )
    return True


class CoreOps:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.data: dict[str, dict[int, Record]] = {}
        self.schemas: dict[str, dict[str, type]] = {}
        self.reset()

    def reset(self) -> None:
        """Back to the reference data as built: every change forgotten."""
        data = reference.build()
        with self._lock:
            self.data = data
            self.schemas = {kind: _schema(records) for kind, records in data.items()}
            self._last_stamp = max(
                r["updated-at"] for records in data.values() for r in records.values()
            )

    def run(self, request: Request, route: CoreRoute) -> Response:
        as_json = wants_json(request)
        query = parse_query(request.query, self.schemas[route.kind])
        if isinstance(query, dict):
            return _problems(query, as_json)
        if route.record_id is not None:
            return self.show(route.kind, route.record_id, query, as_json)
        return self.index(route.kind, query, as_json)

    def index(self, kind: str, query: Query, as_json: bool) -> Response:
        with self._lock:
            matching = [r for r in self.data[kind].values() if query.matches(r)]
            matching.sort(key=lambda r: sort_value(r, "id"), reverse=query.descending)
            if query.order_by != "id":
                order = query.order_by
                matching.sort(key=lambda r: sort_value(r, order), reverse=query.descending)
            page = matching[query.offset : query.offset + query.limit]
            shaped = [select(r, query.fields, query.return_object) for r in page]
        return render_index(kind, shaped, as_json)

    def show(self, kind: str, record_id: int, query: Query, as_json: bool) -> Response:
        with self._lock:
            record = self.data[kind].get(record_id)
            shaped = None if record is None else select(record, query.fields, query.return_object)
        if shaped is None:
            singular = reference.SINGULAR[kind]
            message = f"Couldn't find {singular.capitalize()} with 'id'={record_id}"
            return core_error(404, singular, message, as_json)
        return render_show(kind, shaped, as_json)

    # -- the control API's change --------------------------------------------------------------

    def change(self, kind: str, record_id: int, changes: dict[str, Any]) -> Record | None:
        """Apply `changes` (already checked by `check_change`) and stamp updated-at = now.
        None when there is no such record."""
        with self._lock:
            record = self.data.get(kind, {}).get(record_id)
            if record is None:
                return None
            for key, value in changes.items():
                if isinstance(value, dict):
                    value = {key_name(inner_key): inner for inner_key, inner in value.items()}
                record[key_name(key)] = value
            record["updated-at"] = self._stamp()
            return wire_value(record)

    def check_change(self, kind: str, changes: dict[str, Any]) -> dict[str, list[str]]:
        """Problems with a change, by key: only existing keys, scalars (objects for objects)."""
        known = {key for record in self.data[kind].values() for key in record}
        problems: dict[str, list[str]] = {}
        for key, value in changes.items():
            name = key_name(key)
            if name in UNCHANGEABLE:
                problems[key] = ["is kept by the sandbox"]
            elif name not in known:
                problems[key] = [f"is not a {reference.SINGULAR[kind]} key"]
            elif not _changeable(value):
                problems[key] = [
                    "must be a string, number, boolean, null or an object of those "
                    "(keys: lowercase letters, digits and hyphens)"
                ]
        return problems

    def _stamp(self) -> datetime:
        """Now (whole seconds, the instance's zone), after every updated-at so far."""
        now = datetime.now(reference.INSTANCE_ZONE).replace(microsecond=0)
        self._last_stamp = max(now, self._last_stamp + timedelta(seconds=1))
        return self._last_stamp
