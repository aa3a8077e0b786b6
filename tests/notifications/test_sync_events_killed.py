"""Exactly once under a SIGKILLed worker (the fault-test harness, tests/faults): a real worker
runs the full sync, its pool process is killed after the first page, the task comes back, and
everyone is told exactly what an undisturbed run tells: nothing twice, nothing dropped."""

from __future__ import annotations

import pytest

from qualityhub.notifications.models import Event, Notification
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync
from qualityhub.sync.tasks import sync_full
from tests.conftest import client_for, forget_synced_state
from tests.faults.conftest import SLOW_MS, purge_queue, running_sync, wait_until
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]

INSPECTIONS = 150  # three pages


def _told() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("user__username", "event__key"))


def test_a_killed_sync_tells_everyone_exactly_what_an_undisturbed_one_does(
    make_sandbox, engineer
) -> None:
    coupa = make_sandbox(inspections=INSPECTIONS)
    for _ in range(3):  # every inspection closed now: rejections and marginal values on each page
        coupa.advance(1000)
    client = client_for(coupa)
    try:
        assert run_sync("full", client=client, attachments="skip").outcome == "succeeded"
    finally:
        client.close()
    undisturbed = _told()
    pages_told = {key.split(":")[1] for _, key in undisturbed}
    assert len(undisturbed) > 20 and len(pages_told) > 20
    forget_synced_state()
    Event.objects.all().delete()

    worker = WorkerProcess(coupa.url)
    try:
        purge_queue()
        coupa.configure(latency_ms=SLOW_MS)
        sync_full.delay()
        wait_until(lambda: running_sync(pages=1), 30, "the first page of the sync", worker.output)
        told_before_the_kill = len(_told())
        worker.kill_pool_child()
        coupa.configure(latency_ms=0)
        wait_until(
            lambda: SyncRun.objects.filter(outcome="succeeded").exists(),
            60,
            "the redelivered sync",
            worker.output,
        )
    finally:
        worker.stop()
        purge_queue()
    print(f"told before the kill: {told_before_the_kill}; undisturbed: {len(undisturbed)}")
    assert "SIGKILL" in worker.output()
    assert 0 < told_before_the_kill < len(undisturbed)  # killed half-way through the telling
    assert _told() == undisturbed
