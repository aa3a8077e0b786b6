"""Sending attachments to Coupa and deleting them there, one row at a time.

The row is the record of what happened (the page reads it; nobody asks Celery). An upload is
claimed with a conditional UPDATE (pending → uploading), so two workers never send one file.
Before each send the row is marked "may have landed"; only an answer proving the request was
turned away clears it. A row so marked is looked up in Coupa's list before it is sent again, so
a send that timed out after the body left never becomes a duplicate.

An upload only ever takes over the sync's mirror of its own file in its own inspection: a Coupa
id the cache holds anywhere else (another inspection, or another upload) is never moved to it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from qualityhub.attachments import storage
from qualityhub.attachments.models import Attachment
from qualityhub.audit.models import AuditEvent
from qualityhub.audit.record import settle
from qualityhub.coupa import CoupaClient, CoupaError, CoupaParseError, CoupaUnavailable
from qualityhub.coupa.errors import CoupaNotFound
from qualityhub.coupa.schemas import Attachment as CoupaAttachment
from qualityhub.notifications import lines
from qualityhub.notifications.write_failed import WriteFailures, audit_key

logger = logging.getLogger(__name__)
State = Attachment.State


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # uploaded, deleted, failed, waiting, skipped
    again: bool = False  # the task should try again later
    retry_after: float | None = None  # Coupa's own hint, seconds


def send_upload(client: CoupaClient, attachment_id: int, *, last_try: bool) -> Outcome:
    """Send one pending upload (or find that an earlier send landed) and record the outcome."""
    now = timezone.now()
    claimed = Attachment.objects.filter(pk=attachment_id, state=State.PENDING).update(
        state=State.UPLOADING, attempts=F("attempts") + 1, state_changed_at=now
    )
    if not claimed:
        return Outcome("skipped")
    row = Attachment.objects.get(pk=attachment_id)
    try:
        landed = _landed_copy(client, row) if row.may_have_landed else None
        if landed is None and row.may_have_landed and _too_soon_to_resend(row, now):
            return _wait(row, "checking whether the last attempt reached Coupa", last_try)
        if landed is None:
            landed = _upload(client, row)
    except CoupaUnavailable as exc:
        row.may_have_landed = row.may_have_landed or exc.maybe_applied
        return _wait(row, exc.message, last_try, exc.retry_after)
    except (CoupaParseError, SoftTimeLimitExceeded) as exc:
        # An answer we could not read, or our own time limit mid-send: it may be there.
        _set(row, may_have_landed=True)
        return _wait(row, str(exc) or "the send was cut short", last_try)
    except CoupaError as exc:
        return _fail(row, exc.message)
    except Exception as exc:
        _set(row, may_have_landed=True)
        _fail(row, f"unexpected error: {type(exc).__name__}")
        raise
    return _link(row, landed)


def _upload(client: CoupaClient, row: Attachment) -> CoupaAttachment:
    if not row.has_local_copy:
        raise CoupaError("QualityHub's copy of the file is missing; upload it again")
    was_in_doubt = row.may_have_landed
    _set(row, may_have_landed=True, last_sent_at=timezone.now())  # written before it is sent
    with row.local_file.open("rb") as handle:
        try:
            return client.upload_attachment(
                row.inspection_id,
                handle,
                row.file_name,
                row.content_type,
                characteristic_id=row.characteristic_id,
            )
        except CoupaUnavailable as exc:
            row.may_have_landed = was_in_doubt or exc.maybe_applied
            raise
        except CoupaError as exc:
            if not isinstance(exc, CoupaParseError):  # a refusal: it certainly did not land
                _set(row, may_have_landed=was_in_doubt)
            raise


def _landed_copy(client: CoupaClient, row: Attachment) -> CoupaAttachment | None:
    """Coupa's record of this file if an earlier send landed: same name and size, the same bytes
    (checked when QualityHub still has them), and not an id the cache holds elsewhere."""
    listing = client.list_attachments(row.inspection_id, row.characteristic_id)
    candidates = [a for a in listing if a.file_name == row.file_name and a.size in (None, row.size)]
    taken = set(_holders(row, [a.id for a in candidates]).values_list("coupa_id", flat=True))
    for candidate in candidates:
        if candidate.id in taken:
            continue
        if not row.has_local_copy:
            return candidate
        content = client.download_attachment(
            row.inspection_id, candidate.id, row.characteristic_id
        ).content
        if storage.sha256_of(content) == row.sha256:
            return candidate
    return None


def _too_soon_to_resend(row: Attachment, now) -> bool:
    settle_for = timedelta(seconds=settings.ATTACHMENT_SETTLE_SECONDS)
    return row.last_sent_at is not None and now - row.last_sent_at < settle_for


def _holders(row: Attachment, coupa_ids: list[int]) -> QuerySet[Attachment]:
    """The rows holding these Coupa ids that this upload may not take them from: all but the
    sync's mirror in the upload's own inspection (which is the same file, seen from Coupa)."""
    return (
        Attachment.objects.filter(coupa_id__in=coupa_ids)
        .exclude(pk=row.pk)
        .exclude(sha256="", inspection_id=row.inspection_id)
    )


def _link(row: Attachment, landed: CoupaAttachment) -> Outcome:
    """Coupa confirmed: tie the row to Coupa's id, and drop the local copy unless kept; unless
    the id is held elsewhere, which Coupa may not give to this row."""
    holder = _link_or_holder(row, landed)
    if holder is not None:
        row.may_have_landed = True  # Coupa may hold the file: a retry looks for it first
        return _fail(row, _held_elsewhere(row, landed.id, holder))
    _settle(row, AuditEvent.Outcome.SUCCEEDED, f"Coupa stored it as attachment {landed.id}")
    return Outcome("uploaded")


def _link_or_holder(row: Attachment, landed: CoupaAttachment) -> Attachment | None:
    """Link the row, or return the row holding the id that it may not take."""
    try:
        return _try_link(row, landed)
    except IntegrityError:  # the sync wrote a row holding the id meanwhile: look once more
        return _try_link(row, landed)


def _try_link(row: Attachment, landed: CoupaAttachment) -> Attachment | None:
    with transaction.atomic():
        holder = _holders(row, [landed.id]).select_for_update().first()
        if holder is None:
            _take_id(row, landed)
        return holder


def _held_elsewhere(row: Attachment, coupa_id: int, holder: Attachment) -> str:
    owner = (
        f"another file of inspection {holder.inspection_id} ({holder.file_name})"
        if holder.inspection_id == row.inspection_id
        else f"inspection {holder.inspection_id}"
    )
    return (
        f"Coupa answered the upload to inspection {row.inspection_id} with attachment "
        f"{coupa_id}, which belongs to {owner}; it was not linked here, and the file is kept "
        "to retry"
    )


def _take_id(row: Attachment, landed: CoupaAttachment) -> None:
    keep = settings.ATTACHMENT_KEEP_LOCAL_COPY
    stored = row.local_file.name
    # The sync may have mirrored Coupa's copy already; this row replaces that mirror.
    Attachment.objects.filter(
        coupa_id=landed.id, sha256="", inspection_id=row.inspection_id
    ).exclude(pk=row.pk).delete()
    Attachment.objects.filter(pk=row.pk).update(
        state=State.UPLOADED,
        coupa_id=landed.id,
        size=landed.size if landed.size is not None else row.size,
        intent=(landed.intent or row.intent)[:40],
        coupa_url=(landed.url or "")[:500],
        uploaded_at=landed.created_at or timezone.now(),
        error="",
        may_have_landed=False,
        state_changed_at=timezone.now(),
        local_file=stored if keep else "",
    )
    if not keep:
        transaction.on_commit(lambda: storage.drop(stored))


def _wait(row: Attachment, reason: str, last_try: bool, retry_after=None) -> Outcome:
    """Back to pending for the task's next try, or failed when no try is left."""
    if last_try:
        return _fail(row, f"Coupa stayed unavailable, so the file was not sent ({reason})")
    Attachment.objects.filter(pk=row.pk, state=State.UPLOADING).update(
        state=State.PENDING,
        error=f"Waiting for Coupa: {reason}",
        may_have_landed=row.may_have_landed,
        state_changed_at=timezone.now(),
    )
    return Outcome("waiting", again=True, retry_after=retry_after)


