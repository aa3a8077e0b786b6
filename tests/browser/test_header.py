"""The header fits the screen: one line at 1280 px, no sideways scroll at 1024 and 390 px, and on
a phone its links fold behind a menu button that opens them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import USERNAME, csp_violations
from tests.browser.walk import new_context, sign_in_as, sync_cache

pytestmark = pytest.mark.browser

NAV_LINKS = '[data-testid="main-nav"] .nav-link'


@pytest.fixture
def at_width(browser, browser_sandbox, live_server, engineer):
    sync_cache(browser_sandbox)
    contexts, refused = [], []

    def open_page(width: int):
        context = new_context(browser, width=width)
        contexts.append(context)
        page = context.new_page()
        refused.append(csp_violations(page))
        sign_in_as(page, live_server.url, USERNAME)
        page.goto(f"{live_server.url}/inspections/1/")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert [found for found in refused if found] == []


def header_overflow(page) -> int:
    """How many pixels the header reaches beyond the window (0: it fits)."""
    return page.evaluate(
        "() => { const nav = document.querySelector('nav.navbar');"
        " const right = Math.max(...[...nav.querySelectorAll('*')]"
        "   .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().right));"
        " return Math.max(0, Math.ceil(right - document.documentElement.clientWidth),"
        "   nav.scrollWidth - nav.clientWidth); }"
    )


def link_rows(page) -> int:
    return page.locator(NAV_LINKS).evaluate_all(
        "links => new Set(links.map(l => Math.round(l.getBoundingClientRect().top))).size"
    )


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_header_fits_on_one_line_on_a_desktop_and_a_tablet(at_width, width) -> None:
    page = at_width(width)
    links = page.locator(NAV_LINKS)
    expect(links.first).to_be_visible()

    assert link_rows(page) == 1, "the navigation wraps"
    assert header_overflow(page) == 0
    assert page.locator("nav.navbar").bounding_box()["height"] < 70
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()
    expect(page.get_by_test_id("theme-menu")).to_be_visible()


def test_on_a_phone_the_links_fold_behind_a_menu_button(at_width, live_server) -> None:
    page = at_width(390)
    toggler = page.get_by_role("button", name="Menu")
    expect(toggler).to_be_visible()
    expect(page.locator(NAV_LINKS).first).to_be_hidden()
    assert header_overflow(page) == 0

    toggler.click()

    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator(NAV_LINKS)).to_have_count(6)
    for link in page.locator(NAV_LINKS).all():
        expect(link).to_be_visible()
    assert header_overflow(page) == 0
    page.get_by_role("link", name="Results").click()
    page.wait_for_url(f"{live_server.url}/results/")
