"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

No browser is ever downloaded (`playwright install` is not used): Playwright launches the
system Chromium. Without it the tests are skipped locally and fail in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qualityhub.sync.pull import run_sync
from tests.conftest import client_for, make_user
from tests.sandbox_process import SandboxProcess

CHROMIUM_HINT = (
    "Chromium is not installed: sudo apt-get install chromium (Debian) to run the browser tests"
)
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium phones home at start, which this machine's closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERNAME = "priya"
PASSWORD = "a-long-demo-password"  # noqa: S105 (a test user's password)
TIMEOUT_MS = 10_000


def chromium_path() -> str:
    """Debian's Chromium, or skip (locally) / fail (CI) with how to install it."""
    default = Path("/usr/bin/chromium")
    found = str(default) if default.exists() else shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(CHROMIUM_HINT, pytrace=False)
    pytest.skip(CHROMIUM_HINT)


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One Chromium for the browser tests, stopped when they are done.

    Playwright's sync API keeps an event loop marked as running in this thread for as long as
    it is started, and Django's ORM refuses synchronous queries from such a thread unless told
    it is safe. It is safe here: the loop only waits for the browser while test code (and the
    ORM) runs. Package scope keeps both the running loop and the setting away from the other
    test packages.
    """
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser context (no cookies, no history) and page for each test."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    violations = csp_violations(new_page)
    yield new_page
    context.close()
    assert violations == [], "the page broke its Content-Security-Policy"


def sign_in_through_form(page, live_server, landing: str, username: str = USERNAME) -> None:
    """Sign in on the sign-in page as a person does and wait for `landing`, where it leads."""
    page.goto(f"{live_server.url}/accounts/login/?next={landing}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{landing}")


def csp_violations(page) -> list[str]:
    """Chromium's console reports of anything the Content-Security-Policy refused, as they come
    (every browser test fails on one: scripts and styles must follow the CSP)."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return found


@pytest.fixture(scope="module")
def browser_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """A sandbox (300 inspections, seed 42) the read-only browser tests share."""
    server = SandboxProcess(tmp_path_factory.mktemp("browser-sandbox") / "sandbox.sqlite3")
    yield server
    server.stop()


@pytest.fixture
def engineer(transactional_db):
    return make_user(USERNAME, "Quality engineer", password=PASSWORD)


@pytest.fixture
def sign_in(live_server, page, engineer) -> Callable:
    """Fill the cache from a sandbox, then sign in through the real login form.

    The sync runs per test: live_server tests are transactional, so the database is flushed
    after each one (a 300-inspection sync takes well under a second).
    """

    def sign_in_with(
        server: SandboxProcess, username: str = USERNAME, landing: str = "/inspections/"
    ):
        """`username` must have been made with PASSWORD (`make_user(..., password=PASSWORD)`)."""
        client = client_for(server)
        try:
            run = run_sync("full", client=client, attachments="skip")
        finally:
            client.close()
        assert run.outcome == "succeeded", run.message
        page.goto(f"{live_server.url}/accounts/login/?next={landing}")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}{landing}")
        return page

    return sign_in_with


@pytest.fixture
def signed_in(sign_in, browser_sandbox):
    """A signed-in page over a cache filled from the shared sandbox."""
    return sign_in(browser_sandbox)
