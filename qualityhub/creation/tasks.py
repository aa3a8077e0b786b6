"""Celery's door to creating inspections: one task per queued request of an import."""

from __future__ import annotations

from celery import shared_task

from qualityhub.celery import retry_while_coupa_unavailable
from qualityhub.coupa import CoupaUnavailable, client_from_settings
from qualityhub.creation.models import CreationRequest
from qualityhub.creation.sending import (
    STALE_AFTER,
    cache_created,
    claim_queued,
    deliver,
    stalled_request_ids,
)

RETRYING = retry_while_coupa_unavailable()


@shared_task(bind=True, **RETRYING, soft_time_limit=60, time_limit=90)
def create_requested_inspection(self, request_id: int) -> dict:
    """Send one queued request. A retry after an unanswered attempt asks Coupa for the external
    id before sending again (see `deliver`)."""
    row = claim_queued(request_id)
    if row is None:
        state = CreationRequest.objects.filter(pk=request_id).values_list("state", flat=True)
        if state and state[0] == CreationRequest.State.SENDING:
            # Claimed by a worker that may have died mid-send: look again once its claim is stale.
            raise self.retry(countdown=STALE_AFTER.total_seconds())
        return {"request": request_id, "state": state[0] if state else "missing"}
    client = client_from_settings()
    try:
        row = deliver(row, client, retry_later=self.request.retries < self.max_retries)
    except CoupaUnavailable as exc:
        if exc.retry_after and self.request.retries < self.max_retries:
            # Coupa (or an unanswered attempt) says when to look again: not the backoff's guess.
            raise self.retry(exc=exc, countdown=exc.retry_after + 1) from exc
        raise
    cached = row.state == CreationRequest.State.CREATED and cache_created(client, row.coupa_id)
    return {"request": request_id, "state": row.state, "coupa_id": row.coupa_id, "cached": cached}


@shared_task(soft_time_limit=60, time_limit=90)
def resume_stalled_creations() -> int:
    """Queue again the requests no task is working on (for a periodic schedule; see
    `stalled_request_ids`). A second task for a request is harmless: one claims it."""
    request_ids = stalled_request_ids()
    for request_id in request_ids:
        create_requested_inspection.delay(request_id)
    return len(request_ids)
