"""Core API queries as Coupa reads them: attribute filters with operators, `fields`, paging,
ordering and `return_object`.

Coupa's query keys spell the attribute with underscores or hyphens (`updated-at[gt]`,
`updated_at[gt]`); both are accepted. Every malformed value is a 400 naming the parameter; an
attribute or operator the resource does not have is one too (a typo should not silently return
everything).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .api import parse_paging
from .wire import loads, parse_datetime

Problems = dict[str, list[str]]
Record = dict[str, Any]

RESERVED = ("offset", "limit", "fields", "order_by", "dir", "return_object", "filter")
RETURN_OBJECTS = ("limited", "shallow")
_KEY = re.compile(r"(?P<attr>[a-z][a-z0-9_]*)(?:\[(?P<op>[a-z_]+)\])?\Z")
OPERATORS = (
    "eq", "not_eq", "gt", "lt", "gt_or_eq", "lt_or_eq", "in", "not_in",
    "contains", "starts_with", "ends_with", "blank",
)  # fmt: skip
TEXT_ONLY = ("contains", "starts_with", "ends_with")
DATETIME_HINT = "must be an ISO-8601 datetime, e.g. 2025-11-04T16:07:02-08:00"
FIELDS_HINT = 'must be a JSON list of names, e.g. ["id","name","display-name"]'


def key_name(text: str) -> str:
    """The hyphenated key a query or `fields` spelling means (`updated_at` -> `updated-at`)."""
    return text.strip().lower().replace("_", "-")


@dataclass
class Condition:
    attr: str  # hyphenated, as in the record
    op: str
    values: tuple[Any, ...]  # one value, or several for in/not_in

    def holds(self, record: Record) -> bool:
        actual = record.get(self.attr)
        try:
            return _holds(self.op, actual, self.values)
        except TypeError:  # a value changed to another type through the control API
            return False


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _holds(op: str, actual: Any, values: tuple[Any, ...]) -> bool:
    if op == "blank":
        return (actual is None or actual == "") is values[0]
    if actual is None:
        return op in ("not_eq", "not_in")
    actual, folded = _fold(actual), tuple(_fold(v) for v in values)
    value = folded[0]
    if op == "eq":
        return actual == value
    if op == "not_eq":
        return actual != value
    if op == "in":
        return actual in folded
    if op == "not_in":
        return actual not in folded
    if op in TEXT_ONLY:
        if not isinstance(actual, str):
            return False
        return {
            "contains": value in actual,
            "starts_with": actual.startswith(value),
            "ends_with": actual.endswith(value),
        }[op]
    if isinstance(actual, bool) or isinstance(value, bool):
        return False
    return {
        "gt": actual > value,
        "lt": actual < value,
        "gt_or_eq": actual >= value,
        "lt_or_eq": actual <= value,
    }[op]


@dataclass
class Query:
    offset: int = 0
    limit: int = 50
    conditions: list[Condition] = field(default_factory=list)
    fields: list[Any] | None = None  # hyphenated names and {name: [...]} for nested objects
    order_by: str = "id"
    descending: bool = False
    return_object: str = ""

    def matches(self, record: Record) -> bool:
        return all(condition.holds(record) for condition in self.conditions)


def _parse_value(kind: type, text: str) -> Any:
    text = text.strip()
    if kind is bool:
        if text.lower() not in ("true", "false"):
            raise ValueError("must be true or false")
        return text.lower() == "true"
    if kind is int:
        if not re.fullmatch(r"-?[0-9]{1,18}", text):
            raise ValueError("must be an integer")
        return int(text)
    if kind is datetime:
        try:
            return parse_datetime(text)
        except (ValueError, TypeError):
            raise ValueError(DATETIME_HINT) from None
    return text


def _condition(key: str, raw: str, schema: dict[str, type]) -> Condition | str:
    found = _KEY.match(key.strip().lower().replace("-", "_"))
    if found is None:
        return "is not a known search parameter"
    attr, op = key_name(found["attr"]), found["op"] or "eq"
    if attr not in schema:
        return f"is not a searchable attribute (known: {', '.join(sorted(schema))})"
    if op not in OPERATORS:
        return f"unknown operator {op!r} (known: {', '.join(OPERATORS)})"
    kind = schema[attr]
    if op in TEXT_ONLY and kind is not str:
        return f"{op} works on text attributes only"
    try:
        if op == "blank":
            return Condition(attr, op, (_parse_value(bool, raw),))
        if op in ("in", "not_in"):
            parts = [part for part in raw.split(",") if part.strip()]
            if not parts:
                raise ValueError("must be a comma-separated list")
            return Condition(attr, op, tuple(_parse_value(kind, part) for part in parts))
        return Condition(attr, op, (_parse_value(kind, raw),))
    except ValueError as exc:
        return str(exc)


def _fields_entry(entry: Any) -> Any:
    if isinstance(entry, str) and entry.strip():
        return key_name(entry)
    if isinstance(entry, dict) and entry:
        nested = {}
        for name, inner in entry.items():
            if not isinstance(inner, list):
                raise ValueError(FIELDS_HINT)
            nested[key_name(name)] = [_fields_entry(item) for item in inner]
        return nested
    raise ValueError(FIELDS_HINT)


def parse_fields(raw: str) -> list[Any]:
    try:
        value = loads(raw)
    except (ValueError, RecursionError):
        raise ValueError(FIELDS_HINT) from None
    if not isinstance(value, list):
        raise ValueError(FIELDS_HINT)
    return [_fields_entry(entry) for entry in value]


def parse_query(params: dict[str, list[str]], schema: dict[str, type]) -> Query | Problems:
    """The query of an index (or, for `fields`, a show); problems by parameter name."""
    problems: Problems = {}
    query = Query()
    paging = parse_paging(params)
    if isinstance(paging, dict):
        problems.update(paging)
    else:
        query.offset, query.limit = paging
    for key, values in params.items():
        raw = values[-1]
        name = key.strip().lower()
        if not name or name in ("offset", "limit", "filter"):
            continue
        try:
            if name == "fields":
                query.fields = parse_fields(raw) or None
            elif name == "order_by":
                attr = key_name(raw)
                if attr not in schema:
                    raise ValueError(f"is not an attribute (known: {', '.join(sorted(schema))})")
                query.order_by = attr
            elif name == "dir":
                if raw.strip().lower() not in ("asc", "desc"):
                    raise ValueError("must be asc or desc")
                query.descending = raw.strip().lower() == "desc"
            elif name == "return_object":
                if raw.strip().lower() not in RETURN_OBJECTS:
                    raise ValueError(f"must be one of {', '.join(RETURN_OBJECTS)}")
                query.return_object = raw.strip().lower()
            else:
                condition = _condition(key, raw, schema)
                if isinstance(condition, str):
                    raise ValueError(condition)
                query.conditions.append(condition)
        except ValueError as exc:
            problems[key] = [str(exc)]
    return problems or query


def sort_value(record: Record, attr: str) -> tuple[int, Any]:
    """Order key: values of one type in their order, anything else (None, a changed type) last."""
    value = record.get(attr)
    if isinstance(value, int | Decimal):  # bool too
        return (0, Decimal(value))
    if isinstance(value, datetime):
        return (1, value.timestamp())
    if isinstance(value, str):
        return (2, value.casefold())
    return (3, 0)


def select(record: Record, fields: list[Any] | None, return_object: str = "") -> Record:
    """The record as the query shapes it: only `fields`, or limited (id) / shallow (nested ids)."""
    if return_object == "limited":
        return {"id": record.get("id")}
    if return_object == "shallow":
        return {
            key: {"id": value.get("id")} if isinstance(value, dict) else value
            for key, value in record.items()
        }
    if fields is None:
        return dict(record)
    chosen: Record = {}
    wanted: dict[str, Any] = {}
    for entry in fields:
        if isinstance(entry, str):
            wanted[entry] = None
        else:
            wanted.update(entry)
    for key, value in record.items():
        if key not in wanted:
            continue
        inner = wanted[key]
        if inner is not None and isinstance(value, dict):
            chosen[key] = select(value, inner)
        else:
            chosen[key] = value
    return chosen
