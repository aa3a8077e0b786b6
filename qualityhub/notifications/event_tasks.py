"""Celery's door to the time-based events (`scan.py`): beat runs it every `NOTIFY_SCAN_SECONDS`."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from qualityhub.notifications.scan import scan_time_events as scan


# Expires before the next run (settings); a redelivered or doubled run adds nothing (keys).
@shared_task(soft_time_limit=240, time_limit=270)
def scan_time_events() -> dict[str, int]:
    """Publish what became overdue, due soon or too long in review; returns the counts."""
    return scan(timezone.now()).as_dict()
