"""Who holds the sync lock. Two syncs asked for at once: one does the work, the other gives up
at once. The lease a dead run leaves: only its own redelivery inherits it (at once, instead of
being refused until the lease expires), reads again the files of the pages the dead run wrote,
and a run that lost its lease while still alive stops instead of writing beside its heir."""

from __future__ import annotations

import pytest

from qualityhub.attachments.models import Attachment
from qualityhub.sync.lock import SYNC_LOCK
from qualityhub.sync.models import SyncLock, SyncRun
from qualityhub.sync.pull import SyncTakenOver, run_sync, write_page
from tests.conftest import client_for
from tests.faults.conftest import purge_queue, wait_until
from tests.worker_process import WorkerProcess

INSPECTIONS = 150  # three pages and the empty one that ends the walk


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_two_sync_triggers_at_once_do_the_work_once(make_sandbox, client, engineer) -> None:
    coupa = make_sandbox(inspections=INSPECTIONS, latency_ms=500)  # the work takes seconds
    worker = WorkerProcess(coupa.url, concurrency=2)
    try:
        purge_queue()
        client.force_login(engineer)
        for _ in range(2):  # two people press "Sync now"
            assert client.post("/sync/run/").status_code == 302
        finished = wait_until(
            lambda: (
                SyncRun.objects.exclude(outcome="running").count() == 2
                and SyncRun.objects.order_by("outcome")
            ),
            60,
            "both runs",
            worker.output,
        )
        coupa.configure(latency_ms=0)  # the attachment lists it queued finish quickly
    finally:
        worker.stop()
    refused, succeeded = finished
    assert (refused.outcome, succeeded.outcome) == ("refused", "succeeded")
    took = (refused.finished_at - refused.started_at).total_seconds()
    print(f"the refused trigger returned in {took * 1000:.0f} ms")
    assert took < 1
    assert refused.started_at < succeeded.finished_at  # they did overlap
    assert succeeded.created == INSPECTIONS
    assert coupa.request_count()["by_operation"]["list"] == INSPECTIONS // 50 + 1  # one walk


@pytest.mark.django_db(transaction=True)
def test_a_lease_left_by_a_dead_run_goes_only_to_its_own_redelivery(make_sandbox) -> None:
    coupa = make_sandbox(inspections=60)
    dead = SyncRun.objects.create(mode="full", started_at="2024-01-01T00:00Z")
    SyncLock.objects.create(
        name=SYNC_LOCK, owner=f"task:t-1 run-{dead.pk}", expires_at="2999-01-01T00:00Z"
    )
    client = client_for(coupa)

    other = run_sync("incremental", client=client, attachments="skip", task_id="t-2")
    redelivered = run_sync("incremental", client=client, attachments="skip", task_id="t-1")

    assert other.outcome == "refused"
    assert redelivered.outcome == "succeeded" and redelivered.created == 60
    dead.refresh_from_db()
    assert dead.outcome == "failed"
    assert (
        dead.message
        == f"Interrupted: the worker running it was lost; run {redelivered.pk} took over."
    )
    assert SyncLock.objects.get().owner == ""  # released


@pytest.mark.django_db(transaction=True)
def test_the_heir_of_a_dead_run_reads_the_files_of_the_pages_the_dead_run_wrote(
    coupa_with_files,
) -> None:
    client = client_for(coupa_with_files)
    dead = SyncRun.objects.create(mode="full", started_at="2024-01-01T00:00Z")
    # It committed its first page, then died before queueing that page's attachment lists.
    write_page(client, dead, client.list_page(limit=50), full=True)
    SyncLock.objects.create(
        name=SYNC_LOCK, owner=f"task:t-1 run-{dead.pk}", expires_at="2999-01-01T00:00Z"
    )

    heir = run_sync("full", client=client, attachments="inline", task_id="t-1")

    assert (heir.unchanged, heir.created) == (50, 100)  # page 1 looked unchanged to its walk
    assert Attachment.objects.filter(inspection_id=2).count() == 2  # yet its files were read
    assert Attachment.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_a_run_that_lost_its_lease_to_an_heir_stops_at_its_next_page(make_sandbox) -> None:
    coupa = make_sandbox(inspections=120)
    client = client_for(coupa)
    heirs: list[SyncRun] = []

    def redelivered_meanwhile(run: SyncRun) -> None:
        if not heirs:  # the broker took the first delivery for dead and handed the task out again
            heirs.append(run_sync("full", client=client, attachments="skip", task_id="t-1"))

    with pytest.raises(SyncTakenOver):
        run_sync(
            "full", client=client, attachments="skip", progress=redelivered_meanwhile, task_id="t-1"
        )

    first = SyncRun.objects.order_by("pk").first()
    # Page 1 was written before the heir came; page 2 is the one at whose end it noticed.
    assert first.outcome == "failed" and first.pages == 2
    assert "another run took the sync over" in first.message
    assert heirs[0].outcome == "succeeded"
