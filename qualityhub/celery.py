"""The Celery application; configuration lives in Django settings under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityhub.settings")

app = Celery("qualityhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def retry_while_coupa_unavailable() -> dict:
    """Task options for work that talks to Coupa: retried with exponential backoff and jitter
    while Coupa is unavailable (long outages are the task's to wait out, not the client's)."""
    from qualityhub.coupa import CoupaUnavailable

    return {
        "autoretry_for": (CoupaUnavailable,),
        "retry_backoff": 15,
        "retry_backoff_max": 300,
        "retry_jitter": True,
        "max_retries": 5,
    }
