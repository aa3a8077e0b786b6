"""Who may be mentioned in a note on an inspection: the active users who may see it, by the same
rule as `accounts.access` (superusers see all; others need `browse_inspections` and, when limited
to some suppliers, the inspection's) and `notifications.audience.Listener.may_see`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from qualityhub.accounts.models import SupplierAssignment

MAX_SUGGESTIONS = 10


def who_may_see(supplier_id: int) -> QuerySet:
    """The active users who may see an inspection of `supplier_id`, in one query."""
    browse = Permission.objects.filter(
        content_type__app_label="accounts", codename="browse_inspections"
    )
    browses = Exists(browse.filter(user=OuterRef("pk"))) | Exists(
        browse.filter(group__user=OuterRef("pk"))
    )
    assignments = SupplierAssignment.objects.filter(user=OuterRef("pk"))
    sees_supplier = ~Exists(assignments) | Exists(assignments.filter(supplier_id=supplier_id))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | (browses & sees_supplier))
    )


def suggestions(supplier_id: int, prefix: str, *, exclude_id: int | None = None) -> list:
    """At most MAX_SUGGESTIONS of them whose username, first or last name starts with
    `prefix`, by username (the note's author left out: nobody mentions themselves)."""
    people = who_may_see(supplier_id)
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
