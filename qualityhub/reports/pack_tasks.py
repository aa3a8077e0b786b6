"""Celery's door to the monthly review packs: queue them, then send the mail queue."""

from __future__ import annotations

from celery import shared_task

from qualityhub.notifications.mail import send_due
from qualityhub.reports.pack_mail import queue_monthly_packs


# On the 1st of each month (beat). Running twice, or retried, queues nothing twice: each mail's
# key is unique (pack_mail.pack_key).
@shared_task(soft_time_limit=3000, time_limit=3300)
def send_monthly_packs() -> str:
    run = queue_monthly_packs()
    sent = send_due()
    return (
        f"queued {run.queued} packs ({run.already} already made, {run.refused} refused); "
        f"sent {sent.sent}, to retry {sent.retried}, failed {sent.failed}"
    )
