"""Saved views in Chromium: filters and a sort saved under a name sit in the queue bar, open the
same rows in the same order after a new sign-in, and a view an engineer shares appears for
another user."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, TIMEOUT_MS, csp_violations, sign_in_through_form
from tests.conftest import make_user

pytestmark = pytest.mark.browser

ROWS = "tr[data-inspection-id]"


def _rows(page) -> list[str]:
    return page.locator(ROWS).evaluate_all("rows => rows.map(row => row.dataset.inspectionId)")


def _queue_bar(page):
    return page.get_by_role("navigation", name="Work queues")


def _save_view(page, name: str) -> None:
    page.get_by_test_id("save-view").locator("summary").click()
    page.get_by_label("Name of the view").fill(name)
    page.get_by_test_id("save-view").get_by_role("button", name="Save").click()


@pytest.fixture
def elsewhere(browser, live_server) -> Iterator:
    """Sign in again in a new browser (no cookies): `elsewhere(username)` gives its page."""
    opened = []

    def sign_in(username: str):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        opened.append((context, csp_violations(page)))
        sign_in_through_form(page, live_server, "/inspections/", username)
        return page

    yield sign_in
    for context, violations in opened:
        context.close()
        assert violations == [], "the page broke its Content-Security-Policy"


def test_a_saved_view_opens_the_same_rows_and_sort_after_a_new_sign_in(
    signed_in, elsewhere
) -> None:
    page = signed_in
    page.get_by_label("Overdue").check()
    expect(page).to_have_url(re.compile(r"overdue=1"))
    page.locator("thead").get_by_role("link", name="Due").click()
    expect(page).to_have_url(re.compile(r"sort=due_date"))
    expect(page.locator("thead th[aria-sort=ascending]")).to_contain_text("Due")
    rows = _rows(page)
    assert len(rows) > 1

    _save_view(page, "My overdue")
    saved = _queue_bar(page).get_by_role("link", name="My overdue")
    expect(saved).to_be_visible()
    expect(saved).to_have_attribute("aria-current", "true")  # the list shows that view now
    expect(page.get_by_role("status").first).to_have_text("Saved the view “My overdue”.")
    assert _rows(page) == rows

    _queue_bar(page).get_by_role("link", name="Open and due this week").click()  # through htmx
    expect(page).to_have_url(re.compile(r"due_within=7"))  # another list: not the view
    expect(saved).not_to_have_attribute("aria-current", "true")
    expect(saved).not_to_have_class(re.compile(r"\bactive\b"))

    again = elsewhere("priya")
    assert _rows(again) != rows
    _queue_bar(again).get_by_role("link", name="My overdue").click()
    expect(again).to_have_url(re.compile(r"overdue=1.*sort=due_date"))
    expect(again.get_by_label("Overdue")).to_be_checked()
    expect(again.locator("thead th[aria-sort=ascending]")).to_contain_text("Due")
    assert _rows(again) == rows
    expect(_queue_bar(again).get_by_role("link", name="My overdue")).to_have_class(
        re.compile(r"\bactive\b")
    )


def test_a_view_an_engineer_shares_appears_for_a_buyer_read_only(
    signed_in, elsewhere, live_server
) -> None:
    make_user("marco", "Buyer", password=PASSWORD)
    page = signed_in
    page.locator("#id_decision").select_option("Rejected")
    expect(page).to_have_url(re.compile(r"decision=Rejected"))
    rows = _rows(page)
    _save_view(page, "Rejected lately")
    _queue_bar(page).get_by_role("link", name="Manage views").click()
    own = page.get_by_test_id("own-views").get_by_role("row", name=re.compile("Rejected lately"))
    own.get_by_role("button", name="Share with everyone").click()
    expect(page.get_by_role("status")).to_contain_text("“Rejected lately” is shared")
    expect(own).to_contain_text("Shared with everyone")

    buyer = elsewhere("marco")
    shared = _queue_bar(buyer).get_by_role("link", name=re.compile("Rejected lately"))
    expect(shared).to_contain_text("(shared by priya)")
    shared.click()
    expect(buyer).to_have_url(re.compile(r"decision=Rejected"))
    assert _rows(buyer) == rows

    buyer.goto(f"{live_server.url}/views/")
    expect(buyer.get_by_test_id("shared-views")).to_contain_text("Rejected lately")
    expect(buyer.get_by_role("button", name="Share with everyone")).to_have_count(0)
    expect(buyer.get_by_role("button", name="Rename")).to_have_count(0)
