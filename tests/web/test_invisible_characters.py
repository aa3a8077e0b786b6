"""Invisible characters in Coupa's text (bidi overrides, zero-width and other format characters,
controls) never reach a page or a download's file name: a record full of them is synced from a
Coupa over HTTP, then its pages and its attachment's download are read as a user would."""

from __future__ import annotations

import copy
import unicodedata

import pytest

from qualityhub.attachments.models import Attachment
from qualityhub.coupa.errors import CoupaValidationError
from qualityhub.coupa.schemas import parse_attachment, parse_inspection
from qualityhub.sync.pull import run_sync
from tests.conftest import load_example
from tests.hostile_coupa import fixed_coupa

pytestmark = pytest.mark.django_db

# Right-to-left override and isolate, zero-width space and joiner, right-to-left and Arabic
# letter marks, byte-order mark, soft hyphen, a tag character, escape and bell.
HIDDEN = "\u202e\u2066\u200b\u200d\u200f\u061c\ufeff\u00ad\U000e0041\x1b\x07"


def hidden(text: str) -> str:
    """`text` with every invisible character slipped in after its first letter."""
    return text[0] + HIDDEN + text[1:]


def invisible_in(text: str) -> list[str]:
    return [
        f"U+{ord(c):04X}"
        for c in text
        if unicodedata.category(c) in ("Cf", "Cs", "Co")
        or (unicodedata.category(c) == "Cc" and c not in "\t\n\r")
    ]


def hostile_record() -> dict:
    record = load_example("seed_get_response.json")
    record = copy.deepcopy(record)
    record["id"] = 41
    record |= {
        "status": "Closed",
        "reviewDecision": "Rejected",
        "itemName": hidden("Isopropanol"),
        "itemDescription": hidden("Solvent, 99.9%"),
        "resolutionReasonText": hidden("Colour out of specification"),
        "supplierPartNumber": hidden("SLNG-123"),
        "buyerPartNumber": hidden("BLNG-123"),
        "reviewedBy": hidden("Ada Buyer"),
        "externalInspectionId": hidden("EXT-41"),
    }
    color = record["characteristics"][0]
    color["name"] = hidden("Color")
    color["specification"] = hidden("Clear\ncolourless")
    color["remarks"] = hidden("Checked twice")
    for value in color["characteristicValues"]:
        value["value"] = hidden(value["value"])
    return record


ATTACHMENT = {
    "id": 900,
    "inspectionId": 41,
    "type": "file",
    "fileName": "invoice" + HIDDEN + "fdp.exe.pdf",
    "fileContentType": "application/pdf",
    "fileSize": 14,
    "createdBy": hidden("Supplier"),
}


def test_coupa_text_is_read_without_invisible_characters_but_keeps_its_line_breaks() -> None:
    parsed = parse_inspection(hostile_record())
    assert parsed.item_name == "Isopropanol"
    assert parsed.resolution_reason_text == "Colour out of specification"
    color = parsed.characteristics[0]
    assert (color.name, color.specification) == ("Color", "Clear\ncolourless")
    assert [v.value for v in color.values] == ["Yellow", "light yellow", "No colour"]
    assert parse_attachment(ATTACHMENT).file_name == "invoicefdp.exe.pdf"


@pytest.fixture
def synced(settings):
    with fixed_coupa([hostile_record()], {41: [ATTACHMENT]}) as coupa:
        settings.COUPA_BASE_URL = coupa.url
        settings.COUPA_TOKEN_URL = f"{coupa.url}/oauth2/token"
        settings.COUPA_MAX_ATTEMPTS = 1
        run = run_sync("full", client=coupa.client(), attachments="inline")
        assert run.outcome == "succeeded" and run.created == 1, run.errors
        yield coupa


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("/inspections/", 'href="/inspections/41/'),
        ("/inspections/?q=Isopropanol", 'href="/inspections/41/'),  # found as typed
        ("/inspections/41/", "invoicefdp.exe.pdf"),
    ],
)
def test_pages_showing_coupa_text_hold_no_invisible_characters(
    synced, signed_in, page, shown
) -> None:
    response = signed_in.get(page)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Isopropanol" in html and shown in html
    assert invisible_in(html) == []


def test_the_downloaded_files_name_holds_no_invisible_characters(synced, signed_in) -> None:
    attachment = Attachment.objects.get(coupa_id=900)
    response = signed_in.get(f"/attachments/{attachment.pk}/download/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert invisible_in(disposition) == [] and "%E2%80%AE" not in disposition.upper()
    assert "invoicefdp.exe.pdf" in disposition


def test_a_name_cached_before_the_fix_is_cleaned_for_the_download(synced, signed_in) -> None:
    attachment = Attachment.objects.get(coupa_id=900)
    Attachment.objects.filter(pk=attachment.pk).update(file_name=ATTACHMENT["fileName"])
    response = signed_in.get(f"/attachments/{attachment.pk}/download/")
    disposition = response["Content-Disposition"]
    assert "%E2%80%AE" not in disposition.upper() and invisible_in(disposition) == []


def test_coupas_error_messages_lose_their_invisible_characters() -> None:
    error = CoupaValidationError(
        hidden("supplierId is unknown"),
        field_errors={"supplierId": [hidden("is unknown")]},
        body=hidden('{"errors": {"supplierId": ["is unknown"]}}'),
    )
    assert error.message == str(error) == "supplierId is unknown"
    assert error.field_errors == {"supplierId": ["is unknown"]}
    assert invisible_in(error.body) == []
