"""Writes that failed for good tell the people who want to know, once per write, with the
inspection's supplier (so a buyer of other suppliers hears nothing): an upload Coupa refused or
that outlived its retries, an exported flag Coupa could not set. Against the sandbox over HTTP."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import pytest
from django.utils import timezone

from qualityhub.attachments import storage
from qualityhub.attachments.models import Attachment
from qualityhub.attachments.push import send_upload
from qualityhub.audit.record import record
from qualityhub.exporting import services
from qualityhub.exporting.models import Action, ExportBatch
from qualityhub.inspections.models import Inspection
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.models import Event, Notification, NotificationSettings
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for, forget_synced_state, make_user
from tests.sandbox_process import SandboxProcess

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def coupa_server(tmp_path_factory) -> Iterator[SandboxProcess]:
    server = SandboxProcess(
        tmp_path_factory.mktemp("write-failed") / "sandbox.sqlite3", inspections=30, quiet=True
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def cached(django_db_setup, django_db_blocker, coupa_server) -> Iterator[SandboxProcess]:
    with django_db_blocker.unblock():
        run_sync("full", client=client_for(coupa_server), attachments="skip")
    yield coupa_server
    with django_db_blocker.unblock():
        forget_synced_state()


@pytest.fixture
def coupa(cached) -> Iterator[SandboxProcess]:
    cached.reset_config()
    yield cached
    cached.reset_config()


@pytest.fixture
def client(coupa):
    client = client_for(coupa, max_attempts=1, read_timeout=2.0)
    yield client
    client.close()


def pdf(size: int = 300) -> bytes:
    body = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
    return body + b"%" * max(0, size - len(body) - 6) + b"\n%%EOF"


def pending_upload(inspection_id: int, size: int = 300) -> Attachment:
    name = f"report-{uuid.uuid4().hex[:8]}.pdf"
    stored, digest = storage.keep(io.BytesIO(pdf(size)))
    event = record(inspection_id, "upload-attachment", f"Upload {name}")
    return Attachment.objects.create(
        inspection_id=inspection_id,
        file_name=name,
        content_type="application/pdf",
        size=size,
        state="pending",
        local_file=stored,
        sha256=digest,
        state_changed_at=timezone.now(),
        audit_event_id=event.pk,
    )


def told(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("event__key", flat=True))


def test_an_upload_coupa_refuses_tells_once(client, engineer) -> None:
    row = pending_upload(3, size=10 * 1024 * 1024 + 1)
    assert send_upload(client, row.pk, last_try=False).status == "failed"
    assert told(engineer) == [f"write-failed:audit-{row.audit_event_id}"]
    event = Event.objects.get()
    inspection = Inspection.objects.get(coupa_id=3)
    assert (event.kind, event.inspection_id, event.supplier_id, event.item_id) == (
        Kind.WRITE_FAILED,
        3,
        inspection.supplier_id,
        inspection.item_id,
    )
    assert event.summary.startswith(f"Inspection 3 ({inspection.supplier_name}")
    assert f"the upload of {row.file_name} failed: attachment[file]: file is too large" in (
        event.summary
    )
    # The task redelivered: the row is failed already, nobody is told again.
    assert send_upload(client, row.pk, last_try=False).status == "skipped"
    assert Notification.objects.count() == 1


def test_an_upload_tells_only_when_its_last_retry_fails(coupa, client, engineer) -> None:
    row = pending_upload(4)
    coupa.configure(error_rate=1.0)
    assert send_upload(client, row.pk, last_try=False).status == "waiting"
    assert not Event.objects.exists()
    assert send_upload(client, row.pk, last_try=True).status == "failed"
    assert told(engineer) == [f"write-failed:audit-{row.audit_event_id}"]


def test_a_retried_upload_that_fails_again_is_a_new_event(client, engineer) -> None:
    row = pending_upload(5, size=10 * 1024 * 1024 + 1)
    send_upload(client, row.pk, last_try=False)
    # A person's retry records a new audit event (attachments/services.py) and sends again.
    again = record(5, "upload-attachment", f"Upload {row.file_name} (retry)")
    Attachment.objects.filter(pk=row.pk).update(state="pending", audit_event_id=again.pk)
    send_upload(client, row.pk, last_try=False)
    assert sorted(told(engineer)) == sorted(
        [f"write-failed:audit-{row.audit_event_id}", f"write-failed:audit-{again.pk}"]
    )


def test_an_exported_flag_coupa_cannot_set_tells_once(coupa, client, engineer) -> None:
    coupa.control("DELETE", "inspections/17")
    batch = services.start_batch(Action.MARK, ExportBatch.Scope.SELECTED, [16, 17])
    ids = list(batch.items.values_list("pk", flat=True))
    counts = services.send_items(client, ids)
    assert (counts["succeeded"], counts["failed"]) == (1, 1)
    lost = batch.items.get(inspection_id=17)
    assert told(engineer) == [f"write-failed:audit-{lost.event_id}"]
    assert "marking it exported failed: Coupa answered 404" in Event.objects.get().summary
    services.send_items(client, ids)  # redelivered: settled items are skipped
    assert Notification.objects.count() == 1


def test_flags_that_outlived_their_retries_tell_each_once_in_few_queries(
    coupa, client, engineer, django_assert_max_num_queries
) -> None:
    ids_of_inspections = list(range(18, 28))
    batch = services.start_batch(Action.RESET, ExportBatch.Scope.SELECTED, ids_of_inspections)
    ids = list(batch.items.values_list("pk", flat=True))
    coupa.configure(error_rate=1.0)
    # Who listens and the inspections are read once; then a few queries per failed item.
    with django_assert_max_num_queries(10 + 10 * len(ids)):
        counts = services.send_items(client, ids, give_up=True)
    assert counts["failed"] == 10
    assert len(told(engineer)) == 10
    assert {e.summary.split(": ", 1)[1][:35] for e in Event.objects.all()} == {
        "clearing its exported flag failed: "
    }


def test_a_buyer_of_other_suppliers_hears_of_no_failed_write(client, engineer) -> None:
    supplier = Inspection.objects.get(coupa_id=6).supplier_id
    elsewhere = make_user("bruno", "Buyer", suppliers=[supplier + 1000])
    theirs = make_user("bea", "Buyer", suppliers=[supplier])
    for user in (elsewhere, theirs):
        NotificationSettings.objects.create(user=user, kinds=list(Kind.values))
    row = pending_upload(6, size=10 * 1024 * 1024 + 1)
    send_upload(client, row.pk, last_try=False)
    assert told(theirs) == told(engineer) == [f"write-failed:audit-{row.audit_event_id}"]
    assert told(elsewhere) == []
