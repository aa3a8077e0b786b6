"""The views a user is offered: their own, then those others share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Value, When

from qualityhub.savedviews.models import SavedView
from qualityhub.savedviews.services import MAX_VIEWS_PER_USER

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access

COLUMNS = ("pk", "page", "name", "query", "sort", "shared", "owner_id", "owner__username")
# Everyone's shared views could be many: a user is offered the first of them by name.
MAX_SHARED_SHOWN = 50


def views_offered(access: Access, page: str | None = None) -> list[SavedView]:
    """The user's own views (of `page`, or of every list), then the views others share, each
    group by list and name; one query, bounded."""
    rows = SavedView.objects.seen_by(access).select_related("owner").only(*COLUMNS)
    if page is not None:
        rows = rows.filter(page=page)
    theirs = Case(
        When(owner_id=access.user_id, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    found = list(rows.order_by(theirs, "name", "pk")[: MAX_VIEWS_PER_USER + MAX_SHARED_SHOWN])
    key = lambda view: (view.owner_id != access.user_id, view.page, view.name.casefold())  # noqa: E731
    return sorted(found, key=key)
