"""The scheduled names refresh run by a real Celery worker (Redis in CI, files locally), as beat
queues it."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from qualityhub.directory.models import Person, Supplier, Unit
from qualityhub.directory.tasks import refresh_names_changes, refresh_names_full
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def test_beat_schedules_both_refreshes_to_expire_before_their_next_run() -> None:
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    changes = schedule["qualityhub.directory.tasks.refresh_names_changes"]
    assert changes["schedule"] == 900 and changes["options"]["expires"] < 900
    assert "qualityhub.directory.tasks.refresh_names_full" in schedule


def test_a_worker_runs_the_full_then_the_incremental_names_refresh(make_sandbox) -> None:
    server = make_sandbox(inspections=20)
    process = WorkerProcess(server.url)
    try:
        refresh_names_full.delay()
        _wait_until(lambda: Unit.objects.count() == 10, process)  # the last kind refreshed
        assert Supplier.objects.count() == 20 and Person.objects.count() > 20
        server.change_reference("suppliers", 3, display_name="Renamed by the worker test")
        refresh_names_changes.delay()
        _wait_until(
            lambda: Supplier.objects.get(coupa_id=3).label == "Renamed by the worker test", process
        )
    finally:
        process.stop()


def _wait_until(condition, process: WorkerProcess, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not done after {timeout} s; worker log:\n{process.output()}")
