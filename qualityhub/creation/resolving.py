"""What an import's cells name: a supplier, item, unit or person by Coupa's id, or by what a
person knows it by (a supplier's name, display name or number, a unit's code, a person's login,
e-mail or full name, an item's name or number).

An import (`importing.py`) hands over the distinct cells of a column for the whole file at once:
each column costs two queries (the matches, then their names), whatever the file's size. Only
the directory's tables are read (`directory.models`), never Coupa.
- A text matches exactly, in any case. One record: that one. Several: an error on the row that
  names the candidates (a few, and how many more), so the person writes the id they mean. None:
  an error, which says so when the directory holds no names of that kind at all.
- A whole number is Coupa's id when the directory knows that id; else it may be a record's
  number (a supplier numbered "1001"); else it is taken as an id the directory has no name for
  (a missing scope, a young cache), shown as "Supplier 99", and left to Coupa to judge.
- Other numbers ("4.5", "0", an id out of range) are left to the form's own messages.
A user limited to some suppliers resolves only those; the others' names are never shown to them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Model, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualityhub.coupa.schemas import MAX_ID, MIN_ID
from qualityhub.directory.models import Item, Person, Supplier, Unit
from qualityhub.directory.names import (
    Name,
    item_names,
    person_names,
    supplier_names,
    unit_names,
)

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access

# A cell longer than any name names nothing (and is not sent to the database as a key).
MAX_CELL = 255
# The rows one column's matches may read: names are unique in Coupa, display names need not be.
MAX_MATCHES = 2000
# Name terms in one query (SQLite's limit on an expression's depth is 1,000).
MAX_TERMS = 600
# Candidates named in the message about an ambiguous cell.
SHOWN_CANDIDATES = 5
# Left to the form's rules ("Enter a whole number.", the id's range): it is no name.
_NUMBERISH = re.compile(r"[-+]?[0-9]*([.,][0-9]*)?([eE][-+]?[0-9]+)?")


@dataclass(frozen=True)
class Kind:
    """One column that names a record, and how the directory finds it."""

    noun: str  # "supplier"
    model: type[Model]
    fields: tuple[str, ...]  # matched exactly, in any case
    names: Callable[[Iterable[int]], dict[int, Name]]
    scoped: bool = False  # only what the user may see (`Access.scope`)
    # The messages, one sentence each per kind (a translation cannot assemble nouns):
    # %(cell)s, and %(count)s and %(listed)s for the ambiguous.
    ambiguous: str = ""
    unknown: str = ""
    unknown_of_yours: str = ""
    none_known: str = ""


KINDS = {
    "supplier_id": Kind(
        "supplier",
        Supplier,
        ("name", "display_name", "number"),
        supplier_names,
        scoped=True,
        ambiguous=gettext_lazy(
            "%(cell)s could be %(count)s suppliers: %(listed)s. Write the id of the one you mean."
        ),
        unknown=gettext_lazy("No supplier has the name or number %(cell)s."),
        unknown_of_yours=gettext_lazy("None of your suppliers has the name or number %(cell)s."),
        none_known=gettext_lazy(
            "QualityHub knows no supplier names yet: write Coupa's supplier id."
        ),
    ),
    "item_id": Kind(
        "item",
        Item,
        ("name", "number"),
        item_names,
        ambiguous=gettext_lazy(
            "%(cell)s could be %(count)s items: %(listed)s. Write the id of the one you mean."
        ),
        unknown=gettext_lazy("No item has the name or number %(cell)s."),
        unknown_of_yours=gettext_lazy("None of your items has the name or number %(cell)s."),
        none_known=gettext_lazy("QualityHub knows no item names yet: write Coupa's item id."),
    ),
    "uom": Kind(
        "unit",
        Unit,
        ("code", "name"),
        unit_names,
        ambiguous=gettext_lazy(
            "%(cell)s could be %(count)s units: %(listed)s. Write the id of the one you mean."
        ),
        unknown=gettext_lazy("No unit has the code or name %(cell)s."),
        unknown_of_yours=gettext_lazy("None of your units has the code or name %(cell)s."),
        none_known=gettext_lazy("QualityHub knows no unit names yet: write Coupa's unit id."),
    ),
    "requested_by": Kind(
        "person",
        Person,
        ("login", "email", "full_name"),
        person_names,
        ambiguous=gettext_lazy(
            "%(cell)s could be %(count)s persons: %(listed)s. Write the id of the one you mean."
        ),
        unknown=gettext_lazy("No person has the login, e-mail or name %(cell)s."),
        unknown_of_yours=gettext_lazy(
            "None of your persons has the login, e-mail or name %(cell)s."
        ),
        none_known=gettext_lazy("QualityHub knows no person names yet: write Coupa's person id."),
    ),
}


@dataclass(frozen=True)
class Resolved:
    """A cell read: Coupa's id and its name, or why it names no one record."""

    coupa_id: int | None = None
    name: Name | None = None
    error: str = ""

    def as_json(self) -> dict:
        name = self.name
        assert name is not None
        return {"id": self.coupa_id, "text": name.text, "detail": name.detail, "known": name.known}


