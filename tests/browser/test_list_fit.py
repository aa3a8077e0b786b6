"""The lists and the detail page fit the window: at 1280 and 1024 px wide nothing scrolls
sideways and the columns a person needs are on screen; at 390 px (a phone) the key columns and
the inspection are readable without scrolling sideways. Each user's choice of columns is kept
through a reload and a new sign-in, with or without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, TIMEOUT_MS, csp_violations

pytestmark = pytest.mark.browser

ROWS = "tr[data-inspection-id]"
HEADERS = "table.table-inspections thead th"
KEY_COLUMNS = ["Coupa id", "Status", "Verdict", "Supplier", "Due"]
HEIGHT = 900

# The widest element sticking out of the window, and whether the main navigation holds it
# (the header is helper e's part of issue 16: a header-only overflow is reported, not hidden).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const out = [...document.querySelectorAll('body *')].filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !e.closest('.table-responsive');
  });
  const nav = document.querySelector('nav[aria-label="Main"]');
  return {
    page: document.documentElement.scrollWidth,
    width: width,
    outside: out.slice(0, 5).map(e => e.tagName + '.' + [...e.classList].join('.')),
    headerOnly: out.length > 0 && out.every(e => nav && nav.contains(e)),
  };
}"""


def fits(page) -> dict:
    return page.evaluate(OVERFLOW)


def assert_no_sideways_scroll(page, where: str) -> None:
    found = fits(page)
    if found["page"] > found["width"] and found["headerOnly"]:
        pytest.xfail(
            f"{where}: only the header (templates/base.html, helper e) is wider than "
            f"{found['width']} px: {found['outside']}"
        )
    assert found["page"] <= found["width"], f"{where} scrolls sideways: {found}"


def visible_headers(page) -> list[str]:
    shown = page.locator(f"{HEADERS}:visible").all_inner_texts()
    return [h.strip().rstrip("↑↓ ").strip() for h in shown]


def on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= page.viewport_size["width"] + 1
    )


def header(page, label: str):
    return page.locator(HEADERS, has_text=label).first


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_list_results_and_detail_fit_without_sideways_scrolling(
    signed_in, live_server, width
) -> None:
    page = signed_in
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.goto(f"{live_server.url}/inspections/?overdue=1")
    expect(page.locator(ROWS).first).to_be_visible()

    wide = ["Item", "Decision"] * (width >= 1200)
    for label in [*KEY_COLUMNS, "Modified", "Exported", *wide]:
        expect(header(page, label)).to_be_visible()
        assert on_screen(page, header(page, label)), f"{label} is off-screen at {width} px"
    overdue = page.locator(f"{ROWS} td[data-overdue]").first
    expect(overdue).to_be_visible()
    assert on_screen(page, overdue), "the overdue mark is off-screen"
    # Low priorities step aside on the narrower screen.
    hidden_here = ["Qty", "Sample", "External id", "Part numbers", "PO / line"]
    for label in hidden_here + (["Item", "Decision"] * (width < 1200)):
        expect(header(page, label)).to_be_hidden()
    main_width = page.evaluate("document.querySelector('main').scrollWidth")
    assert main_width <= width, f"the list's body is {main_width} px wide at {width}"
    assert_no_sideways_scroll(page, f"the list at {width} px")

    page.goto(f"{live_server.url}/results/")
    expect(page.locator("tr[data-characteristic-id]").first).to_be_visible()
    for label in ["Inspection", "Supplier", "Item", "Characteristic", "Recorded", "Verdict"]:
        expect(page.locator("table.table-results th", has_text=label).first).to_be_visible()
    assert page.evaluate("document.querySelector('main').scrollWidth") <= width
    assert_no_sideways_scroll(page, f"the results at {width} px")

    first = page.locator("tr[data-characteristic-id] a").first.get_attribute("href")
    page.goto(f"{live_server.url}{first}")
    expect(page.get_by_test_id("characteristics")).to_be_visible()
    assert page.evaluate("document.querySelector('main').scrollWidth") <= width
    assert_no_sideways_scroll(page, f"the detail page at {width} px")


