"""The acceptance rules as pure functions: names, sizes and content, no database."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured

from qualityhub.attachments.models import Attachment
from qualityhub.attachments.validation import (
    KINDS,
    MAX_NAME_LENGTH,
    Refused,
    allowed_kinds,
    check_content,
    check_file,
    check_name,
    check_size,
    display_name,
)
from tests.attachments.conftest import EXE, GIF, JPEG, PNG, TIFF, office, pdf

ALL = frozenset(KINDS)
MB = 1024 * 1024


def _refusal(call) -> str:
    with pytest.raises(Refused) as caught:
        call()
    return caught.value.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CoA 2024.pdf", ("CoA 2024.pdf", "pdf")),
        ("Photo.JPEG", ("Photo.JPEG", "jpeg")),
        ("  spaced   out .txt ", ("spaced out .txt", "txt")),
        ("lot.v2.csv", ("lot.v2.csv", "csv")),
        ("Prüfbericht.pdf", ("Prüfbericht.pdf", "pdf")),
        ("tab\tand\x07bell.pdf", ("tab andbell.pdf", "pdf")),
    ],
)
def test_plain_names_are_accepted_as_display_text(raw, expected) -> None:
    assert check_name(raw, ALL) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.txt",
        "/etc/hosts.txt",
        "reports/coa.pdf",
        "..",
        "..coa.pdf",
    ],
)
def test_path_traversal_names_are_refused(raw) -> None:
    assert "folder path" in _refusal(lambda: check_name(raw, ALL))


def test_a_nul_byte_in_the_name_is_refused() -> None:
    assert "NUL" in _refusal(lambda: check_name("coa.exe\x00.pdf", ALL))


def test_a_drive_or_stream_name_is_refused() -> None:
    assert "“:”" in _refusal(lambda: check_name("C:coa.pdf", ALL))


@pytest.mark.parametrize("raw", ["invoice.exe.pdf", "photo.php.jpg", "a.pdf.txt", "x.HTML.csv"])
def test_double_extensions_are_refused(raw) -> None:
    assert "double extension" in _refusal(lambda: check_name(raw, ALL))


@pytest.mark.parametrize("raw", ["setup.exe", "run.sh", "page.html", "drawing.svg", "macro.docm"])
def test_extensions_outside_the_allow_list_are_refused(raw) -> None:
    message = _refusal(lambda: check_name(raw, ALL))
    assert "are not accepted (allowed: csv, docx, gif" in message


@pytest.mark.parametrize("raw", ["README", ".pdf", "report."])
def test_a_name_without_an_extension_is_refused(raw) -> None:
    assert "extension" in _refusal(lambda: check_name(raw, ALL))


def test_the_allow_list_is_the_one_passed_in() -> None:
    assert "allowed: pdf" in _refusal(lambda: check_name("photo.png", {"pdf"}))


def test_a_right_to_left_override_cannot_hide_the_real_extension() -> None:
    # "invoice\u202efdp.exe" shows as "invoiceexe.pdf" in a bidi-aware view
    assert "type .exe" in _refusal(lambda: check_name("invoice\u202efdp.exe", ALL))


def test_display_names_are_bounded_and_keep_their_extension() -> None:
    name = display_name("x" * 500 + ".pdf")
    assert len(name) == MAX_NAME_LENGTH
    assert name.endswith("x.pdf")


def test_display_names_lose_control_and_format_characters() -> None:
    assert display_name("a\x1b[31mred\u200b.pdf") == "a[31mred.pdf"


def test_empty_and_oversize_files_are_refused_at_the_limit() -> None:
    check_size(1, 25 * MB)
    check_size(25 * MB, 25 * MB)
    assert _refusal(lambda: check_size(0, 25 * MB)) == "the file is empty"
    assert _refusal(lambda: check_size(25 * MB + 1, 25 * MB)) == (
        "the file is larger than the limit of 25 MB"
    )


@pytest.mark.parametrize(
    ("extension", "content"),
    [
        ("pdf", pdf()),
        ("png", PNG),
        ("jpg", JPEG),
        ("jpeg", JPEG),
        ("gif", GIF),
        ("tif", TIFF),
        ("tiff", b"MM\x00*" + b"\x00" * 10),
        ("txt", "Messbericht: 0,32 mm ✓\n".encode()),
        ("csv", b"line,value\n1,0.32\n"),
        ("docx", office("docx")),
        ("xlsx", office("xlsx")),
    ],
)
def test_each_allowed_kind_passes_with_its_own_content(extension, content) -> None:
    check_content(KINDS[extension], io.BytesIO(content))


def test_an_executable_named_pdf_is_refused_and_named() -> None:
    message = _refusal(lambda: check_content(KINDS["pdf"], io.BytesIO(EXE)))
    assert message == "the content is not a PDF; it looks like a Windows executable"


def test_a_png_named_jpg_is_refused() -> None:
    assert "not a JPEG image; it looks like a PNG" in _refusal(
        lambda: check_content(KINDS["jpg"], io.BytesIO(PNG))
    )


@pytest.mark.parametrize(
    ("extension", "content"),
    [
        ("txt", b"  \n<html><body>hi</body></html>"),
        ("txt", b"\xef\xbb\xbf<svg onload=alert(1)>"),
        ("pdf", b"%PDF-1.4\n" + b"x" * 200 + b"<script>alert(1)</script>"),
        ("csv", b"a,b\n1,<HTML>\n"),
    ],
)
def test_html_polyglots_are_refused_whatever_the_name(extension, content) -> None:
    assert "looks like HTML" in _refusal(
        lambda: check_content(KINDS[extension], io.BytesIO(content))
    )


def test_html_after_the_first_kilobyte_is_not_sniffed() -> None:
    check_content(KINDS["txt"], io.BytesIO(b"a" * 1024 + b"<script>"))


def test_text_must_be_utf8_without_nul_bytes_all_the_way_through() -> None:
    late_nul = b"a" * 200_000 + b"\x00"
    assert "NUL" in _refusal(lambda: check_content(KINDS["txt"], io.BytesIO(late_nul)))
    latin1 = "Prüfung".encode("latin-1")
    assert "not UTF-8" in _refusal(lambda: check_content(KINDS["csv"], io.BytesIO(latin1)))
    cut = "✓".encode()[:2]
    assert "not UTF-8" in _refusal(lambda: check_content(KINDS["txt"], io.BytesIO(b"ok " + cut)))


def test_an_executable_named_txt_is_refused() -> None:
    assert "NUL" in _refusal(lambda: check_content(KINDS["txt"], io.BytesIO(EXE)))


def test_office_files_must_be_the_package_their_name_says() -> None:
    assert "not a Excel workbook" in _refusal(
        lambda: check_content(KINDS["xlsx"], io.BytesIO(office("docx")))
    )
    assert "damaged ZIP" in _refusal(
        lambda: check_content(KINDS["docx"], io.BytesIO(b"PK\x03\x04" + b"\x00" * 50))
    )
    assert "macros" in _refusal(
        lambda: check_content(KINDS["docx"], io.BytesIO(office("docx", macros=True)))
    )


def test_check_file_leaves_the_stream_at_its_start() -> None:
    stream = io.BytesIO(pdf())
    accepted = check_file("CoA.pdf", stream, len(pdf()), allowed=ALL, max_bytes=MB)
    assert (accepted.name, accepted.kind.content_type) == ("CoA.pdf", "application/pdf")
    assert stream.tell() == 0


def test_an_unknown_configured_extension_is_a_setup_error() -> None:
    assert set(allowed_kinds(["pdf", "png"])) == {"pdf", "png"}
    with pytest.raises(ImproperlyConfigured, match="exe"):
        allowed_kinds(["pdf", "exe"])


@pytest.mark.parametrize(
    ("state", "coupa_id", "in_flight", "can_delete", "can_retry"),
    [
        ("synced", 7, False, True, False),
        ("uploaded", 7, False, True, False),
        ("pending", None, True, False, False),
        ("uploading", None, True, False, False),
        ("deleting", 7, True, False, False),
        ("failed", None, False, True, True),
    ],
)
def test_what_a_row_allows_follows_its_state(
    state, coupa_id, in_flight, can_delete, can_retry
) -> None:
    row = Attachment(state=state, coupa_id=coupa_id)
    assert (row.in_flight, row.can_delete, row.can_retry) == (in_flight, can_delete, can_retry)
