"""Keyset pagination: every page costs the same, however deep, and needs no COUNT(*).

A page is "the next N rows after (sort value, id)"; the cursor travels in the URL as `after=` or
`before=`. Rows are ordered by the sort column and then the primary key, NULLs last going up and
first going down, as PostgreSQL does by default.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format

from qualityhub.ui import params

COUNT_LIMIT = 1000


@dataclass(frozen=True)
class Sort:
    key: str  # as in the URL, e.g. "-due_date"
    field: str
    descending: bool

    @classmethod
    def parse(cls, value: str, allowed: dict[str, str], default: str) -> Sort:
        name = value.lstrip("-")
        if name not in allowed:
            return cls.parse(default, allowed, default)
        return cls(key=value, field=allowed[name], descending=value.startswith("-"))

    def ordering(self, pk: str) -> list:
        if self.descending:
            return [F(self.field).desc(nulls_first=True), F(pk).desc()]
        return [F(self.field).asc(nulls_last=True), F(pk).asc()]

    def toggled(self, name: str) -> str:
        """The sort key a column header links to: flips the direction of the current column."""
        return f"-{name}" if self.key == name else name


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None
    previous_cursor: str | None
    count: int
    count_capped: bool

    @property
    def count_text(self) -> str:
        # Grouped as the reader's language groups thousands (1,234 in English, 1.234 in German).
        text = number_format(self.count, force_grouping=True)
        return f"{text}+" if self.count_capped else text


def encode_cursor(value: Any, pk: Any) -> str:
    raw = json.dumps([None if value is None else str(value), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, model: type[Model], field: str) -> tuple[Any, Any] | None:
    """The (sort value, pk) an `encode_cursor` string carries, or None for anything else: a
    forged cursor must not reach the query as a value the column cannot hold."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except ValueError:  # not ASCII, not base64, not UTF-8, not JSON: all ValueErrors
        return None
    if not (isinstance(decoded, list) and len(decoded) == 2):
        return None
    value, pk = decoded
    if not (isinstance(value, str | None) and type(pk) is int and params.storable(pk)):
        return None
    if value is None:
        return None, pk
    try:
        python_value = model._meta.get_field(field).to_python(value)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return None
    if isinstance(python_value, datetime) and timezone.is_naive(python_value):
        python_value = timezone.make_aware(python_value)
    return (python_value, pk) if params.storable(python_value) else None


def _after(sort: Sort, pk: str, value: Any, last_pk: Any, forward: bool, nullable: bool) -> Q:
    """Rows that come after (value, last_pk) in `sort` order (or before it, going back)."""
    going_up = sort.descending != forward  # walking the column in ascending order?
    later = "gt" if going_up else "lt"
    f = sort.field
    if value is None:
        same = Q(**{f"{f}__isnull": True, f"{pk}__{later}": last_pk})
        # NULLs sit at the ascending end: walking up from one, only NULLs remain.
        return same if going_up else same | Q(**{f"{f}__isnull": False})
    # The plain bound (>= or <=) is implied by the rest, but it is what lets the database scan
    # an index range instead of reading and discarding every row before the cursor.
    bound = Q(**{f"{f}__{'gte' if going_up else 'lte'}": value})
    beyond = bound & (Q(**{f"{f}__{later}": value}) | Q(**{f: value, f"{pk}__{later}": last_pk}))
    return beyond | Q(**{f"{f}__isnull": True}) if going_up and nullable else beyond


def paginate(
    qs: QuerySet,
    sort: Sort,
    *,
    after: str = "",
    before: str = "",
    size: int = 50,
    pk: str = "pk",
    count_within: QuerySet | None = None,
) -> Page:
    """A page of `qs` in `sort` order after (or before) a cursor, with the count capped at
    COUNT_LIMIT. `count_within`, a part of `qs` with an index of its own: counted first, and
    when it alone reaches the cap the whole needs no count (see `_capped_count`)."""
    model = qs.model
    forward = not before
    cursor = decode_cursor(after or before, model, sort.field) if (after or before) else None
    ordered = qs.order_by(*sort.ordering(pk))
    if cursor is not None:
        value, last_pk = cursor
        walk = sort if forward else Sort(sort.key, sort.field, not sort.descending)
        nullable = model._meta.get_field(sort.field).null
        after = _after(sort, pk, value, last_pk, forward, nullable)
        ordered = qs.filter(after).order_by(*walk.ordering(pk))
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    count = _capped_count(count_within, pk) if count_within is not None else 0
    if count <= COUNT_LIMIT:
        count = _capped_count(qs, pk)
    has_next = more if forward else cursor is not None
    has_previous = (cursor is not None) if forward else more
    return Page(
        rows=rows,
        next_cursor=_cursor_of(rows[-1], sort.field, pk) if rows and has_next else None,
        previous_cursor=_cursor_of(rows[0], sort.field, pk) if rows and has_previous else None,
        count=min(count, COUNT_LIMIT),
        count_capped=count > COUNT_LIMIT,
    )


def _capped_count(qs: QuerySet, pk: str) -> int:
    """Up to COUNT_LIMIT + 1 rows counted, over the key alone: a values_list() page would
    otherwise carry all its columns into the count's subquery and read them for up to
    COUNT_LIMIT rows.

    PostgreSQL reads such a count as a sequential scan that stops at the cap, assuming matches are
    spread evenly through the table; for a condition that matches many rows kept together (every
    inspection of one supplier, after their names were set supplier by supplier) it may read a
    quarter of the table first. Hence `count_within` in `paginate`: that part counted through
    its own index, which reaches the cap at once."""
    return qs.order_by().values(pk)[: COUNT_LIMIT + 1].count()


def _cursor_of(row: Any, field: str, pk: str) -> str:
    pk_name = row._meta.pk.attname if pk == "pk" else pk
    return encode_cursor(getattr(row, field.replace("__", ".")), getattr(row, pk_name))
