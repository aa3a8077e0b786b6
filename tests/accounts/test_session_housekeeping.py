"""Sessions live in the database (the same ones for every web process): expired ones go nightly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from qualityhub.accounts.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


def test_expired_sessions_are_removed_and_live_ones_kept(client, django_user_model):
    user = django_user_model.objects.create_user("someone", password="a-long-password-1")
    client.force_login(user)
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(seconds=1)
    )

    clear_expired_sessions()

    assert list(Session.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


def test_the_housekeeping_runs_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-clear-expired-sessions"]
    assert entry["task"] == clear_expired_sessions.name
