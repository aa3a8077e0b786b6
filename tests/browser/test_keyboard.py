"""The keyboard: "/" searches, j/k walk the list's rows and Enter opens one, "?" lists the keys,
and every action is reached with Tab, Enter and the arrows, with a visible focus."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import USERNAME, csp_violations
from tests.browser.walk import new_context, sign_in_as, sync_cache

pytestmark = pytest.mark.browser

ROWS = "tr[data-inspection-id]"
CURRENT = "tr.row-current"


def in_view(locator) -> bool:
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= -1 && r.bottom <= window.innerHeight + 1; }"
    )


def focus_outline(page) -> list[str]:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )


def test_slash_focuses_the_search_and_is_typed_there_after(signed_in) -> None:
    page = signed_in
    page.locator("main h1").click()  # focus on the page, not in a field

    page.keyboard.press("/")

    expect(page.locator("#id_q")).to_be_focused()
    expect(page.locator("#id_q")).to_have_value("")
    page.keyboard.type("a/b")
    expect(page.locator("#id_q")).to_have_value("a/b")


def test_j_and_k_walk_the_rows_and_enter_opens_one(signed_in, live_server) -> None:
    page = signed_in
    page.set_viewport_size({"width": 1280, "height": 500})
    rows = page.locator(ROWS)
    expect(rows.nth(12)).to_be_attached()

    page.keyboard.press("j")
    expect(page.locator(CURRENT)).to_have_count(1)
    expect(rows.first).to_have_class(re.compile(r"\brow-current\b"))
    for _ in range(12):
        page.keyboard.press("j")
    expect(rows.nth(12)).to_have_class(re.compile(r"\brow-current\b"))
    assert in_view(rows.nth(12)), "the highlighted row is scrolled into view"
    page.keyboard.press("k")
    current = rows.nth(11)
    expect(current).to_have_class(re.compile(r"\brow-current\b"))
    expect(page.locator(CURRENT)).to_have_count(1)
    assert current.evaluate("row => getComputedStyle(row).outlineStyle") == "solid"
    wanted = current.get_attribute("data-inspection-id")

    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/inspections/{wanted}/")


def test_j_walks_the_results_list_too(signed_in, live_server) -> None:
    page = signed_in
    page.goto(f"{live_server.url}/results/")
    page.keyboard.press("j")
    page.keyboard.press("j")
    current = page.locator("tr[data-characteristic-id].row-current")
    expect(current).to_have_count(1)
    href = current.locator("a[href]").first.get_attribute("href")

    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}{href}")


def test_shortcuts_wait_while_typing_and_with_modifier_keys(signed_in) -> None:
    page = signed_in
    page.locator("#id_q").focus()
    page.keyboard.type("jk?")
    expect(page.locator("#id_q")).to_have_value("jk?")
    expect(page.locator(CURRENT)).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)

    page.locator("main h1").click()
    page.keyboard.press("Alt+j")
    page.keyboard.press("Control+k")
    expect(page.locator(CURRENT)).to_have_count(0)


def test_question_mark_lists_the_shortcuts(signed_in) -> None:
    page = signed_in
    page.locator("main h1").click()

    page.keyboard.press("?")

    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    for key, what in (("/", "Search"), ("j", "Next row"), ("k", "Previous row"), ("?", "these")):
        expect(dialog.locator("tr", has=page.locator("kbd", has_text=key))).to_contain_text(what)
    expect(page.locator("#shortcuts")).to_be_focused()  # once it has opened
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_the_header_menus_work_from_the_keyboard(signed_in, live_server) -> None:
    page = signed_in
    toggle = page.get_by_test_id("theme-menu")
    for _ in range(20):  # Tab from the top of the page to the theme menu
        page.keyboard.press("Tab")
        if toggle.evaluate("button => button === document.activeElement"):
            break
    expect(toggle).to_be_focused()
    assert focus_outline(page) == ["solid", "3px"], "a visible focus on the header's buttons"

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # light, then dark
    expect(page.locator('[data-theme-value="dark"]')).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")

    menu = page.get_by_test_id("user-menu")
    menu.focus()
    page.keyboard.press("Enter")
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    sign_out.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/(login|logout)/"))


@pytest.mark.parametrize("system", ["light", "dark"])
def test_tab_shows_where_the_focus_is_in_both_modes(
    browser, browser_sandbox, live_server, engineer, system
) -> None:
    sync_cache(browser_sandbox)
    context = new_context(browser, color_scheme=system)
    page = context.new_page()
    refused = csp_violations(page)
    try:
        sign_in_as(page, live_server.url, USERNAME)
        page.goto(f"{live_server.url}/inspections/1/")
        unseen = []
        for _ in range(40):  # the skip link, the header, then the page's links and buttons
            page.keyboard.press("Tab")
            name = page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
            if page.evaluate("document.activeElement === document.body"):
                break
            style, width = focus_outline(page)
            box_shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
            if (style == "none" or width == "0px") and box_shadow == "none":
                unseen.append(name)
        assert unseen == [], "these take the focus without showing it"
    finally:
        context.close()
    assert refused == []