def test_on_a_phone_the_key_columns_and_the_inspection_read_without_scrolling(
    signed_in, live_server
) -> None:
    page = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/inspections/?sort=due_date")
    expect(page.locator(ROWS).first).to_be_visible()

    assert visible_headers(page) == KEY_COLUMNS
    for label in KEY_COLUMNS:
        assert on_screen(page, header(page, label)), f"{label} is off-screen on a phone"
    first_row = page.locator(ROWS).first
    for cell in first_row.locator("td:visible").all():
        assert on_screen(page, cell), "a key cell is off-screen on a phone"
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 390
    assert_no_sideways_scroll(page, "the list at 390 px")

    page.goto(f"{live_server.url}/results/")
    expect(page.locator("tr[data-characteristic-id]").first).to_be_visible()
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 390
    assert_no_sideways_scroll(page, "the results at 390 px")

    page.goto(f"{live_server.url}/inspections/1/")
    heading, status, supplier = (page.locator("h1"), page.get_by_test_id("status"),
                                 page.get_by_test_id("supplier"))  # fmt: skip
    for shown in (heading, status, supplier):
        expect(shown).to_be_visible()
        assert on_screen(page, shown)
    lines = page.get_by_test_id("characteristics")
    for label in ("#", "Characteristic", "Recorded", "Verdict"):
        cell = lines.locator("thead th", has_text=label).first
        expect(cell).to_be_visible()
        assert on_screen(page, cell), f"the characteristics' {label} is off-screen on a phone"
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 390
    assert_no_sideways_scroll(page, "the detail page at 390 px")


def choose_columns(page, hide: list[str]) -> None:
    picker = page.get_by_test_id("column-picker")
    picker.locator("summary").click()
    for label in hide:
        picker.get_by_label(label, exact=False).uncheck()
    picker.get_by_role("button", name="Save columns").click()


def test_the_column_picker_is_remembered_through_a_reload_and_a_new_sign_in(
    signed_in, live_server, browser
) -> None:
    page = signed_in
    page.set_viewport_size({"width": 1280, "height": HEIGHT})
    page.goto(f"{live_server.url}/inspections/?status=Closed")
    expect(header(page, "Decision")).to_be_visible()

    choose_columns(page, ["Decision", "Exported"])

    expect(page.locator(HEADERS, has_text="Exported")).to_have_count(0)
    expect(page.locator(HEADERS, has_text="Decision")).to_have_count(0)
    expect(page.locator(f"{ROWS}:not([data-status='Closed'])")).to_have_count(0)
    assert "status=Closed" in page.url
    page.reload()
    expect(header(page, "Due")).to_be_visible()
    expect(page.locator(HEADERS, has_text="Exported")).to_have_count(0)
    expect(page.get_by_test_id("column-picker").locator("summary")).to_contain_text("13 of 15")

    # A new browser, a new sign-in: the same columns.
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT})
    context.set_default_timeout(TIMEOUT_MS)
    other = context.new_page()
    violations = csp_violations(other)
    other.goto(f"{live_server.url}/accounts/login/?next=/inspections/")
    other.fill("#id_username", "priya")
    other.fill("#id_password", PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.locator(ROWS).first).to_be_visible()
    assert visible_headers(other) == [
        "Coupa id", "Status", "Verdict", "Supplier", "Item", "Due", "Modified", "Assignee"
    ]  # fmt: skip
    # Show all again.
    other.get_by_test_id("column-picker").locator("summary").click()
    other.get_by_role("button", name="Show all").click()
    expect(other.locator(HEADERS, has_text="Exported")).to_have_count(1)
    context.close()
    assert violations == []


def test_the_column_picker_works_without_javascript(signed_in, live_server, browser) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": HEIGHT}, java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/results/")
    page.fill("#id_username", "priya")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/results/?verdict=fail")
    expect(page.locator("table.table-results th", has_text="Modified")).to_have_count(1)

    choose_columns(page, ["Modified", "Item"])

    expect(page).to_have_url(f"{live_server.url}/results/?verdict=fail")
    expect(page.locator("table.table-results th", has_text="Modified")).to_have_count(0)
    expect(page.locator("table.table-results th", has_text="Item")).to_have_count(0)
    expect(page.locator("tr[data-characteristic-id]:not([data-verdict='fail'])")).to_have_count(0)
    context.close()
