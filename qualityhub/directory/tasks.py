"""Celery's door to the names: the scheduled refresh of Coupa's suppliers, people and units.

As the sync's tasks: retried while Coupa is unavailable, time-limited, each calling one service
(`refresh.py`) and returning its summary. The sync resolves the ids it meets itself, inline.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from qualityhub.celery import retry_while_coupa_unavailable
from qualityhub.coupa import client_from_settings
from qualityhub.directory.refresh import refresh_names

RETRYING = retry_while_coupa_unavailable()
_SOFT, _HARD = settings.SYNC_TIME_LIMITS["names"]


@shared_task(**RETRYING, soft_time_limit=_SOFT, time_limit=_HARD)
def refresh_names_changes() -> dict:
    """What changed in Coupa since each kind's last refresh (every 15 minutes)."""
    return refresh_names(client_from_settings()).as_dict()


@shared_task(**RETRYING, soft_time_limit=_SOFT, time_limit=_HARD)
def refresh_names_full() -> dict:
    """Everything, and kinds whose scope was missing asked for again (nightly)."""
    return refresh_names(client_from_settings(), full=True).as_dict()
