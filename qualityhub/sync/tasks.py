"""Celery's door to the sync: each task takes ids, calls one function, returns a summary.

Retries on Coupa being unavailable live here (exponential backoff with jitter); a refused run
(another sync holds the lock) is not an error and is not retried.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from qualityhub.analytics.tasks import refresh_overview
from qualityhub.celery import retry_while_coupa_unavailable
from qualityhub.coupa import client_from_settings
from qualityhub.sync.attachments import pull_attachments
from qualityhub.sync.effects import Tasks
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync

RETRYING = retry_while_coupa_unavailable()


def _limits(mode: str) -> dict[str, int]:
    soft, hard = settings.SYNC_TIME_LIMITS[mode]
    return {"soft_time_limit": soft, "time_limit": hard}


def _summary(run: SyncRun) -> dict:
    return {
        "run": run.pk,
        "outcome": run.outcome,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "skipped": run.skipped,
        "gone": run.gone,
    }


def _run(task, mode: str, **options) -> dict:
    # The task's id goes along, so that a redelivery after a lost worker inherits the lock.
    client = client_from_settings()
    return _summary(run_sync(mode, client=client, task_id=task.request.id, **options))


@shared_task(bind=True, **RETRYING, **_limits("incremental"))
def sync_incremental(self) -> dict:
    return _run(self, "incremental", attachments="queue", tasks=QUEUED)


@shared_task(bind=True, **RETRYING, **_limits("full"))
def sync_full(self) -> dict:
    return _run(self, "full", attachments="queue", tasks=QUEUED)


@shared_task(bind=True, **RETRYING, **_limits("one"))
def refresh_inspection(self, coupa_id: int) -> dict:
    return _run(self, "one", coupa_id=coupa_id)


@shared_task(**RETRYING, **_limits("attachments"))
def sync_attachments(inspection_ids: list[int], run_id: int | None = None) -> int:
    return pull_attachments(client_from_settings(), inspection_ids, run_id=run_id)


# What a sync run under Celery queues (the sync, a service, imports no task: see `effects.py`).
QUEUED = Tasks(attachment_lists=sync_attachments, overview=refresh_overview)
