"""Chromium prints the inspection detail page with the print stylesheet: the report's header,
the characteristics and "generated at … from data synced at …", no navigation, no buttons, no
forms or upload boxes."""

from __future__ import annotations

import io
import unicodedata

import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_through_form
from tests.reports.world import make_inspection

pytestmark = pytest.mark.browser


def test_the_printed_detail_page_holds_the_report_and_no_controls(page, live_server, engineer):
    make_inspection(801, lines=4)
    sign_in_through_form(page, live_server, "/inspections/")
    page.goto(f"{live_server.url}/inspections/801/")
    generated = page.get_by_test_id("generated-at")
    expect(generated).to_be_hidden()  # on screen: the print-only header stays out of the way
    expect(page.get_by_test_id("main-nav")).to_be_visible()

    page.emulate_media(media="print")

    expect(generated).to_be_visible()
    expect(generated).to_contain_text("from data synced at 2026-11-25")
    expect(page.get_by_test_id("report-header")).to_contain_text("PO PO-801")
    expect(page.locator("nav")).to_have_count(1)
    expect(page.locator("nav")).to_be_hidden()
    assert page.locator("button:visible, .btn:visible, form:visible, input:visible").count() == 0
    expect(page.get_by_test_id("characteristics")).to_be_visible()
    expect(page.get_by_test_id("characteristics").locator("tbody tr")).to_have_count(4)
    expect(page.get_by_test_id("drop-zone").first).to_be_hidden()

    pages = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    # NFKC: Chromium's PDF writes "fi" as a ligature.
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pages))
    assert "QualityHub" in text and "Inspection 801" in text
    assert "Bore diameter" in text and "≥ 9.95" in text and "≤ 0.2" in text
    assert "Fail" in text and "Pass" in text
    assert "certificate-801.pdf" in text
    assert "Generated at" in text and "synced at" in text
    for control in ("Refresh from Coupa", "Upload", "Drop files here", "Sync status", "Add note"):
        assert control not in text, control
