"""Housekeeping of sign-ins: sessions live in the database, so expired ones are removed daily."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(soft_time_limit=300, time_limit=360)
def clear_expired_sessions() -> None:
    """Django's `clearsessions`, for beat (the database would otherwise keep every session)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
