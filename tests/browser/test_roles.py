"""Each role signs in through the real form and sees the navigation and buttons it may use."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from qualityhub.inspections.models import Inspection
from tests.browser.conftest import PASSWORD
from tests.conftest import make_user

pytestmark = pytest.mark.browser

EVERYTHING = ["Overview", "Inspections", "Results", "Suppliers", "Trends", "Sync status"]
BUTTONS = ("refresh", "attachment-upload", "export-toggle", "new-inspection", "bulk-bar")
BUYER_NAVIGATION = ["Inspections", "Results", "Suppliers", "Trends", "Sync status"]
BUYER_QUEUE = "/inspections/?status=In+Buyer+Review&sort=due_date"
ROLES = {
    # role: (username, where "/" lands, navigation, buttons on the detail and list pages)
    "Quality engineer": ("priya", "/", EVERYTHING, set(BUTTONS)),
    # Every reader has the bulk bar: a PDF of the ticked inspections.
    "Buyer": ("marco", BUYER_QUEUE, BUYER_NAVIGATION, {"refresh", "attachment-upload", "bulk-bar"}),
    "Manager": ("grace", "/", EVERYTHING, {"bulk-bar"}),
}


def _visible_buttons(page) -> set[str]:
    return {
        testid for testid in BUTTONS if page.locator(f'[data-testid="{testid}"]:visible').count()
    }


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_sees_its_navigation_and_buttons(sign_in, browser_sandbox, live_server, role):
    username, landing, navigation, buttons = ROLES[role]
    if role != "Quality engineer":  # the sign_in fixture has made priya already
        make_user(username, role, password=PASSWORD)
    page = sign_in(browser_sandbox, username=username, landing="/inspections/")

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}{landing}")
    nav = page.get_by_test_id("main-nav").get_by_role("link")
    expect(nav).to_have_text(navigation)
    expect(page.get_by_test_id("signed-in-role")).to_contain_text(role)

    seen = set()
    page.goto(f"{live_server.url}/inspections/")
    seen |= _visible_buttons(page)
    inspection = Inspection.objects.order_by("coupa_id").first()
    page.goto(f"{live_server.url}/inspections/{inspection.coupa_id}/")
    expect(page.get_by_test_id("exported-controls")).to_be_visible()  # loaded by htmx
    seen |= _visible_buttons(page)
    assert seen == buttons


def test_a_role_without_a_page_gets_a_clear_refusal(sign_in, browser_sandbox, live_server):
    make_user("marco", "Buyer", password=PASSWORD)
    page = sign_in(browser_sandbox, username="marco", landing="/inspections/")
    response = page.goto(f"{live_server.url}/inspections/new/")
    assert response.status == 403
    expect(page.get_by_test_id("forbidden")).to_contain_text("Buyer")
