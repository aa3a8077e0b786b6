"""A refresh from Coupa says what happened: what changed, no change, or what failed.

Plain tests of the comparison, then the real thing: a private sandbox moved upstream through its
control endpoint, the refresh run as the task runs it, and the detail page's answer.
"""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from qualityhub.coupa.vocabulary import Status
from qualityhub.inspections.models import Inspection
from qualityhub.sync.changes import Changes, Snapshot, compare, describe
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for


def line(value: str = "1.5", **extra) -> dict:
    return {"name": "Length", "recorded_numeric": value, "limits": [("min", "ge", 1)]} | extra


BEFORE = Snapshot({"coupa_id": 7, "status": "Open"}, {1: line(), 2: line("2"), 3: line("3")})


def test_the_same_snapshot_is_no_change() -> None:
    assert not compare(BEFORE, BEFORE)
    assert describe(compare(BEFORE, BEFORE)) == "No change in Coupa."


def test_two_changed_lines_are_counted() -> None:
    after = Snapshot(BEFORE.header, {1: line("1.6"), 2: line("2", remarks="x"), 3: line("3")})
    assert compare(BEFORE, after) == Changes(changed=2)
    assert describe(compare(BEFORE, after)) == "Updated: 2 lines changed."


def test_a_changed_limit_changes_its_line() -> None:
    after = Snapshot(BEFORE.header, {**BEFORE.lines, 1: line(limits=[("min", "gt", 1)])})
    assert describe(compare(BEFORE, after)) == "Updated: 1 line changed."


def test_header_fields_and_added_and_removed_lines_are_said() -> None:
    after = Snapshot(
        {"coupa_id": 7, "status": "In Progress"}, {1: line(), 2: line("2"), 4: line(), 5: line()}
    )
    assert compare(BEFORE, after) == Changes(fields=("status",), added=2, removed=1)
    assert describe(compare(BEFORE, after)) == (
        "Updated: status changed; 2 lines added; 1 line removed."
    )


def test_several_header_fields_are_joined_in_words() -> None:
    assert describe(Changes(fields=("status", "review_decision", "due_date"))) == (
        "Updated: status, review decision and due date changed."
    )


def test_an_inspection_first_cached_by_the_refresh_is_said() -> None:
    assert describe(compare(None, BEFORE)) == "Updated: the inspection is now in the cache."
    assert not compare(None, None)


# --- through the sandbox ------------------------------------------------------------------


def raw_lines(server, coupa_id: int) -> dict[int, str]:
    client = client_for(server)
    try:
        raw = client.get_inspection_raw(coupa_id)
    finally:
        client.close()
    return {c["id"]: json.dumps(c, sort_keys=True, default=str) for c in raw["characteristics"]}


@pytest.mark.django_db(transaction=True)
def test_a_refresh_after_coupa_moved_says_how_many_lines_changed(small_coupa) -> None:
    client = client_for(small_coupa)
    try:
        run_sync("full", client=client, attachments="skip")
        inspection = Inspection.objects.filter(status=Status.OPEN).order_by("coupa_id").first()
        assert inspection is not None, "no Open inspection in the sandbox"
        before = raw_lines(small_coupa, inspection.coupa_id)
        small_coupa.advance(120)  # every inspection not yet Closed moves one step
        after = raw_lines(small_coupa, inspection.coupa_id)
        differing = sum(before[key] != after[key] for key in before)
        assert differing >= 1  # Open → In Progress records about half the lines

        run = run_sync("one", client=client, coupa_id=inspection.coupa_id, attachments="skip")
        lines = f"{differing} line{'s' if differing > 1 else ''}"
        assert run.message == f"Updated: status changed; {lines} changed."

        again = run_sync("one", client=client, coupa_id=inspection.coupa_id, attachments="skip")
        assert again.message == "No change in Coupa."
    finally:
        client.close()


@pytest.mark.django_db(transaction=True)
def test_a_refresh_of_an_inspection_deleted_in_coupa_says_so(small_coupa) -> None:
    client = client_for(small_coupa)
    try:
        run_sync("full", client=client, attachments="skip")
        small_coupa.control("DELETE", "inspections/5")
        run = run_sync("one", client=client, coupa_id=5, attachments="skip")
    finally:
        client.close()
    assert run.message == "No longer in Coupa."
    assert Inspection.objects.get(coupa_id=5).is_gone


# --- the page's answer ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_finished_refresh_shows_its_sentence_beside_the_button(signed_in, synced) -> None:
    since = timezone.now()
    SyncRun.objects.create(
        mode="one",
        target_id=1,
        started_at=timezone.now(),
        outcome="succeeded",
        message="Updated: 2 lines changed.",
    )
    html = signed_in.get("/inspections/1/refresh/status/", {"since": since.isoformat()})
    html = html.content.decode()
    assert 'data-testid="refresh-result">Updated: 2 lines changed.</span>' in html


@pytest.mark.django_db
def test_a_refresh_refused_by_another_sync_says_so(signed_in, synced) -> None:
    since = timezone.now()
    SyncRun.objects.create(mode="one", target_id=1, started_at=timezone.now(), outcome="refused")
    html = signed_in.get("/inspections/1/refresh/status/", {"since": since.isoformat()})
    html = html.content.decode()
    assert 'data-testid="refresh-failed"' in html
    assert "another sync was running" in html


@pytest.mark.django_db
def test_the_detail_page_itself_shows_no_refresh_sentence(signed_in, synced) -> None:
    html = signed_in.get("/inspections/1/").content.decode()
    assert 'data-testid="refresh-result"' not in html
