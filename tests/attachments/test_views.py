"""Upload, delete, retry and download through the URLconf (no worker: tasks are queued on
commit, and these tests never commit)."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import SkipFile
from django.test import Client, RequestFactory

from qualityhub.attachments.intake import Gate, GuardedUploadHandler
from qualityhub.attachments.models import Attachment
from qualityhub.audit.models import AuditEvent
from tests.attachments.conftest import (
    EXE,
    PNG,
    multipart,
    office,
    pdf,
    stored_files,
    unique,
)
from tests.conftest import client_for

HTMX = {"HX-Request": "true"}


def _upload(client: Client, url: str, files: list[tuple[str, bytes]], **headers):
    body, content_type = multipart(files)
    return client.post(url, data=body, content_type=content_type, headers={**HTMX, **headers})


def _refusals(html: str) -> list[str]:
    return re.findall(r'data-testid="upload-refusal">([^<]*)<', html)


def test_an_upload_is_kept_first_recorded_pending_and_audited(signed_in, inspection) -> None:
    before = stored_files()
    response = _upload(signed_in, "/inspections/1/attachments/upload/", [("CoA.pdf", pdf())])
    assert response.status_code == 200
    assert response["HX-Trigger"] == "timeline-changed"
    row = Attachment.objects.get()
    assert (row.state, row.file_name, row.content_type, row.size) == (
        "pending",
        "CoA.pdf",
        "application/pdf",
        len(pdf()),
    )
    assert row.characteristic is None and row.coupa_id is None
    assert row.requested_by.username == "priya" and row.uploaded_by == "priya"
    (kept,) = stored_files() - before
    assert kept.read_bytes() == pdf()
    assert "CoA" not in kept.name and len(row.sha256) == 64  # a server-made name
    event = AuditEvent.objects.get(pk=row.audit_event_id)
    assert (event.action, event.outcome, event.user.username) == (
        "upload-attachment",
        "pending",
        "priya",
    )
    html = response.content.decode()
    assert f'data-attachment-id="{row.pk}" data-state="pending"' in html
    assert 'hx-trigger="every 2s"' in html  # polls until the worker is done
    assert 'id="upload-refusals-1-header" role="alert"' in html and "hx-swap-oob" in html


def test_several_files_go_to_a_characteristic_at_once(signed_in, inspection, line) -> None:
    url = f"/inspections/1/characteristics/{line.coupa_id}/attachments/upload/"
    response = _upload(signed_in, url, [("photo.png", PNG), ("sheet.xlsx", office("xlsx"))])
    assert response.status_code == 200
    rows = Attachment.objects.order_by("pk")
    assert [(r.file_name, r.characteristic_id) for r in rows] == [
        ("photo.png", line.coupa_id),
        ("sheet.xlsx", line.coupa_id),
    ]
    assert f'id="attachments-1-{line.coupa_id}"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "empty.pdf: the file is empty"),
        (
            "invoice.pdf",
            EXE,
            "invoice.pdf: the content is not a PDF; it looks like a Windows executable",
        ),
        ("../../etc/passwd.pdf", pdf(), "passwd.pdf: the name contains a folder path"),
        ("..\\..\\boot.txt", b"text", "boot.txt: the name contains a folder path"),
        ("coa.exe.pdf", pdf(), "coa.exe.pdf: double extensions"),
        ("setup.exe", EXE, "setup.exe: files of type .exe are not accepted"),
        ("notes.txt", b"<html><script>x</script>", "notes.txt: the content looks like HTML"),
        ("..", pdf(), "a file: the name contains a folder path"),
    ],
)
def test_refused_files_are_named_beside_the_control_and_nothing_is_kept(
    signed_in, inspection, name, content, message
) -> None:
    before = stored_files()
    response = _upload(signed_in, "/inspections/1/attachments/upload/", [(name, content)])
    assert response.status_code == 200
    (refusal,) = _refusals(response.content.decode())
    assert refusal.startswith(message.replace('"', "&quot;")), refusal
    assert not Attachment.objects.exists()
    assert stored_files() == before
    assert not response.has_header("HX-Trigger")


def test_an_oversize_file_is_refused_while_streaming(signed_in, inspection, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000
    before = stored_files()
    files = [("big.pdf", pdf(5000)), ("small.pdf", pdf(500))]
    response = _upload(signed_in, "/inspections/1/attachments/upload/", files)
    assert _refusals(response.content.decode()) == [
        "big.pdf: the file is larger than the limit of 1,000 bytes"
    ]
    assert [r.file_name for r in Attachment.objects.all()] == ["small.pdf"]
    assert len(stored_files() - before) == 1


def test_the_size_gate_drops_a_file_as_soon_as_it_passes_the_limit() -> None:
    gate = Gate(max_bytes=10, max_files=2, allowed=frozenset({"pdf"}))
    handler = GuardedUploadHandler(RequestFactory().post("/"), gate)
    with pytest.raises(Exception):  # noqa: B017 (StopFutureHandlers: the handler owns the file)
        handler.new_file("file", "a.pdf", "application/pdf", None)
    sink = handler.sink
    handler.receive_data_chunk(b"%PDF-1234", 0)
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"56", 9)
    assert sink.closed and handler.sink is None
    assert gate.refusals[0].message.startswith("the file is larger than the limit")


def test_a_body_larger_than_every_allowed_file_is_not_read(signed_in, inspection, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES, settings.ATTACHMENT_MAX_FILES = 100, 1
    body, content_type = multipart([("a.pdf", pdf(2 * 1024 * 1024))])
    response = signed_in.post(
        "/inspections/1/attachments/upload/", data=body, content_type=content_type, headers=HTMX
    )
    assert "The upload is larger than 1 × 100 bytes" in response.content.decode()
    assert not Attachment.objects.exists()


def test_too_many_files_at_once_are_refused_beyond_the_limit(signed_in, inspection, settings):
    settings.ATTACHMENT_MAX_FILES = 2
    files = [(f"f{i}.pdf", pdf()) for i in range(3)]
    response = _upload(signed_in, "/inspections/1/attachments/upload/", files)
    assert _refusals(response.content.decode()) == ["f2.pdf: only 2 files can be sent at once"]
    assert Attachment.objects.count() == 2


def test_an_upload_without_a_file_asks_for_one(signed_in, inspection) -> None:
    response = _upload(signed_in, "/inspections/1/attachments/upload/", [])
    assert _refusals(response.content.decode()) == ["Choose a file to upload."]


def test_without_javascript_an_upload_redirects_with_messages(signed_in, inspection) -> None:
    body, content_type = multipart([("a.pdf", pdf()), ("b.pdf", b"")])
    response = signed_in.post(
        "/inspections/1/attachments/upload/", data=body, content_type=content_type, follow=True
    )
    assert response.redirect_chain == [("/inspections/1/", 302)]
    html = response.content.decode()
    assert "b.pdf: the file is empty" in html and "1 file queued for Coupa." in html
    # Bootstrap's colours: a refusal in red, the queued file in green (no unstyled alert-error).
    assert re.search(r'alert-danger"[^>]*>b\.pdf: the file is empty', html)
    assert re.search(r'alert-success"[^>]*>1 file queued for Coupa\.', html)


def test_an_upload_needs_the_csrf_token(engineer, inspection) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(engineer)
    assert (
        _upload(client, "/inspections/1/attachments/upload/", [("a.pdf", pdf())]).status_code == 403
    )
    assert not Attachment.objects.exists()
    client.get("/inspections/1/")
    token = client.cookies["csrftoken"].value
    response = _upload(
        client, "/inspections/1/attachments/upload/", [("a.pdf", pdf())], **{"X-CSRFToken": token}
    )
    assert response.status_code == 200 and Attachment.objects.count() == 1


def test_uploads_need_a_signed_in_user(client, inspection) -> None:
    response = _upload(client, "/inspections/1/attachments/upload/", [("a.pdf", pdf())])
    # htmx: 401, and htmx loads the sign-in page as a whole page from HX-Redirect.
    assert response.status_code == 401 and "/accounts/login/" in response["HX-Redirect"]
    assert not Attachment.objects.exists()


def test_an_unknown_inspection_or_line_is_404(signed_in, inspection) -> None:
    assert _upload(signed_in, "/inspections/999/attachments/upload/", []).status_code == 404
    url = "/inspections/1/characteristics/999999/attachments/upload/"
    assert _upload(signed_in, url, []).status_code == 404


# --- delete and retry ---------------------------------------------------------------------


def test_deleting_a_file_in_coupa_marks_it_and_queues_the_task(signed_in, inspection) -> None:
    row = Attachment.objects.create(inspection=inspection, coupa_id=5001, file_name="old.pdf")
    response = signed_in.post(f"/attachments/{row.pk}/delete/", headers=HTMX)
    row.refresh_from_db()
    assert row.state == "deleting"
    assert response["HX-Trigger"] == "timeline-changed"
    assert f'data-attachment-id="{row.pk}" data-state="deleting"' in response.content.decode()
    event = AuditEvent.objects.get(pk=row.audit_event_id)
    assert (event.action, event.outcome) == ("delete-attachment", "pending")


def test_the_delete_button_asks_for_confirmation(signed_in, inspection) -> None:
    Attachment.objects.create(inspection=inspection, coupa_id=5002, file_name="old.pdf")
    html = signed_in.get("/inspections/1/attachments/").content.decode()
    assert 'data-confirm="Delete old.pdf from Coupa?"' in html


def test_a_failed_upload_is_discarded_here_at_once(signed_in, inspection) -> None:
    _upload(signed_in, "/inspections/1/attachments/upload/", [("a.pdf", pdf())])
    row = Attachment.objects.get()
    Attachment.objects.filter(pk=row.pk).update(state="failed", error="Coupa said no")
    signed_in.post(f"/attachments/{row.pk}/delete/", headers=HTMX)
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.filter(action="discard-attachment", outcome="succeeded").exists()


def test_a_file_on_its_way_cannot_be_deleted(signed_in, inspection) -> None:
    _upload(signed_in, "/inspections/1/attachments/upload/", [("a.pdf", pdf())])
    row = Attachment.objects.get()
    response = signed_in.post(f"/attachments/{row.pk}/delete/", headers=HTMX)
    assert "it can be deleted once it is in Coupa" in response.content.decode()
    row.refresh_from_db()
    assert row.state == "pending"


def test_retry_puts_a_failed_upload_back_to_pending(signed_in, inspection) -> None:
    _upload(signed_in, "/inspections/1/attachments/upload/", [("a.pdf", pdf())])
    row = Attachment.objects.get()
    Attachment.objects.filter(pk=row.pk).update(state="failed", error="Coupa refused it")
    html = signed_in.get("/inspections/1/attachments/").content.decode()
    assert "Coupa refused it" in html and 'data-testid="attachment-retry"' in html
    response = signed_in.post(f"/attachments/{row.pk}/retry/", headers=HTMX)
    row.refresh_from_db()
    assert (row.state, row.error) == ("pending", "")
    assert response["HX-Trigger"] == "timeline-changed"
    assert AuditEvent.objects.filter(action="upload-attachment").count() == 2


def test_the_list_stops_polling_and_reloads_the_timeline_when_work_ends(
    signed_in, inspection
) -> None:
    row = Attachment.objects.create(inspection=inspection, state="pending", file_name="a.pdf")
    polling = signed_in.get("/inspections/1/attachments/", headers=HTMX)
    assert "every 2s" in polling.content.decode() and not polling.has_header("HX-Trigger")
    Attachment.objects.filter(pk=row.pk).update(state="uploaded", coupa_id=5003)
    done = signed_in.get("/inspections/1/attachments/", headers=HTMX)
    assert "every 2s" not in done.content.decode()
    assert done["HX-Trigger"] == "timeline-changed"


# --- downloads ----------------------------------------------------------------------------


def test_a_kept_copy_downloads_as_an_attachment_never_inline(signed_in, inspection) -> None:
    _upload(signed_in, "/inspections/1/attachments/upload/", [("Prüf bericht.pdf", pdf())])
    row = Attachment.objects.get()
    response = signed_in.get(f"/attachments/{row.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf()
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Pr%C3%BCf%20bericht.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_file_only_in_coupa_is_fetched_through_qualityhub(signed_in, inspection, coupa) -> None:
    client = client_for(coupa)
    name = unique("drawing.png")
    landed = client.upload_attachment(1, ContentFile(PNG), name, "image/png")
    row = Attachment.objects.create(
        inspection=inspection, coupa_id=landed.id, file_name=name, content_type="text/html"
    )
    response = signed_in.get(f"/attachments/{row.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"  # never text/html
    client.delete_attachment(1, landed.id)


def test_a_download_says_when_coupa_is_unavailable(signed_in, inspection, coupa) -> None:
    row = Attachment.objects.create(inspection=inspection, coupa_id=5004, file_name="a.pdf")
    coupa.configure(error_rate=1.0)
    assert signed_in.get(f"/attachments/{row.pk}/download/").status_code == 503
    coupa.configure(error_rate=0)
    assert signed_in.get(f"/attachments/{row.pk}/download/").status_code == 404


def test_downloads_need_a_signed_in_user(client, inspection) -> None:
    row = Attachment.objects.create(inspection=inspection, coupa_id=5005, file_name="a.pdf")
    assert client.get(f"/attachments/{row.pk}/download/").status_code == 302


# --- the detail page ----------------------------------------------------------------------


def test_the_detail_page_shows_every_state_within_seven_queries(
    signed_in, inspection, line, django_assert_max_num_queries
) -> None:
    _upload(signed_in, "/inspections/1/attachments/upload/", [("coa.pdf", pdf())])
    Attachment.objects.create(inspection=inspection, coupa_id=5006, file_name="in-coupa.pdf")
    Attachment.objects.create(
        inspection=inspection, characteristic=line, file_name="bad.png", state="failed", error="no"
    )
    signed_in.get("/inspections/1/")
    with django_assert_max_num_queries(7):  # 6, and the names the page shows (one UNION)
        html = signed_in.get("/inspections/1/").content.decode()
    assert 'data-state="pending"' in html and "sending…" in html
    assert 'data-state="failed"' in html and "not sent" in html
    assert html.count('data-testid="attachment-upload"') == 1 + inspection.characteristics.count()
    assert "qualityhub/uploads.js" in html
    assert "<script>" not in html and " onclick=" not in html
