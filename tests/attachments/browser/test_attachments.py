"""Attachments as people use them in Chromium: choose or drop files, watch the progress and the
state change, read a refusal, delete after confirming. A real worker sends to the sandbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.attachments.conftest import EXE, pdf, unique

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker]


@pytest.fixture
def detail(sign_in, attachment_sandbox, worker, live_server):
    page = sign_in(attachment_sandbox)
    page.goto(f"{live_server.url}/inspections/1/")
    return page


def test_choosing_files_shows_progress_then_the_file_in_coupa(detail) -> None:
    page = detail
    place = page.get_by_test_id("attachments-header")
    name = unique("CoA.pdf")
    place.get_by_test_id("attachment-input").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": pdf(3 * 1024 * 1024)}]
    )
    progress = place.get_by_test_id("upload-progress")
    expect(progress).to_be_visible()  # shown from the start of the request
    expect(place.get_by_test_id("attachment-upload")).to_have_attribute("data-progress", "100")
    expect(progress).to_be_hidden()  # and put away once the files are with QualityHub
    item = place.locator("li.attachment", has_text=name)
    expect(item).to_be_visible()
    expect(item.get_by_test_id("attachment-state")).to_have_text("in Coupa", timeout=20_000)
    expect(place.get_by_test_id("attachment-download").filter(has_text=name)).to_have_attribute(
        "href", f"/attachments/{item.get_attribute('data-attachment-id')}/download/"
    )


def test_a_dropped_file_lands_on_its_characteristic(detail) -> None:
    page = detail
    row = page.locator("tr[data-characteristic-id]").first
    row.locator("summary", has_text="Attachments").click()
    name = unique("photo.pdf")
    row.get_by_test_id("drop-zone").evaluate(
        """(zone, [name, text]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], name, {type: "application/pdf"}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
        }""",
        [name, pdf().decode("latin-1")],
    )
    item = row.locator("li.attachment", has_text=name)
    expect(item.get_by_test_id("attachment-state")).to_have_text("in Coupa", timeout=20_000)


def test_refusals_appear_next_to_the_upload_control(detail) -> None:
    place = detail.get_by_test_id("attachments-header")
    chooser = place.get_by_test_id("attachment-input")
    chooser.set_input_files(
        files=[{"name": "empty.pdf", "mimeType": "application/pdf", "buffer": b""}]
    )
    expect(place.get_by_test_id("upload-refusal")).to_have_text("empty.pdf: the file is empty")
    chooser.set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": EXE}]
    )
    expect(place.get_by_test_id("upload-refusal")).to_have_text(
        "invoice.pdf: the content is not a PDF; it looks like a Windows executable"
    )
    expect(place.locator("li.attachment", has_text="invoice.pdf")).to_have_count(0)


def test_deleting_asks_first_and_then_removes_the_file(detail) -> None:
    page = detail
    place = page.get_by_test_id("attachments-header")
    name = unique("old.pdf")
    place.get_by_test_id("attachment-input").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": pdf()}]
    )
    item = place.locator("li.attachment", has_text=name)
    expect(item.get_by_test_id("attachment-state")).to_have_text("in Coupa", timeout=20_000)

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    item.get_by_test_id("attachment-delete").click()
    expect(item.get_by_test_id("attachment-state")).to_have_text("in Coupa")
    assert messages == [f"Delete {name} from Coupa?"]

    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_test_id("attachment-delete").click()
    expect(item).to_have_count(0, timeout=20_000)
