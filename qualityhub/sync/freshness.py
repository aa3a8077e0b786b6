"""How fresh the cache is, for the banner on every page.

Kept in Django's cache (refreshed whenever a run finishes) so that a page view costs no query
for it; on a miss it is read from the runs and cached for a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
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


def read_freshness() -> Freshness:
    """One query: the latest finished runs. With no success among the last 50, the cache counts
    as never synced for the banner, which says stale either way."""
    recent = list(
        SyncRun.objects.exclude(mode=SyncRun.Mode.ONE)
        .filter(outcome__in=[SyncRun.Outcome.SUCCEEDED, SyncRun.Outcome.FAILED])
        .order_by("-finished_at")
        .values_list("outcome", "finished_at", "message")[:50]
    )
    success = next((r for r in recent if r[0] == SyncRun.Outcome.SUCCEEDED), None)
    failure = next((r for r in recent if r[0] == SyncRun.Outcome.FAILED), None)
    return Freshness(
        last_success=success[1] if success else None,
        last_failure=failure[1] if failure else None,
        last_failure_message=failure[2] if failure else "",
    )


def freshness() -> Freshness:
    value = cache.get(CACHE_KEY)
    if value is None:
        value = read_freshness()
        cache.set(CACHE_KEY, value, 60)
    return value


def forget_freshness() -> None:
    cache.delete(CACHE_KEY)
