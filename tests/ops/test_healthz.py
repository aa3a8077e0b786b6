"""/healthz: what a load balancer sees."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from qualityhub.sync.models import SyncRun

pytestmark = pytest.mark.django_db


def _run(outcome: str, finished_ago: timedelta, mode: str = "incremental") -> None:
    now = timezone.now()
    SyncRun.objects.create(
        mode=mode, started_at=now - finished_ago, finished_at=now - finished_ago, outcome=outcome
    )


def test_it_answers_without_a_sign_in_and_names_each_check(client) -> None:
    _run("succeeded", timedelta(minutes=3))
    _run("failed", timedelta(minutes=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "error": ""}
    assert body["broker"] == {"ok": True, "error": ""}
    assert 170 <= body["last_successful_sync"]["age_seconds"] <= 200  # the success, not the failure


def test_it_holds_no_secrets(client, settings) -> None:
    text = client.get("/healthz").content.decode()
    for secret in (settings.SECRET_KEY, settings.COUPA_CLIENT_SECRET, settings.CELERY_BROKER_URL):
        assert secret not in text


def test_an_unreachable_broker_is_503_and_says_which(client, settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on port 9
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["broker"]["ok"] is False
    assert body["broker"]["error"] and "9/0" not in json.dumps(body)
    assert body["database"]["ok"] is True


@override_settings(HEALTHZ_MAX_SYNC_AGE_SECONDS=600)
def test_a_stale_cache_fails_only_when_asked_to(client) -> None:
    _run("succeeded", timedelta(minutes=20))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["last_successful_sync"]["ok"] is False


def test_no_sync_yet_is_reported_as_such(client) -> None:
    body = client.get("/healthz").json()
    assert body["last_successful_sync"] == {"at": None, "age_seconds": None, "ok": True}


def test_it_is_get_only(client) -> None:
    assert client.post("/healthz").status_code == 405


@override_settings(ALLOWED_HOSTS=["qualityhub.example.com"])
def test_a_probe_by_address_is_answered_whatever_the_allowed_hosts(client) -> None:
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400
