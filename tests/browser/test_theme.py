"""Dark mode: it follows the system, can be switched in the header, and is remembered; the logo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import USERNAME, csp_violations
from tests.browser.walk import new_context, sign_in_as, sync_cache

pytestmark = pytest.mark.browser

DARK_BODY = "rgb(33, 37, 41)"  # Bootstrap's dark --bs-body-bg
LIGHT_BODY = "rgb(255, 255, 255)"
FAIL_ROW_LIGHT = "rgb(248, 215, 218)"
# What the <html> element says when <body> first appears: before any paint of the page.
THEME_AT_FIRST_PAINT = """
new MutationObserver((changes, observer) => {
  if (document.body) {
    window.__themeAtBody = document.documentElement.getAttribute("data-bs-theme");
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture
def person(browser, browser_sandbox, live_server, engineer):
    """A signed-in engineer's page, with the system in light or dark mode."""
    sync_cache(browser_sandbox)
    contexts, refused = [], []

    def open_page(system: str = "light"):
        context = new_context(browser, color_scheme=system)
        contexts.append(context)
        page = context.new_page()
        refused.append(csp_violations(page))
        sign_in_as(page, live_server.url, USERNAME)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert [found for found in refused if found] == [], "a page broke its CSP"


def theme(page) -> str | None:
    return page.locator("html").get_attribute("data-bs-theme")


def body_background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def choose(page, mode: str) -> None:
    page.get_by_test_id("theme-menu").click()
    page.locator(f'[data-theme-value="{mode}"]').click()


@pytest.mark.parametrize("system", ["light", "dark"])
def test_the_colours_follow_the_system_setting(person, live_server, system) -> None:
    page = person(system)
    page.goto(f"{live_server.url}/inspections/")

    assert theme(page) == system
    assert body_background(page) == (DARK_BODY if system == "dark" else LIGHT_BODY)
    expect(page.get_by_test_id("theme-menu")).to_contain_text("auto")


def test_a_chosen_mode_is_set_before_the_page_is_painted(person, live_server) -> None:
    page = person("light")
    choose(page, "dark")
    page.add_init_script(THEME_AT_FIRST_PAINT)

    page.goto(f"{live_server.url}/results/")

    assert page.evaluate("window.__themeAtBody") == "dark"


def test_switching_to_dark_is_remembered_across_pages_and_reloads(person, live_server) -> None:
    page = person("light")
    page.goto(f"{live_server.url}/inspections/")
    assert theme(page) == "light"

    choose(page, "dark")

    assert theme(page) == "dark"
    assert body_background(page) == DARK_BODY
    expect(page.get_by_test_id("theme-menu")).to_contain_text("dark")
    expect(page.locator('[data-theme-value="dark"]')).to_have_attribute("aria-pressed", "true")
    page.reload()
    assert theme(page) == "dark"
    page.goto(f"{live_server.url}/results/")
    assert theme(page) == "dark"
    assert body_background(page) == DARK_BODY

    choose(page, "auto")  # back to the system's: light here, then dark when the system is
    assert theme(page) == "light"
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")


def test_light_can_be_chosen_on_a_dark_system(person, live_server) -> None:
    page = person("dark")
    choose(page, "light")
    page.goto(f"{live_server.url}/results/")
    assert theme(page) == "light"
    assert body_background(page) == LIGHT_BODY


def test_verdict_rows_and_words_are_dark_in_dark_mode(person, live_server) -> None:
    page = person("dark")
    page.goto(f"{live_server.url}/results/?verdict=fail")
    row = page.locator('tr[data-verdict="fail"]').first
    expect(row).to_be_visible()

    cell = row.locator("td").first
    background = cell.evaluate("td => getComputedStyle(td).backgroundColor")
    assert background not in (FAIL_ROW_LIGHT, DARK_BODY), "a fail row keeps its own tint"
    red, green, blue = (int(part) for part in background[4:-1].split(","))
    assert max(red, green, blue) < 90, f"a dark tint, not a light one: {background}"
    assert red > green and red > blue, f"still a red tint: {background}"
    # Never colour alone: the row says its verdict in words.
    expect(row.locator(".verdict-badge")).to_contain_text("Fail")


def test_the_header_shows_the_logo(person, live_server) -> None:
    page = person("light")
    logo = page.get_by_test_id("logo")

    expect(logo).to_be_visible()
    box = logo.bounding_box()
    assert (box["width"], box["height"]) == (24, 24)
    image = logo.evaluate("span => getComputedStyle(span).backgroundImage")
    assert "logo" in image and ".svg" in image
    loaded = page.evaluate(
        "url => fetch(url).then(r => r.ok && r.headers.get('content-type'))",
        image.split('"')[1],
    )
    assert loaded.startswith("image/svg+xml")
    # The brand's text names the link; the picture is hidden from screen readers.
    expect(logo).to_have_attribute("aria-hidden", "true")
    expect(page.locator(".navbar-brand")).to_have_text("QualityHub")
