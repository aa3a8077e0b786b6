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
from django.db.models import Q, Subquery
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


@dataclass(frozen=True)
class LastRun:
    finished_at: datetime
    message: str


def last_whole_cache_runs(*outcomes: SyncRun.Outcome) -> dict[str, LastRun]:
    """Outcome -> the whole-cache run of that outcome that finished last (when there is one), in
    one query: a lookup by id per outcome, each id found on the `syncrun_outcome` index. A single
    inspection's run refreshes only that one, so it does not count."""
    last_of_each = Q()
    for outcome in outcomes:
        last = (
            SyncRun.objects.exclude(mode=SyncRun.Mode.ONE)
            .filter(outcome=outcome)
            .order_by("-finished_at")
            .values("pk")[:1]
        )
        last_of_each |= Q(pk=Subquery(last))
    rows = (
        SyncRun.objects.filter(last_of_each)
        .order_by()
        .values_list("outcome", "finished_at", "message")
    )
    return {outcome: LastRun(finished_at, message) for outcome, finished_at, message in rows}


def last_successful_sync() -> datetime | None:
    """When the last successful whole-cache sync finished; None when none has."""
    success = last_whole_cache_runs(SyncRun.Outcome.SUCCEEDED).get(SyncRun.Outcome.SUCCEEDED)
    return success.finished_at if success else None


def read_freshness() -> Freshness:
    """One query: the last successful whole-cache sync and the last failed one."""
    last = last_whole_cache_runs(SyncRun.Outcome.SUCCEEDED, SyncRun.Outcome.FAILED)
    success, failure = last.get(SyncRun.Outcome.SUCCEEDED), last.get(SyncRun.Outcome.FAILED)
    return Freshness(
        last_success=success.finished_at if success else None,
        last_failure=failure.finished_at if failure else None,
        last_failure_message=failure.message if failure else "",
    )


def freshness() -> Freshness:
    value = cache.get(CACHE_KEY)
    if value is None:
        value = read_freshness()
        cache.set(CACHE_KEY, value, 60)
    return value


def forget_freshness() -> None:
    cache.delete(CACHE_KEY)
