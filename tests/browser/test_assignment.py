"""Assignment as an engineer does it: assign from the detail page, take one, bulk-assign from the
list's selection, and the two queues."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qualityhub.assignment.models import Assignment
from qualityhub.coupa.vocabulary import Status
from qualityhub.inspections.models import Inspection
from tests.browser.conftest import TIMEOUT_MS, sign_in_through_form
from tests.conftest import make_user

pytestmark = pytest.mark.browser

ROWS = "tr[data-inspection-id]"
QUEUES = "nav[aria-label='Work queues']"


def test_an_engineer_assigns_takes_and_bulk_assigns(signed_in, live_server) -> None:
    page = signed_in
    make_user("ana", "Quality engineer")
    first, second, third = Inspection.objects.filter(status=Status.IN_BUYER_REVIEW).order_by(
        "coupa_id"
    )[:3]

    # Assign from the detail page: the picker opens in place, the block says who.
    page.goto(f"{live_server.url}/inspections/{first.coupa_id}/")
    block = page.get_by_test_id("assignee-block")
    expect(block.get_by_test_id("assignee")).to_have_text("no one")
    expect(block).to_contain_text("Assignment lives in QualityHub only")
    block.get_by_test_id("open-picker").click()
    page.select_option("#id_assignee", label="ana")
    page.get_by_test_id("assign").click()
    expect(page.get_by_test_id("assignee")).to_have_text("ana")
    expect(page.get_by_test_id("assignment-said")).to_have_text("Assigned.")
    expect(page).to_have_url(f"{live_server.url}/inspections/{first.coupa_id}/")  # no reload

    # Take it: mine now.
    page.get_by_test_id("take").click()
    expect(page.get_by_test_id("assignee")).to_have_text("priya")
    expect(page.get_by_test_id("take")).to_have_count(0)
    assert Assignment.objects.get(inspection_id=first.coupa_id).assignee.username == "priya"

    # Assigned to me: the queue shows it, with its assignee.
    page.goto(f"{live_server.url}/inspections/")
    page.locator(QUEUES).get_by_role("link", name="Assigned to me", exact=True).click()
    expect(page.locator("h1")).to_have_text("Assigned to me")
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.locator(f"{ROWS} td[data-assignee='priya']")).to_have_count(1)

    # Unassigned, needing review: the others waiting for review, and not the one taken.
    page.locator(QUEUES).get_by_role("link", name="Unassigned, needing review").click()
    expect(page.locator("h1")).to_have_text("Unassigned, needing review")
    expect(page.locator(f"{ROWS}[data-inspection-id='{first.coupa_id}']")).to_have_count(0)
    expect(page.locator(f"{ROWS}[data-inspection-id='{second.coupa_id}']")).to_have_count(1)

    # Bulk: tick two rows, choose ana, and the queue no longer lists them.
    for inspection in (second, third):
        page.get_by_label(f"Select inspection {inspection.coupa_id}", exact=True).check()
    page.get_by_test_id("bulk-assign-selected").click()
    expect(page.get_by_test_id("bulk-assign-count")).to_have_text("2")
    page.select_option("#id_assignee", label="ana")
    page.get_by_test_id("bulk-assign-submit").click()
    expect(page).to_have_url(re.compile(r"/inspections/\?.*assignee=nobody"))
    expect(page.get_by_role("status").filter(has_text="Assigned 2 inspections.")).to_be_visible()
    expect(page.locator(f"{ROWS}[data-inspection-id='{second.coupa_id}']")).to_have_count(0)
    assigned = Assignment.objects.filter(assignee__username="ana").values_list("inspection_id")
    assert sorted(i for (i,) in assigned) == [second.coupa_id, third.coupa_id]


def test_assigning_works_without_javascript(signed_in, live_server, browser) -> None:
    make_user("ana", "Quality engineer")
    inspection = Inspection.objects.order_by("coupa_id").first()
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in_through_form(page, live_server, f"/inspections/{inspection.coupa_id}/")
        page.get_by_test_id("open-picker").click()  # a plain link: the picker's own page
        expect(page).to_have_url(f"{live_server.url}/inspections/{inspection.coupa_id}/assignee/")
        page.select_option("#id_assignee", label="ana")
        page.get_by_test_id("assign").click()
        expect(page).to_have_url(f"{live_server.url}/inspections/{inspection.coupa_id}/")
        expect(page.get_by_test_id("assignee")).to_have_text("ana")
        expect(page.get_by_role("status").filter(has_text="Assigned.")).to_be_visible()
        page.get_by_test_id("take").click()
        expect(page.get_by_test_id("assignee")).to_have_text("priya")
        page.get_by_test_id("unassign").click()
        expect(page.get_by_test_id("assignee")).to_have_text("no one")
    finally:
        context.close()
