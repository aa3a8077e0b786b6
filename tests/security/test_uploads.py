"""Uploads through the real view: every kind of hostile file refused with nothing kept, and no
kept file reachable except through the download view (attachment, nosniff, sandboxed).

tests/attachments covers the rules one by one (test_validation.py) and through the view the
oversize, disallowed, double-extension, path, mismatched and HTML-text cases (test_views.py);
here are the cases it leaves to the pure rules, sent as a browser would send them.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from qualityhub.attachments.models import Attachment
from tests.attachments.conftest import GIF, PNG, multipart, pdf, stored_files
from tests.security.conftest import HTMX, body_text

UPLOAD = "/inspections/1/attachments/upload/"


def _upload(client: Client, files: list[tuple[str, bytes]]):
    body, content_type = multipart(files)
    return client.post(UPLOAD, data=body, content_type=content_type, headers=HTMX)


def _refusals(response) -> list[str]:
    return re.findall(r'data-testid="upload-refusal">([^<]*)<', body_text(response))


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("coa.exe\x00.pdf", pdf(), "NUL byte"),
        ("coa.pdf\x00.exe", pdf(), "NUL byte"),
        ("notes.txt", b"measured 0.32 mm\x00\x00\x01", "NUL bytes"),
        ("coa.pdf", b"%PDF-1.7\n" + b"%" * 100 + b"<script>alert(1)</script>", "looks like HTML"),
        ("photo.gif", GIF + b"<script>alert(1)</script>", "looks like HTML"),
        ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "HTML"),
        ("lot.csv", b"\xef\xbb\xbf<!doctype html><p>hi", "looks like HTML"),
        ("report.txt", b"Report\n<HTML><body onload=alert(1)>", "looks like HTML"),
        ("photo.jpg", PNG, "not a JPEG image"),
        ("scan.pdf", PNG, "not a PDF"),
        ("page.html", b"<p>x</p>", "type .html"),
        ("drawing.svg", b"<svg/>", "type .svg"),
        ("report.php.pdf", pdf(), "double extension"),
        ("invoice.PDF.exe", b"MZ", "type .exe"),
    ],
)
def test_a_hostile_file_is_refused_through_the_view_and_nothing_is_kept(
    signed_in, hostile, name, content, reason
) -> None:
    before_rows, before_files = Attachment.objects.count(), stored_files()
    response = _upload(signed_in, [(name, content)])
    assert response.status_code == 200
    (refusal,) = _refusals(response)
    assert reason in refusal, refusal
    assert Attachment.objects.count() == before_rows
    assert stored_files() == before_files


def test_an_oversize_file_is_refused_and_nothing_is_kept(signed_in, hostile, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 2048
    before_rows, before_files = Attachment.objects.count(), stored_files()
    (refusal,) = _refusals(_upload(signed_in, [("big.pdf", pdf(4096))]))
    assert "larger than the limit of 2,048 bytes" in refusal
    assert (Attachment.objects.count(), stored_files()) == (before_rows, before_files)


@pytest.fixture
def kept(signed_in, hostile) -> Attachment:
    """A file accepted and kept by QualityHub, waiting for Coupa."""
    before = Attachment.objects.count()
    response = _upload(signed_in, [("CoA.pdf", pdf())])
    assert response.status_code == 200 and _refusals(response) == []
    assert Attachment.objects.count() == before + 1
    return Attachment.objects.latest("pk")


def test_a_kept_file_lies_outside_every_served_folder_under_a_server_made_name(kept) -> None:
    path = Path(kept.local_file.path).resolve()
    assert path.read_bytes() == pdf()
    assert "CoA" not in path.name and not path.suffix  # no name, no extension from the sender
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for served in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not path.is_relative_to(served.resolve())
    if settings.MEDIA_ROOT:
        assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError, match="no public URL"):
        kept.local_file.url  # noqa: B018 (the storage refuses to name one)


def test_no_url_but_the_download_view_serves_a_kept_file(signed_in, client, kept) -> None:
    name = kept.local_file.name  # e.g. "3f/3f0c…", relative to the uploads folder
    relative = Path(kept.local_file.path).resolve().relative_to(Path(settings.VAR_DIR).resolve())
    guesses = [
        f"/static/{name}",
        f"/static/uploads/{name}",
        f"/static/{relative}",
        f"/static/../{relative}",
        f"/static/..%2f{relative}",
        f"/media/{name}",
        f"/media/uploads/{name}",
        f"/uploads/{name}",
        f"/{relative}",
        f"/{name}",
        f"/var/{relative}",
    ]
    for who in (signed_in, client):
        for url in guesses:
            response = who.get(url)
            assert response.status_code in (302, 404), (url, response.status_code)
            assert pdf() not in body_text(response).encode(), url


def test_the_download_view_serves_it_as_a_sandboxed_attachment(signed_in, kept) -> None:
    response = signed_in.get(f"/attachments/{kept.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf()
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Type"] == "application/pdf"


def test_a_download_is_never_served_as_html_whatever_the_row_says(signed_in, kept) -> None:
    """A row's type and name are only text: a kept file with an HTML name or type still goes
    out as an opaque download."""
    Attachment.objects.filter(pk=kept.pk).update(file_name="page.html", content_type="text/html")
    response = signed_in.get(f"/attachments/{kept.pk}/download/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
