"""A note in Chromium: type a mention, choose the colleague from the list with the keyboard,
add the note, and see it in the timeline with its link clickable and the mention marked; the
person mentioned is notified."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from qualityhub.inspections.models import Inspection
from qualityhub.notes.models import Note
from qualityhub.notifications.models import Notification
from tests.browser.test_accessibility import axe_violations
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_a_note_with_a_mention_chosen_from_the_list_appears_in_the_timeline(
    signed_in, live_server
) -> None:
    page = signed_in
    marco = make_user("marco", "Buyer")
    make_user("martina", "Manager")
    make_user("mariusz", "Buyer", suppliers=[999_999])  # may not see it: never offered
    inspection = Inspection.objects.order_by("coupa_id").first()
    page.goto(f"{live_server.url}/inspections/{inspection.coupa_id}/")
    expect(page.get_by_test_id("timeline").or_(page.locator("#timeline"))).to_be_visible()
    expect(page.get_by_test_id("notes-stay-here")).to_contain_text("never sent to Coupa")

    text = page.get_by_label("Note", exact=True)
    text.click()
    text.press_sequentially("Please check https://example.com/report?id=7 @mar", delay=20)
    options = page.get_by_role("listbox", name="Colleagues to mention").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("@marco")
    expect(options.nth(1)).to_contain_text("@martina")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    assert axe_violations(page) == []  # the form with its list open
    text.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(text).to_have_attribute("aria-activedescendant", "note-mentions-1")
    text.press("ArrowUp")
    text.press("Enter")
    expect(text).to_have_value("Please check https://example.com/report?id=7 @marco ")
    expect(page.get_by_role("listbox", name="Colleagues to mention")).to_be_hidden()
    text.press_sequentially("thanks")
    page.get_by_role("button", name="Add note").click()

    note = page.get_by_test_id("timeline-note").first
    expect(note).to_contain_text("Please check")
    expect(note.get_by_test_id("mention")).to_have_text("@marco")
    link = note.get_by_role("link", name="https://example.com/report?id=7")
    expect(link).to_have_attribute("href", "https://example.com/report?id=7")
    expect(link).to_have_attribute("rel", "nofollow")
    expect(page.get_by_test_id("note-said")).to_have_text("Note added.")
    expect(page.get_by_label("Note", exact=True)).to_have_value("")

    saved = Note.objects.get()
    assert saved.text == "Please check https://example.com/report?id=7 @marco thanks"
    # Marco is told once; the sync that filled the cache told the engineer of its rejections.
    mentions = Notification.objects.filter(event__kind="mentioned")
    assert list(mentions.values_list("user", flat=True)) == [marco.pk]
