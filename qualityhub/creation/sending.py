"""Sending creation requests to Coupa so that each external id makes at most one inspection.

A request is first claimed: a row per external id, inserted or taken over with one conditional
UPDATE, so of two submits with the same key only one sends. Before the POST goes out the row is
marked `uncertain`; only a definite answer clears it. Whoever sends a request that is still
uncertain (after a timeout, a crash, a retry) asks Coupa for the external id first.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import NoReturn

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from qualityhub.audit.record import record
from qualityhub.celery import enqueue_on_commit
from qualityhub.coupa import (
    CoupaClient,
    CoupaError,
    CoupaUnavailable,
    CoupaValidationError,
)
from qualityhub.coupa.schemas import Inspection
from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.sync.pull import run_sync

logger = logging.getLogger(__name__)

State = CreationRequest.State
ACTION = "create-inspection"
# Longer than a create task's hard time limit and than a web request can spend on one create,
# so a claim this old belongs to a process that died.
STALE_AFTER = timedelta(minutes=5)
IN_FLIGHT = (State.PENDING, State.SENDING, State.WAITING)


def claim_for_form(
    external_id: str, payload: str, *, user, key_generated: bool
) -> tuple[CreationRequest, bool]:
    """(the row for this key, True when this caller may send it now)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            row = CreationRequest.objects.create(
                external_id=external_id,
                payload=payload,
                user=user,
                key_generated=key_generated,
                state=State.SENDING,
                claimed_at=now,
            )
        return row, True
    except IntegrityError:
        pass
    # A refused or failed request may be sent again (corrected); a live one is left alone.
    retake = Q(state__in=[State.REFUSED, State.FAILED]) | _stale(now)
    taken = CreationRequest.objects.filter(retake, external_id=external_id).update(
        state=State.SENDING,
        claimed_at=now,
        payload=payload,
        user=user,
        error="",
        field_errors={},
        finished_at=None,
    )
    return CreationRequest.objects.get(external_id=external_id), bool(taken)


def claim_queued(request_id: int) -> CreationRequest | None:
    """The queued request, now claimed by the caller, or None when it is not the caller's."""
    now = timezone.now()
    queued = Q(state__in=[State.PENDING, State.WAITING]) | _stale(now)
    if not CreationRequest.objects.filter(queued, pk=request_id).update(
        state=State.SENDING, claimed_at=now
    ):
        return None
    return CreationRequest.objects.get(pk=request_id)


def _stale(now) -> Q:
    return Q(state=State.SENDING, claimed_at__lt=now - STALE_AFTER)


