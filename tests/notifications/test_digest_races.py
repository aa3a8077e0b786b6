"""Two builders at once (beat's run and one queued after a publish) neither mail a notification
twice nor lose one: each person's unmailed rows are locked while their mail is made."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from qualityhub.notifications.digests import build_due_mails
from qualityhub.notifications.models import Notification, OutgoingMail
from tests.notifications.mail_server import DAILY, IMMEDIATE, person, told

pytestmark = pytest.mark.django_db(transaction=True)
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def race(times: int = 4) -> None:
    start = threading.Barrier(times)
    errors: list[BaseException] = []

    def build() -> None:
        try:
            start.wait()
            build_due_mails(NOW)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=build) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


def test_builders_racing_make_one_digest_each_holding_every_notification_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite runs one writer at a time anyway)")
    for n in range(8):
        person(f"d{n}", "Quality engineer", delivery=DAILY, digest_hour=0)
    for n in range(4):
        person(f"i{n}", "Quality engineer", delivery=IMMEDIATE)
    told(5)
    race()
    assert OutgoingMail.objects.filter(key__startswith="digest:").count() == 8
    assert OutgoingMail.objects.filter(key__startswith="notification:").count() == 4 * 5
    assert not Notification.objects.filter(mailed_at=None).exists()
    for digest in OutgoingMail.objects.filter(key__startswith="digest:"):
        assert digest.subject == "QualityHub: 5 notifications today"
