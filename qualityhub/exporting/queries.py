"""What the exported-flag requests stand at: batches a user may see, a batch's progress, the
items whose task was lost, an inspection's latest request. Reads only; `services.py` writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qualityhub.accounts.access import Access
from qualityhub.exporting.models import ExportBatch, ExportItem

MAX_STALLED = 20_000  # items queued again by one sweep
# Longer than the longest wait between two retries (10 min), so only a lost task looks stale.
STALE_AFTER = timedelta(minutes=15)
Outcome = ExportItem.Outcome


def batches_seen_by(access: Access) -> QuerySet[ExportBatch]:
    """The batches this user may see: the rule is `ExportBatch`'s own (`seen_by`), which the
    access gate applies too."""
    return ExportBatch.objects.seen_by(access)


@dataclass(frozen=True)
class Progress:
    pending: int = 0
    succeeded: int = 0
    failed: int = 0
    superseded: int = 0
    stale: bool = False  # pending items whose task was lost (see `exports_idle`)

    @property
    def done(self) -> bool:
        return self.pending == 0

    @property
    def retryable(self) -> int:
        return self.failed + (self.pending if self.stale else 0)


def progress_of(batch: ExportBatch) -> Progress:
    counts = batch.items.aggregate(
        pending=Count("pk", filter=Q(outcome=Outcome.PENDING)),
        succeeded=Count("pk", filter=Q(outcome=Outcome.SUCCEEDED)),
        failed=Count("pk", filter=Q(outcome=Outcome.FAILED)),
        superseded=Count("pk", filter=Q(outcome=Outcome.SUPERSEDED)),
    )
    return Progress(**counts, stale=bool(counts["pending"]) and exports_idle())


def exports_idle(now: datetime | None = None) -> bool:
    """No item settled or retried for STALE_AFTER: a pending item then has lost its task.

    Measured across all batches, because a batch queued behind a long one waits its turn.
    """
    cutoff = (now or timezone.now()) - STALE_AFTER
    return not ExportItem.objects.filter(updated_at__gte=cutoff).exists()


def is_stale(item: ExportItem, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return item.is_pending and item.updated_at < now - STALE_AFTER and exports_idle(now)


def stalled_item_ids() -> list[int]:
    """Every pending item, when nothing has moved for STALE_AFTER: their tasks were lost, or
    never queued (the broker was out of reach at the commit; an item's `updated_at` starts at
    its creation, so such an item counts as quiet from then on)."""
    if not exports_idle():
        return []
    pending = ExportItem.objects.filter(outcome=Outcome.PENDING).order_by("pk")
    return list(pending.values_list("pk", flat=True)[:MAX_STALLED])


def latest_item(inspection_id: int) -> ExportItem | None:
    """The last exported-flag request for an inspection, with its batch."""
    return (
        ExportItem.objects.filter(inspection_id=inspection_id)
        .select_related("batch")
        .order_by("-pk")
        .first()
    )
