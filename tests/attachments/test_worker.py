"""Uploads and deletes end to end: the views over the URLconf, a real Celery worker, the sandbox
over HTTP, with faults injected in the sandbox."""

from __future__ import annotations

import pytest

from qualityhub.attachments.models import Attachment
from qualityhub.audit.models import AuditEvent
from tests.attachments.conftest import fill_cache, multipart, pdf, unique, wait_for
from tests.conftest import client_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]
HTMX = {"HX-Request": "true"}


@pytest.fixture
def inspection(coupa, transactional_db):
    return fill_cache(coupa)  # the database is emptied after each test here


@pytest.fixture
def coupa_client(coupa):
    client = client_for(coupa)
    yield client
    client.close()


def _upload(signed_in, inspection, line, name: str, content: bytes) -> Attachment:
    base = f"/inspections/{inspection.coupa_id}/"
    url = base + (f"characteristics/{line.coupa_id}/" if line else "") + "attachments/upload/"
    body, content_type = multipart([(name, content)])
    response = signed_in.post(url, data=body, content_type=content_type, headers=HTMX)
    assert response.status_code == 200
    return Attachment.objects.get(file_name=name)


def _state(pk: int) -> str | None:
    return Attachment.objects.filter(pk=pk).values_list("state", flat=True).first()


def _named(coupa_client, row: Attachment) -> list:
    listing = coupa_client.list_attachments(row.inspection_id, row.characteristic_id)
    return [a for a in listing if a.file_name == row.file_name]


def _uploads_sent(coupa) -> int:
    counts = coupa.request_count()["by_operation"]
    return sum(n for op, n in counts.items() if op.startswith("upload_"))


@pytest.mark.parametrize("level", ["inspection", "characteristic"])
def test_a_file_goes_to_coupa_and_is_deleted_there(
    level, worker, signed_in, inspection, line, coupa_client
) -> None:
    target = line if level == "characteristic" else None
    row = _upload(signed_in, inspection, target, unique("CoA.pdf"), pdf())
    wait_for(lambda: _state(row.pk) == "uploaded", worker, "the upload")
    row.refresh_from_db()
    (landed,) = _named(coupa_client, row)
    assert row.coupa_id == landed.id and row.characteristic_id == (target and target.coupa_id)
    html = signed_in.get("/inspections/1/attachments/").content.decode()
    if target is None:
        assert "in Coupa" in html and "every 2s" not in html

    response = signed_in.post(f"/attachments/{row.pk}/delete/", headers=HTMX)
    assert response["HX-Trigger"] == "timeline-changed"
    wait_for(lambda: _state(row.pk) is None, worker, "the delete")
    assert _named(coupa_client, row) == []
    outcomes = set(AuditEvent.objects.filter(inspection_id=1).values_list("action", "outcome"))
    assert outcomes == {("upload-attachment", "succeeded"), ("delete-attachment", "succeeded")}


def test_an_upload_during_an_outage_stays_pending_and_goes_through_after(
    worker, coupa, signed_in, inspection, coupa_client
) -> None:
    coupa.configure(error_rate=1.0)
    row = _upload(signed_in, inspection, None, unique("CoA.pdf"), pdf())
    waiting = wait_for(
        lambda: Attachment.objects.filter(pk=row.pk, state="pending", attempts__gte=2).first(),
        worker,
        "a second attempt",
    )
    assert waiting.error.startswith("Waiting for Coupa: Coupa is unavailable (503)")
    assert "waiting for Coupa" in signed_in.get("/inspections/1/attachments/").content.decode()
    coupa.configure(error_rate=0)
    wait_for(lambda: _state(row.pk) == "uploaded", worker, "the upload after the outage")
    assert len(_named(coupa_client, row)) == 1


def test_a_refusal_shows_coupas_reason_and_a_retry_button(
    worker, coupa, signed_in, inspection
) -> None:
    row = _upload(signed_in, inspection, None, unique("scan.pdf"), pdf(10 * 1024 * 1024 + 10))
    wait_for(lambda: _state(row.pk) == "failed", worker, "the refusal")
    html = signed_in.get("/inspections/1/attachments/").content.decode()
    assert "file is too large (maximum is 10 MiB)" in html
    assert 'data-testid="attachment-retry"' in html and "not sent" in html
    assert _uploads_sent(coupa) == 1  # a 4xx is not sent again


def test_a_send_that_timed_out_after_the_body_left_is_not_duplicated(
    worker, coupa, signed_in, inspection, coupa_client
) -> None:
    coupa.configure(hang_next_seconds=2.5)  # longer than the worker's 1 s read timeout
    row = _upload(signed_in, inspection, None, unique("CoA.pdf"), pdf())
    wait_for(lambda: _state(row.pk) == "uploaded", worker, "the upload in doubt")
    row.refresh_from_db()
    assert row.attempts >= 2
    assert len(_named(coupa_client, row)) == 1 and _uploads_sent(coupa) == 1
