"""Inspection operations: list (paging, filters), get, create, exported flags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .catalogue import INTEGRATION_USER
from .create import NewIds, build, parse_request
from .documents import ordered_inspection
from .faults import RuntimeConfig
from .malformed import damage, is_malformed
from .responses import Request, Response, error, errors, json_response, text_json
from .store import ListFilters, Store
from .wire import Raw, dumps, format_datetime, loads, parse_datetime, sort_key

DEFAULT_LIMIT = 50
MAX_LIMIT = 50
MODIFIED_OPERATORS = {"gt": ">", "gt_or_eq": ">=", "lt": "<", "lt_or_eq": "<="}


def _last(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


MAX_PAGING = 2**63 - 1  # what SQLite's INTEGER holds; a larger offset or limit means as much


def _non_negative(text: str) -> int | None:
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    # No int() on thousands of digits (Python refuses past 4300), nothing past 64 bits (SQLite).
    digits = text.lstrip("0") or "0"
    return MAX_PAGING if len(digits) > 19 else min(int(digits), MAX_PAGING)


def parse_paging(query: dict[str, list[str]]) -> tuple[int, int] | dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    offset, limit = 0, DEFAULT_LIMIT
    if (raw := _last(query, "offset")) is not None:
        parsed = _non_negative(raw)
        if parsed is None:
            problems["offset"] = ["must be a non-negative integer"]
        else:
            offset = parsed
    if (raw := _last(query, "limit")) is not None:
        parsed = _non_negative(raw)
        if parsed is None or parsed < 1:
            problems["limit"] = ["must be an integer of at least 1"]
        else:
            limit = min(parsed, MAX_LIMIT)
    return problems or (offset, limit)


def parse_filters(query: dict[str, list[str]]) -> ListFilters | dict[str, list[str]]:
    """The ANDed list filters; a malformed value is reported under its parameter name."""
    problems: dict[str, list[str]] = {}
    filters = ListFilters()
    if (raw := _last(query, "status")) is not None:
        filters.status = raw.strip()
    if (raw := _last(query, "exported")) is not None:
        if raw.strip().lower() not in ("true", "false"):
            problems["exported"] = ["must be true or false"]
        filters.exported = raw.strip().lower() == "true"
    if (raw := _last(query, "supplierId")) is not None:
        filters.supplier_id = _non_negative(raw)
        if filters.supplier_id is None:
            problems["supplierId"] = ["must be an integer"]
    if (raw := _last(query, "externalInspectionId")) is not None:
        filters.external_id = raw
    for suffix, operator in MODIFIED_OPERATORS.items():
        name = f"modifiedAt[{suffix}]"
        if (raw := _last(query, name)) is None:
            continue
        try:
            filters.modified.append((operator, sort_key(parse_datetime(raw))))
        except ValueError:
            problems[name] = ["must be an ISO-8601 datetime, e.g. 2025-11-04T16:07:02Z"]
    return problems or filters


class InspectionOps:
    def __init__(self, store: Store, seed: int, config: Callable[[], RuntimeConfig]) -> None:
        self.store = store
        self.seed = seed
        self.config = config

    def _served(self, inspection_id: int, modified_key: str, text: str) -> str:
        """The stored text, or a damaged re-serialisation for a malformed record."""
        rate = self.config().malformed_rate
        if rate > 0 and is_malformed(self.seed, inspection_id, modified_key, rate):
            return dumps(damage(loads(text), self.seed, modified_key))
        return text

    def list(self, request: Request) -> Response:
        config = self.config()
        query = request.query
        paging = parse_paging(query)
        if isinstance(paging, dict):
            return errors(400, paging)
        offset, limit = paging
        filters = ListFilters() if config.ignore_filters else parse_filters(query)
        if isinstance(filters, dict):
            return errors(400, filters)
        if config.ignore_offset:
            offset = 0
        rows = self.store.list_rows(filters, offset, limit)
        body = "[" + ",".join(self._served(iid, key, text) for iid, key, text in rows) + "]"
        if config.list_envelope:
            body = dumps({"data": Raw(body), "total": self.store.count_rows(filters)})
        return text_json(200, body)

    def get(self, inspection_id: int) -> Response:
        row = self.store.get_row(inspection_id)
        if row is None:
            return _not_found(inspection_id)
        text, modified_key = row
        return text_json(200, self._served(inspection_id, modified_key, text))

    def create(self, request: Request) -> Response:
        body = _json_body(request)
        if isinstance(body, Response):
            return body
        parsed = parse_request(body)
        if isinstance(parsed, dict):
            return errors(422, parsed)
        chars, values, limits = parsed.counts()
        with self.store.transaction():
            ids = NewIds(
                inspection=self.store.allocate("inspection"),
                first_characteristic=self.store.allocate("characteristic", chars),
                first_value=self.store.allocate("value", values),
                first_limit=self.store.allocate("limit", limits),
            )
            created = format_datetime(self.store.stamp(), fraction=True)
            modified = format_datetime(self.store.stamp(), fraction=True)
            response, stored = build(parsed, ids, created, modified)
            self.store.insert(stored)
        return json_response(201, response)

    def set_exported(self, inspection_id: int, exported: bool) -> Response:
        """Set or clear the flag; modifiedAt moves only when the flag actually changes."""
        with self.store.transaction():
            doc = self.store.get_doc(inspection_id)
            if doc is None:
                return _not_found(inspection_id)
            if doc.get("exported") is not exported:
                doc["exported"] = exported
                doc["modifiedAt"] = format_datetime(self.store.stamp(), fraction=True)
                doc["modifiedBy"] = INTEGRATION_USER
                doc = ordered_inspection(doc)
                self.store.save(doc)
        return json_response(200, doc)


def _not_found(inspection_id: int) -> Response:
    return error(404, f"Quality inspection {inspection_id} not found")


def _json_body(request: Request) -> dict[str, Any] | Response:
    try:
        body = loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return error(400, "Request body is not valid JSON")
    if not isinstance(body, dict):
        return error(400, "Request body must be a JSON object")
    return body
