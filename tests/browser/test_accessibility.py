"""axe-core finds no accessibility violation on any page, for each role, in light and dark mode.

axe-core is vendored for the tests only (tests/browser/vendor/, from npm's `axe-core` package,
MPL-2.0). Its source is evaluated in the page: `add_script_tag` would add an inline script,
which the pages' Content-Security-Policy rightly refuses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import csp_violations
from tests.browser.walk import (
    MODES,
    NOT_PAGES,
    PAGES,
    ROLES,
    SIGNED_OUT_KWARGS,
    SIGNED_OUT_PAGES,
    make_world,
    new_context,
    page_urls,
    settled,
    sign_in_as,
    sync_cache,
)
from tests.url_walk import every_route

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"


def test_the_walk_covers_every_page() -> None:
    names = {route.name for route in every_route()}
    walked = set(PAGES) | set(SIGNED_OUT_PAGES) | NOT_PAGES
    assert sorted(names - walked) == [], "add these URLs to PAGES (or NOT_PAGES) of this test"
    assert sorted(walked - names) == [], "these URLs no longer exist"


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it stands, one line each (rule, impact, where)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(json.dumps(node["target"]) for node in v["nodes"][:5])
        for v in results["violations"]
    ]


def _walk(page, base: str, urls: list[str], mode: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    statuses_seen: set[int] = set()
    for url in urls:
        response = page.goto(base + url)
        status = response.status if response else 0
        if status in (403, 404) and status in statuses_seen:
            continue  # one refusal page of each kind is enough
        statuses_seen.add(status)
        settled(page)
        expect(page.locator("html")).to_have_attribute("data-bs-theme", mode)
        violations = axe_violations(page)
        if violations:
            found[f"{url} ({status})"] = violations
    return found


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_has_an_accessibility_violation(
    browser, browser_sandbox, live_server, transactional_db, role, mode
) -> None:
    sync_cache(browser_sandbox)
    world = make_world(role)
    context = new_context(browser, color_scheme=mode)
    page = context.new_page()
    csp = csp_violations(page)
    try:
        sign_in_as(page, live_server.url, world["user"].username)
        found = _walk(page, live_server.url, page_urls(world), mode)
    finally:
        context.close()
    if found:
        pytest.fail("\n".join(f"{url}: {v}" for url, vs in found.items() for v in vs))
    assert csp == []


@pytest.mark.parametrize("mode", MODES)
def test_no_signed_out_page_has_an_accessibility_violation(
    browser, live_server, transactional_db, mode
) -> None:
    context = new_context(browser, color_scheme=mode)
    page = context.new_page()
    urls = [reverse(name, kwargs=SIGNED_OUT_KWARGS.get(name)) for name in SIGNED_OUT_PAGES]
    try:
        found = _walk(page, live_server.url, urls, mode)
    finally:
        context.close()
    if found:
        pytest.fail("\n".join(f"{url}: {v}" for url, vs in found.items() for v in vs))
