"""The last successful whole-cache sync, as the banner and /healthz tell it: one answer."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from qualityhub.ops.health import health
from qualityhub.sync.freshness import last_successful_sync, read_freshness
from qualityhub.sync.models import SyncRun

pytestmark = pytest.mark.django_db


def _run(outcome: str, finished: datetime, mode: str = SyncRun.Mode.INCREMENTAL, message: str = ""):
    return SyncRun.objects.create(
        mode=mode, started_at=finished, finished_at=finished, outcome=outcome, message=message
    )


def test_nothing_synced_yet() -> None:
    assert last_successful_sync() is None
    assert read_freshness().last_success is None
    assert read_freshness().last_failure is None


def test_the_last_success_of_a_whole_cache_run_not_of_one_inspection() -> None:
    now = timezone.now()
    _run(SyncRun.Outcome.SUCCEEDED, now - timedelta(hours=3), mode=SyncRun.Mode.FULL)
    _run(SyncRun.Outcome.SUCCEEDED, now - timedelta(hours=2))
    _run(SyncRun.Outcome.SUCCEEDED, now - timedelta(hours=1), mode=SyncRun.Mode.ONE)
    _run(SyncRun.Outcome.REFUSED, now - timedelta(minutes=30))
    _run(SyncRun.Outcome.RUNNING, now - timedelta(minutes=20))
    assert last_successful_sync() == now - timedelta(hours=2)
    assert read_freshness().last_success == now - timedelta(hours=2)
    assert read_freshness().failed_last is False


def test_a_failure_after_the_last_success_is_told_with_its_message() -> None:
    now = timezone.now()
    _run(SyncRun.Outcome.FAILED, now - timedelta(hours=3), message="an old one")
    _run(SyncRun.Outcome.SUCCEEDED, now - timedelta(hours=2))
    _run(SyncRun.Outcome.FAILED, now - timedelta(hours=1), message="Coupa is down")
    _run(SyncRun.Outcome.FAILED, now - timedelta(minutes=1), mode=SyncRun.Mode.ONE)
    freshness = read_freshness()
    assert freshness.last_success == now - timedelta(hours=2)
    assert freshness.last_failure == now - timedelta(hours=1)
    assert freshness.last_failure_message == "Coupa is down"
    assert freshness.failed_last is True


def test_the_banner_and_the_health_check_agree_after_many_failures() -> None:
    """The banner used to look for the success among the last 50 finished runs only, so after
    50 failures it said "never synced" while /healthz gave the success's time."""
    now = timezone.now()
    success = now - timedelta(days=1)
    _run(SyncRun.Outcome.SUCCEEDED, success)
    for minutes in range(60, 0, -1):
        _run(SyncRun.Outcome.FAILED, now - timedelta(minutes=minutes), message=f"{minutes}")
    _status, body = health(now)
    assert body["last_successful_sync"]["at"] == success.isoformat()
    freshness = read_freshness()
    assert freshness.last_success == success
    assert freshness.last_failure == now - timedelta(minutes=1)
    assert freshness.last_failure_message == "1"


def test_each_is_one_query(django_assert_num_queries) -> None:
    now = timezone.now()
    _run(SyncRun.Outcome.SUCCEEDED, now - timedelta(hours=2))
    _run(SyncRun.Outcome.FAILED, now - timedelta(hours=1))
    with django_assert_num_queries(1):
        assert read_freshness().failed_last is True
    with django_assert_num_queries(1):
        assert last_successful_sync() == now - timedelta(hours=2)