def _fail(row: Attachment, reason: str) -> Outcome:
    """Failed for good: the row, its audit event and the notification, in one transaction (a
    redelivered task finds the row failed already and tells nobody again)."""
    with transaction.atomic():
        failed = Attachment.objects.filter(pk=row.pk, state=State.UPLOADING).update(
            state=State.FAILED,
            error=reason[:2000],
            may_have_landed=row.may_have_landed,
            state_changed_at=timezone.now(),
        )
        _settle(row, AuditEvent.Outcome.FAILED, reason)
        if failed:
            WriteFailures([row.inspection_id]).tell(
                audit_key(row.audit_event_id, f"attachment-{row.pk}"),
                row.inspection_id,
                lines.UPLOAD,
                reason,
                file_name=row.file_name,
            )
    return Outcome("failed")


def _set(row: Attachment, **values) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    Attachment.objects.filter(pk=row.pk).update(**values)


def _settle(row: Attachment, outcome: str, answer: str) -> None:
    if row.audit_event_id:
        settle(row.audit_event_id, outcome, answer)


# --- deletes ---------------------------------------------------------------------------------


def send_delete(client: CoupaClient, attachment_id: int, *, last_try: bool) -> Outcome:
    """Delete one attachment in Coupa; the row goes when Coupa confirms (or says it is gone)."""
    row = Attachment.objects.filter(pk=attachment_id, state=State.DELETING).first()
    if row is None:
        return Outcome("skipped")
    Attachment.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    try:
        client.delete_attachment(row.inspection_id, row.coupa_id, row.characteristic_id)
    except CoupaNotFound:
        pass  # already gone, which is what was asked
    except CoupaUnavailable as exc:
        if last_try:
            return _restore(row, f"Coupa stayed unavailable, so it was not deleted ({exc.message})")
        Attachment.objects.filter(pk=row.pk, state=State.DELETING).update(
            error=f"Waiting for Coupa: {exc.message}"
        )
        return Outcome("waiting", again=True, retry_after=exc.retry_after)
    except CoupaError as exc:
        return _restore(row, f"Coupa refused to delete it: {exc.message}")
    stored = row.local_file.name
    Attachment.objects.filter(pk=row.pk).delete()
    storage.drop(stored)
    _settle(row, AuditEvent.Outcome.SUCCEEDED, "Coupa deleted it")
    return Outcome("deleted")


