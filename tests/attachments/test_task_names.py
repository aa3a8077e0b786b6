"""The write path sends its tasks by name (a service imports no task): the names must exist."""

from __future__ import annotations

from qualityhub.attachments import services
from qualityhub.celery import app


def test_the_write_path_sends_tasks_a_worker_registers() -> None:
    app.autodiscover_tasks(force=True)  # what a worker registers when it starts
    assert {services.PUSH, services.DELETE} <= set(app.tasks)
