"""The overview's snapshot: the page reads it until it is refreshed, the task stores it, an older
layout is computed again, and a sync under Celery that changed the cache refreshes it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qualityhub.analytics.models import Snapshot
from qualityhub.analytics.overview import compute_overview, refresh_overview_snapshot
from qualityhub.analytics.tasks import refresh_overview
from qualityhub.celery import app as celery_app
from qualityhub.sync.pull import run_sync
from qualityhub.sync.tasks import QUEUED
from tests.analytics.overview_world import (
    DAY,
    NOW,
    build_world,
    inspection,
    tile,
)
from tests.conftest import client_for
from tests.sandbox_process import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db


def test_the_page_keeps_showing_the_snapshot_until_it_is_refreshed(grace, frozen) -> None:
    inspection("Open", due=NOW - DAY)
    assert not Snapshot.objects.exists()

    assert tile(grace.get("/"), "overdue") == 1  # no snapshot yet: computed and kept
    assert Snapshot.objects.get(name="overview").computed_at == NOW

    inspection("Open", due=NOW - 2 * DAY)
    frozen.shift(timedelta(minutes=10))
    response = grace.get("/")
    assert tile(response, "overdue") == 1
    assert "Figures as of" in response.content.decode()
    assert "12 Jun 2024, 10:00" in response.content.decode()
    assert "10\xa0minutes ago" in response.content.decode()

    refresh_overview_snapshot()

    response = grace.get("/")
    assert tile(response, "overdue") == 2
    assert "12 Jun 2024, 10:10" in response.content.decode()


def test_the_refresh_task_stores_the_figures(frozen) -> None:
    build_world(2)

    assert refresh_overview() == NOW.isoformat()

    snapshot = Snapshot.objects.get(name="overview")
    assert snapshot.computed_at == NOW
    assert snapshot.data == compute_overview(NOW)


def test_a_snapshot_of_an_older_layout_is_computed_again(grace, frozen) -> None:
    inspection("Open", due=NOW - DAY)
    Snapshot.objects.create(name="overview", computed_at=NOW - DAY, data={"counts": {}})

    assert tile(grace.get("/"), "overdue") == 1
    assert Snapshot.objects.get(name="overview").computed_at == NOW


@pytest.fixture
def eager_celery(monkeypatch, settings, make_sandbox):
    """A small sandbox as the configured Coupa, and tasks run in this process when they are sent
    (Celery's own switch), so what a sync queues runs here against that sandbox."""
    server = make_sandbox(inspections=12)
    settings.COUPA_BASE_URL = server.url
    settings.COUPA_TOKEN_URL = f"{server.url}/oauth2/token"
    settings.COUPA_CLIENT_ID, settings.COUPA_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    celery_app.finalize()
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    return server


def test_a_sync_under_celery_that_changed_the_cache_refreshes_the_overview(
    eager_celery, django_capture_on_commit_callbacks
) -> None:
    server = eager_celery
    with django_capture_on_commit_callbacks(execute=True):
        run = run_sync("full", client=client_for(server), attachments="queue", tasks=QUEUED)
    assert run.created == 12
    snapshot = Snapshot.objects.get(name="overview")
    assert snapshot.data["counts"]["total"] == 12

    snapshot.delete()
    with django_capture_on_commit_callbacks(execute=True):
        run = run_sync("incremental", client=client_for(server), attachments="queue", tasks=QUEUED)
    assert (run.created, run.updated) == (0, 0)
    assert not Snapshot.objects.exists()  # nothing changed: nothing to refresh


def test_a_sync_outside_celery_leaves_the_overview_to_its_schedule(
    eager_celery, django_capture_on_commit_callbacks
) -> None:
    server = eager_celery
    with django_capture_on_commit_callbacks(execute=True):
        run = run_sync("full", client=client_for(server), attachments="skip")
    assert run.created == 12
    assert not Snapshot.objects.exists()