def _restore(row: Attachment, reason: str) -> Outcome:
    """A delete that did not happen: the row is back as it was, with the reason shown."""
    Attachment.objects.filter(pk=row.pk, state=State.DELETING).update(
        state=State.UPLOADED if row.sha256 else State.SYNCED,
        error=reason[:2000],
        state_changed_at=timezone.now(),
    )
    _settle(row, AuditEvent.Outcome.FAILED, reason)
    return Outcome("failed")


# --- stalled rows ----------------------------------------------------------------------------


def stalled(now=None) -> tuple[list[int], list[int]]:
    """(uploads, deletes) that no task is known to be working on: a worker died mid-send, or
    the broker lost the retry. Rows left sending go back to pending, still in doubt."""
    now = now or timezone.now()
    quiet = now - timedelta(seconds=settings.ATTACHMENT_RETRY_BACKOFF_MAX * 2 + 60)
    dead = now - timedelta(seconds=settings.ATTACHMENT_TIME_LIMITS[1] + 60)
    dead_sends = list(
        Attachment.objects.filter(state=State.UPLOADING, state_changed_at__lt=dead).values_list(
            "pk", flat=True
        )
    )
    Attachment.objects.filter(pk__in=dead_sends, state=State.UPLOADING).update(
        state=State.PENDING, may_have_landed=True, state_changed_at=now
    )
    uploads = Attachment.objects.filter(state=State.PENDING, state_changed_at__lt=quiet)
    deletes = Attachment.objects.filter(state=State.DELETING, state_changed_at__lt=quiet)
    return (
        dead_sends + list(uploads.values_list("pk", flat=True)),
        list(deletes.values_list("pk", flat=True)),
    )
