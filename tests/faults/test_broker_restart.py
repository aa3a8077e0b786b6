"""Redis restarted under a working worker: during a sync, and during uploads. A Redis of our own
on a free port (the worker's broker and this process's), so the shared one is never disturbed.

A broker must keep its queues across a restart to lose nothing queued (Redis: an append-only
file); with a Redis that forgets them, the rows still say what is pending, and the sweeper
sends those uploads."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from qualityhub.attachments.models import Attachment
from qualityhub.attachments.tasks import resume_stalled_attachments
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync
from qualityhub.sync.tasks import sync_full
from tests.attachments.conftest import multipart, pdf, unique
from tests.conftest import client_for
from tests.faults.conftest import (
    SLOW_MS,
    cache_snapshot,
    publishing_to,
    running_sync,
    settled_like,
    wait_until,
)
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def test_redis_restarted_during_a_sync_loses_nothing(
    coupa_with_files, undisturbed, redis_server
) -> None:
    coupa = coupa_with_files
    redis = redis_server(persistent=True)
    with publishing_to(redis.url):
        worker = WorkerProcess(coupa.url, extra_env={"CELERY_BROKER_URL": redis.url})
        try:
            coupa.configure(latency_ms=SLOW_MS)
            sync_full.delay()
            wait_until(lambda: running_sync(pages=1), 30, "the first page", worker.output)
            redis.stop()
            coupa.configure(latency_ms=0)
            # Pages 2 and 3 are written while Redis is down: their attachment lists cannot be
            # queued. Page 1's were, before: they must still be there when Redis is back.
            wait_until(
                lambda: SyncRun.objects.filter(outcome="succeeded").exists(),
                30,
                "the run without Redis",
                worker.output,
            )
            redis.start()
            wait_until(
                settled_like(undisturbed),
                60,
                "the cache of an undisturbed run",
                worker.output,
            )
        finally:
            worker.stop()
    assert "could not queue qualityhub.sync.tasks.sync_attachments" in worker.output()
    assert list(SyncRun.objects.values_list("outcome", flat=True)) == ["succeeded"]
    assert cache_snapshot() == undisturbed


@pytest.fixture
def coupa(make_sandbox, settings):
    server = make_sandbox(inspections=5)
    client = client_for(server)
    assert run_sync("full", client=client, attachments="skip").outcome == "succeeded"
    client.close()
    return server


def _uploads_in_coupa(server) -> list[str]:
    client = client_for(server)
    try:
        return [a.file_name for a in client.list_attachments(1)]
    finally:
        client.close()


@pytest.mark.parametrize("persistent", [True, False], ids=["redis-keeps-queues", "redis-forgets"])
def test_redis_restarted_during_uploads_loses_none_of_them(
    persistent, coupa, redis_server, client, engineer
) -> None:
    redis = redis_server(persistent=persistent)
    client.force_login(engineer)
    names = [unique("CoA.pdf") for _ in range(3)]
    with publishing_to(redis.url):
        worker = WorkerProcess(coupa.url, extra_env={"CELERY_BROKER_URL": redis.url})
        try:
            coupa.configure(latency_ms=1500)  # each send takes seconds
            for name in names:
                body, content_type = multipart([(name, pdf())])
                response = client.post(
                    "/inspections/1/attachments/upload/", data=body, content_type=content_type
                )
                assert response.status_code == 302
            wait_until(
                lambda: Attachment.objects.filter(state="uploading").exists(),
                30,
                "the first send",
                worker.output,
            )
            redis.stop()
            time.sleep(1)  # down for a moment, while the send is in flight
            redis.start()
            coupa.configure(latency_ms=0)
            if not persistent:
                # The queued sends were forgotten with Redis; the rows were not.
                wait_until(
                    lambda: not Attachment.objects.filter(state="uploading").exists(),
                    30,
                    "the send in flight",
                    worker.output,
                )
                with time_machine.travel(timezone.now() + timedelta(hours=1)):
                    assert resume_stalled_attachments()["uploads"] == 2
            wait_until(
                lambda: Attachment.objects.filter(state="uploaded").count() == 3,
                60,
                "all three uploads",
                worker.output,
            )
        finally:
            worker.stop()
    assert sorted(_uploads_in_coupa(coupa)) == sorted(names)  # each exactly once
