"""Celery's door to the analytics: each task calls one function and returns a summary."""

from __future__ import annotations

from celery import shared_task

from qualityhub.analytics.overview import refresh_overview_snapshot
from qualityhub.analytics.scorecards import refresh_scorecards_snapshot
from qualityhub.analytics.trends import refresh_trends_snapshot


# Every 5 minutes (beat) and after a sync that changed the cache: the time limits stay below the
# interval, so a slow refresh is stopped before the next one starts.
@shared_task(soft_time_limit=240, time_limit=270)
def refresh_overview() -> str:
    """Compute the overview's figures and keep them for the page; returns when they are from."""
    return refresh_overview_snapshot().computed_at.isoformat()


# Every 5 minutes (beat): the trends picker's most measured pairs (a few seconds at 1 M).
@shared_task(soft_time_limit=240, time_limit=270)
def refresh_trends() -> str:
    """Count the most measured item × characteristic pairs for the trends picker."""
    return refresh_trends_snapshot().computed_at.isoformat()


# Every 15 minutes (beat): every period's supplier scorecards (20 s or so at 1 M inspections).
@shared_task(soft_time_limit=600, time_limit=660)
def refresh_scorecards() -> str:
    """Compute every supplier's scorecards for each period and keep them for the pages."""
    return refresh_scorecards_snapshot().isoformat()
