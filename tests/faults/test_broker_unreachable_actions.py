"""The broker out of reach when a person asks for work: "Sync now", "Refresh from Coupa", a bulk
exported flag and a confirmed import. No page answers 500; a person waiting for the answer is told
that nothing was queued, and what was recorded (export items, creation requests) stays pending
until the periodic sweepers queue it again once the broker is back, and a real worker does it."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualityhub.creation.example import example_csv
from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.creation.queries import stalled_request_ids
from qualityhub.creation.tasks import create_requested_inspection, resume_stalled_creations
from qualityhub.exporting.models import ExportBatch, ExportItem
from qualityhub.exporting.tasks import resume_stalled_exports
from qualityhub.inspections.models import Inspection
from tests.conftest import client_for
from tests.creation.conftest import fill_directory
from tests.faults.conftest import (
    free_port,
    publishing_to,
    purge_queue,
    synced_sandbox,
    wait_until,
)
from tests.worker_process import WorkerProcess

pytestmark = pytest.mark.django_db(transaction=True)

CREATE_TASK = create_requested_inspection.name
SUCCEEDED = re.compile(rf"Task {re.escape(CREATE_TASK)}\[[^\]]+\] succeeded in")
SEEDED = 3  # inspections in the private sandbox of the import tests


@pytest.fixture
def nobody_listens() -> str:
    """A Redis URL on a free port: every publish fails with kombu's OperationalError."""
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def coupa(make_sandbox):
    return synced_sandbox(make_sandbox, 20)


@pytest.fixture
def empty_coupa(make_sandbox, settings):
    """A small Coupa to create inspections in (nothing synced), QualityHub pointing at it."""
    server = make_sandbox(inspections=SEEDED)
    settings.COUPA_BASE_URL = server.url
    settings.COUPA_TOKEN_URL = f"{server.url}/oauth2/token"
    return server


def _created_in(server) -> int:
    return server.control("GET", "health")["inspections"] - SEEDED


# --- Sync now and Refresh: nothing to keep, the person is told ------------------------------


def test_sync_now_with_the_broker_unreachable_warns_instead_of_failing(
    client, engineer, nobody_listens, caplog
) -> None:
    client.force_login(engineer)
    with caplog.at_level(logging.WARNING, "qualityhub.celery"), publishing_to(nobody_listens):
        response = client.post("/sync/run/")
    assert response.status_code == 302 and response["Location"] == "/sync/"
    assert "could not queue qualityhub.sync.tasks.sync_incremental" in caplog.text

    page = client.get(response["Location"]).content.decode()
    assert '<div class="alert alert-warning" role="status">' in page
    assert "The sync could not be queued because the task queue is unreachable." in page
    assert "The scheduled sync will run by itself" in page
    assert "A sync was queued" not in page


def test_sync_now_with_the_broker_reachable_says_it_was_queued(client, engineer, published) -> None:
    client.force_login(engineer)
    try:
        response = client.post("/sync/run/")
        page = client.get(response["Location"]).content.decode()
    finally:
        purge_queue()
    assert published == ["qualityhub.sync.tasks.sync_incremental"]
    assert "A sync was queued; this page shows it when it finishes." in page
    assert "could not be queued" not in page


