"""The broker out of reach when a person uploads a file: the upload is kept and recorded as
pending, the page answers as usual, and the periodic sweeper sends it once the broker is back.
And a transaction that rolls back queues nothing."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from qualityhub.attachments import storage
from qualityhub.attachments.models import Attachment
from qualityhub.attachments.tasks import resume_stalled_attachments
from qualityhub.attachments.validation import check_file
from qualityhub.inspections.models import Inspection
from tests.attachments.conftest import multipart, pdf, unique
from tests.conftest import client_for
from tests.faults.conftest import (
    free_port,
    publishing_to,
    purge_queue,
    synced_sandbox,
    wait_until,
)
from tests.worker_process import WorkerProcess

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def coupa(make_sandbox):
    return synced_sandbox(make_sandbox, 5)


def _in_coupa(server, name: str) -> list:
    client = client_for(server)
    try:
        return [a for a in client.list_attachments(1) if a.file_name == name]
    finally:
        client.close()


@pytest.mark.celery_worker
def test_an_upload_while_the_broker_is_unreachable_is_kept_and_sent_by_the_sweeper(
    coupa, client, engineer, caplog
) -> None:
    client.force_login(engineer)
    name = unique("CoA.pdf")
    body, content_type = multipart([(name, pdf())])
    nobody_listens = f"redis://127.0.0.1:{free_port()}/0"
    with caplog.at_level(logging.WARNING, "qualityhub.celery"), publishing_to(nobody_listens):
        response = client.post(
            "/inspections/1/attachments/upload/", data=body, content_type=content_type
        )
    assert response.status_code == 302  # back to the inspection, as for any upload
    row = Attachment.objects.get(file_name=name)
    assert row.state == "pending" and row.has_local_copy
    assert storage.upload_storage().exists(row.local_file.name)  # the file is kept
    assert "could not queue qualityhub.attachments.tasks.push_attachment" in caplog.text
    entry = settings.CELERY_BEAT_SCHEDULE["attachments-resume-stalled"]
    assert entry["task"] == resume_stalled_attachments.name and entry["schedule"] <= 300

    worker = WorkerProcess(coupa.url)  # the broker is back; nobody has queued the upload
    try:
        purge_queue()
        # The sweeper's next round, once the row has been quiet for longer than any retry waits.
        with time_machine.travel(timezone.now() + timedelta(hours=1)):
            assert resume_stalled_attachments() == {"uploads": 1, "deletes": 0}
        wait_until(
            lambda: Attachment.objects.filter(pk=row.pk, state="uploaded").exists(),
            30,
            "the swept upload",
            worker.output,
        )
    finally:
        worker.stop()
    assert len(_in_coupa(coupa, name)) == 1


def test_a_view_transaction_that_rolls_back_enqueues_nothing(coupa, engineer, published) -> None:
    inspection = Inspection.objects.get(coupa_id=1)

    def upload():
        file = SimpleUploadedFile(unique("CoA.pdf"), pdf())
        accepted = check_file(
            file.name, file, file.size, allowed={"pdf"}, max_bytes=settings.ATTACHMENT_MAX_BYTES
        )
        from qualityhub.attachments.services import request_upload

        return request_upload(inspection, None, file, accepted, engineer)

    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            upload()
            raise RuntimeError("the view failed after the upload was recorded")
        assert published == [] and not Attachment.objects.exists()

        with transaction.atomic():  # the same, committed: queued once, after the commit
            upload()
            assert published == []
        assert published == ["qualityhub.attachments.tasks.push_attachment"]
    finally:
        purge_queue()
