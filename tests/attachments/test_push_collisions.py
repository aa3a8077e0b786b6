"""An upload never takes an attachment from another inspection: when Coupa answers a send (or
lists a copy that may be ours) with an id the cache holds elsewhere, the upload is not linked,
the other inspection keeps its file, and the row says why with the file kept for a retry. Over
real HTTP, from a Coupa that answers exactly what each test gives it."""

from __future__ import annotations

import pytest
from django.db.models import Model

from qualityhub.attachments import storage
from qualityhub.attachments.models import Attachment
from qualityhub.attachments.push import send_upload
from qualityhub.audit.models import AuditEvent
from qualityhub.inspections.models import Inspection
from qualityhub.sync.pull import run_sync
from tests.attachments.test_push import pending
from tests.hostile_coupa import FixedCoupa, fixed_coupa, json_answer
from tests.sync.test_duplicate_attachment_ids import attachment
from tests.sync.test_duplicate_ids import inspection

pytestmark = pytest.mark.django_db

FIXED_BYTES = b"%PDF-1.4 fixed"  # what FixedCoupa serves as any attachment's content


@pytest.fixture
def coupa():
    """Inspections 12 and 15 cached; 12 holds attachment 9 (the sync's mirror)."""
    with fixed_coupa([inspection(12, (1,)), inspection(15, (2,))], {12: [attachment(9)]}) as coupa:
        run = run_sync("full", client=coupa.client(), attachments="inline")
        assert run.outcome == "succeeded" and _placed() == {9: 12}
        yield coupa


def _placed() -> dict[int, int]:
    return dict(
        Attachment.objects.filter(coupa_id__isnull=False).values_list("coupa_id", "inspection_id")
    )


def _upload_to_15(coupa: FixedCoupa, name: str = "ours.pdf") -> Attachment:
    return pending(Inspection.objects.get(coupa_id=15), name, FIXED_BYTES)


def _assert_refused_and_kept(row: Attachment, reason: str) -> None:
    row.refresh_from_db()
    assert (row.state, row.coupa_id, row.error) == ("failed", None, reason)
    assert row.can_retry and row.may_have_landed  # a retry looks in Coupa's list first
    assert storage.upload_storage().exists(row.local_file.name)
    event = AuditEvent.objects.get(pk=row.audit_event_id)
    assert (event.inspection_id, event.outcome, event.coupa_answer) == (15, "failed", reason)


def test_an_answer_with_another_inspections_attachment_id_is_refused(coupa) -> None:
    mirror = Attachment.objects.get(coupa_id=9)
    row = _upload_to_15(coupa)
    coupa.on("upload", json_answer(attachment(9, "ours.pdf")))

    outcome = send_upload(coupa.client(), row.pk, last_try=False)

    assert (outcome.status, outcome.again) == ("failed", False)
    assert _placed() == {9: 12}
    assert _same(mirror, Attachment.objects.get(coupa_id=9))
    _assert_refused_and_kept(
        row,
        "Coupa answered the upload to inspection 15 with attachment 9, which belongs to "
        "inspection 12; it was not linked here, and the file is kept to retry",
    )


def test_an_answer_with_an_id_another_upload_holds_is_refused_not_an_error(coupa) -> None:
    Attachment.objects.filter(coupa_id=9).update(state="uploaded", sha256="ab" * 32)
    row = _upload_to_15(coupa)
    coupa.on("upload", json_answer(attachment(9, "ours.pdf")))

    assert send_upload(coupa.client(), row.pk, last_try=False).status == "failed"

    assert _placed() == {9: 12}
    _assert_refused_and_kept(
        row,
        "Coupa answered the upload to inspection 15 with attachment 9, which belongs to "
        "inspection 12; it was not linked here, and the file is kept to retry",
    )


def test_an_answer_with_an_id_another_upload_of_the_same_inspection_holds_is_refused(
    coupa,
) -> None:
    first = _upload_to_15(coupa, "first.pdf")
    coupa.on("upload", json_answer(attachment(21, "first.pdf")))
    assert send_upload(coupa.client(), first.pk, last_try=False).status == "uploaded"
    row = _upload_to_15(coupa, "second.pdf")

    assert send_upload(coupa.client(), row.pk, last_try=False).status == "failed"

    assert _placed() == {9: 12, 21: 15}
    _assert_refused_and_kept(
        row,
        "Coupa answered the upload to inspection 15 with attachment 21, which belongs to "
        "another file of inspection 15 (first.pdf); it was not linked here, and the file is "
        "kept to retry",
    )


def test_a_copy_in_doubt_is_not_taken_from_another_inspection(coupa, settings) -> None:
    settings.ATTACHMENT_SETTLE_SECONDS = 0
    row = _upload_to_15(coupa, "file-9.pdf")  # the name, size and bytes of 12's attachment 9
    Attachment.objects.filter(pk=row.pk).update(may_have_landed=True)
    coupa.attachments = {12: [attachment(9)], 15: [attachment(9)]}
    coupa.on("upload", json_answer(attachment(30, "file-9.pdf")))

    assert send_upload(coupa.client(), row.pk, last_try=False).status == "uploaded"

    assert _placed() == {9: 12, 30: 15}
    row.refresh_from_db()
    assert (row.state, row.coupa_id) == ("uploaded", 30)
    assert coupa.requests.count("upload") == 1  # 9 was not ours: the file was sent


def test_a_mirror_in_the_same_inspection_is_still_replaced(coupa) -> None:
    coupa.records = [inspection(12, (1,)), inspection(15, (2,), version=1)]
    coupa.attachments = {12: [attachment(9)], 15: [attachment(40, "ours.pdf")]}
    run_sync("full", client=coupa.client(), attachments="inline")
    mirror = Attachment.objects.get(coupa_id=40)
    row = _upload_to_15(coupa)
    coupa.on("upload", json_answer(attachment(40, "ours.pdf")))

    assert send_upload(coupa.client(), row.pk, last_try=False).status == "uploaded"

    assert not Attachment.objects.filter(pk=mirror.pk).exists()
    assert Attachment.objects.get(coupa_id=40).pk == row.pk
    assert _placed() == {9: 12, 40: 15}


def _same(before: Model, after: Model) -> bool:
    fields = ("pk", "inspection_id", "characteristic_id", "file_name", "state")
    return all(getattr(before, f) == getattr(after, f) for f in fields)
