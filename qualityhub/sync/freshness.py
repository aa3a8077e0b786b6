"""How fresh the cache is: when the last successful whole-cache sync finished, for /healthz, and
the banner on every page.

The banner's answer is kept in Django's cache (refreshed whenever a run finishes) so that a page
view costs no query for it; on a miss it is read from the runs and cached for a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from qualityhub.sync.models import SyncRun

CACHE_KEY = "qualityhub:sync-freshness"


@dataclass(frozen=True)
class Freshness:
    last_success: datetime | None
    last_failure: datetime | None
    last_failure_message: str

    @property
    def failed_last(self) -> bool:
        return bool(self.last_failure) and (
            self.last_success is None or self.last_failure > self.last_success
        )

    def is_stale(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        limit = timedelta(seconds=settings.SYNC_STALE_AFTER_SECONDS)
        return self.last_success is None or now - self.last_success > limit


def _whole_cache_runs_newest_first(outcome: SyncRun.Outcome) -> QuerySet[SyncRun]:
    """Incremental and full runs (a single inspection's run refreshes only that one), of this
    outcome, the last to finish first (the `syncrun_outcome` index)."""
    return (
        SyncRun.objects.exclude(mode=SyncRun.Mode.ONE)
        .filter(outcome=outcome)
        .order_by("-finished_at")
    )


def last_successful_sync() -> datetime | None:
    """When the last successful whole-cache sync finished; None when none has."""
    return (
        _whole_cache_runs_newest_first(SyncRun.Outcome.SUCCEEDED)
        .values_list("finished_at", flat=True)
        .first()
    )


def read_freshness() -> Freshness:
    """Two index lookups: the last successful whole-cache sync and the last failed one."""
    failure = (
        _whole_cache_runs_newest_first(SyncRun.Outcome.FAILED)
        .values_list("finished_at", "message")
        .first()
    )
    return Freshness(
        last_success=last_successful_sync(),
        last_failure=failure[0] if failure else None,
        last_failure_message=failure[1] if failure else "",
    )


def freshness() -> Freshness:
    value = cache.get(CACHE_KEY)
    if value is None:
        value = read_freshness()
        cache.set(CACHE_KEY, value, 60)
    return value


def forget_freshness() -> None:
    cache.delete(CACHE_KEY)
