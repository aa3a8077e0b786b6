"""The demo's SQLite under eight people at once: reads and writes over real HTTP to a live server,
while a sync writes pages beside them. WAL lets readers run beside the writer; IMMEDIATE
transactions and the busy timeout (see settings) make writers queue instead of failing with
"database is locked". PostgreSQL has no database-wide write lock, so this is SQLite's test."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from qualityhub.attachments.models import Attachment
from qualityhub.sync.pull import run_sync
from tests.attachments.conftest import pdf
from tests.conftest import client_for, make_user
from tests.faults.conftest import purge_queue

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="SQLite's single writer only (the demo's database); PostgreSQL locks rows",
    ),
]

PEOPLE = 8
SECONDS = 8
INSPECTIONS = 100
LOCKED = "database is locked"


def _signed_in_session(base_url: str, username: str) -> requests.Session:
    """A browser of one person: Django's session cookie, then the CSRF cookie from a page."""
    django_client = Client()
    django_client.force_login(make_user(username, "Quality engineer"))
    session = requests.Session()
    session.cookies.set("sessionid", django_client.cookies["sessionid"].value)
    session.get(f"{base_url}/inspections/", timeout=30).raise_for_status()
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def _one_person(base_url: str, session: requests.Session, seed: int, until: float, seen) -> None:
    pick = random.Random(seed)
    while time.monotonic() < until:
        inspection = pick.randint(1, INSPECTIONS)
        action = pick.choice(["list", "detail", "overview", "upload", "exported"])
        if action == "upload":
            response = session.post(
                f"{base_url}/inspections/{inspection}/attachments/upload/",
                files={"file": (f"CoA-{seed}-{time.monotonic_ns()}.pdf", pdf(), "application/pdf")},
                headers={"HX-Request": "true"},
                timeout=60,
            )
        elif action == "exported":
            response = session.post(
                f"{base_url}/inspections/{inspection}/mark-exported/",
                headers={"HX-Request": "true"},
                timeout=60,
            )
        else:
            path = {"list": "/inspections/", "detail": f"/inspections/{inspection}/"}
            response = session.get(base_url + path.get(action, "/"), timeout=60)
        seen.append((action, response.status_code, response.elapsed.total_seconds()))


def _syncing(server, until: float, runs: list, failures: list) -> None:
    client = client_for(server)
    try:
        while time.monotonic() < until:
            server.advance(10)  # something to write on every run
            runs.append(run_sync("incremental", client=client, attachments="inline"))
    except Exception as exc:  # every failure is the test's finding, shown by its assert
        failures.append(exc)
    finally:
        client.close()
        connection.close()  # this thread's connection


def test_eight_people_reading_and_writing_beside_a_sync_never_meet_a_locked_database(
    live_server, make_sandbox, caplog
) -> None:
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    coupa = make_sandbox(inspections=INSPECTIONS)
    assert run_sync("full", client=client_for(coupa), attachments="skip").outcome == "succeeded"
    base_url = live_server.url
    sessions = [_signed_in_session(base_url, f"person{n}") for n in range(PEOPLE)]
    seen: list[tuple[str, int, float]] = []
    runs: list = []
    failures: list[Exception] = []
    until = time.monotonic() + SECONDS

    try:
        with caplog.at_level(logging.WARNING):
            threads = [
                threading.Thread(target=_one_person, args=(base_url, s, n, until, seen))
                for n, s in enumerate(sessions)
            ] + [threading.Thread(target=_syncing, args=(coupa, until, runs, failures))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=90)
    finally:
        purge_queue()  # the uploads' and flags' tasks: no worker here

    actions = Counter(action for action, _, _ in seen)
    slowest = max(elapsed for _, _, elapsed in seen)
    print(f"{len(seen)} requests {dict(actions)}, slowest {slowest:.2f} s; {len(runs)} sync runs")
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert [status for _, status, _ in seen if status >= 500] == []
    assert not [r for r in caplog.records if LOCKED in r.getMessage() + str(r.exc_info)]
    assert all(run.outcome == "succeeded" for run in runs) and len(runs) >= 2
    assert actions["upload"] >= PEOPLE and actions["exported"] >= PEOPLE  # writes did happen
    assert Attachment.objects.count() == actions["upload"]
