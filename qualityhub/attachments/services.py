"""What a person asks for: keep an upload and queue it, delete, retry. Each writes the row and
the audit event in one transaction and queues its task after the commit. A broker unreachable
then fails nothing: the row stays pending (or deleting), and `resume_stalled_attachments`, run
every 5 minutes by beat, queues it again.

The tasks are sent by name: they import `push.py`, and a service imports no task.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityhub.attachments import storage
from qualityhub.attachments.models import Attachment
from qualityhub.attachments.validation import Accepted
from qualityhub.audit.models import AuditEvent
from qualityhub.audit.record import record
from qualityhub.celery import app, enqueue_on_commit
from qualityhub.inspections.models import Characteristic, Inspection

State = Attachment.State
PUSH = "qualityhub.attachments.tasks.push_attachment"
DELETE = "qualityhub.attachments.tasks.delete_attachment"


def request_upload(
    inspection: Inspection,
    line: Characteristic | None,
    upload: UploadedFile,
    accepted: Accepted,
    user,
) -> Attachment:
    """Keep the file first (so nothing is lost), then record it as pending and queue the send."""
    stored, digest = storage.keep(upload)
    try:
        with transaction.atomic():
            event = record(
                inspection.coupa_id,
                "upload-attachment",
                _summary(accepted.name, line, "Upload"),
                user=user,
            )
            now = timezone.now()
            row = Attachment.objects.create(
                inspection=inspection,
                characteristic=line,
                file_name=accepted.name,
                content_type=accepted.kind.content_type,
                size=upload.size,
                intent="Internal",
                uploaded_by=_name_of(user),
                state=State.PENDING,
                local_file=stored,
                sha256=digest,
                requested_by=user,
                requested_at=now,
                state_changed_at=now,
                audit_event_id=event.pk,
            )
            enqueue_on_commit(app.signature(PUSH), row.pk)
    except BaseException:  # the row was not recorded (a broker failure after it is not raised)
        storage.drop(stored)
        raise
    return row


def request_delete(attachment: Attachment, user) -> str | None:
    """Queue the delete of a file in Coupa, or discard a failed upload that never got there.
    Returns why nothing was done, if so."""
    if attachment.can_retry:
        with transaction.atomic():
            gone = Attachment.objects.filter(pk=attachment.pk, state=State.FAILED).delete()[0]
            if gone:
                record(
                    attachment.inspection_id,
                    "discard-attachment",
                    _summary(attachment.file_name, attachment.characteristic_id, "Discard unsent"),
                    user=user,
                    outcome=AuditEvent.Outcome.SUCCEEDED,
                )
                stored = attachment.local_file.name
                transaction.on_commit(lambda: storage.drop(stored))
        return None
    with transaction.atomic():
        claimed = Attachment.objects.filter(
            pk=attachment.pk, coupa_id__isnull=False, state__in=(State.SYNCED, State.UPLOADED)
        ).update(state=State.DELETING, error="", state_changed_at=timezone.now())
        if not claimed:
            return _("This file is still on its way; it can be deleted once it is in Coupa.")
        event = record(
            attachment.inspection_id,
            "delete-attachment",
            _summary(attachment.file_name, attachment.characteristic_id, "Delete"),
            user=user,
        )
        Attachment.objects.filter(pk=attachment.pk).update(audit_event_id=event.pk)
        enqueue_on_commit(app.signature(DELETE), attachment.pk)
    return None


def request_retry(attachment: Attachment, user) -> str | None:
    with transaction.atomic():
        claimed = Attachment.objects.filter(
            pk=attachment.pk, state=State.FAILED, coupa_id__isnull=True
        ).update(state=State.PENDING, error="", state_changed_at=timezone.now())
        if not claimed:
            return _("Only a file that failed to send can be retried.")
        event = record(
            attachment.inspection_id,
            "upload-attachment",
            _summary(attachment.file_name, attachment.characteristic_id, "Retry upload of"),
            user=user,
        )
        Attachment.objects.filter(pk=attachment.pk).update(audit_event_id=event.pk)
        enqueue_on_commit(app.signature(PUSH), attachment.pk)
    return None


def _summary(name: str, line: Characteristic | int | None, verb: str) -> str:
    if line is None:
        return f"{verb} {name} (inspection)"
    label = f"line {line.line_num} {line.name}" if isinstance(line, Characteristic) else line
    return f"{verb} {name} (characteristic {label})"


def _name_of(user) -> str:
    return (user.get_full_name() or user.get_username())[:255] if user else ""