def stalled_request_ids(now=None, limit: int = 5000) -> list[int]:
    """Queued requests that no task is working on, for the sweeper to queue again.

    That is nothing claimed by anyone for CREATION_STALLED_MINUTES (a worker going through
    a long import, or retrying while Coupa is down, claims a request every few minutes at most,
    so its queued tasks are left alone), and then:
    - pending, confirmed before then: its task was never queued (the broker was out of reach at
      the commit) or was lost (a broker that forgot its queue, a worker killed after fetching
      it from the demo's filesystem broker);
    - waiting to retry: the retry was lost (not queued while the broker was down, or held by a
      worker that died); a retry waits less than the threshold (backoff at most 5 min), unless
      Coupa's Retry-After asks for longer: then the early task finds Coupa still unavailable
      and waits again, at worst one more attempt;
    - sending, for an import: its worker died mid-send (`claim_queued` takes such a claim over
      once it is STALE_AFTER old, and `deliver` asks Coupa for the external id first).
    A request sent from the form is left to the person who sent it.

    Queuing one again whose task is still in the queue is harmless: whichever runs first claims
    it (`claim_queued`), the other finds it settled or claimed and sends nothing.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.CREATION_STALLED_MINUTES)
    if CreationRequest.objects.filter(claimed_at__gte=cutoff).exists():
        return []
    pending = Q(state=State.PENDING) & (
        Q(batch__confirmed_at__lt=cutoff) | Q(batch__isnull=True, created_at__lt=cutoff)
    )
    waiting = Q(state=State.WAITING)
    dead = Q(state=State.SENDING, batch__isnull=False) & Q(claimed_at__lt=now - STALE_AFTER)
    rows = CreationRequest.objects.filter(pending | waiting | dead).order_by("pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def wait_until_settled(row: CreationRequest, timeout: float = 10.0) -> CreationRequest:
    """Wait (briefly) for another submit of the same key to finish sending it."""
    deadline = time.monotonic() + timeout
    while row.state in IN_FLIGHT and time.monotonic() < deadline:
        time.sleep(0.2)
        row.refresh_from_db()
    return row


def deliver(
    row: CreationRequest, client: CoupaClient, *, retry_later: bool = False
) -> CreationRequest:
    """Send one claimed request; the outcome is kept on the row and in the audit trail.

    Returns the row (created, refused or failed). Raises `CoupaUnavailable` after recording it
    when Coupa could not be reached, so a task can retry (`retry_later` says it will).
    """
    wait = _unsettled_for(row, client)
    if wait > 0:
        _not_yet(row, wait, retry_later)
    sent = False
    try:
        if row.uncertain or (not row.key_generated and row.attempts == 0):
            found = client.find_by_external_id(row.external_id)
            if found is not None and row.uncertain:
                return _created(row, found, "found in Coupa after an unanswered attempt")
            if found is not None:
                message = f"is already used by inspection {found.id} in Coupa"
                return _refused(row, {"externalInspectionId": [message]}, message)
        row.attempts += 1
        row.uncertain, row.sent_at = True, timezone.now()
        row.save(update_fields=["attempts", "uncertain", "sent_at"])
        sent = True
        created = client.create_inspection(row.wire())
    except CoupaValidationError as exc:
        if sent:
            return _refused(row, exc.field_errors, exc.message, exc.body)
        return _failed(row, f"Coupa refused the look-up of {row.external_id}: {exc}", exc.body)
    except CoupaUnavailable as exc:
        found = _look_up_after(client, row, exc) if sent else None
        if found is not None:
            return _created(row, found, "found in Coupa after an unanswered attempt")
        _unavailable(row, exc, sent, retry_later)
        raise
    except CoupaError as exc:
        return _failed(row, f"{type(exc).__name__}: {exc}", exc.body)
    return _created(row, created, "")


def _unsettled_for(row: CreationRequest, client: CoupaClient) -> float:
    """Seconds until an unanswered create may be taken as not applied if Coupa does not have it.

    A create that timed out may still be running in Coupa; looking it up at once can miss it.
    Twice the read timeout after it was sent, a miss is taken to mean it never landed.
    """
    if not row.uncertain or row.sent_at is None:
        return 0.0
    settle = timedelta(seconds=2 * client.timeout[1])
    return max(0.0, (row.sent_at + settle - timezone.now()).total_seconds())


def _not_yet(row: CreationRequest, wait: float, retry_later: bool) -> NoReturn:
    """Too soon to tell whether the last attempt landed: nothing is sent, nothing is audited."""
    row.state = State.WAITING if retry_later else State.FAILED
    row.error = f"Coupa did not answer the last attempt; it can be checked in {wait:.0f} s"
    row.save(update_fields=["state", "error"])
    raise CoupaUnavailable(row.error, retry_after=wait)


def _look_up_after(
    client: CoupaClient, row: CreationRequest, exc: CoupaUnavailable
) -> Inspection | None:
    """The inspection an unanswered create may have made (a quick look; a miss stays uncertain)."""
    if not exc.maybe_applied:
        return None
    try:
        return client.find_by_external_id(row.external_id)
    except CoupaError:
        return None


def _created(row: CreationRequest, inspection: Inspection, how: str) -> CreationRequest:
    row.state, row.coupa_id, row.uncertain = State.CREATED, inspection.id, False
    row.error, row.field_errors, row.finished_at = "", {}, timezone.now()
    row.save()
    lines = inspection.characteristics or ()
    answer = {
        "id": inspection.id,
        "status": inspection.status,
        "externalInspectionId": row.external_id,
        "characteristicIds": [line.id for line in lines],
    }
    summary = f"Created inspection {inspection.id} ({row.external_id}, {len(lines)} lines)"
    record(
        inspection.id,
        ACTION,
        f"{summary}, {how}" if how else summary,
        user=row.user,
        outcome="succeeded",
        coupa_answer=json.dumps(answer),
    )
    return row


def _refused(
    row: CreationRequest, field_errors: dict[str, list[str]], message: str, body: str = ""
) -> CreationRequest:
    row.state, row.uncertain, row.finished_at = State.REFUSED, False, timezone.now()
    row.error, row.field_errors = message, field_errors
    row.save()
    record(
        None,  # no inspection exists to hang it on
        ACTION,
        f"Coupa refused inspection request {row.external_id}: {message}",
        user=row.user,
        outcome="failed",
        coupa_answer=body or json.dumps({"errors": field_errors}),
    )
    return row


def _unavailable(
    row: CreationRequest, exc: CoupaUnavailable, sent: bool, retry_later: bool
) -> None:
    if sent:
        row.uncertain = exc.maybe_applied
    row.state = State.WAITING if retry_later else State.FAILED
    row.error = str(exc)
    row.finished_at = None if retry_later else timezone.now()
    row.save()
    then = "will retry" if retry_later else "not sent"
    record(
        None,  # no inspection exists to hang it on
        ACTION,
        f"Coupa unavailable for inspection request {row.external_id} ({then}): {exc}",
        user=row.user,
        outcome="failed",
        coupa_answer=exc.body or str(exc),
    )


def _failed(row: CreationRequest, message: str, body: str) -> CreationRequest:
    row.state, row.error, row.finished_at = State.FAILED, message, timezone.now()
    row.save()
    record(
        None,  # no inspection exists to hang it on
        ACTION,
        f"Inspection request {row.external_id} failed: {message}",
        user=row.user,
        outcome="failed",
        coupa_answer=body or message,
    )
    return row


def cache_created(client: CoupaClient, coupa_id: int) -> bool:
    """Read the new inspection back into the cache now; False when that has to wait for the
    next sync (another sync holds the lock, or Coupa did not answer)."""
    try:
        run = run_sync("one", client=client, coupa_id=coupa_id, attachments="skip")
    except CoupaError as exc:
        logger.warning("created inspection %s not cached yet: %s", coupa_id, exc)
        return False
    return run.outcome == "succeeded"


def queue_batch(batch: ImportBatch) -> list[int]:
    """Turn a previewed batch's error-free entries into queued requests (once, however often
    it is confirmed) and enqueue one task each after the transaction commits."""
    from qualityhub.creation.tasks import create_requested_inspection

    queued: list[int] = []
    with transaction.atomic():
        confirmed = ImportBatch.objects.filter(
            pk=batch.pk, state=ImportBatch.State.PREVIEWED
        ).update(state=ImportBatch.State.CONFIRMED, confirmed_at=timezone.now())
        if not confirmed:
            return queued
        for position, entry in enumerate(batch.entries):
            if entry["errors"] or not entry["payload"]:
                continue
            row = _queue_entry(batch, position, entry)
            if row is not None:
                queued.append(row.pk)
                # A broker out of reach at the commit is logged: the row stays pending and
                # `resume_stalled_creations` queues it again (see `stalled_request_ids`).
                enqueue_on_commit(create_requested_inspection, row.pk)
    return queued


def _queue_entry(batch: ImportBatch, position: int, entry: dict) -> CreationRequest | None:
    fields = {
        "payload": entry["payload"],
        "user": batch.user,
        "batch": batch,
        "position": position,
        "state": State.PENDING,
    }
    try:
        with transaction.atomic():
            return CreationRequest.objects.create(
                external_id=entry["external_id"], key_generated=entry["key_generated"], **fields
            )
    except IntegrityError:
        pass
    # Sent before from elsewhere: only a refused or failed one is taken over by this import.
    retake = CreationRequest.objects.filter(
        external_id=entry["external_id"], state__in=[State.REFUSED, State.FAILED]
    )
    if not retake.update(error="", field_errors={}, finished_at=None, **fields):
        return None
    return CreationRequest.objects.get(external_id=entry["external_id"])
