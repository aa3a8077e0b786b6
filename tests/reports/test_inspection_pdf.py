"""The inspection report as a PDF: read back with pypdf, it holds what a person relies on."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.reports.world import make_inspection

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def download(client, coupa_id: int):
    return client.get(reverse("inspection-report-pdf", args=[coupa_id]))


def test_the_pdf_holds_verdicts_exact_limits_and_when_it_was_made(signed_in):
    make_inspection(501)

    response = download(signed_in, 501)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="inspection-501.pdf"'
    text = " ".join(pdf_text(response.content))
    assert "QualityHub" in text and "Inspection 501" in text
    assert "PO PO-501" in text and "line 3" in text
    # The limits with their operators, at the digits the cache holds (trailing zeros dropped).
    for limit in ("≥ 9.95", "< 10.05", "≤ 0.2", "> 55", "< 61"):
        assert limit in text
    assert "10.012" in text and "0.31" in text
    # Each verdict is an icon and a word, so it reads in black and white.
    assert "✓ Pass" in text and "✗ Fail" in text and "Marginal" in text
    assert "Within 2% of a limit" in text
    assert "certificate-501.pdf" in text
    assert "Generated at " in text and "from data synced at 2026-11-25 08:30" in text
    assert "Page 1 of 1" in text


def test_every_font_in_the_pdf_is_embedded(signed_in):
    make_inspection(502)

    reader = pypdf.PdfReader(io.BytesIO(download(signed_in, 502).content))

    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            fonts[font["/BaseFont"]] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    # Only our own font (DejaVu, under assets/fonts), never a system font picked by fontconfig.
    assert all("QualityHub-Sans" in name for name in fonts), fonts


def test_the_table_header_repeats_on_the_second_page_of_a_long_inspection(signed_in):
    make_inspection(503, lines=80)

    pages = pdf_text(download(signed_in, 503).content)

    assert len(pages) >= 2
    assert "Page 2 of" in pages[1]
    for page in pages[:2]:
        assert "Characteristic" in page and "Limits" in page and "Recorded" in page
    assert "Length 80" in pages[-1]


def test_a_buyer_gets_no_report_of_another_suppliers_inspection(client):
    make_inspection(504, supplier_id=5)
    make_inspection(505, supplier_id=6)
    client.force_login(make_user("lena", "Buyer", suppliers=[5]))

    assert download(client, 504).status_code == 200
    assert download(client, 505).status_code == 404
    assert download(client, 999999).status_code == 404
