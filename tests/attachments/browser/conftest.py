"""The browser fixtures of tests/browser, scoped to this package (Playwright's event loop and
DJANGO_ALLOW_ASYNC_UNSAFE end with it, before the other attachments tests run)."""

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    browser,
    engineer,
    page,
    sign_in,
)
