"""Every page's title says where you are: the page, and the object it shows where there is one
(the tab strip and the history list are read by title)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.exporting.models import ExportBatch
from qualityhub.inspections.models import Inspection
from tests.browser.conftest import csp_violations
from tests.browser.walk import (
    PAGES,
    SIGNED_OUT_KWARGS,
    SIGNED_OUT_PAGES,
    make_world,
    new_context,
    page_urls,
    sign_in_as,
    sync_cache,
)

pytestmark = pytest.mark.browser


def expected_titles(world: dict) -> list[str]:
    """What each URL of `page_urls(world)` is titled, in its order, before " · QualityHub"."""
    inspection = Inspection.objects.get(coupa_id=world["inspection-detail"]["coupa_id"])
    export = ExportBatch.objects.get(pk=world["exporting-batch"]["batch_id"])
    imported = ImportBatch.objects.get(pk=world["inspection-import-batch"]["batch_id"])
    sending = CreationRequest.objects.get(pk=world["inspection-new-sending"]["request_id"])
    by_name = {
        "overview": "Overview",
        "inspection-list": "Inspections",
        "inspection-detail": f"Inspection {inspection.coupa_id} · {inspection.item_name}",
        "result-list": "Results",
        "supplier-list": "Supplier scorecards",
        "supplier-detail": "{heading} · Scorecards",
        "trends": "Characteristic trends",
        "sync-status": "Sync status",
        "inspection-new": "New inspection",
        "inspection-new-sending": f"Sending {sending.external_id} to Coupa",
        "inspection-import": "Import inspections",
        "inspection-import-batch": f"Import of {imported.file_name}",
        "exporting-batches": "Bulk actions",
        "exporting-batch": f"{export.get_action_display()} #{export.pk} · Bulk actions",
        "saved-view-manage": "Saved views",
        "notification-list": "Notifications",
        "notification-settings": "Notification settings",
        "report-job": f"PDF of inspections #{world['report-job']['job_id']}",
        "password_change": "Change password",
        "password_change_done": "Password changed",
    }
    titles = [by_name[name] for name in PAGES]
    titles.insert(PAGES.index("trends") + 1, "{heading} · Trends")
    return [*titles, "Not found"]


def test_every_page_is_titled_by_what_it_shows(
    browser, browser_sandbox, live_server, transactional_db
) -> None:
    sync_cache(browser_sandbox)
    world = make_world("engineer")
    context = new_context(browser)
    page = context.new_page()
    refused = csp_violations(page)
    seen, wanted = [], []
    try:
        sign_in_as(page, live_server.url, world["user"].username)
        for url, title in zip(page_urls(world), expected_titles(world), strict=True):
            page.goto(live_server.url + url)
            if "{heading}" in title:  # the object's name as the page's heading shows it
                heading = page.locator("main h1").first.inner_text().strip()
                assert heading, url
                title = title.format(heading=heading)
            seen.append((url, page.title()))
            wanted.append((url, f"{title} · QualityHub"))
    finally:
        context.close()
    assert seen == wanted
    assert refused == []


def test_the_detail_page_names_the_inspection_and_its_item(
    browser, browser_sandbox, live_server, transactional_db
) -> None:
    sync_cache(browser_sandbox)
    world = make_world("engineer")
    inspection = Inspection.objects.exclude(item_name="").order_by("coupa_id").first()
    context = new_context(browser)
    page = context.new_page()
    try:
        sign_in_as(page, live_server.url, world["user"].username)
        page.goto(f"{live_server.url}/inspections/{inspection.coupa_id}/")
        assert page.title() == (
            f"Inspection {inspection.coupa_id} · {inspection.item_name} · QualityHub"
        )
    finally:
        context.close()


def test_the_signed_out_pages_are_titled(browser, live_server, transactional_db) -> None:
    context = new_context(browser)
    page = context.new_page()
    titles = {
        "login": "Sign in",
        "password_reset": "Reset password",
        "password_reset_done": "Check your email",
        "password_reset_confirm": "Choose a new password",
        "password_reset_complete": "Password set",
        "notifications-unsubscribe": "Stop QualityHub mail",
    }
    assert set(titles) == set(SIGNED_OUT_PAGES)
    seen = {}
    try:
        for name in SIGNED_OUT_PAGES:
            page.goto(live_server.url + reverse(name, kwargs=SIGNED_OUT_KWARGS.get(name)))
            seen[name] = page.title()
    finally:
        context.close()
    assert seen == {name: f"{title} · QualityHub" for name, title in titles.items()}
