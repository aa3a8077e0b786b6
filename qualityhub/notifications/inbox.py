"""A person's own notifications and choices: what the bell counts, the page lists, "mark read"
changes, and the settings page reads and saves. Every read is limited to the reader's own rows
and to the suppliers they may still see (a right taken away hides what it had let in)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from qualityhub.accounts.access import Access
from qualityhub.notifications.audience import Choices, choices_of, defaults_for
from qualityhub.notifications.models import Notification, NotificationSettings

PAGE_SIZE = 50
#: The bell shows "99+" above this: counting further costs time and tells nobody more.
COUNT_CAP = 99


def mine(access: Access) -> QuerySet:
    return Notification.objects.seen_by(access)


def unread_count(access: Access) -> int:
    """Unread notifications, up to COUNT_CAP + 1 (one query over a partial index)."""
    unread = mine(access).filter(read_at=None).order_by()
    return unread[: COUNT_CAP + 1].count()


@dataclass(frozen=True)
class Page:
    notifications: list[Notification]
    next_before: int | None  # the id to continue below, or None on the last page


def page(access: Access, *, unread_only: bool, before: int | None) -> Page:
    """Newest first, PAGE_SIZE at a time, continuing below `before` (keyset paging)."""
    rows = mine(access).select_related("event").order_by("-pk")
    if unread_only:
        rows = rows.filter(read_at=None)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    found = list(rows[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return Page(found, found[-1].pk if more else None)


def mark_read(access: Access, ids: Iterable[int]) -> int:
    return mine(access).filter(pk__in=list(ids), read_at=None).update(read_at=timezone.now())


def mark_all_read(access: Access) -> int:
    return mine(access).filter(read_at=None).update(read_at=timezone.now())


def choices_for(user, access: Access, time_zone: str = "UTC") -> Choices:
    """The person's stored choices, or their role's defaults (in the browser's time zone)."""
    row = NotificationSettings.objects.filter(user=user).first()
    return choices_of(row) if row else defaults_for(access.roles, time_zone)


def save_choices(user_id: int, choices: Choices) -> None:
    NotificationSettings.objects.update_or_create(
        user_id=user_id,
        defaults={
            "kinds": sorted(choices.kinds),
            "supplier_ids": sorted(choices.supplier_ids),
            "item_ids": sorted(choices.item_ids),
            "delivery": choices.delivery,
            "digest_hour": choices.digest_hour,
            "time_zone": choices.time_zone,
            "weekly_summary": choices.weekly_summary,
        },
    )


def forget_choices(user) -> None:
    """Back to the role's defaults."""
    NotificationSettings.objects.filter(user=user).delete()
