"""Creating inspections in Coupa so that each external id makes at most one inspection.

One path for the form and an import: a request is claimed (a row per external id, inserted or
taken over with one conditional UPDATE, so of two submits with the same key only one is queued)
and one Celery task per request is queued once the claim commits. The task claims it again
(`claim_queued`) and sends it (`deliver`): before the POST goes out the row is marked
`uncertain`; only a definite answer clears it. Whoever sends a request that is still uncertain
(after a timeout, a crash, a retry) asks Coupa for the external id first.

The task is queued by its name (`SEND_TASK`): `tasks` imports this module, not the reverse.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn

from celery import signature
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from qualityhub.audit.models import AuditEvent
from qualityhub.audit.record import record
from qualityhub.celery import enqueue_on_commit
from qualityhub.coupa import (
    CoupaClient,
    CoupaError,
    CoupaUnavailable,
    CoupaValidationError,
    client_from_settings,
)
from qualityhub.coupa.field_errors import error_on, errors_answer
from qualityhub.coupa.outbound import create_answer_summary
from qualityhub.coupa.schemas import Inspection
from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.creation.queries import stale_claims
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync

logger = logging.getLogger(__name__)

State = CreationRequest.State
ACTION = "create-inspection"
# The task that sends one request (`tasks.create_requested_inspection` is registered by it).
SEND_TASK = "qualityhub.creation.tasks.create_requested_inspection"


class ClaimedElsewhere(Exception):
    """Another worker is sending the request (or died doing so): look again later."""


def request_from_form(
    external_id: str, payload: str, form: dict[str, Any], *, user, key_generated: bool
) -> tuple[CreationRequest, bool]:
    """(the row for this key, True when this submit queued it). A refused or failed request,
    or one whose sender died, is taken over and queued again; a live one is left alone."""
    fields = {"payload": payload, "form": form, "user": user, "batch": None, "position": 0}
    row = _claim(external_id, key_generated, fields, retake_stale=True)
    if row is not None:
        _queue(row.pk)
        return row, True
    return CreationRequest.objects.get(external_id=external_id), False


def _claim(
    external_id: str, key_generated: bool, fields: dict[str, Any], *, retake_stale: bool
) -> CreationRequest | None:
    """The request, inserted or taken over (pending), or None when it is someone else's."""
    fields = fields | {"state": State.PENDING}
    try:
        with transaction.atomic():
            return CreationRequest.objects.create(
                external_id=external_id, key_generated=key_generated, **fields
            )
    except IntegrityError:
        pass
    retake = Q(state__in=[State.REFUSED, State.FAILED])
    if retake_stale:
        retake |= stale_claims(timezone.now())
    taken = CreationRequest.objects.filter(retake, external_id=external_id).update(
        error="", field_errors={}, finished_at=None, cached=None, **fields
    )
    return CreationRequest.objects.get(external_id=external_id) if taken else None


def _queue(request_id: int) -> None:
    # A broker out of reach at the commit is logged: the row stays pending and
    # `resume_stalled_creations` queues it again (see `queries.stalled_request_ids`).
    enqueue_on_commit(signature(SEND_TASK), request_id)


def claim_queued(request_id: int) -> CreationRequest | None:
    """The queued request, now claimed by the caller, or None when it is not the caller's."""
    now = timezone.now()
    queued = Q(state__in=[State.PENDING, State.WAITING]) | stale_claims(now)
    if not CreationRequest.objects.filter(queued, pk=request_id).update(
        state=State.SENDING, claimed_at=now
    ):
        return None
    return CreationRequest.objects.get(pk=request_id)


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
                return _refused(row, error_on("external_inspection_id", message), message)
        row.attempts += 1
        row.uncertain, row.sent_at = True, timezone.now()
        row.save(update_fields=["attempts", "uncertain", "sent_at"])
        sent = True
        created = client.create_inspection(row.payload)
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
    lines = len(inspection.characteristics or ())
    summary = f"Created inspection {inspection.id} ({row.external_id}, {lines} lines)"
    record(
        inspection.id,
        ACTION,
        f"{summary}, {how}" if how else summary,
        user=row.user,
        outcome=AuditEvent.Outcome.SUCCEEDED,
        coupa_answer=create_answer_summary(inspection, row.external_id),
    )
    return row


