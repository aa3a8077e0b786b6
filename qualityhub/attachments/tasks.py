"""Celery's door to the attachment write path: each task takes an id and calls one function.

Retries live here: while Coupa is unavailable a task tries again with exponential backoff and
jitter (Coupa's Retry-After respected), and on its last try the row is marked failed instead, so
a person sees it and can retry. A refusal (4xx) is never retried by the task.
"""

from __future__ import annotations

import random

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from qualityhub.attachments.push import Outcome, send_delete, send_upload, stalled
from qualityhub.coupa import client_from_settings

SOFT, HARD = settings.ATTACHMENT_TIME_LIMITS
WRITING = {
    "bind": True,
    "max_retries": settings.ATTACHMENT_MAX_RETRIES,
    "soft_time_limit": SOFT,
    "time_limit": HARD,
}


def _again(task, outcome: Outcome) -> Outcome:
    if not outcome.again:
        return outcome
    countdown = get_exponential_backoff_interval(
        factor=settings.ATTACHMENT_RETRY_BACKOFF,
        retries=task.request.retries,
        maximum=settings.ATTACHMENT_RETRY_BACKOFF_MAX,
        full_jitter=False,
    )
    countdown *= random.uniform(0.5, 1)  # jitter, so retries of many rows spread out
    if outcome.retry_after:
        countdown = max(countdown, min(outcome.retry_after, settings.ATTACHMENT_RETRY_BACKOFF_MAX))
    raise task.retry(countdown=countdown)


@shared_task(**WRITING)
def push_attachment(self, attachment_id: int) -> str:
    last_try = self.request.retries >= self.max_retries
    return _again(
        self, send_upload(client_from_settings(), attachment_id, last_try=last_try)
    ).status


@shared_task(**WRITING)
def delete_attachment(self, attachment_id: int) -> str:
    last_try = self.request.retries >= self.max_retries
    return _again(
        self, send_delete(client_from_settings(), attachment_id, last_try=last_try)
    ).status


@shared_task(soft_time_limit=60, time_limit=90)
def resume_stalled_attachments() -> dict:
    """Re-queue rows no task is working on (a worker died, a retry was lost)."""
    uploads, deletes = stalled()
    for attachment_id in uploads:
        push_attachment.delay(attachment_id)
    for attachment_id in deletes:
        delete_attachment.delay(attachment_id)
    return {"uploads": len(uploads), "deletes": len(deletes)}
