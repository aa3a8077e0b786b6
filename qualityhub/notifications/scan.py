"""Events of time passing: an open inspection falls due soon or becomes overdue, or waits too
long for buyer review (issue 17, point 1). Nothing in Coupa changes for these, so no sync sees
them: `scan_time_events` (beat, every `NOTIFY_SCAN_SECONDS`) looks for them.

Each key holds the date that makes the event (the due date; the day the review wait began), so a
scan run again, or twice at once, adds nothing, and a moved due date or a second review is a new
event. Only what became true within the look-back window counts: the first scan of a big tenant
does not tell everyone of every inspection overdue for years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from qualityhub.analytics.models import StageStay
from qualityhub.coupa.vocabulary import OPEN_STATUSES, Status
from qualityhub.inspections.models import Inspection
from qualityhub.notifications import lines
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.observe import lookback_start, stamp
from qualityhub.notifications.publish import EventDraft, publish

FIELDS = ("coupa_id", "supplier_id", "supplier_name", "item_id", "item_name")


@dataclass(frozen=True)
class ScanResult:
    due: int  # overdue and due-soon inspections in the window (new or already told)
    waiting: int  # inspections past the review wait, in the window
    notified: int  # notifications made by this scan

    def as_dict(self) -> dict[str, int]:
        return {"due": self.due, "waiting": self.waiting, "notified": self.notified}


def scan_time_events(now: datetime) -> ScanResult:
    """Publish the time-based events true at `now`, in one transaction."""
    with transaction.atomic():
        due = due_drafts(now)
        waiting = review_waiting_drafts(now)
        # In key order: two scans at once insert the same new keys in the same order, so one
        # waits for the other instead of both deadlocking.
        notified = publish(sorted(due + waiting, key=lambda draft: draft.key))
    return ScanResult(len(due), len(waiting), notified)


def due_drafts(now: datetime) -> list[EventDraft]:
    """Overdue (due before `now`, within the look-back window) and due soon (within
    `NOTIFY_DUE_SOON_DAYS`): open inspections still in Coupa, in one query over
    (status, due_date)."""
    soon = timedelta(days=settings.NOTIFY_DUE_SOON_DAYS)
    rows = Inspection.objects.filter(
        status__in=OPEN_STATUSES,
        gone_at__isnull=True,
        due_date__gte=lookback_start(now),
        due_date__lt=now + soon,
    ).values_list(*FIELDS, "due_date")
    drafts = []
    for coupa_id, supplier_id, supplier_name, item_id, item_name, due in rows:
        args = lines.inspection_args(coupa_id, supplier_name, supplier_id, item_name)
        args["due"] = lines.iso_date(due)
        kind, at = (Kind.OVERDUE, due) if due < now else (Kind.DUE_SOON, due - soon)
        drafts.append(
            EventDraft(
                key=f"{kind}:{coupa_id}:{stamp(due)}",
                kind=kind,
                line_args=args,
                inspection_id=coupa_id,
                supplier_id=supplier_id,
                item_id=item_id,
                at=at,
            )
        )
    return drafts


def review_waiting_drafts(now: datetime) -> list[EventDraft]:
    """Inspections In Buyer Review for longer than `NOTIFY_REVIEW_WAITING_DAYS`, whose wait
    passed that length within the look-back window.

    Since when: the open stage stay's start (the sync saw the status change, dated by Coupa's
    modified time), else Coupa's submitted date (an inspection first cached in review)."""
    wait = timedelta(days=settings.NOTIFY_REVIEW_WAITING_DAYS)
    stay_start = StageStay.objects.filter(
        inspection_id=OuterRef("coupa_id"),
        stage=Status.IN_BUYER_REVIEW,
        left_at__isnull=True,
        entered_at__isnull=False,
    ).order_by("-entered_at")
    rows = (
        Inspection.objects.filter(status=Status.IN_BUYER_REVIEW, gone_at__isnull=True)
        .annotate(since=Coalesce(Subquery(stay_start.values("entered_at")[:1]), "submitted_date"))
        .filter(since__lte=now - wait, since__gte=lookback_start(now) - wait)
        .values_list(*FIELDS, "since")
    )
    drafts = []
    for coupa_id, supplier_id, supplier_name, item_id, item_name, since in rows:
        args = lines.inspection_args(coupa_id, supplier_name, supplier_id, item_name)
        args["since"] = lines.iso_date(since)
        drafts.append(
            EventDraft(
                key=f"{Kind.REVIEW_WAITING}:{coupa_id}:{stamp(since)}",
                kind=Kind.REVIEW_WAITING,
                line_args=args,
                inspection_id=coupa_id,
                supplier_id=supplier_id,
                item_id=item_id,
                at=since + wait,
            )
        )
    return drafts
