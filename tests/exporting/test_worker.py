"""The exported flags sent by a real Celery worker to the sandbox over HTTP.

The worker runs `worker_settings`: Celery retries after about a second instead of minutes, and
the client tries each call twice, so an outage and its recovery fit in a few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from qualityhub.audit.models import AuditEvent
from qualityhub.exporting import queries
from qualityhub.exporting.models import ExportBatch, ExportItem
from qualityhub.inspections.models import Inspection
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for
from tests.sandbox_process import SandboxProcess
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(scope="module")
def worker(django_db_setup, coupa_server: SandboxProcess) -> Iterator[WorkerProcess]:
    settings_module = {"DJANGO_SETTINGS_MODULE": "tests.exporting.worker_settings"}
    process = WorkerProcess(coupa_server.url, extra_env=settings_module)
    yield process
    process.stop()


@pytest.fixture
def synced(worker, coupa: SandboxProcess) -> SandboxProcess:
    """The cache filled afresh: a transactional test starts from an empty database."""
    client = client_for(coupa)
    assert run_sync("full", client=client, attachments="skip").outcome == "succeeded"
    client.close()
    return coupa


def _wait(done: Callable[[], bool], worker: WorkerProcess, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(0.2)
    raise AssertionError(f"not done after {timeout} s; worker log:\n{worker.output()[-4000:]}")


def test_a_worker_marks_the_filtered_set_and_reports_the_one_coupa_lost(
    synced, worker, signed_in
) -> None:
    query = "status=Closed&exported=no"
    ids = sorted(
        Inspection.objects.filter(status="Closed", exported=False).values_list("pk", flat=True)
    )
    assert len(ids) >= 3
    lost = ids[0]
    synced.control("DELETE", f"inspections/{lost}")

    response = signed_in.post(
        "/exporting/bulk/filtered/",
        {"action": "mark-exported", "query": query, "expected": str(len(ids)), "confirmed": "1"},
    )
    batch = ExportBatch.objects.get()
    assert response["Location"] == f"/exporting/batches/{batch.pk}/"
    _wait(lambda: queries.progress_of(batch).done, worker)

    progress = queries.progress_of(batch)
    assert (progress.succeeded, progress.failed) == (len(ids) - 1, 1)
    assert not Inspection.objects.filter(pk__in=ids[1:], exported=False).exists()
    coupa = client_for(synced)
    assert all(coupa.get_inspection(i).exported for i in ids[1:])
    events = AuditEvent.objects.filter(action="mark-exported")
    assert events.filter(outcome="succeeded").count() == len(ids) - 1
    assert events.get(outcome="failed").inspection_id == lost
    html = signed_in.get(f"/exporting/batches/{batch.pk}/").content.decode()
    assert f'data-inspection-id="{lost}" data-outcome="failed"' in html
    assert f"Quality inspection {lost} not found" in html
    left = signed_in.get(f"/inspections/?{query}").context["page"].rows
    assert [row.pk for row in left] == [lost] and left[0].gone_at is not None


def test_a_worker_rides_out_503s_with_backoff_and_the_page_follows(
    synced, worker, signed_in
) -> None:
    target = (
        Inspection.objects.filter(exported=False).order_by("pk").values_list("pk", flat=True)[0]
    )
    synced.reset_request_count()
    synced.configure(fail_next=[503, 503, 503])  # the first task run's two tries, then one more

    sending = signed_in.post(f"/inspections/{target}/mark-exported/", **HTMX)
    assert "sending…" in sending.content.decode()
    item = ExportItem.objects.get(inspection_id=target)
    poll = f"/inspections/{target}/exported/?item={item.pk}"
    _wait(lambda: "HX-Trigger" in signed_in.get(poll, **HTMX), worker)

    item.refresh_from_db()
    assert item.outcome == "succeeded" and item.attempts == 1
    assert synced.request_count()["by_operation"]["exported"] == 4
    assert "retry: Retry in" in worker.output()
    html = signed_in.get(poll, **HTMX).content.decode()
    assert 'data-exported="yes"' in html
    assert Inspection.objects.get(pk=target).exported
    timeline = signed_in.get(f"/inspections/{target}/timeline/").content.decode()
    assert 'data-action="mark-exported" data-outcome="succeeded"' in timeline
    assert "priya" in timeline


def test_when_coupa_stays_down_the_request_fails_and_can_be_sent_again(
    synced, worker, signed_in
) -> None:
    target = Inspection.objects.filter(exported=True).order_by("pk").values_list("pk", flat=True)[0]
    synced.configure(error_rate=1.0)
    signed_in.post(f"/inspections/{target}/reset-exported/", **HTMX)
    item = ExportItem.objects.get(inspection_id=target)
    _wait(lambda: not ExportItem.objects.get(pk=item.pk).is_pending, worker)

    item.refresh_from_db()
    assert item.outcome == "failed" and item.attempts == 2  # two retries, then the last try
    assert item.reason.startswith("Coupa stayed unavailable through every retry")
    html = signed_in.get(f"/inspections/{target}/exported/", **HTMX).content.decode()
    assert "Try again: Reset exported" in html and "503" in html
    assert Inspection.objects.get(pk=target).exported  # nothing changed in the cache either

    synced.configure(error_rate=0)
    signed_in.post(f"/inspections/{target}/reset-exported/", **HTMX)
    again = ExportItem.objects.filter(inspection_id=target).latest("pk")
    _wait(lambda: not ExportItem.objects.get(pk=again.pk).is_pending, worker)
    assert ExportItem.objects.get(pk=again.pk).outcome == "succeeded"
    assert not Inspection.objects.get(pk=target).exported
    outcomes = list(
        AuditEvent.objects.filter(inspection_id=target)
        .order_by("pk")
        .values_list("outcome", flat=True)
    )
    assert outcomes == ["failed", "succeeded"]
