"""A view's filters read through the list's own filter parser, at saving and at opening.

A view is stored under the filters' current names, and read back through the same parser the list
uses, so it can never open a different list without saying so: a filter the list no longer reads
(removed, or renamed without an alias below), a value it no longer takes, or a supplier the user
no longer sees is left out, and each one is named in a message ("This view's filter “x” no longer
applies and was ignored.").

Which parameters a list takes is not written down twice: the parser is asked, by reading the
query through a `QueryDict` that notes every name the parser reads (`_Watched`). A filter renamed
in the parser is therefore unknown here too, until an alias maps the old name to the new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from qualityhub.inspections.views import inspections, results
from qualityhub.savedviews.models import MAX_QUERY_LENGTH, MAX_SORT_LENGTH, Page
from qualityhub.savedviews.services import Refused
from qualityhub.ui import params
from qualityhub.ui.filters import InspectionFilters

# Where a list is, not what it shows: never part of a view.
PAGING = frozenset({"after", "before", "size"})
MAX_PAIRS = 200  # 50 suppliers and 50 items chosen are 100


@dataclass(frozen=True)
class ListPage:
    """A list a view can be saved from: its address, filter parser and sort keys."""

    url_name: str
    parse: Callable[[QueryDict], Any]  # a dataclass of filters with an `errors` dict
    sorts: Mapping[str, str]
    aliases: Mapping[str, str]  # old name of a filter -> its current name
    supplier_params: tuple[str, ...] = ("supplier",)


# Filters renamed since views were saved: {list: {old name: current name}}. When a list's filter
# is renamed, add its old name here and every view saved under it keeps working.
ALIASES: dict[str, dict[str, str]] = {Page.INSPECTIONS: {}, Page.RESULTS: {}}

LISTS: dict[str, ListPage] = {
    Page.INSPECTIONS: ListPage(
        "inspection-list",
        InspectionFilters.from_query,
        inspections.SORTS,
        ALIASES[Page.INSPECTIONS],
    ),
    Page.RESULTS: ListPage(
        "result-list", results.ResultFilters.from_query, results.SORTS, ALIASES[Page.RESULTS]
    ),
}


@dataclass(frozen=True)
class Ignored:
    """One part of a view that no longer applies: a filter (with its value, unless the whole
    filter is gone) or the sort."""

    name: str
    value: str = ""
    why: str = ""  # the parser's own words, or what else is wrong

    @property
    def shown(self) -> str:
        return f"{_shown(self.name)} = {_shown(self.value)}" if self.value else _shown(self.name)

    def opening_message(self) -> str:
        values = {"shown": self.shown, "why": self.why}
        if self.name == "sort":
            if self.why:
                return (
                    _("This view's sort “%(shown)s” no longer applies and was ignored: %(why)s")
                    % values
                )
            return _("This view's sort “%(shown)s” no longer applies and was ignored.") % values

        if self.why:
            return (
                _("This view's filter “%(shown)s” no longer applies and was ignored: %(why)s")
                % values
            )
        return _("This view's filter “%(shown)s” no longer applies and was ignored.") % values

    def saving_message(self) -> str:
        values = {"shown": self.shown, "why": self.why}
        if self.why:
            return (
                _("“%(shown)s” does not apply to this list and was left out of the view: %(why)s")
                % values
            )
        return _("“%(shown)s” does not apply to this list and was left out of the view.") % values


@dataclass(frozen=True)
class Reading:
    """A view's query as the list takes it today: the filters that apply, normalised, and
    what was left out."""

    query: str
    sort: str
    ignored: list[Ignored] = field(default_factory=list)

    def address(self, path: str) -> str:
        """The list at `path` showing this view."""
        query = self.query_with_sort
        return f"{path}?{query}" if query else path

    @property
    def query_with_sort(self) -> str:
        sort = urlencode({"sort": self.sort}) if self.sort else ""
        return "&".join(part for part in (self.query, sort) if part)


def read_query(
    page: ListPage,
    raw: str,
    *,
    sort: str | None = None,
    supplier_ids: Iterable[int] | None = None,
) -> Reading:
    """`raw` (a querystring: a list's address, or a stored view) as the list `page` reads it.
    `sort` is the view's sort, or None to take the querystring's; `supplier_ids`, the suppliers
    the user sees (None: all). Refuses (`Refused`) only a querystring too big to be a list's."""
    pairs = _pairs(raw)
    if sort is None:
        sort = next((value for key, value in reversed(pairs) if key == "sort"), "")
    pairs = [(key, value) for key, value in pairs if key != "sort" and key not in PAGING]
    pairs = [(page.aliases.get(key, key), value) for key, value in pairs]
    ignored: list[Ignored] = []
    kept = _applying(page, pairs, ignored)
    if supplier_ids is not None:
        kept = _within_scope(page, kept, frozenset(supplier_ids), ignored)
    return Reading(normalise(kept), _sort(page, sort, ignored), ignored)


def normalise(pairs: Iterable[tuple[str, str]]) -> str:
    """A querystring of the non-empty `pairs` without paging, each pair once, in order, so the
    same filters always read the same (as savedviews.js's `canonical`)."""
    seen: list[tuple[str, str]] = []
    for key, value in pairs:
        if value.strip() and key not in PAGING and (key, value) not in seen:
            seen.append((key, value))
    return urlencode(sorted(seen))


def _pairs(raw: str) -> list[tuple[str, str]]:
    if len(raw) > MAX_QUERY_LENGTH:
        raise Refused(_("These filters are too long to save as a view."))
    try:
        return parse_qsl(raw.lstrip("?"), keep_blank_values=True, max_num_fields=MAX_PAIRS)
    except ValueError:
        raise Refused(_("These filters are too many to save as a view.")) from None


def _applying(
    page: ListPage, pairs: list[tuple[str, str]], ignored: list[Ignored]
) -> list[tuple[str, str]]:
    """The pairs the parser reads and that change what it reads; one value of a filter that
    takes one (the one the parser would read: the last)."""
    watched = _Watched(pairs)
    page.parse(watched)
    unfiltered = _filters(page.parse(QueryDict()))
    kept: list[tuple[str, str]] = []
    for key in dict.fromkeys(key for key, _value in pairs):
        values = [value for k, value in pairs if k == key]
        if key not in watched.read_as_list:
            values = values[-1:]
        values = [value for value in values if value.strip()]
        if values and key not in watched.read:
            ignored.append(Ignored(key))
            continue
        for value in dict.fromkeys(values):
            parsed = page.parse(_Watched([(key, value)]))
            if parsed.errors.get(key) or _filters(parsed) == unfiltered:
                ignored.append(Ignored(key, value, parsed.errors.get(key, "")))
            else:
                kept.append((key, value))
    return kept


def _within_scope(
    page: ListPage, pairs: list[tuple[str, str]], seen: frozenset[int], ignored: list[Ignored]
) -> list[tuple[str, str]]:
    kept = []
    for key, value in pairs:
        if key in page.supplier_params and params.whole_number_or_none(value.strip()) not in seen:
            ignored.append(Ignored(key, value, _("not one of the suppliers you see.")))
        else:
            kept.append((key, value))
    return kept


def _sort(page: ListPage, sort: str, ignored: list[Ignored]) -> str:
    if not sort:
        return ""
    if len(sort) <= MAX_SORT_LENGTH and sort.removeprefix("-") in page.sorts:
        return sort
    ignored.append(Ignored("sort", sort, _("the list's usual order is used.")))
    return ""


def _filters(parsed: Any) -> dict[str, Any]:
    return {name: value for name, value in vars(parsed).items() if name != "errors"}


class _Watched(QueryDict):
    """A read-only QueryDict that notes the names read from it, and which as lists."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.read: set[str] = set()
        self.read_as_list: set[str] = set()
        super().__init__(mutable=True)
        for key, value in pairs:
            self.appendlist(key, value)
        self._mutable = False
        self.read.clear()  # filling it is no reading of the parser's

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return super().__contains__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key: str, default: Any = None) -> list:
        self.read.add(key)
        self.read_as_list.add(key)
        return super().getlist(key, default)


def _shown(value: str) -> str:
    # Enough of a value to recognise it, and nothing that is not printable.
    shown = "".join(char for char in value if char.isprintable())
    return shown if len(shown) <= 40 else f"{shown[:40]}…"
