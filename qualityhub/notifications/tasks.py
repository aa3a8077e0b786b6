"""Celery's door to notification mail: queue what is due, then send what waits."""

from __future__ import annotations

from celery import shared_task

from qualityhub.celery import enqueue_on_commit
from qualityhub.notifications.digests import build_due_mails
from qualityhub.notifications.mail import send_due


# Every minute (beat), and on commit after a publish (`mail_soon()`).
# Runs may overlap: rows are claimed one by one under a lease, so two never send the same mail.
@shared_task(soft_time_limit=240, time_limit=270)
def send_notification_mail() -> str:
    built = build_due_mails()
    sent = send_due()
    return (
        f"queued {built.immediate} immediate, {built.digests} digests, {built.summaries} "
        f"summaries; sent {sent.sent}, to retry {sent.retried}, failed {sent.failed}"
    )


def mail_soon() -> None:
    """After a publish: the immediate mails go out once the transaction commits, not at the next
    minute. A broker out of reach loses nothing: beat's next run builds and sends them."""
    enqueue_on_commit(send_notification_mail)
