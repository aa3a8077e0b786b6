"""Who may be mentioned in a note on an inspection: the active users who may see it
(`accounts.access.people_who_see`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower

from qualityhub.accounts.access import people_who_see

MAX_SUGGESTIONS = 10


def suggestions(supplier_id: int, prefix: str, *, exclude_id: int | None = None) -> list:
    """At most MAX_SUGGESTIONS of them whose username, first or last name starts with
    `prefix`, by username (the note's author left out: nobody mentions themselves)."""
    people = people_who_see(supplier_id)
    if prefix:
        people = people.filter(
            Q(username__istartswith=prefix)
            | Q(first_name__istartswith=prefix)
            | Q(last_name__istartswith=prefix)
        )
    if exclude_id is not None:
        people = people.exclude(pk=exclude_id)
    return list(
        people.order_by(Lower("username"), "pk").only("username", "first_name", "last_name")[
            :MAX_SUGGESTIONS
        ]
    )


def users_named(folded_names: list[str]) -> dict[str, tuple[int, str, bool]]:
    """username → (id, username, active) for the users whose lower-cased username is among
    `folded_names` (a note's mention candidates), in one query."""
    if not folded_names:
        return {}
    rows = (
        get_user_model()
        .objects.annotate(folded=Lower("username"))
        .filter(folded__in=folded_names)
        .values_list("pk", "username", "is_active")
    )
    return {username: (pk, username, active) for pk, username, active in rows}
