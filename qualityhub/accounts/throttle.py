"""Counting requests per identity in fixed windows, in the database.

The counts live in the database rather than the cache so that every web process counts the
same requests whatever the cache (without CACHE_URL each process has its own), and a restart or
an eviction does not reset them. An increment is one UPDATE of one row, so concurrent requests
are counted exactly; only rarely used views (a password reset) are throttled this way.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from qualityhub.accounts.models import RequestCount


def admit(scope: str, identity: str, limit: int, window: timedelta) -> bool:
    """Counts one more request of `identity` in `scope`; True while the current window holds at
    most `limit` of them."""
    now = timezone.now()
    seconds = int(window.total_seconds())
    window_number = int(now.timestamp()) // seconds
    key = salted_hmac(
        f"throttle:{scope}", f"{identity}\n{window_number}", algorithm="sha256"
    ).hexdigest()
    window_ends = datetime.fromtimestamp((window_number + 1) * seconds, UTC)
    RequestCount.objects.filter(window_ends__lte=now).delete()
    RequestCount.objects.bulk_create(
        [RequestCount(key=key, window_ends=window_ends)], ignore_conflicts=True
    )
    RequestCount.objects.filter(key=key).update(count=F("count") + 1)
    return RequestCount.objects.get(key=key).count <= limit
