"""A sync against a Coupa that drips its answers, pads them to hundreds of megabytes or sends
lists that are not whole: the run fails (or succeeds) with a clear reason, frees its lock and its
threads at once, and never marks a cached inspection gone on the word of such a list."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.management import CommandError, call_command

from qualityhub.coupa import CoupaTooLarge, CoupaUnavailable
from qualityhub.coupa.client import CoupaClient
from qualityhub.inspections.models import Inspection
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for
from tests.hostile_coupa import HostileCoupa, drip, json_answer, padded_list

pytestmark = pytest.mark.django_db

CACHED = 20
DEADLINE = 1.5
MB = 1024 * 1024


@pytest.fixture
def upstream(make_sandbox):
    """A sandbox whose inspections are all in the cache already."""
    server = make_sandbox(inspections=CACHED)
    assert run_sync("full", client=client_for(server), attachments="skip").outcome == "succeeded"
    return server


def _hostile_client(server: HostileCoupa, **options) -> CoupaClient:
    options = {"total_timeout": DEADLINE, "read_timeout": 5.0, "backoff_base": 0.01, **options}
    return CoupaClient(server.url, "id", "secret", **options)


def _read_ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "coupa-read-ahead" and t.is_alive()]


def _last_run() -> SyncRun:
    return SyncRun.objects.order_by("-pk").first()


def _nothing_marked_gone() -> bool:
    return Inspection.objects.filter(gone_at__isnull=True).count() == CACHED


# --- a total deadline ---------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_a_sync_against_a_dripping_coupa_fails_in_time_and_frees_its_lock_and_threads(
    upstream, hostile
) -> None:
    hostile.on("list", drip(b"[" + b" " * 1000 + b"]"))
    started = time.monotonic()
    with pytest.raises(CoupaUnavailable):
        run_sync("full", client=_hostile_client(hostile), attachments="skip")
    assert time.monotonic() - started < DEADLINE + 1.5

    failed = _last_run()
    assert failed.outcome == "failed"
    assert "Coupa took longer than 1.5 s to answer GET list" in failed.message
    assert _read_ahead_threads() == []
    # The lock is free at once: the next sync runs (instead of being refused for an hour).
    assert run_sync("full", client=client_for(upstream), attachments="skip").outcome == "succeeded"


@pytest.mark.timeout(30)
def test_coupa_sync_on_the_command_line_ends_with_the_deadline_as_its_reason(
    upstream, hostile, settings
) -> None:
    hostile.on("list", drip(b"[" + b" " * 1000 + b"]"))
    settings.COUPA_BASE_URL = hostile.url
    settings.COUPA_TOKEN_URL = f"{hostile.url}/oauth2/token"
    settings.COUPA_TOTAL_TIMEOUT = DEADLINE
    with pytest.raises(CommandError, match=r"Sync failed: Coupa took longer than 1\.5 s"):
        call_command("coupa_sync", "--full", "--skip-attachments", stdout=None)
    assert _read_ahead_threads() == []
    assert _nothing_marked_gone()


# --- a byte cap, and no gone-marking from a list that is not whole --------------------------


@pytest.mark.timeout(30)
def test_a_list_padded_to_200_mb_fails_the_run_clearly_and_marks_nothing_gone(
    upstream, hostile
) -> None:
    hostile.on("list", padded_list([], 200 * MB, content_length=False))
    with pytest.raises(CoupaTooLarge):
        run_sync("full", client=_hostile_client(hostile, max_response_bytes=MB), attachments="skip")
    failed = _last_run()
    assert failed.outcome == "failed" and failed.gone == 0
    assert "larger than QualityHub accepts: more than 1 MB" in failed.message
    assert _nothing_marked_gone()
    assert _read_ahead_threads() == []


def _upstream_records(upstream) -> list[dict]:
    return client_for(upstream).list_page(limit=50)


def test_a_record_without_a_usable_id_means_nothing_is_marked_gone(upstream, hostile) -> None:
    records = _upstream_records(upstream)
    hostile.on("list", json_answer([*records[:-1], {"status": "Open"}]))  # the last, garbled
    run = run_sync("full", client=_hostile_client(hostile), attachments="skip")
    assert run.outcome == "succeeded" and run.skipped == 1 and run.gone == 0
    assert "nothing was marked gone" in run.message
    assert _nothing_marked_gone()


@pytest.mark.parametrize("answer", [{"errors": []}, {"data": None, "warnings": []}])
def test_an_unknown_object_holding_an_empty_list_marks_nothing_gone(
    upstream, hostile, answer
) -> None:
    hostile.on("list", json_answer(answer))
    run = run_sync("full", client=_hostile_client(hostile), attachments="skip")
    assert run.gone == 0 and "nothing was marked gone" in run.message
    assert _nothing_marked_gone()


def test_a_whole_list_still_marks_what_it_lacks_gone(upstream, hostile) -> None:
    records = _upstream_records(upstream)
    hostile.on("list", json_answer({"data": records[:-1]}))  # a known envelope, one inspection less
    run = run_sync("full", client=_hostile_client(hostile), attachments="skip")
    assert run.outcome == "succeeded" and run.gone == 1 and run.message == ""
