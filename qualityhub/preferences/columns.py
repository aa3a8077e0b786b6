"""The columns of the inspection list and of the results list, and each user's choice of them.

Each column has a priority: on a narrower screen the lower priorities step aside (app.css,
`.col-p2` … `.col-p4`), so the page never scrolls sideways; a user hides any column they do not
want at all (the column picker), and QualityHub remembers it for them (`ListColumns`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _

from qualityhub.preferences.models import ListColumns

# The narrowest window each priority is shown in (Bootstrap's md, xl and xxl breakpoints).
SHOWN_FROM_PX = {1: 0, 2: 768, 3: 1200, 4: 1400}  # app.css says the same


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    priority: int  # 1: always, on a phone too; then from SHOWN_FROM_PX wide
    sort: str = ""  # the list's sort key, when the column sorts
    required: bool = False  # the link to the inspection: never hidden

    @property
    def css_class(self) -> str:
        return f"col-{self.key} col-p{self.priority}"

    @property
    def shown_from(self) -> int:
        return SHOWN_FROM_PX[self.priority]


INSPECTION_COLUMNS = (
    Column("id", _("Coupa id"), 1, "id", required=True),
    Column("external_id", _("External id"), 4, "external_id"),
    Column("status", _("Status"), 1, "status"),
    Column("decision", _("Decision"), 3, "decision"),
    Column("verdict", _("Verdict"), 1, "verdict"),
    Column("supplier", _("Supplier"), 1, "supplier"),
    Column("item", _("Item"), 3, "item"),
    Column("part", _("Part numbers"), 4, "part"),
    Column("po", _("PO / line"), 4, "po"),
    Column("quantity", _("Qty"), 4, "quantity"),
    Column("sample", _("Sample"), 4, "sample"),
    Column("due_date", _("Due"), 1, "due_date"),
    Column("modified", _("Modified"), 2, "modified"),
    Column("exported", _("Exported"), 2, "exported"),
    Column("assignee", _("Assignee"), 2),  # QualityHub's own (assignment/), not Coupa's
)
RESULT_COLUMNS = (
    Column("inspection", _("Inspection"), 1, required=True),
    Column("supplier", _("Supplier"), 2),
    Column("item", _("Item"), 2),
    Column("characteristic", _("Characteristic"), 1),
    Column("recorded", _("Recorded"), 1),
    Column("verdict", _("Verdict"), 1),
    Column("modified", _("Modified"), 2),
)
LISTS = {
    ListColumns.List.INSPECTIONS: INSPECTION_COLUMNS,
    ListColumns.List.RESULTS: RESULT_COLUMNS,
}


@dataclass(frozen=True)
class ColumnChoice:
    """A list's columns for one user: every column in the list's order, and those shown."""

    columns: tuple[Column, ...]
    shown: frozenset[str]

    @property
    def visible(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.key in self.shown)

    @property
    def classes(self) -> SimpleNamespace:
        """Each column's CSS classes as an attribute named by its key, for the cells
        (`css.status`): Jinja2 tries an attribute before an item, and the failed attribute
        look-up on a dict, 700 per list page, cost more than the rest of the cells' classes."""
        return SimpleNamespace(**{c.key: c.css_class for c in self.columns})

    @property
    def hides_any(self) -> bool:
        return len(self.shown) < len(self.columns)


def choice_from(list_name: str, hidden: Iterable[str]) -> ColumnChoice:
    """The choice that hides `hidden` (unknown keys and required columns ignored)."""
    columns = LISTS[list_name]
    hidden = set(hidden)
    shown = frozenset(c.key for c in columns if c.required or c.key not in hidden)
    return ColumnChoice(columns, shown)


# The session keeps a copy of the user's choice ({list name: hidden keys}), so a list page costs no
# query for it; it is read from the database once per sign-in (or per browser), and saving
# updates both. Another browser already signed in sees a new choice at its next sign-in.
SESSION_KEY = "list_columns"


def columns_for(user, list_name: str, session=None) -> ColumnChoice:
    """The columns `user` sees in `list_name`: all of them until they choose."""
    kept = session.get(SESSION_KEY, {}) if session is not None else {}
    if list_name in kept:
        return choice_from(list_name, kept[list_name])
    hidden = (
        ListColumns.objects.filter(user_id=user.pk, list_name=list_name)
        .values_list("hidden", flat=True)
        .first()
    ) or []
    if session is not None:
        session[SESSION_KEY] = {**kept, list_name: list(hidden)}
    return choice_from(list_name, hidden)


def save_columns(user, list_name: str, shown: Iterable[str], session=None) -> ColumnChoice:
    """Remember that `user` shows `shown` in `list_name` (every other column hidden)."""
    wanted = set(shown)
    hidden = [c.key for c in LISTS[list_name] if not c.required and c.key not in wanted]
    ListColumns.objects.update_or_create(
        user_id=user.pk, list_name=list_name, defaults={"hidden": hidden}
    )
    if session is not None:
        session[SESSION_KEY] = {**session.get(SESSION_KEY, {}), list_name: hidden}
    return choice_from(list_name, hidden)
