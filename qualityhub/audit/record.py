"""Writing the audit trail: one call per write, updated when its outcome is known."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from qualityhub.audit.models import AuditEvent

# The trail is kept in English (as it was written); what the timeline can say again in the
# reader's language, it does (`shown_summary`).
STATUS_CHANGED = gettext_noop("Status changed in Coupa: %(change)s")
_STATUS_PREFIX = STATUS_CHANGED.split("%(change)s", 1)[0]


def shown_summary(event: AuditEvent) -> str:
    """An event's summary in the reader's language where QualityHub knows its words (a status
    change the sync saw); any other as recorded."""
    if event.action == "status" and event.summary.startswith(_STATUS_PREFIX):
        return gettext(STATUS_CHANGED) % {"change": event.summary[len(_STATUS_PREFIX) :]}
    return event.summary


def record(
    inspection_id: int | None,
    action: str,
    summary: str,
    *,
    user=None,
    outcome: str = AuditEvent.Outcome.PENDING,
    coupa_answer: str = "",
) -> AuditEvent:
    """One write sent (or about to be sent) to Coupa. `inspection_id` None: the write concerns no
    inspection (a create that made none), so no timeline shows it."""
    return AuditEvent.objects.create(
        inspection_id=inspection_id,
        at=timezone.now(),
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        summary=summary[:300],
        outcome=outcome,
        coupa_answer=coupa_answer[:4000],
    )


def settle(event_id: int, outcome: str, coupa_answer: str = "") -> None:
    """Record how a pending write ended (called by the task that sent it)."""
    AuditEvent.objects.filter(pk=event_id).update(outcome=outcome, coupa_answer=coupa_answer[:4000])


def record_status_changes(changes: Sequence[tuple]) -> None:
    """Status changes the sync observed: (inspection id, old status, new status), optionally
    with the Coupa user id of the inspection's last editor as a fourth element."""
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            inspection_id=change[0],
            at=now,
            action="status",
            summary=STATUS_CHANGED % {"change": f"{change[1]} → {change[2]}"},
            outcome=AuditEvent.Outcome.OBSERVED,
            coupa_user_id=change[3] if len(change) > 3 else None,
        )
        for change in changes
    )


def record_many(
    inspection_ids: Iterable[int],
    action: str,
    summary: str,
    *,
    user=None,
    outcome: str = AuditEvent.Outcome.PENDING,
) -> list[AuditEvent]:
    """`record` for many inspections in one INSERT (a bulk action); returns the saved events."""
    now = timezone.now()
    events = [
        AuditEvent(
            inspection_id=inspection_id,
            at=now,
            user=user if user is not None and user.is_authenticated else None,
            action=action,
            summary=summary[:300],
            outcome=outcome,
        )
        for inspection_id in inspection_ids
    ]
    if connection.features.can_return_rows_from_bulk_insert:
        return AuditEvent.objects.bulk_create(events, batch_size=500)
    for event in events:  # the events' ids are needed to settle them later
        event.save()
    return events
