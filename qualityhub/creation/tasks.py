"""Celery's door to creating inspections: one task per queued request (from a form or an import)."""

from __future__ import annotations

from celery import shared_task

from qualityhub.celery import retry_while_coupa_unavailable
from qualityhub.coupa import CoupaUnavailable
from qualityhub.creation.queries import STALE_AFTER, stalled_request_ids
from qualityhub.creation.services import SEND_TASK, ClaimedElsewhere, send_queued

RETRYING = retry_while_coupa_unavailable()


@shared_task(bind=True, name=SEND_TASK, **RETRYING, soft_time_limit=60, time_limit=90)
def create_requested_inspection(self, request_id: int) -> dict:
    """Send one queued request (see `services.send_queued`). A retry after an unanswered attempt
    asks Coupa for the external id before sending again."""
    may_retry = self.request.retries < self.max_retries
    try:
        return send_queued(request_id, may_retry=may_retry).as_result()
    except ClaimedElsewhere as exc:
        # Claimed by a worker that may have died mid-send: look again once its claim is stale.
        raise self.retry(countdown=STALE_AFTER.total_seconds()) from exc
    except CoupaUnavailable as exc:
        if exc.retry_after and may_retry:
            # Coupa (or an unanswered attempt) says when to look again: not the backoff's guess.
            raise self.retry(exc=exc, countdown=exc.retry_after + 1) from exc
        raise


@shared_task(soft_time_limit=60, time_limit=90)
def resume_stalled_creations() -> int:
    """Queue again the requests no task is working on (for a periodic schedule; see
    `stalled_request_ids`). A second task for a request is harmless: one claims it."""
    request_ids = stalled_request_ids()
    for request_id in request_ids:
        create_requested_inspection.delay(request_id)
    return len(request_ids)
