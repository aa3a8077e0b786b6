"""Work queues as people see them: the queue shown is highlighted and names the page, its
filters show in the boxes, and a buyer's start page is their review queue."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qualityhub.coupa.vocabulary import Status
from tests.browser.conftest import PASSWORD
from tests.conftest import make_user

pytestmark = pytest.mark.browser

ROWS = "tr[data-inspection-id]"
QUEUES = "nav[aria-label='Work queues']"


def queue(page, label: str):
    return page.locator(QUEUES).get_by_role("link", name=label, exact=True)


def highlighted(page) -> list[str]:
    return page.locator(f"{QUEUES} a.active[aria-current]").all_inner_texts()


def test_the_queue_shown_is_highlighted_and_names_the_page(signed_in, live_server) -> None:
    page = signed_in
    assert highlighted(page) == []
    expect(page.locator("h1")).to_have_text("Inspections")

    queue(page, "Waiting for buyer review").click()

    expect(page).to_have_url(re.compile(r"status=In(\+|%20)Buyer(\+|%20)Review"))
    expect(queue(page, "Waiting for buyer review")).to_have_attribute("aria-current", "true")
    expect(queue(page, "Waiting for buyer review")).to_have_class(re.compile(r"\bactive\b"))
    assert highlighted(page) == ["Waiting for buyer review"]
    expect(page.locator("h1")).to_have_text("Waiting for buyer review")
    # The boxes show the queue's filters, so changing one keeps the others.
    expect(page.locator("#id_status")).to_have_values([Status.IN_BUYER_REVIEW])
    expect(page.locator(f"{ROWS}:not([data-status='{Status.IN_BUYER_REVIEW}'])")).to_have_count(0)

    page.select_option("#id_verdict", "pass")

    expect(page).to_have_url(re.compile(r"verdict=pass"))
    expect(page).to_have_url(re.compile(r"status=In(\+|%20)Buyer(\+|%20)Review"))
    expect(page).to_have_url(re.compile(r"sort=due_date"))
    expect(page.locator(f"{QUEUES} a.active")).to_have_count(0)
    expect(page.locator(f"{QUEUES} a[aria-current]")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Inspections")

    page.select_option("#id_verdict", "")
    expect(queue(page, "Waiting for buyer review")).to_have_attribute("aria-current", "true")

    # A queue with a filter the boxes do not have: shown as a box to untick.
    queue(page, "Open and due this week").click()
    expect(page.locator("h1")).to_have_text("Open and due this week")
    assert highlighted(page) == ["Open and due this week"]
    due_within = page.get_by_label("Due within 7 days")
    expect(due_within).to_be_checked()
    page.reload()
    assert highlighted(page) == ["Open and due this week"]
    page.get_by_label("Due within 7 days").uncheck()
    expect(page).not_to_have_url(re.compile(r"due_within"))
    expect(page.locator(f"{QUEUES} a.active")).to_have_count(0)
    expect(page.locator("#id_status")).to_have_values([Status.OPEN])


def test_a_buyer_starts_on_their_review_queue(sign_in, browser_sandbox, live_server) -> None:
    make_user("marco", "Buyer", password=PASSWORD)
    page = sign_in(browser_sandbox, username="marco", landing="/inspections/")

    page.goto(f"{live_server.url}/")

    expect(page).to_have_url(re.compile(r"/inspections/\?status=In(\+|%20)Buyer(\+|%20)Review"))
    expect(page.locator("h1")).to_have_text("Your review queue")
    expect(page).to_have_title(re.compile(r"^Your review queue"))
    assert highlighted(page) == ["Waiting for buyer review"]
    expect(page.locator(f"{ROWS}:not([data-status='{Status.IN_BUYER_REVIEW}'])")).to_have_count(0)


def test_an_engineer_choosing_the_same_queue_sees_its_name_not_yours(signed_in) -> None:
    page = signed_in
    queue(page, "Waiting for buyer review").click()
    expect(page.locator("h1")).to_have_text("Waiting for buyer review")
