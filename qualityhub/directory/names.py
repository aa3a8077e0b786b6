"""Names for Coupa's ids, as the pages show them: one query per kind for a whole page.

An id the directory does not know (yet, or ever: a missing scope, an id Coupa does not know)
reads as Coupa's id with a word before it ("Supplier 8", "User 508"), and `known` is False.
A page never calls Coupa for a name (see `refresh.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
    return Name(coupa_id, f"Supplier {coupa_id}")


def person_fallback(coupa_id: int) -> Name:
    return Name(coupa_id, f"User {coupa_id}")


def unit_fallback(coupa_id: int) -> Name:
    return Name(coupa_id, f"unit {coupa_id}")


def item_fallback(coupa_id: int) -> Name:
    return Name(coupa_id, f"Item {coupa_id}")


def supplier_names(ids: Iterable[int | None]) -> dict[int, Name]:
    """Every id asked for, known or not, in one query."""
    wanted = _wanted(ids)
    found = {
        row.coupa_id: Name(row.coupa_id, row.label, row.number, known=True)
        for row in Supplier.objects.filter(coupa_id__in=wanted).only(
            "coupa_id", "name", "display_name", "number"
        )
    }
    return {i: found.get(i) or supplier_fallback(i) for i in wanted}


def person_names(ids: Iterable[int | None]) -> dict[int, Name]:
    wanted = _wanted(ids)
    found = {
        row.coupa_id: Name(row.coupa_id, row.label, row.login, known=True)
        for row in Person.objects.filter(coupa_id__in=wanted).only("coupa_id", "full_name", "login")
    }
    return {i: found.get(i) or person_fallback(i) for i in wanted}


def unit_names(ids: Iterable[int | None]) -> dict[int, Name]:
    wanted = _wanted(ids)
    found = {
        row.coupa_id: Name(row.coupa_id, row.code, row.name, known=True)
        for row in Unit.objects.filter(coupa_id__in=wanted).only("coupa_id", "code", "name")
    }
    return {i: found.get(i) or unit_fallback(i) for i in wanted}


def item_names(ids: Iterable[int | None]) -> dict[int, Name]:
    wanted = _wanted(ids)
    found = {
        row.coupa_id: Name(row.coupa_id, str(row), row.number, known=True)
        for row in Item.objects.filter(coupa_id__in=wanted).only("coupa_id", "name", "number")
    }
    return {i: found.get(i) or item_fallback(i) for i in wanted}


def supplier_name(coupa_id: int | None) -> Name:
    return NOBODY if coupa_id is None else supplier_names([coupa_id])[coupa_id]


def person_name(coupa_id: int | None) -> Name:
    return NOBODY if coupa_id is None else person_names([coupa_id])[coupa_id]


def unit_name(coupa_id: int | None) -> Name:
    return NOBODY if coupa_id is None else unit_names([coupa_id])[coupa_id]


def item_name(coupa_id: int | None) -> Name:
    return NOBODY if coupa_id is None else item_names([coupa_id])[coupa_id]
