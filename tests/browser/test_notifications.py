"""The bell, the notifications page and the settings page in Chromium: a person sees how many
notifications wait, opens one (it is read, its inspection shows), marks the rest read, and
changes what they want to hear of."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from qualityhub.inspections.models import Inspection
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.models import Event, Notification, NotificationSettings
from qualityhub.notifications.publish import EventDraft, publish
from tests.browser.conftest import csp_violations

pytestmark = pytest.mark.browser


def rejected(inspection: Inspection) -> EventDraft:
    return EventDraft(
        key=f"rejected:{inspection.coupa_id}",
        kind=Kind.REJECTED,
        summary=f"Inspection {inspection.coupa_id} was rejected",
        inspection_id=inspection.coupa_id,
        supplier_id=inspection.supplier_id,
        item_id=inspection.item_id,
    )


def test_the_bell_the_page_and_reading(signed_in, live_server) -> None:
    page = signed_in
    refused = csp_violations(page)
    first, second, third = Inspection.objects.order_by("coupa_id")[:3]
    Event.objects.all().delete()  # what the sync that filled the cache told
    publish([rejected(first), rejected(second), rejected(third)])

    page.reload()
    bell = page.get_by_test_id("bell")
    expect(page.get_by_test_id("bell-count")).to_have_text("3 unread")
    bell.click()
    page.wait_for_url(f"{live_server.url}/notifications/?show=unread")
    items = page.get_by_test_id("notifications").get_by_role("listitem")
    expect(items).to_have_count(3)
    # Newest first: the third was published last, in the same instant: ordered by id.
    page.get_by_role("button", name=f"Inspection {second.coupa_id} was rejected").click()
    page.wait_for_url(f"{live_server.url}/inspections/{second.coupa_id}/")
    expect(page.get_by_test_id("bell-count")).to_have_text("2 unread")
    assert Notification.objects.get(event__inspection_id=second.coupa_id).is_read

    page.go_back()
    page.reload()
    expect(items).to_have_count(2)
    page.get_by_test_id("read-all").click()
    expect(page.get_by_role("status")).to_contain_text("Marked 2 notifications read.")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    expect(page.get_by_text("Nothing unread.")).to_be_visible()
    assert refused == []


def test_the_settings_page(signed_in, live_server) -> None:
    page = signed_in
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Notification settings").click()
    expect(page.get_by_test_id("role-defaults")).to_be_visible()
    # An engineer hears of rejections by default; this one only wants what is assigned to them.
    kinds = page.get_by_role("group", name="Tell me when")
    for label in ("An inspection is rejected", "An inspection becomes overdue"):
        expect(kinds.get_by_label(label)).to_be_checked()
    for checkbox in kinds.get_by_role("checkbox").all():
        checkbox.uncheck()
    kinds.get_by_label("I am assigned an inspection").check()
    page.get_by_label("One mail per event, at once").check()
    page.get_by_label("Daily digest at").select_option("06:00")
    page.get_by_label("In the time zone").select_option("Europe/Berlin")
    page.get_by_test_id("save-settings").click()

    expect(page.get_by_role("status")).to_contain_text("Notification settings saved.")
    expect(page.get_by_test_id("role-defaults")).to_have_count(0)
    expect(kinds.get_by_label("I am assigned an inspection")).to_be_checked()
    expect(kinds.get_by_label("An inspection is rejected")).not_to_be_checked()
    row = NotificationSettings.objects.get()
    assert (row.kinds, row.delivery, row.digest_hour, row.time_zone) == (
        ["assigned"],
        "immediate",
        6,
        "Europe/Berlin",
    )
    # What the person turned off no longer reaches them.
    Event.objects.all().delete()  # what the sync that filled the cache told
    publish([rejected(Inspection.objects.order_by("coupa_id").first())])
    assert not Notification.objects.exists()
