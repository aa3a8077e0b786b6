"""What a load balancer asks: can this node reach its database and broker, and how old is the
cache? Each check is bounded in time so a hung dependency answers "down", not never."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection

from qualityhub.celery import app
from qualityhub.sync.freshness import last_successful_sync

BROKER_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str = ""  # the exception's class name, never its message (it may hold a URL)


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is the answer, not an error of the probe
        return Check(False, type(exc).__name__)
    return Check(True)


def broker_check() -> Check:
    try:
        # The URL from the settings, so that what is checked is what the settings say.
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS
            )
    except Exception as exc:
        return Check(False, type(exc).__name__)
    return Check(True)


def _last_successful_sync() -> datetime | None:
    try:
        return last_successful_sync()
    except Exception:  # the database failed after its check: no answer, not an error
        return None


def health(now: datetime) -> tuple[int, dict]:
    """(HTTP status, JSON body). 503 when the database or the broker is down; a stale cache is
    reported, and is a failure only when HEALTHZ_MAX_SYNC_AGE_SECONDS is set (a web node still
    serves a stale cache, so by default staleness is not a reason to take it out)."""
    database, broker = database_check(), broker_check()
    synced_at = _last_successful_sync() if database.ok else None
    age = round((now - synced_at).total_seconds()) if synced_at else None
    max_age = settings.HEALTHZ_MAX_SYNC_AGE_SECONDS
    sync_ok = not max_age or (age is not None and age <= max_age)
    body = {
        "status": "ok" if database.ok and broker.ok and sync_ok else "unavailable",
        "database": {"ok": database.ok, "error": database.detail},
        "broker": {"ok": broker.ok, "error": broker.detail},
        "last_successful_sync": {
            "at": synced_at.isoformat() if synced_at else None,
            "age_seconds": age,
            "ok": sync_ok,
        },
    }
    return (200 if body["status"] == "ok" else 503), body
