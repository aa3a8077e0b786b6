"""The browser fixtures of tests/browser, scoped to this package (Playwright's event loop and
DJANGO_ALLOW_ASYNC_UNSAFE end with it, before the other creation tests run), and the signed-in
new-inspection form with a real Celery worker behind it."""

import pytest

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    PASSWORD,
    USERNAME,
    browser,
    engineer,
    page,
)
from tests.worker_process import WorkerProcess


@pytest.fixture
def worker(creation_sandbox):
    process = WorkerProcess(creation_sandbox.url, purge=True)
    yield process
    process.stop()


@pytest.fixture
def new_form(page, live_server, engineer, creation_sandbox, settings, worker):  # noqa: F811
    creation_sandbox.control("POST", "reset", {})
    settings.COUPA_BASE_URL = creation_sandbox.url
    settings.COUPA_TOKEN_URL = f"{creation_sandbox.url}/oauth2/token"
    page.goto(f"{live_server.url}/accounts/login/?next=/inspections/new/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/inspections/new/")
    return page
