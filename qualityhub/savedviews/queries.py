"""The views a user is offered: their own, then those others share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from qualityhub.savedviews.models import SavedView
from qualityhub.savedviews.services import MAX_VIEWS_PER_USER

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access

# What a queue bar shows of a view; named tuples, not models: a hundred models cost the list page
# about twice the query itself.
BAR_COLUMNS = ("pk", "name", "query", "sort", "shared", "owner_id", "owner__username")
# Everyone's shared views could be many: a user is offered the first of them by name.
MAX_SHARED_SHOWN = 50
MAX_OFFERED = MAX_VIEWS_PER_USER + MAX_SHARED_SHOWN


def views_offered(access: Access, page: str) -> list[Any]:
    """The user's own views of the list `page`, then the views others share, each group by name
    (named tuples of BAR_COLUMNS); one query, bounded."""
    rows = _offered(access).filter(page=page).values_list(*BAR_COLUMNS, named=True)
    return sorted(rows[:MAX_OFFERED], key=lambda view: _place(view, access))


def views_to_manage(access: Access) -> list[SavedView]:
    """The user's own views of every list, then the views others share."""
    rows = _offered(access).select_related("owner")[:MAX_OFFERED]
    return sorted(rows, key=lambda view: (*_place(view, access), view.page))


def _offered(access: Access) -> QuerySet[SavedView]:
    theirs = Case(
        When(owner_id=access.user_id, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return SavedView.objects.seen_by(access).order_by(theirs, "name", "pk")


def _place(view: Any, access: Access) -> tuple[bool, str]:
    return view.owner_id != access.user_id, view.name.casefold()
