"""One log line per Celery task run, under the task's id (set for every line the task logs)."""

from __future__ import annotations

import logging
import time

from celery.signals import task_postrun, task_prerun

from qualityhub.ops.logging import task_id as current_task_id

logger = logging.getLogger("qualityhub.task")
_started: dict[str, tuple[float, object]] = {}


@task_prerun.connect
def _task_started(task_id=None, task=None, **kwargs) -> None:
    _started[task_id] = (time.perf_counter(), _set(task_id))


@task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, retval=None, **kwargs) -> None:
    started, token = _started.pop(task_id, (None, None))
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    logger.info(
        "task %s %s %sms",
        task.name if task else "?",
        state,
        duration_ms,
        extra={"task": task.name if task else "", "state": state, "duration_ms": duration_ms},
    )
    if token is not None:
        _reset(token)


def _set(value: str):
    return current_task_id.set(value or "")


def _reset(token) -> None:
    try:
        current_task_id.reset(token)
    except ValueError:  # set in another context (eager runs nest): just clear it
        current_task_id.set("")
