"""Sending and deleting against the sandbox over HTTP, one call at a time (the worker tests run
the same through Celery): refusals, outages, and sends that may or may not have landed."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from qualityhub.attachments import storage
from qualityhub.attachments.models import Attachment
from qualityhub.attachments.push import send_delete, send_upload, stalled
from qualityhub.audit.models import AuditEvent
from qualityhub.audit.record import record
from qualityhub.sync.attachments import pull_attachments
from tests.attachments.conftest import PNG, pdf, unique
from tests.conftest import client_for


@pytest.fixture
def client(coupa):
    client = client_for(coupa, max_attempts=1, read_timeout=1.0)
    yield client
    client.close()


def pending(inspection, name: str, content: bytes, line=None) -> Attachment:
    stored, digest = storage.keep(io.BytesIO(content))
    event = record(inspection.coupa_id, "upload-attachment", f"Upload {name}")
    return Attachment.objects.create(
        inspection=inspection,
        characteristic=line,
        file_name=name,
        content_type="application/pdf",
        size=len(content),
        state="pending",
        local_file=stored,
        sha256=digest,
        state_changed_at=timezone.now(),
        audit_event_id=event.pk,
    )


def in_coupa(client, row: Attachment) -> list:
    listing = client.list_attachments(row.inspection_id, row.characteristic_id)
    return [a for a in listing if a.file_name == row.file_name]


def uploads_sent(coupa) -> int:
    counts = coupa.request_count()["by_operation"]
    return sum(n for op, n in counts.items() if op.startswith("upload_"))


def test_a_confirmed_upload_is_linked_and_its_local_copy_dropped(
    client, inspection, line, django_capture_on_commit_callbacks
) -> None:
    row = pending(inspection, unique("photo.pdf"), pdf(), line)
    stored = storage.upload_storage().path(row.local_file.name)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = send_upload(client, row.pk, last_try=False)
    assert outcome.status == "uploaded"
    row.refresh_from_db()
    (landed,) = in_coupa(client, row)
    assert (row.state, row.coupa_id, row.error, row.may_have_landed) == (
        "uploaded",
        landed.id,
        "",
        False,
    )
    assert row.uploaded_at is not None and row.attempts == 1
    assert not row.local_file and not storage.upload_storage().exists(stored)
    event = AuditEvent.objects.get(pk=row.audit_event_id)
    assert (event.outcome, event.coupa_answer) == (
        "succeeded",
        f"Coupa stored it as attachment {landed.id}",
    )


def test_the_local_copy_is_kept_when_the_setting_says_so(client, inspection, settings) -> None:
    settings.ATTACHMENT_KEEP_LOCAL_COPY = True
    row = pending(inspection, unique("coa.pdf"), pdf())
    send_upload(client, row.pk, last_try=False)
    row.refresh_from_db()
    assert row.state == "uploaded" and row.local_file.read() == pdf()


def test_a_refusal_is_shown_with_coupas_reason_and_not_retried(client, coupa, inspection) -> None:
    row = pending(inspection, unique("scan.pdf"), pdf(10 * 1024 * 1024 + 1))
    outcome = send_upload(client, row.pk, last_try=False)
    assert (outcome.status, outcome.again) == ("failed", False)
    row.refresh_from_db()
    assert row.state == "failed"
    assert row.error == "attachment[file]: file is too large (maximum is 10 MiB)"
    assert not row.may_have_landed and row.can_retry
    assert uploads_sent(coupa) == 1
    assert AuditEvent.objects.get(pk=row.audit_event_id).outcome == "failed"


def test_an_outage_leaves_the_upload_pending_until_the_last_try(client, coupa, inspection) -> None:
    row = pending(inspection, unique("coa.pdf"), pdf())
    coupa.configure(error_rate=1.0)
    outcome = send_upload(client, row.pk, last_try=False)
    assert (outcome.status, outcome.again) == ("waiting", True)
    row.refresh_from_db()
    assert row.state == "pending" and row.error.startswith(
        "Waiting for Coupa: Coupa is unavailable"
    )
    assert not row.may_have_landed  # a 503 turns the request away before it runs
    outcome = send_upload(client, row.pk, last_try=True)
    row.refresh_from_db()
    assert (outcome.again, row.state, row.attempts) == (False, "failed", 2)
    assert row.error.startswith("Coupa stayed unavailable, so the file was not sent")
    coupa.configure(error_rate=0)
    assert in_coupa(client, row) == []


def test_a_send_that_timed_out_is_found_in_coupa_instead_of_sent_again(
    client, coupa, inspection, settings
) -> None:
    settings.ATTACHMENT_SETTLE_SECONDS = 60
    row = pending(inspection, unique("coa.pdf"), pdf())
    coupa.configure(hang_next_seconds=2)  # the body arrives, the answer comes too late
    outcome = send_upload(client, row.pk, last_try=False)
    assert (outcome.status, outcome.again) == ("waiting", True)
    row.refresh_from_db()
    assert row.may_have_landed and row.state == "pending"
    # Coupa may still be working on it: too soon to send again, so nothing is sent.
    assert send_upload(client, row.pk, last_try=False).status == "waiting"
    assert uploads_sent(coupa) == 1
    time.sleep(2)
    assert send_upload(client, row.pk, last_try=False).status == "uploaded"
    row.refresh_from_db()
    (landed,) = in_coupa(client, row)
    assert (row.state, row.coupa_id) == ("uploaded", landed.id)
    assert uploads_sent(coupa) == 1


def test_a_send_in_doubt_that_never_landed_is_sent_again_after_the_settle_time(
    client, coupa, inspection, settings
) -> None:
    settings.ATTACHMENT_SETTLE_SECONDS = 0
    row = pending(inspection, unique("coa.pdf"), pdf())
    coupa.configure(fail_next=[500])  # a 500 to a create: it may have run
    assert send_upload(client, row.pk, last_try=False).status == "waiting"
    row.refresh_from_db()
    assert row.may_have_landed
    assert send_upload(client, row.pk, last_try=False).status == "uploaded"
    assert len(in_coupa(client, row)) == 1 and uploads_sent(coupa) == 2


def test_a_copy_with_the_same_name_but_other_bytes_is_not_taken_for_ours(
    client, coupa, inspection, settings
) -> None:
    settings.ATTACHMENT_SETTLE_SECONDS = 0
    name = unique("coa.pdf")
    client.upload_attachment(1, io.BytesIO(pdf(301)[:-1] + b"X"), name, "application/pdf")
    row = pending(inspection, name, pdf(301))
    Attachment.objects.filter(pk=row.pk).update(may_have_landed=True)
    assert send_upload(client, row.pk, last_try=False).status == "uploaded"
    assert len(in_coupa(client, row)) == 2  # theirs and ours


def test_linking_replaces_the_row_the_sync_mirrored_meanwhile(
    client, coupa, inspection, settings
) -> None:
    settings.ATTACHMENT_SETTLE_SECONDS = 60
    row = pending(inspection, unique("coa.pdf"), pdf())
    coupa.configure(hang_next_seconds=1.5)
    send_upload(client, row.pk, last_try=False)
    time.sleep(1.5)
    pull_attachments(client, [1])
    (mirror,) = Attachment.objects.filter(file_name=row.file_name, state="synced")
    assert send_upload(client, row.pk, last_try=False).status == "uploaded"
    assert not Attachment.objects.filter(pk=mirror.pk).exists()
    row.refresh_from_db()
    assert row.coupa_id == mirror.coupa_id


def test_the_sync_leaves_rows_on_their_way_alone(client, coupa, inspection) -> None:
    row = pending(inspection, unique("coa.pdf"), pdf())
    deleting = Attachment.objects.create(
        inspection=inspection, coupa_id=987_654, file_name="gone.pdf", state="deleting"
    )
    stale = Attachment.objects.create(inspection=inspection, coupa_id=987_655, file_name="x.pdf")
    pull_attachments(client, [1])
    assert Attachment.objects.filter(pk__in=[row.pk, deleting.pk]).count() == 2
    assert not Attachment.objects.filter(pk=stale.pk).exists()  # Coupa no longer has it


def test_only_one_claim_on_a_pending_row_sends_it(client, coupa, inspection) -> None:
    row = pending(inspection, unique("coa.pdf"), pdf())
    Attachment.objects.filter(pk=row.pk).update(state="uploading")
    assert send_upload(client, row.pk, last_try=False).status == "skipped"
    assert uploads_sent(coupa) == 0


def test_a_missing_local_copy_fails_with_a_reason(client, inspection) -> None:
    row = pending(inspection, unique("coa.pdf"), pdf())
    storage.drop(row.local_file.name)
    Attachment.objects.filter(pk=row.pk).update(local_file="")
    assert send_upload(client, row.pk, last_try=False).status == "failed"
    row.refresh_from_db()
    assert "copy of the file is missing" in row.error


# --- deletes ------------------------------------------------------------------------------


def _in_coupa_row(client, inspection, line=None, **fields) -> Attachment:
    name = unique("photo.png")
    landed = client.upload_attachment(
        1, io.BytesIO(PNG), name, "image/png", characteristic_id=line.coupa_id if line else None
    )
    event = record(1, "delete-attachment", f"Delete {name}")
    return Attachment.objects.create(
        inspection=inspection,
        characteristic=line,
        coupa_id=landed.id,
        file_name=name,
        state="deleting",
        audit_event_id=event.pk,
        **fields,
    )


def test_a_delete_removes_the_row_once_coupa_confirms(client, inspection, line) -> None:
    row = _in_coupa_row(client, inspection, line)
    assert send_delete(client, row.pk, last_try=False).status == "deleted"
    assert not Attachment.objects.filter(pk=row.pk).exists()
    assert in_coupa(client, row) == []
    assert AuditEvent.objects.get(pk=row.audit_event_id).outcome == "succeeded"


def test_deleting_what_coupa_no_longer_has_counts_as_done(client, inspection) -> None:
    row = _in_coupa_row(client, inspection)
    client.delete_attachment(1, row.coupa_id)
    assert send_delete(client, row.pk, last_try=False).status == "deleted"


def test_a_delete_waits_out_an_outage_then_gives_the_row_back(client, coupa, inspection) -> None:
    row = _in_coupa_row(client, inspection, sha256="ab" * 32)
    coupa.configure(error_rate=1.0)
    assert send_delete(client, row.pk, last_try=False).again
    row.refresh_from_db()
    assert row.state == "deleting" and row.error.startswith("Waiting for Coupa")
    assert send_delete(client, row.pk, last_try=True).status == "failed"
    row.refresh_from_db()
    assert row.state == "uploaded"  # one of ours: back as it was
    assert row.error.startswith("Coupa stayed unavailable, so it was not deleted")
    assert AuditEvent.objects.get(pk=row.audit_event_id).outcome == "failed"


def test_a_refused_delete_is_put_back_with_the_reason(client, coupa, inspection) -> None:
    row = _in_coupa_row(client, inspection)
    coupa.configure(fail_next=[422])
    assert send_delete(client, row.pk, last_try=False).status == "failed"
    row.refresh_from_db()
    assert row.state == "synced" and row.error.startswith("Coupa refused to delete it:")


def test_rows_no_task_works_on_are_found_again(inspection, settings) -> None:
    now = timezone.now()
    long_ago = now - timedelta(hours=2)
    sending = Attachment.objects.create(
        inspection=inspection, state="uploading", state_changed_at=long_ago
    )
    waiting = Attachment.objects.create(
        inspection=inspection, state="pending", state_changed_at=long_ago
    )
    fresh = Attachment.objects.create(inspection=inspection, state="pending", state_changed_at=now)
    deleting = Attachment.objects.create(
        inspection=inspection, coupa_id=1234, state="deleting", state_changed_at=long_ago
    )
    uploads, deletes = stalled(now)
    assert sorted(uploads) == sorted([sending.pk, waiting.pk]) and deletes == [deleting.pk]
    assert fresh.pk not in uploads
    sending.refresh_from_db()
    assert sending.state == "pending" and sending.may_have_landed
