"""Every Celery task is bounded: soft time limit < hard time limit < broker visibility timeout."""

from __future__ import annotations

import importlib
import pkgutil

from django.conf import settings

import qualityhub
from qualityhub.celery import app


def _our_tasks():
    # Import every app's tasks module, so a task added anywhere is checked too.
    for module in pkgutil.iter_modules(qualityhub.__path__):
        if module.ispkg and importlib.util.find_spec(f"qualityhub.{module.name}.tasks"):
            importlib.import_module(f"qualityhub.{module.name}.tasks")
    return [task for name, task in app.tasks.items() if name.startswith("qualityhub.")]


def test_every_task_has_soft_below_hard_below_visibility_timeout() -> None:
    tasks = _our_tasks()
    assert {t.name.rsplit(".", 1)[-1] for t in tasks} >= {
        "sync_incremental",
        "sync_full",
        "refresh_inspection",
        "sync_attachments",
    }
    for task in tasks:
        assert task.soft_time_limit, task.name
        assert task.soft_time_limit < task.time_limit < settings.CELERY_VISIBILITY_TIMEOUT, (
            task.name
        )


def test_tasks_survive_a_dying_worker() -> None:
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_periodic_tasks_expire_before_their_next_run() -> None:
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        schedule = entry["schedule"]
        interval = schedule if isinstance(schedule, int | float) else 24 * 3600
        assert entry["options"]["expires"] < interval
