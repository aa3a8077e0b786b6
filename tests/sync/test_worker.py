"""The sync tasks run end to end by a real Celery worker (Redis in CI, files locally)."""

from __future__ import annotations

import time

import pytest

from qualityhub.inspections.models import Inspection
from qualityhub.sync.models import SyncRun
from qualityhub.sync.tasks import refresh_inspection, sync_full, sync_incremental
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


@pytest.fixture
def worker(make_sandbox):
    server = make_sandbox(inspections=80)
    process = WorkerProcess(server.url)
    yield server, process
    process.stop()


def _wait_for_runs(count: int, process: WorkerProcess, timeout: float = 60) -> list[SyncRun]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = list(SyncRun.objects.exclude(outcome="running").order_by("pk"))
        if len(runs) >= count:
            return runs
        time.sleep(0.2)
    raise AssertionError(f"no finished sync run after {timeout} s; worker log:\n{process.output()}")


def test_a_worker_runs_the_full_then_incremental_sync(worker) -> None:
    server, process = worker
    sync_full.delay()
    (full,) = _wait_for_runs(1, process)
    assert full.outcome == "succeeded", full.message
    assert Inspection.objects.count() == 80
    moved = server.advance(3)
    sync_incremental.delay()
    incremental = _wait_for_runs(2, process)[1]
    assert incremental.mode == "incremental"
    assert incremental.updated == 3
    for coupa_id in moved:
        assert Inspection.objects.get(coupa_id=coupa_id).modified_at >= full.started_at


def test_a_worker_refreshes_one_inspection(worker) -> None:
    _, process = worker
    refresh_inspection.delay(1)
    (run,) = _wait_for_runs(1, process)
    assert run.outcome == "succeeded"
    assert Inspection.objects.get().verdict == "fail"
