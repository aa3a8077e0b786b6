"""Names for Coupa's ids, as the pages show them: one query per kind for a whole page.

An id the directory does not know (yet, or ever: a missing scope, an id Coupa does not know)
reads as Coupa's id with a word before it ("Supplier 8", "User 508"), and `known` is False.
A page never calls Coupa for a name (see `refresh.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Model, Value
from django.utils.translation import gettext

from qualityhub.directory.models import Item, Person, Supplier, Unit


@dataclass(frozen=True, slots=True)
class Name:
    coupa_id: int | None
    text: str  # what a person reads: "Northwind Polymers", or the fallback "Supplier 8"
    detail: str = ""  # beside or on hover: a supplier's number, a person's login, a unit's name
    known: bool = False

    def __str__(self) -> str:
        return self.text


NOBODY = Name(None, "–")


def _wanted(ids: Iterable[int | None]) -> set[int]:
    return {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}


def supplier_fallback(coupa_id: int) -> Name:
    return Name(coupa_id, gettext("Supplier %(id)s") % {"id": coupa_id})


def person_fallback(coupa_id: int) -> Name:
    return Name(coupa_id, gettext("User %(id)s") % {"id": coupa_id})


def unit_fallback(coupa_id: int) -> Name:
    return Name(coupa_id, gettext("unit %(id)s") % {"id": coupa_id})


def item_fallback(coupa_id: int) -> Name:
    return Name(coupa_id, gettext("Item %(id)s") % {"id": coupa_id})


def named_supplier(row: Supplier) -> Name:
    return Name(row.coupa_id, row.label, row.number, known=True)


def named_person(row: Person) -> Name:
    return Name(row.coupa_id, row.label, row.login, known=True)


def named_unit(row: Unit) -> Name:
    return Name(row.coupa_id, row.code, row.name, known=True)


def named_item(row: Item) -> Name:
    return Name(row.coupa_id, str(row), row.number, known=True)


# What each kind's `Name` reads of its row.
SUPPLIER_COLUMNS = ("coupa_id", "name", "display_name", "number")
PERSON_COLUMNS = ("coupa_id", "full_name", "login")
UNIT_COLUMNS = ("coupa_id", "code", "name")
ITEM_COLUMNS = ("coupa_id", "name", "number")


def _names(
    model: type[Model],
    ids: Iterable[int | None],
    columns: tuple[str, ...],
    named: Callable[[Any], Name],
    fallback: Callable[[int], Name],
) -> dict[int, Name]:
    """Every id asked for, known or not, in one query."""
    wanted = _wanted(ids)
    found = {
        row.coupa_id: named(row) for row in model.objects.filter(coupa_id__in=wanted).only(*columns)
    }
    return {i: found.get(i) or fallback(i) for i in wanted}


def supplier_names(ids: Iterable[int | None]) -> dict[int, Name]:
    return _names(Supplier, ids, SUPPLIER_COLUMNS, named_supplier, supplier_fallback)


def person_names(ids: Iterable[int | None]) -> dict[int, Name]:
    return _names(Person, ids, PERSON_COLUMNS, named_person, person_fallback)


def unit_names(ids: Iterable[int | None]) -> dict[int, Name]:
    return _names(Unit, ids, UNIT_COLUMNS, named_unit, unit_fallback)


def item_names(ids: Iterable[int | None]) -> dict[int, Name]:
    return _names(Item, ids, ITEM_COLUMNS, named_item, item_fallback)


def supplier_name(coupa_id: int | None) -> Name:
    return NOBODY if coupa_id is None else supplier_names([coupa_id])[coupa_id]


def person_name(coupa_id: int | None) -> Name:
    return NOBODY if coupa_id is None else person_names([coupa_id])[coupa_id]


def unit_name(coupa_id: int | None) -> Name:
    return NOBODY if coupa_id is None else unit_names([coupa_id])[coupa_id]


def item_name(coupa_id: int | None) -> Name:
    return NOBODY if coupa_id is None else item_names([coupa_id])[coupa_id]


@dataclass(frozen=True, slots=True)
class PageNames:
    suppliers: dict[int, Name]
    people: dict[int, Name]
    units: dict[int, Name]


# Each kind's columns as one shape (id and three texts), so the kinds come in one UNION.
_SHAPES: dict[str, tuple[type[Model], tuple[str, str, str], Callable[..., Name]]] = {
    "supplier": (Supplier, ("name", "display_name", "number"), named_supplier),
    "person": (Person, ("full_name", "login", "email"), named_person),
    "unit": (Unit, ("code", "name", "name"), named_unit),
}


def page_names(
    *,
    suppliers: Iterable[int | None] = (),
    people: Iterable[int | None] = (),
    units: Iterable[int | None] = (),
) -> PageNames:
    """The names of several kinds in one query (a UNION of the small tables), for a page that
    shows a supplier, people and a unit: one round trip, not one per kind."""
    wanted = {"supplier": _wanted(suppliers), "person": _wanted(people), "unit": _wanted(units)}
    parts = [
        model.objects.filter(coupa_id__in=ids)
        .order_by()  # no ORDER BY inside a UNION (SQLite refuses one)
        .values_list(Value(kind, output_field=CharField()), "coupa_id", *columns)
        for kind, (model, columns, _named) in _SHAPES.items()
        if (ids := wanted[kind])
    ]
    found: dict[str, dict[int, Name]] = {kind: {} for kind in _SHAPES}
    if parts:
        for kind, coupa_id, *texts in parts[0].union(*parts[1:], all=True):
            model, columns, named = _SHAPES[kind]
            row = model(coupa_id=coupa_id, **dict(zip(columns, texts, strict=True)))
            found[kind][coupa_id] = named(row)
    fallbacks = {"supplier": supplier_fallback, "person": person_fallback, "unit": unit_fallback}
    every = {
        kind: {i: found[kind].get(i) or fallbacks[kind](i) for i in ids}
        for kind, ids in wanted.items()
    }
    return PageNames(every["supplier"], every["person"], every["unit"])