def as_coupa_id(text: str) -> int | None:
    """The text as one of Coupa's ids (ASCII digits, within the range we read back), or None."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if MIN_ID <= number <= MAX_ID else None


def shown(text: str, width: int = 60) -> str:
    """A cell quoted for a message: bounded, with invisible characters written out."""
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _keys(text: str) -> set[tuple[str, str]]:
    """Equal texts in any case share a key (the database's UPPER found the rows; these say
    which cell each row matched)."""
    return (
        {("fold", text.casefold()), ("upper", text.upper()), ("lower", text.lower())}
        if text
        else set()
    )


class Directory:
    """Resolves an import's cells against the directory, as seen by one user (`access`; None:
    every supplier)."""

    def __init__(self, access: Access | None = None) -> None:
        self.access = access
        self._known_any: dict[str, bool] = {}  # kind -> the directory has any of it

    def resolve(self, column: str, cells: Iterable[str]) -> dict[str, Resolved]:
        """Each non-empty cell (stripped) of `column`: its record, or an error. A cell left out
        of the answer goes to the form's rules as it is."""
        kind = KINDS[column]
        wanted = {cell.strip() for cell in cells} - {""}
        if not wanted:
            return {}
        ids = {cell: number for cell in wanted if (number := as_coupa_id(cell)) is not None}
        rows = self._matches(kind, ids.values(), [c for c in wanted if len(c) <= MAX_CELL])
        known = {row.pk for row in rows}
        by_text: dict[tuple[str, str], set[int]] = defaultdict(set)
        for row in rows:
            for field in kind.fields:
                for key in _keys(str(getattr(row, field) or "")):
                    by_text[key].add(row.pk)
        found: dict[str, list[int]] = {}
        for cell in wanted:
            if ids.get(cell) in known:  # a whole number is Coupa's id first
                found[cell] = [ids[cell]]
            else:
                found[cell] = sorted(set().union(*(by_text.get(k, ()) for k in _keys(cell))))
        every_id = {pk for pks in found.values() for pk in pks} | set(ids.values())
        names = self._names(kind, every_id)
        answer = {}
        for cell, pks in found.items():
            if len(pks) == 1:
                answer[cell] = Resolved(pks[0], names[pks[0]])
            elif pks:
                answer[cell] = Resolved(error=self._ambiguous(kind, cell, [names[p] for p in pks]))
            elif cell in ids:  # an id the directory does not know: sent as it is
                answer[cell] = Resolved(ids[cell], names[ids[cell]])
            elif not _NUMBERISH.fullmatch(cell):
                answer[cell] = Resolved(error=self._unknown(kind, cell))
        return answer

    def names(self, column: str, cells: Iterable[str]) -> dict[str, Resolved]:
        """Each cell that is an id, with its name (a JSON import's fields are ids only)."""
        ids = {cell: number for cell in cells if (number := as_coupa_id(cell)) is not None}
        names = self._names(KINDS[column], ids.values()) if ids else {}
        return {cell: Resolved(number, names[number]) for cell, number in ids.items()}

    def _names(self, kind: Kind, ids: Iterable[int]) -> dict[int, Name]:
        """Names by id; a supplier this user may not see by its id only ("Supplier 8")."""
        names = kind.names(ids)
        access = self.access
        if kind.scoped and access is not None and access.is_limited:
            return {
                i: name if access.sees_supplier(i) else Name(i, f"{kind.noun.title()} {i}")
                for i, name in names.items()
            }
        return names

    def _matches(self, kind: Kind, ids: Iterable[int], texts: list[str]) -> list[Model]:
        # Each text in its common cases too: SQLite (the demo's database) folds only ASCII
        # letters in `iexact`, so "MÜLLER" would not find "Müller" there; `_keys` then says
        # which row matched which cell, in any case.
        # In chunks: SQLite refuses an expression deeper than 1,000 terms.
        variants = sorted(
            {v for text in texts for v in (text, text.lower(), text.upper(), text.title())}
        )
        step = MAX_TERMS // len(kind.fields)
        chunks = [
            [Q(**{f"{field}__iexact": text}) for field in kind.fields for text in part]
            for part in (variants[i : i + step] for i in range(0, len(variants), step))
        ] or [[]]
        chunks[0].append(Q(pk__in=sorted(ids)))
        found: dict[int, Model] = {}
        for terms in chunks:
            rows = kind.model.objects.filter(reduce(or_, terms))
            if kind.scoped and self.access is not None:
                rows = self.access.scope(rows, "pk")
            left = MAX_MATCHES - len(found)
            for row in rows.order_by("pk").only("coupa_id", *kind.fields)[:left]:
                found[row.pk] = row
            if len(found) >= MAX_MATCHES:
                break
        return [found[pk] for pk in sorted(found)]

    def _ambiguous(self, kind: Kind, cell: str, candidates: list[Name]) -> str:
        listed = "; ".join(_candidate(name) for name in candidates[:SHOWN_CANDIDATES])
        more = len(candidates) - SHOWN_CANDIDATES
        if more > 0:
            listed += _("; and %(count)s more") % {"count": more}
        return kind.ambiguous % {"cell": shown(cell), "count": len(candidates), "listed": listed}

    def _unknown(self, kind: Kind, cell: str) -> str:
        if kind.scoped and self.access is not None and self.access.is_limited:
            return kind.unknown_of_yours % {"cell": shown(cell)}
        message = kind.unknown % {"cell": shown(cell)}
        if kind.noun not in self._known_any:
            self._known_any[kind.noun] = kind.model.objects.exists()
        if not self._known_any[kind.noun]:
            message += " " + kind.none_known
        return message


def _candidate(name: Name) -> str:
    text = name.text if len(name.text) <= 60 else name.text[:59] + "…"
    detail = f"{name.detail[:40]}, " if name.detail else ""
    return _("%(text)s (%(detail)sid %(id)s)") % {
        "text": text,
        "detail": detail,
        "id": name.coupa_id,
    }
