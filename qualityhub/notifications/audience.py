"""Who may be told what: every active user's rights, suppliers and choices, read in five queries
whatever their number, and the one rule (`Listener.wants`) that every channel applies (the bell,
each mail, each digest)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

from qualityhub.accounts.access import Access, accesses_of
from qualityhub.notifications.kinds import (
    DEFAULT_DELIVERY,
    DEFAULT_DIGEST_HOUR,
    DEFAULT_KINDS,
    DEFAULT_WEEKLY_SUMMARY,
    PERSONAL,
    Kind,
)
from qualityhub.notifications.models import Event, NotificationSettings
from qualityhub.preferences.language import languages_for


@dataclass(frozen=True)
class Choices:
    """A person's settings as stored, or their role's defaults."""

    kinds: frozenset[str]
    supplier_ids: frozenset[int] = frozenset()  # empty: all they may see
    item_ids: frozenset[int] = frozenset()
    delivery: str = DEFAULT_DELIVERY
    digest_hour: int = DEFAULT_DIGEST_HOUR
    time_zone: str = "UTC"
    weekly_summary: bool = False
    stored: bool = False  # False: the defaults of the person's role


def defaults_for(roles: tuple[str, ...] | list[str], time_zone: str = "UTC") -> Choices:
    kinds = {kind for role in roles for kind in DEFAULT_KINDS.get(role, ())}
    if not kinds:  # a role made in the admin: what is personal only
        kinds = set(PERSONAL)
    return Choices(
        kinds=frozenset(kinds),
        weekly_summary=any(role in DEFAULT_WEEKLY_SUMMARY for role in roles),
        time_zone=time_zone,
    )


def choices_of(row: NotificationSettings) -> Choices:
    known = set(Kind.values)
    return Choices(
        kinds=frozenset(kind for kind in row.kinds if kind in known),
        supplier_ids=frozenset(_ids(row.supplier_ids)),
        item_ids=frozenset(_ids(row.item_ids)),
        delivery=row.delivery,
        digest_hour=row.digest_hour,
        time_zone=row.time_zone,
        weekly_summary=row.weekly_summary,
        stored=True,
    )


def _ids(values) -> list[int]:
    return [
        value for value in values or () if isinstance(value, int) and not isinstance(value, bool)
    ]


@dataclass(frozen=True)
class Listener:
    user_id: int
    username: str
    email: str
    access: Access
    choices: Choices
    language: str = settings.LANGUAGE_CODE  # what mail to them is written in (language_for)

    def may_see(self, event: Event) -> bool:
        """The gate: a person who may not browse inspections, or not this supplier's, is told
        nothing of it, whatever they chose."""
        return self.access.allows("browse_inspections") and self.access.sees_supplier(
            event.supplier_id
        )

    def wants(self, event: Event) -> bool:
        if event.actor_id == self.user_id or not self.may_see(event):
            return False
        if event.kind not in self.choices.kinds:
            return False
        if event.kind in PERSONAL:
            return event.person_id == self.user_id
        if self.choices.supplier_ids and event.supplier_id not in self.choices.supplier_ids:
            return False
        return not (self.choices.item_ids and event.item_id not in self.choices.item_ids)


def listeners(user_ids=None) -> list[Listener]:
    """Every active user (or those of `user_ids`) with what they may see and what they chose."""
    users = get_user_model().objects.filter(is_active=True)
    if user_ids is not None:
        users = users.filter(pk__in=list(user_ids))
    people = list(users.values_list("pk", "username", "email", "is_superuser"))
    ids = [pk for pk, *_ in people]
    accesses = accesses_of([(pk, is_superuser) for pk, _, _, is_superuser in people])
    stored = {
        row.user_id: choices_of(row) for row in NotificationSettings.objects.filter(user__in=ids)
    }
    languages = languages_for(ids)
    return [
        Listener(
            pk,
            username,
            email,
            accesses[pk],
            stored.get(pk) or defaults_for(accesses[pk].roles),
            languages[pk],
        )
        for pk, username, email, _ in people
    ]


def listener(user_id: int) -> Listener | None:
    found = listeners([user_id])
    return found[0] if found else None
