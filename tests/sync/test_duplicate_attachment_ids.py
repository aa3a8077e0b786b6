"""Duplicate attachment ids from Coupa: an attachment never moves from one inspection to another.

The cached owner keeps it and a newcomer's claim is skipped; a claim by two inspections when
nobody holds it yet skips both; each skip is named on the run. Within one inspection the latest
placement (header or line) is taken. Over real HTTP, from a Coupa that lists exactly what each
test gives it.
"""

from __future__ import annotations

import pytest

from qualityhub.attachments.models import Attachment
from qualityhub.celery import app as celery_app
from qualityhub.coupa.schemas import parse_attachment
from qualityhub.sync.mapping import attachment_row
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync
from qualityhub.sync.tasks import QUEUED
from qualityhub.sync.upsert import upsert
from tests.hostile_coupa import fixed_coupa
from tests.sync.test_duplicate_ids import inspection

pytestmark = pytest.mark.django_db


def attachment(coupa_id: int, name: str = "") -> dict:
    return {
        "id": coupa_id,
        "type": "file",
        "fileName": name or f"file-{coupa_id}.pdf",
        "fileContentType": "application/pdf",
        "fileSize": 14,
    }


def _sync(coupa, attachments: str = "inline") -> SyncRun:
    tasks = QUEUED if attachments == "queue" else None
    return run_sync("full", client=coupa.client(), attachments=attachments, tasks=tasks)


def _placed() -> dict[int, tuple[int, int | None]]:
    """Attachment id -> (inspection id, line id or None)."""
    return {
        a.coupa_id: (a.inspection_id, a.characteristic_id)
        for a in Attachment.objects.filter(coupa_id__isnull=False)
    }


def _errors(run: SyncRun) -> list[tuple[int, str]]:
    return [(error["coupa_id"], error["reason"]) for error in run.errors]


def test_an_attachment_in_two_new_inspections_goes_to_neither_and_is_named() -> None:
    records = [inspection(12, (1,)), inspection(15, (2,))]
    listed = {12: [attachment(9), attachment(10)], 15: [attachment(11), attachment(9)]}
    with fixed_coupa(records, listed) as coupa:
        run = _sync(coupa)

    assert run.outcome == "succeeded"
    assert _placed() == {10: (12, None), 11: (15, None)}
    reason = "attachment 9 appears in inspections 12 and 15"
    assert _errors(run) == [(12, reason), (15, reason)]
    assert run.created == 2  # the inspections themselves are written


def test_a_cached_attachment_stays_with_its_inspection() -> None:
    with fixed_coupa([inspection(12, (1,))], {12: [attachment(9)]}) as coupa:
        _sync(coupa)
        coupa.records = [inspection(12, (1,)), inspection(15, (2,))]
        coupa.attachments = {12: [attachment(9)], 15: [attachment(9, "moved.pdf"), attachment(11)]}
        run = _sync(coupa)

    assert _placed() == {9: (12, None), 11: (15, None)}
    assert Attachment.objects.get(coupa_id=9).file_name == "file-9.pdf"
    assert _errors(run) == [
        (15, "attachment 9 appears in inspections 12 and 15; kept in 12, which already holds it")
    ]


def test_a_cached_attachment_stays_when_its_inspection_changes_in_the_same_page() -> None:
    with fixed_coupa([inspection(12, (1,))], {12: [attachment(9)]}) as coupa:
        _sync(coupa)
        coupa.records = [inspection(15, (2,)), inspection(12, (1,), version=1)]
        coupa.attachments = {15: [attachment(9)], 12: [attachment(9)]}
        run = _sync(coupa)

    assert _placed() == {9: (12, None)}
    assert [coupa_id for coupa_id, _ in _errors(run)] == [15]


def test_an_attachment_claimed_on_a_later_page_stays_with_the_first_pages_inspection() -> None:
    first_page = [inspection(n, (1000 + n,)) for n in range(1, 51)]
    listed = {1: [attachment(5)], 2: [attachment(5)], 50: [attachment(9)], 60: [attachment(9)]}
    with fixed_coupa([*first_page, inspection(60, (77,))], listed) as coupa:
        run = _sync(coupa)

    assert run.pages == 2
    assert _placed() == {9: (50, None)}
    # The first page's collision, named after that page was saved, outlives the second's save.
    assert [coupa_id for coupa_id, _ in _errors(run)] == [1, 2, 60]


@pytest.fixture
def eager_celery(monkeypatch, settings):
    """Tasks run in this process when they are sent (Celery's own switch)."""
    celery_app.finalize()
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.COUPA_CLIENT_ID, settings.COUPA_CLIENT_SECRET = "fixed", "fixed-secret"


def test_queued_attachment_lists_name_their_collisions_on_the_run(
    eager_celery, settings, django_capture_on_commit_callbacks
) -> None:
    records = [inspection(12, (1,)), inspection(15, (2,))]
    with fixed_coupa(records, {12: [attachment(9)], 15: [attachment(9)]}) as coupa:
        settings.COUPA_BASE_URL = coupa.url
        settings.COUPA_TOKEN_URL = f"{coupa.url}/oauth2/token"
        with django_capture_on_commit_callbacks(execute=True) as queued:
            run = _sync(coupa, attachments="queue")

    assert queued  # the lists were read by the task, after the run had finished
    run.refresh_from_db()
    assert _placed() == {}
    assert [coupa_id for coupa_id, _ in _errors(run)] == [12, 15]


def test_within_one_inspection_the_latest_placement_is_taken() -> None:
    with fixed_coupa([inspection(12, (77, 78))], {12: [attachment(9)]}) as coupa:
        _sync(coupa)
        assert _placed() == {9: (12, None)}
        # Re-filed on a line of the same inspection, and listed on its header and a line at once.
        coupa.records = [inspection(12, (77, 78), version=1)]
        coupa.attachments = {(12, 77): [attachment(9)], 12: [attachment(10)], (12, 78): []}
        coupa.attachments[(12, 78)] = [attachment(10, "on-the-line.pdf")]
        run = _sync(coupa)

    assert _placed() == {9: (12, 77), 10: (12, 78)}
    assert Attachment.objects.get(coupa_id=10).file_name == "on-the-line.pdf"
    assert run.errors == []


def test_the_upsert_itself_never_moves_an_attachment_to_another_inspection() -> None:
    records = [inspection(12, (1,)), inspection(15, (2,))]
    with fixed_coupa(records, {12: [attachment(9)]}) as coupa:
        _sync(coupa)
    moved = attachment_row(15, 2, parse_attachment(attachment(9, "moved.pdf")))

    upsert(Attachment, [moved], conflict="coupa_id", owner="inspection_id")

    kept = Attachment.objects.get(coupa_id=9)
    assert (kept.inspection_id, kept.characteristic_id, kept.file_name) == (12, None, "file-9.pdf")