def _record_failure(row: CreationRequest, text: str, coupa_answer: str) -> None:
    # No inspection exists to hang it on.
    record(
        None,
        ACTION,
        text,
        user=row.user,
        outcome=AuditEvent.Outcome.FAILED,
        coupa_answer=coupa_answer,
    )


def _refused(
    row: CreationRequest, field_errors: dict[str, list[str]], message: str, body: str = ""
) -> CreationRequest:
    row.state, row.uncertain, row.finished_at = State.REFUSED, False, timezone.now()
    row.error, row.field_errors = message, field_errors
    row.save()
    _record_failure(
        row,
        f"Coupa refused inspection request {row.external_id}: {message}",
        body or errors_answer(field_errors),
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
    _record_failure(
        row,
        f"Coupa unavailable for inspection request {row.external_id} ({then}): {exc}",
        exc.body or str(exc),
    )


def _failed(row: CreationRequest, message: str, body: str) -> CreationRequest:
    row.state, row.error, row.finished_at = State.FAILED, message, timezone.now()
    row.save()
    _record_failure(row, f"Inspection request {row.external_id} failed: {message}", body or message)
    return row


def cache_created(client: CoupaClient, coupa_id: int) -> bool:
    """Read the new inspection back into the cache now; False when that has to wait for the
    next sync (another sync holds the lock, or Coupa did not answer)."""
    try:
        run = run_sync("one", client=client, coupa_id=coupa_id, attachments="skip")
    except CoupaError as exc:
        logger.warning("created inspection %s not cached yet: %s", coupa_id, exc)
        return False
    return run.outcome == SyncRun.Outcome.SUCCEEDED


def queue_batch(batch: ImportBatch) -> list[int]:
    """Turn a previewed batch's error-free entries into queued requests (once, however often
    it is confirmed) and enqueue one task each after the transaction commits."""
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
            fields = {
                "payload": entry["payload"],
                "form": None,
                "user": batch.user,
                "batch": batch,
                "position": position,
            }
            # Sent before from elsewhere: only a refused or failed one is taken over.
            row = _claim(entry["external_id"], entry["key_generated"], fields, retake_stale=False)
            if row is not None:
                queued.append(row.pk)
                _queue(row.pk)
    return queued


@dataclass(frozen=True)
class Sent:
    """What became of one queued request (the task's result)."""

    request: int
    state: str
    coupa_id: int | None = None
    cached: bool = False
    sent: bool = True  # False: it was not this task's to send (done, or gone)

    def as_result(self) -> dict[str, Any]:
        if not self.sent:
            return {"request": self.request, "state": self.state}
        return {
            "request": self.request,
            "state": self.state,
            "coupa_id": self.coupa_id,
            "cached": self.cached,
        }


def send_queued(request_id: int, *, may_retry: bool) -> Sent:
    """Send one queued request and read the new inspection into the cache.

    Raises `ClaimedElsewhere` when another worker holds the request, and `CoupaUnavailable`
    (recorded) when Coupa could not be reached for an import's request: it waits for a retry
    while `may_retry`. A form's request is settled at once as failed instead, for the person
    waiting on its page to decide whether to send it again.
    """
    row = claim_queued(request_id)
    if row is None:
        state = CreationRequest.objects.filter(pk=request_id).values_list("state", flat=True)
        if state and state[0] == State.SENDING:
            raise ClaimedElsewhere(request_id)
        return Sent(request_id, state[0] if state else "missing", sent=False)
    client = client_from_settings()
    retry_later = may_retry and row.form is None
    try:
        row = deliver(row, client, retry_later=retry_later)
    except CoupaUnavailable:
        if row.form is None:
            raise
        row.refresh_from_db()  # recorded as failed; the page says what to do
        return Sent(request_id, row.state, row.coupa_id)
    if row.state != State.CREATED:
        return Sent(request_id, row.state, row.coupa_id)
    row.cached = cache_created(client, row.coupa_id)
    row.save(update_fields=["cached"])
    return Sent(request_id, row.state, row.coupa_id, row.cached)
