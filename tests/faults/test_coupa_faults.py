"""Coupa misbehaving during a sync run: a token that expires half-way, and Coupa down for a whole
run. (Single requests answered 503, 503, 200; a 429 with Retry-After; a hung server: see
tests/coupa/test_client.py.)"""

from __future__ import annotations

import pytest

from qualityhub.coupa import CoupaUnavailable
from qualityhub.inspections.models import Inspection
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_token_expired_in_the_middle_of_a_sync_run_is_renewed_and_the_run_succeeds(
    make_sandbox,
) -> None:
    coupa = make_sandbox(inspections=330)
    client = client_for(coupa)
    expired = []

    def expire_after_the_first_page(run: SyncRun) -> None:
        if run.pages == 1:
            expired.append(coupa.control("POST", "expire-tokens", {})["expired"])

    run = run_sync("full", client=client, attachments="skip", progress=expire_after_the_first_page)

    assert expired == [1]  # the run's token was revoked with pages still to read
    assert run.outcome == "succeeded" and run.pages == 7 and run.created == 330
    operations = coupa.request_count()["by_operation"]
    assert operations["token"] == 2  # the first, and one renewal after the 401
    # Seven pages, one of them sent again with the new token. The sync reads ahead: while page 1
    # is written, pages 2 to 5 may already be fetched (two stages, each holding one page ready and
    # one in hand), so the page refused is the first asked for after the revocation, the sixth at
    # the latest; seven pages leave one to refuse however fast the fetching thread runs.
    assert operations["list"] == 8
    assert Inspection.objects.count() == 330


def test_a_refusal_of_an_old_token_does_not_throw_away_the_renewed_one(make_sandbox) -> None:
    coupa = make_sandbox(inspections=10)
    client = client_for(coupa)
    client.list_page()
    stale = client._access_token()
    coupa.control("POST", "expire-tokens", {})
    client.list_page()  # refused, renewed, sent again
    renewed = client._access_token()
    assert renewed != stale
    client._forget_token(stale)  # a late 401 from a request another thread sent with the old one
    assert client._access_token() == renewed
    assert coupa.request_count()["by_operation"]["token"] == 2


@pytest.fixture
def engineer_client(client, engineer):
    client.force_login(engineer)
    return client


def test_coupa_down_for_a_whole_run_fails_it_with_the_reason_and_the_cache_keeps_serving(
    make_sandbox, engineer_client
) -> None:
    coupa = make_sandbox(inspections=60)
    client = client_for(coupa)  # one client throughout, as a worker keeps one
    assert run_sync("full", client=client, attachments="skip").outcome == "succeeded"
    moved = coupa.advance(3)  # work goes on in Coupa, then it goes down
    coupa.stop()

    with pytest.raises(CoupaUnavailable):
        run_sync("incremental", client=client, attachments="skip")

    failed = SyncRun.objects.get(mode="incremental")
    assert failed.outcome == "failed"
    assert failed.message.startswith("Coupa did not answer GET list: connection failed")
    for page in ("/inspections/", "/inspections/1/", "/"):
        response = engineer_client.get(page)
        html = response.content.decode()
        assert response.status_code == 200, page
        assert "Last sync failed" in html and "Coupa did not answer GET list" in html, page
    assert "Non-volatile residue" in engineer_client.get("/inspections/1/").content.decode()

    coupa.start_again()
    caught_up = run_sync("incremental", client=client, attachments="skip")

    assert caught_up.outcome == "succeeded" and caught_up.updated == len(moved) == 3
    html = engineer_client.get("/inspections/").content.decode()
    assert "Last sync failed" not in html and "Stale" not in html
