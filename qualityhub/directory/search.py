"""Finding Coupa's ids by what a person types: the name pickers (`views.py`) and the inspection
list's free-text search. Reads the directory's small tables only; never calls Coupa.

A picker answers at most `LIMIT` names, best first: an exact number (or id), then names that
start with the text, then names that contain it, each group alphabetically. Suppliers and items
are limited to what the user may see (`Access`): a buyer limited to some suppliers finds only
those, and only the items of their inspections.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Upper

from qualityhub.directory.models import Item, Person, Supplier, Unit
from qualityhub.directory.names import (
    ITEM_COLUMNS,
    PERSON_COLUMNS,
    SUPPLIER_COLUMNS,
    UNIT_COLUMNS,
    Name,
    item_fallback,
    named_item,
    named_person,
    named_supplier,
    named_unit,
    person_fallback,
    supplier_fallback,
    unit_fallback,
)
from qualityhub.inspections.models import Inspection

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access

LIMIT = 20
# The list's search resolves a text to at most this many suppliers (a one-letter search matches
# most of them; more ids than this would not narrow a million rows usefully anyway).
MAX_SEARCH_SUPPLIERS = 500
_DB_INT_MAX = 2**63 - 1


def _as_id(text: str) -> int | None:
    """The text as a Coupa id (ASCII digits within bigint), else None."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if number <= _DB_INT_MAX else None


def _ranked(qs: QuerySet, text: str, exact: Q, starts: Q, order: list) -> QuerySet:
    """Rows of `qs` ordered exact match first, then prefix, then the rest, then by `order`."""
    if not text:
        return qs.order_by(*order)
    rank = Case(
        When(exact, then=Value(0)),
        When(starts, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=rank).order_by("rank", *order)


def supplier_ids_matching(text: str, access: Access | None = None) -> list[int]:
    """The ids of the suppliers whose name, display name or number contains `text` (for the
    inspection list's search: ids first, so the big table is read through its supplier index)."""
    if not text:
        return []
    qs = Supplier.objects.filter(
        Q(name__icontains=text) | Q(display_name__icontains=text) | Q(number__icontains=text)
    )
    if access is not None:
        qs = access.scope(qs, "coupa_id")
    return list(qs.order_by("coupa_id").values_list("coupa_id", flat=True)[:MAX_SEARCH_SUPPLIERS])


def _best_first(
    qs: QuerySet,
    text: str,
    number: int | None,
    *,
    contains: tuple[str, ...],
    starts: tuple[str, ...],
    exact: str,
    order: str,
    columns: tuple[str, ...],
    limit: int,
) -> QuerySet:
    """The rows whose `contains` columns hold the text (or whose id is the typed number): the
    exact `exact` (or id) first, then those whose `starts` columns start with it, then by
    `order`."""
    typed_id = Q(coupa_id=number) if number is not None else Q(pk__in=[])
    if text:
        qs = qs.filter(reduce(or_, (Q(**{f"{c}__icontains": text}) for c in contains)) | typed_id)
    exact_match = Q(**{f"{exact}__iexact": text}) | typed_id
    prefix = reduce(or_, (Q(**{f"{c}__istartswith": text}) for c in starts))
    return _ranked(qs, text, exact_match, prefix, [Upper(order), "coupa_id"]).only(*columns)[:limit]


def suppliers(text: str, access: Access, limit: int = LIMIT) -> list[Name]:
    number = _as_id(text)
    rows = _best_first(
        access.scope(Supplier.objects.all(), "coupa_id"),
        text,
        number,
        contains=("name", "display_name", "number"),
        starts=("name", "display_name"),
        exact="number",
        order="name",
        columns=SUPPLIER_COLUMNS,
        limit=limit,
    )
    if number is not None and not access.sees_supplier(number):
        number = None
    return _with_typed_id([named_supplier(row) for row in rows], number, supplier_fallback, limit)


def items(text: str, access: Access, limit: int = LIMIT) -> list[Name]:
    qs = Item.objects.all()
    if access.is_limited:
        qs = qs.filter(coupa_id__in=access.scope(Inspection.objects.all()).values("item_id"))
    number = _as_id(text)
    rows = _best_first(
        qs,
        text,
        number,
        contains=("name", "number"),
        starts=("name",),
        exact="number",
        order="name",
        columns=ITEM_COLUMNS,
        limit=limit,
    )
    if (
        number is not None
        and access.is_limited
        and not access.scope(Inspection.objects.filter(item_id=number)).exists()
    ):
        number = None  # a limited user names only the items of their own inspections
    return _with_typed_id([named_item(row) for row in rows], number, item_fallback, limit)


def people(text: str, limit: int = LIMIT) -> list[Name]:
    number = _as_id(text)
    rows = _best_first(
        Person.objects.all(),
        text,
        number,
        contains=("full_name", "login"),
        starts=("full_name", "login"),
        exact="login",
        order="full_name",
        columns=PERSON_COLUMNS,
        limit=limit,
    )
    return _with_typed_id([named_person(row) for row in rows], number, person_fallback, limit)


def units(text: str, limit: int = LIMIT) -> list[Name]:
    number = _as_id(text)
    rows = _best_first(
        Unit.objects.all(),
        text,
        number,
        contains=("code", "name"),
        starts=("code", "name"),
        exact="code",
        order="code",
        columns=UNIT_COLUMNS,
        limit=limit,
    )
    return _with_typed_id([named_unit(row) for row in rows], number, unit_fallback, limit)


def _with_typed_id(names: list[Name], number: int | None, fallback, limit: int) -> list[Name]:
    """A typed id the directory has no name for (a missing scope, names off, a young cache) is
    offered as itself ("Supplier 78"), so a filter or a new inspection never needs a name."""
    if number is None or any(name.coupa_id == number for name in names):
        return names
    return [fallback(number), *names][:limit]
