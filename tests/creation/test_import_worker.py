"""Confirmed imports and the form's requests are sent by a real Celery worker; the pages show
progress until done."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualityhub.audit.models import AuditEvent
from qualityhub.creation.example import example_csv
from qualityhub.creation.models import CreationRequest
from qualityhub.inspections.models import Inspection
from tests.worker_process import WorkerProcess

from .conftest import SENDING, creates, form_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


@pytest.fixture
def worker(coupa):
    process = WorkerProcess(coupa.url, purge=True)
    yield process
    process.stop()


def _poll_until_done(client, url: str, process: WorkerProcess, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(url, HTTP_HX_REQUEST="true")
        if response.status_code == 286:  # htmx stops polling
            return response.content.decode()
        assert response.status_code == 200
        time.sleep(0.3)
    raise AssertionError(f"the import did not finish; worker log:\n{process.output()}")


def test_a_confirmed_import_is_sent_by_the_worker_with_progress(
    signed_in, coupa, worker, engineer, directory
) -> None:
    upload = SimpleUploadedFile("example.csv", example_csv().encode())
    batch_url = signed_in.post("/inspections/import/", {"file": upload})["Location"]
    signed_in.post(batch_url + "send/")
    first = signed_in.get(batch_url + "progress/", HTTP_HX_REQUEST="true")
    assert first.status_code in (200, 286)
    assert 'data-testid="progress-summary"' in first.content.decode()

    page = _poll_until_done(signed_in, batch_url + "progress/", worker)

    assert "Done: 2 of 2 created." in page
    requests = list(CreationRequest.objects.order_by("position"))
    assert [r.state for r in requests] == ["created", "created"]
    assert [r.external_id for r in requests][0] == "EXT_QI_004"
    for request in requests:
        assert f'href="/inspections/{request.coupa_id}/"' in page
        cached = Inspection.objects.filter(coupa_id=request.coupa_id).first()
        assert cached is not None, f"not cached; worker log:\n{worker.output()}"
        assert cached.external_inspection_id == request.external_id
    events = AuditEvent.objects.filter(action="create-inspection", outcome="succeeded")
    assert {e.user_id for e in events} == {engineer.pk}
    assert events.count() == 2

    # Confirming again (a double click, a second tab) sends nothing more.
    signed_in.post(batch_url + "send/")
    time.sleep(1)
    assert creates(coupa) == 2
    assert CreationRequest.objects.count() == 2


def test_a_request_from_the_form_is_sent_by_the_worker_while_the_page_polls(
    signed_in, coupa, worker
) -> None:
    response = signed_in.post("/inspections/new/", form_data())
    assert response.status_code == 302 and SENDING.fullmatch(response["Location"])
    url = response["Location"]
    deadline = time.monotonic() + 60
    while (progress := signed_in.get(url + "progress/", HTTP_HX_REQUEST="true")).status_code == 200:
        assert time.monotonic() < deadline, f"not settled; worker log:\n{worker.output()}"
        time.sleep(0.3)
    assert progress.status_code == 286
    assert progress["HX-Redirect"] == url

    outcome = signed_in.get(url)
    # The page settles once the inspection is in the cache; the worker records that it read it
    # back (`cached`) a moment later.
    while (request := CreationRequest.objects.get()).cached is None:
        assert time.monotonic() < deadline, f"cached never recorded; worker log:\n{worker.output()}"
        time.sleep(0.1)
    assert (request.state, request.cached) == ("created", True)
    assert outcome["Location"] == f"/inspections/{request.coupa_id}/"
    page = signed_in.get(outcome["Location"]).content.decode()
    assert f"Inspection {request.coupa_id} was created in Coupa." in page
    assert creates(coupa) == 1
