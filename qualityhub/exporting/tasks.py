"""Celery's door to the exported flags: a task takes item ids and calls `send_items`;
`queue_batch` queues a recorded batch's items, in chunks, once it is committed.

Coupa being unavailable is retried here with exponential backoff and jitter, for hours rather
than minutes, because a bulk action at month end must outlive a Coupa maintenance window; items
already settled are skipped on a retry, so a retried chunk re-sends only what is left. On the last
try the remaining items fail with the reason instead, and the batch page offers to send them again.
"""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from qualityhub.celery import enqueue_on_commit
from qualityhub.coupa import CoupaUnavailable, client_from_settings
from qualityhub.exporting.models import ExportBatch
from qualityhub.exporting.queries import stalled_item_ids
from qualityhub.exporting.services import send_items

CHUNK_SIZE = 25  # items per task: few tasks for a big batch, little re-sent after a retry

RETRYING = {
    # A soft time limit leaves the chunk's unsent items pending: a retry sends them.
    "autoretry_for": (CoupaUnavailable, SoftTimeLimitExceeded),
    # Optional settings (as ATTACHMENT_RETRY_*); by default 1.5 h of retries on average, 3 at most.
    "retry_backoff": settings.EXPORT_RETRY_BACKOFF,
    "retry_backoff_max": settings.EXPORT_RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": settings.EXPORT_MAX_RETRIES,
}


# A chunk is 25 calls of well under a second each; 5 minutes means Coupa is crawling.
@shared_task(bind=True, **RETRYING, soft_time_limit=300, time_limit=360)
def send_export_flags(self, item_ids: list[int]) -> dict:
    give_up = self.request.retries >= self.max_retries
    return send_items(client_from_settings(), item_ids, give_up=give_up)


@shared_task(soft_time_limit=60, time_limit=90)
def resume_stalled_exports() -> int:
    """Queue again the pending items whose task was lost (for a periodic schedule)."""
    item_ids = stalled_item_ids()
    for start in range(0, len(item_ids), CHUNK_SIZE):
        send_export_flags.delay(item_ids[start : start + CHUNK_SIZE])
    return len(item_ids)


def queue_batch(batch: ExportBatch) -> None:
    """Queue a recorded batch's items, in chunks, once the transaction commits (at once outside
    one). A broker out of reach then is logged: the items stay pending and
    `resume_stalled_exports` queues them again (see `stalled_item_ids`)."""
    item_ids = list(batch.items.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(item_ids), CHUNK_SIZE):
        enqueue_on_commit(send_export_flags, item_ids[start : start + CHUNK_SIZE])
