"""Every Celery task is bounded: soft time limit < hard time limit < broker visibility timeout."""

from __future__ import annotations

from django.conf import settings

from qualityhub.celery import app


def _registered_tasks() -> list:
    # What a worker registers when it starts: Celery's autodiscovery of every installed app's
    # tasks module, so a task added anywhere is checked too.
    app.autodiscover_tasks(force=True)
    return [task for name, task in sorted(app.tasks.items()) if name.startswith("qualityhub.")]


def test_every_registered_task_has_soft_below_hard_below_visibility_timeout() -> None:
    tasks = _registered_tasks()
    assert {t.name.rsplit(".", 1)[-1] for t in tasks} >= {
        "sync_incremental",
        "sync_full",
        "refresh_inspection",
        "sync_attachments",
        "push_attachment",
        "delete_attachment",
        "resume_stalled_attachments",
        "refresh_overview",
    }
    for task in tasks:
        assert task.soft_time_limit, task.name
        assert task.soft_time_limit < task.time_limit < settings.CELERY_VISIBILITY_TIMEOUT, (
            task.name
        )


def test_redis_is_given_the_visibility_timeout_and_a_quick_restore_sweep() -> None:
    options = app.conf.broker_transport_options or {}
    if not app.conf.broker_url.startswith("redis"):
        assert "visibility_timeout" not in options  # the filesystem transport has none
        return
    assert options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT
    sweep = options["unacked_restore_interval"] * options["unacked_restore_throttle"]
    assert sweep <= 5  # a killed worker's task is back within the visibility timeout + 5 s


def test_tasks_survive_a_dying_worker() -> None:
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_periodic_tasks_expire_before_their_next_run() -> None:
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        schedule = entry["schedule"]
        interval = schedule if isinstance(schedule, int | float) else 24 * 3600
        assert entry["options"]["expires"] < interval