def test_a_refresh_with_the_broker_unreachable_answers_that_it_was_not_queued(
    coupa, client, engineer, nobody_listens
) -> None:
    client.force_login(engineer)
    with publishing_to(nobody_listens):
        response = client.post("/inspections/1/refresh/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="refresh-not-queued"' in html
    assert "The refresh could not be queued: the task queue is unreachable." in html
    assert "Try again in a moment" in html
    assert "/refresh/status/" not in html and "hx-trigger" not in html  # nothing polls
    assert 'hx-post="/inspections/1/refresh/"' in html  # the button to try again
    assert "style=" not in html and "<script" not in html  # the strict CSP holds


# --- a bulk exported flag: recorded, then swept ---------------------------------------------


@pytest.mark.celery_worker
def test_a_bulk_mark_exported_while_the_broker_is_unreachable_is_sent_after_the_sweep(
    coupa, client, engineer, nobody_listens, caplog
) -> None:
    client.force_login(engineer)
    ids = sorted(Inspection.objects.filter(exported=False).values_list("coupa_id", flat=True))[:3]
    assert len(ids) >= 2
    form = {"action": "mark-exported", "id": [str(i) for i in ids], "confirmed": "1"}
    with caplog.at_level(logging.WARNING, "qualityhub.celery"), publishing_to(nobody_listens):
        response = client.post("/exporting/bulk/selected/", form)
    batch = ExportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exporting/batches/{batch.pk}/"
    assert "could not queue qualityhub.exporting.tasks.send_export_flags" in caplog.text
    items = ExportItem.objects.filter(batch=batch)
    assert sorted(items.values_list("inspection_id", flat=True)) == ids
    assert set(items.values_list("outcome", flat=True)) == {"pending"}
    assert client.get(response["Location"]).status_code == 200

    purge_queue()  # the broker is back; nobody has queued the items
    entry = settings.CELERY_BEAT_SCHEDULE["exporting-resume-stalled"]
    assert entry["task"] == resume_stalled_exports.name and entry["schedule"] <= 300
    # Quiet for less than STALE_AFTER: not (yet) taken for lost.
    assert resume_stalled_exports() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert resume_stalled_exports() == len(ids)
    worker = WorkerProcess(coupa.url)
    try:
        wait_until(
            lambda: not items.exclude(outcome="succeeded").exists(),
            30,
            "the swept exported flags",
            worker.output,
        )
    finally:
        worker.stop()
    coupa_client = client_for(coupa)
    try:
        assert all(coupa_client.get_inspection(i).exported for i in ids)
    finally:
        coupa_client.close()
    assert not Inspection.objects.filter(coupa_id__in=ids, exported=False).exists()


# --- a confirmed import: recorded, then swept by resume_stalled_creations ---------------------


def _previewed_import(client) -> str:
    """The example CSV uploaded (two inspections); the URL of its preview. The example names a
    supplier by its number: the directory knows it."""
    fill_directory()
    upload = SimpleUploadedFile("example.csv", example_csv().encode())
    return client.post("/inspections/import/", {"file": upload})["Location"]


@pytest.mark.celery_worker
def test_an_import_confirmed_while_the_broker_is_unreachable_is_created_after_the_sweep(
    empty_coupa, client, engineer, nobody_listens, caplog
) -> None:
    client.force_login(engineer)
    batch_url = _previewed_import(client)
    with caplog.at_level(logging.WARNING, "qualityhub.celery"), publishing_to(nobody_listens):
        response = client.post(batch_url + "send/")
    assert response.status_code == 302 and response["Location"] == batch_url
    assert f"could not queue {CREATE_TASK}" in caplog.text
    rows = CreationRequest.objects.order_by("position")
    assert [r.state for r in rows] == ["pending", "pending"]
    assert client.get(batch_url).status_code == 200

    purge_queue()  # the broker is back; nobody has queued the requests
    entry = settings.CELERY_BEAT_SCHEDULE["creation-resume-stalled"]
    assert entry["task"] == resume_stalled_creations.name and entry["schedule"] <= 300
    assert entry["options"]["expires"] < entry["schedule"]
    assert resume_stalled_creations() == 0  # confirmed just now: its tasks may be on their way
    later = timezone.now() + timedelta(minutes=settings.CREATION_STALLED_MINUTES + 1)
    with time_machine.travel(later):
        assert resume_stalled_creations() == 2
        # A second round before any worker got to them (a worker busy elsewhere): two tasks
        # per request in the queue now, which must not create anything twice.
        assert resume_stalled_creations() == 2
    worker = WorkerProcess(empty_coupa.url)
    try:
        wait_until(
            lambda: not rows.exclude(state="created").exists(),
            45,
            "the swept creation requests",
            worker.output,
        )
        wait_until(
            lambda: len(SUCCEEDED.findall(worker.output())) >= 4,
            30,
            "the duplicate tasks",
            worker.output,
        )
    finally:
        worker.stop()
    assert _created_in(empty_coupa) == 2  # one inspection per request, not two
    done = list(rows.all())  # `rows` itself holds what it read while they were pending
    assert [(r.state, r.attempts) for r in done] == [("created", 1), ("created", 1)]
    assert all(r.coupa_id for r in done)
    # Each duplicate found its request done and sent nothing.
    assert worker.output().count("'state': 'created'}") == 2
    progress = client.get(batch_url + "progress/", headers={"HX-Request": "true"})
    assert "Done: 2 of 2 created." in progress.content.decode()


def test_the_creation_sweeper_leaves_fresh_and_busy_requests_alone(engineer, published) -> None:
    now = timezone.now()
    threshold = timedelta(minutes=settings.CREATION_STALLED_MINUTES)
    batch = ImportBatch.objects.create(
        user=engineer, file_name="x.csv", file_format="csv", state="confirmed", confirmed_at=now
    )

    def request(name: str, **fields) -> CreationRequest:
        fields.setdefault("batch", batch)
        return CreationRequest.objects.create(external_id=name, payload="{}", **fields)

    fresh = request("fresh", state="pending")
    waiting = request("waiting", state="waiting", claimed_at=now - timedelta(minutes=2))
    form_send = request("form", state="sending", batch=None, claimed_at=now)
    request("done", state="created", claimed_at=now - timedelta(minutes=3))

    # Confirmed a minute ago and claimed minutes ago: every task may still be on its way.
    with time_machine.travel(now + timedelta(minutes=1)):
        assert stalled_request_ids() == []
        assert resume_stalled_creations() == 0
    # Just below the threshold: still nothing.
    with time_machine.travel(now + threshold - timedelta(seconds=5)):
        assert stalled_request_ids() == []
    # A claim within the threshold (a worker going through the queue): nothing either.
    CreationRequest.objects.filter(pk=waiting.pk).update(claimed_at=now + threshold)
    with time_machine.travel(now + threshold + timedelta(minutes=1)):
        assert stalled_request_ids() == []
    # Quiet for longer than the threshold: the pending and waiting ones; a form's send is its
    # person's, a created one is done.
    with time_machine.travel(now + 2 * threshold + timedelta(minutes=1)):
        assert stalled_request_ids() == [fresh.pk, waiting.pk]
        assert form_send.pk not in stalled_request_ids()
    # An import request whose worker died mid-send (claimed long ago, still "sending").
    CreationRequest.objects.filter(pk=fresh.pk).update(state="sending", claimed_at=now)
    with time_machine.travel(now + 2 * threshold + timedelta(minutes=1)):
        assert stalled_request_ids() == [fresh.pk, waiting.pk]
    assert published == []  # the sweep above queued nothing
