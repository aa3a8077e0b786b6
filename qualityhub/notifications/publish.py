"""Turning what happened into notifications, in bulk and exactly once.

`publish(drafts)` is the one door: the sync's observations, the time-based scan, an assignment
and a note all call it, inside their own transaction (an event commits with what caused it, or
not at all). An event whose key exists already is not told again, so a sync run twice, a
redelivered task or a retry after a killed worker adds nothing; `Notification`'s unique
(event, user) stops even two processes racing on the same new event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from qualityhub.notifications import lines
from qualityhub.notifications.audience import Listener, listeners
from qualityhub.notifications.models import Event, Notification

BATCH = 1000
PAIRS_BATCH = 20_000


@dataclass(frozen=True)
class EventDraft:
    """An event to publish. Its line is given by `line_args` (`lines.py` writes it in each
    reader's language; `summary` is then its English, filled in here), or by a plain `summary`
    shown as is."""

    key: str
    kind: str
    summary: str = ""
    inspection_id: int | None = None
    characteristic_id: int | None = None
    supplier_id: int | None = None
    item_id: int | None = None
    actor_id: int | None = None
    person_id: int | None = None
    at: datetime | None = None
    line_args: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.line_args is not None and not self.summary:
            object.__setattr__(self, "summary", lines.english(self.kind, self.line_args))


def publish(drafts: Iterable[EventDraft], *, audience: list[Listener] | None = None) -> int:
    """Record the drafts not recorded yet and notify each person who wants them; returns the
    notifications made. A constant number of queries per thousand drafts, not per notification."""
    unique = {draft.key[:200]: draft for draft in drafts}
    if not unique:
        return 0
    now = timezone.now()
    made = 0
    keys = list(unique)
    with transaction.atomic():
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            known = set(Event.objects.filter(key__in=chunk).values_list("key", flat=True))
            new = [unique[key] for key in chunk if key not in known]
            if not new:
                continue
            Event.objects.bulk_create(
                [_event(key, draft, now) for key, draft in ((d.key[:200], d) for d in new)],
                ignore_conflicts=True,
            )
            events = list(Event.objects.filter(key__in=[d.key[:200] for d in new]))
            if audience is None:
                audience = listeners()
            made += _notify(events, audience, now)
    return made


def _event(key: str, draft: EventDraft, now: datetime) -> Event:
    return Event(
        key=key,
        kind=draft.kind,
        at=draft.at or now,
        summary=draft.summary[:300],
        line_args=draft.line_args,
        inspection_id=draft.inspection_id,
        characteristic_id=draft.characteristic_id,
        supplier_id=draft.supplier_id,
        item_id=draft.item_id,
        actor_id=draft.actor_id,
        person_id=draft.person_id,
    )


def _notify(events: list[Event], audience: list[Listener], now: datetime) -> int:
    pairs = [
        (event.pk, person.user_id) for event in events for person in audience if person.wants(event)
    ]
    if connection.vendor == "postgresql":
        _insert_pairs(pairs, now)
    else:
        Notification.objects.bulk_create(
            [Notification(event_id=e, user_id=u, created_at=now) for e, u in pairs],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
    return len(pairs)


def _insert_pairs(pairs: list[tuple[int, int]], now: datetime) -> None:
    """PostgreSQL: the notifications as two arrays, one INSERT per PAIRS_BATCH (bench/
    notify_sync.py: several times faster than the ORM building a model per row)."""
    table = Notification._meta.db_table
    sql = (
        f"INSERT INTO {table} (event_id, user_id, created_at)"  # the table: ours, not input
        " SELECT e, u, %s FROM unnest(%s::bigint[], %s::bigint[]) AS t(e, u)"
        " ON CONFLICT (event_id, user_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), PAIRS_BATCH):
            chunk = pairs[start : start + PAIRS_BATCH]
            cursor.execute(sql, [now, [e for e, _ in chunk], [u for _, u in chunk]])
