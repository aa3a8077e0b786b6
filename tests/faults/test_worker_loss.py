"""A worker dying in the middle of a sync: its pool process killed, or the whole worker.

Each test first records what an undisturbed full sync writes (in this process, attachments read
inline), empties the cache, then lets a real worker run `sync_full` and kills it half-way. The
task must come back by itself and leave the database exactly as the undisturbed run did.
"""

from __future__ import annotations

import time

import pytest

from qualityhub.sync.models import SyncRun
from qualityhub.sync.tasks import sync_full
from tests.faults.conftest import (
    INSPECTIONS,
    SLOW_MS,
    cache_snapshot,
    publishing_to,
    purge_queue,
    running_sync,
    settled_like,
    wait_until,
)
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def test_a_sync_whose_pool_process_is_killed_is_redelivered_and_completes(
    coupa_with_files, undisturbed
) -> None:
    coupa = coupa_with_files
    worker = WorkerProcess(coupa.url)
    try:
        purge_queue()
        coupa.configure(latency_ms=SLOW_MS)
        sync_full.delay()
        killed_run = wait_until(
            lambda: running_sync(pages=1), 30, "the first page of the sync", worker.output
        )
        worker.kill_pool_child()
        killed_at = time.monotonic()
        coupa.configure(latency_ms=0)

        wait_until(
            lambda: SyncRun.objects.filter(outcome="succeeded").exists(),
            30,
            "the redelivered sync",
            worker.output,
        )
        completed = time.monotonic() - killed_at
        wait_until(settled_like(undisturbed), 30, "the cache of an undisturbed run")
        settled = time.monotonic() - killed_at
    finally:
        worker.stop()
    print(f"after the kill: the sync completed in {completed:.1f} s, the cache in {settled:.1f} s")
    assert completed <= settled <= 30
    assert "SIGKILL" in worker.output()
    assert cache_snapshot() == undisturbed  # nothing came after: no duplicate lines or files
    killed_run.refresh_from_db()
    assert 1 <= killed_run.pages < INSPECTIONS // 50
    assert killed_run.outcome == "failed" and "lost" in killed_run.message
    assert list(SyncRun.objects.values_list("outcome", flat=True).order_by("pk")) == [
        "failed",
        "succeeded",
    ]


# The restarted worker's visibility timeout: short, so the test is bounded (the product's is
# 3,900 s, above every hard time limit). The attachment backoff cap must stay below it.
VISIBILITY_TIMEOUT = 10
REDIS_WORKER_ENV = {
    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    "ATTACHMENT_RETRY_BACKOFF_MAX": "5",
}


def test_a_sync_whose_whole_worker_is_killed_completes_after_a_restart(
    coupa_with_files, undisturbed, redis_server
) -> None:
    """Only a broker that keeps unacknowledged tasks can do this: Redis restores them after the
    visibility timeout. Kombu's filesystem transport (the demo's) deletes a task's file when the
    worker fetches it, so a killed worker's task is gone there (the next scheduled sync redoes
    its work). A Redis of our own: a worker with a 10 s visibility timeout on the shared one
    would restore other tests' leftovers too."""
    coupa = coupa_with_files
    redis = redis_server(persistent=False)
    env = REDIS_WORKER_ENV | {"CELERY_BROKER_URL": redis.url}
    bound = VISIBILITY_TIMEOUT + 30
    with publishing_to(redis.url):
        first = WorkerProcess(coupa.url, extra_env=env)
        try:
            coupa.configure(latency_ms=SLOW_MS)
            sync_full.delay()
            killed_run = wait_until(
                lambda: running_sync(pages=1), 30, "the first page of the sync", first.output
            )
            first.kill()
            killed_at = time.monotonic()
        finally:
            first.stop()
        coupa.configure(latency_ms=0)
        second = WorkerProcess(coupa.url, extra_env=env)
        try:
            wait_until(
                lambda: SyncRun.objects.filter(outcome="succeeded").exists(),
                bound - (time.monotonic() - killed_at),
                "the restored sync",
                second.output,
            )
            completed = time.monotonic() - killed_at
            wait_until(
                settled_like(undisturbed),
                bound - (time.monotonic() - killed_at),
                "the cache of an undisturbed run",
                second.output,
            )
            settled = time.monotonic() - killed_at
        finally:
            second.stop()
    print(f"after the kill: the sync completed in {completed:.1f} s, the cache in {settled:.1f} s")
    # Restored by the visibility timeout, not by a shutdown (a killed worker says no goodbye).
    assert VISIBILITY_TIMEOUT <= completed <= settled <= bound
    assert cache_snapshot() == undisturbed
    killed_run.refresh_from_db()
    assert killed_run.outcome == "failed" and "lost" in killed_run.message
    assert list(SyncRun.objects.values_list("outcome", flat=True).order_by("pk")) == [
        "failed",
        "succeeded",
    ]
