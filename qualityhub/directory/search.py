"""Finding Coupa's ids by what a person types: the name pickers (`views.py`) and the inspection
list's free-text search. Reads the directory's small tables only; never calls Coupa.

A picker answers at most `LIMIT` names, best first: an exact number (or id), then names that
start with the text, then names that contain it, each group alphabetically. Suppliers and items
are limited to what the user may see (`Access`): a buyer limited to some suppliers finds only
those, and only the items of their inspections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Upper

from qualityhub.directory.models import Item, Person, Supplier, Unit
from qualityhub.directory.names import (
    Name,
    item_fallback,
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


def suppliers(text: str, access: Access, limit: int = LIMIT) -> list[Name]:
    qs = access.scope(Supplier.objects.all(), "coupa_id")
    number = _as_id(text)
    if text:
        found = Q(name__icontains=text) | Q(display_name__icontains=text)
        found |= Q(number__icontains=text)
        if number is not None:
            found |= Q(coupa_id=number)
        qs = qs.filter(found)
    exact = Q(number__iexact=text) | (Q(coupa_id=number) if number is not None else Q(pk__in=[]))
    starts = Q(name__istartswith=text) | Q(display_name__istartswith=text)
    rows = _ranked(qs, text, exact, starts, [Upper("name"), "coupa_id"]).only(
        "coupa_id", "name", "display_name", "number"
    )[:limit]
    names = [Name(row.coupa_id, row.label, row.number, known=True) for row in rows]
    if number is not None and not access.sees_supplier(number):
        number = None
    return _with_typed_id(names, number, supplier_fallback, limit)


def items(text: str, access: Access, limit: int = LIMIT) -> list[Name]:
    qs = Item.objects.all()
    if access.is_limited:
        seen = access.scope(Inspection.objects.all()).values("item_id")
        qs = qs.filter(coupa_id__in=seen)
    number = _as_id(text)
    if text:
        found = Q(name__icontains=text) | Q(number__icontains=text)
        if number is not None:
            found |= Q(coupa_id=number)
        qs = qs.filter(found)
    exact = Q(number__iexact=text) | (Q(coupa_id=number) if number is not None else Q(pk__in=[]))
    rows = _ranked(qs, text, exact, Q(name__istartswith=text), [Upper("name"), "coupa_id"]).only(
        "coupa_id", "name", "number"
    )[:limit]
    names = [Name(row.coupa_id, str(row), row.number, known=True) for row in rows]
    if (
        number is not None
        and access.is_limited
        and not access.scope(Inspection.objects.filter(item_id=number)).exists()
    ):
        number = None  # a limited user names only the items of their own inspections
    return _with_typed_id(names, number, item_fallback, limit)


def people(text: str, limit: int = LIMIT) -> list[Name]:
    qs = Person.objects.all()
    number = _as_id(text)
    if text:
        found = Q(full_name__icontains=text) | Q(login__icontains=text)
        if number is not None:
            found |= Q(coupa_id=number)
        qs = qs.filter(found)
    exact = Q(login__iexact=text) | (Q(coupa_id=number) if number is not None else Q(pk__in=[]))
    starts = Q(full_name__istartswith=text) | Q(login__istartswith=text)
    rows = _ranked(qs, text, exact, starts, [Upper("full_name"), "coupa_id"]).only(
        "coupa_id", "full_name", "login"
    )[:limit]
    names = [Name(row.coupa_id, row.label, row.login, known=True) for row in rows]
    return _with_typed_id(names, number, person_fallback, limit)


def units(text: str, limit: int = LIMIT) -> list[Name]:
    qs = Unit.objects.all()
    number = _as_id(text)
    if text:
        found = Q(code__icontains=text) | Q(name__icontains=text)
        if number is not None:
            found |= Q(coupa_id=number)
        qs = qs.filter(found)
    exact = Q(code__iexact=text) | (Q(coupa_id=number) if number is not None else Q(pk__in=[]))
    starts = Q(code__istartswith=text) | Q(name__istartswith=text)
    rows = _ranked(qs, text, exact, starts, [Upper("code"), "coupa_id"]).only(
        "coupa_id", "code", "name"
    )[:limit]
    names = [Name(row.coupa_id, row.code, row.name, known=True) for row in rows]
    return _with_typed_id(names, number, unit_fallback, limit)


def _with_typed_id(names: list[Name], number: int | None, fallback, limit: int) -> list[Name]:
    """A typed id the directory has no name for (a missing scope, names off, a young cache) is
    offered as itself ("Supplier 78"), so a filter or a new inspection never needs a name."""
    if number is None or any(name.coupa_id == number for name in names):
        return names
    return [fallback(number), *names][:limit]
