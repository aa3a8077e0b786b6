"""Writes only by POST, and only with the CSRF token.

The mutating views are the role matrix's POST rows (the matrix is generated from the URL
resolver, so a new URL gets a row, and a new POST row is checked here without further work).
Every check runs with the browser's rules: `Client(enforce_csrf_checks=True)`, the token taken
where htmx takes it, the `hx-headers` attribute of the page's body.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.test_role_matrix import EXPECTED, url_names
from tests.security.conftest import HTMX, csrf_token_of, url_for

MUTATING = sorted(name for name, row in EXPECTED.items() if row.method == "POST")
READING = sorted(name for name, row in EXPECTED.items() if row.method == "GET")
# GET pages whose form posts back to the same URL (the POST is a write, so it needs the token).
FORMS = {
    "login",
    "password_change",
    "password_reset",
    "password_reset_confirm",
    "inspection-new",
    "inspection-import",
}
# Tables a GET may write: the session (the reset page remembers its token there) and the
# overview's read-through cache of computed figures. Neither changes what Coupa or anyone sees.
WRITABLE_ON_GET = ("django_session", "analytics_snapshot")
# The hostile world's inspections are all Closed: a bulk request over them has rows to confirm.
POST_DATA = {
    "exporting-bulk-filtered": {"action": "mark-exported", "query": "status=Closed"},
    "assignment-bulk-filtered": {"query": "status=Closed"},
}


@pytest.fixture
def browser(engineer) -> Client:
    """A client that checks CSRF as Django does for a real browser, signed in as the engineer."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(engineer)
    return client


def _token(client: Client) -> str:
    return csrf_token_of(client.get("/inspections/").content.decode())


def test_the_lists_of_views_come_from_the_matrix() -> None:
    # The matrix itself fails when a URL has no row (tests/accounts/test_role_matrix.py).
    assert "sync-now" in MUTATING and "inspection-list" in READING
    assert set(MUTATING) | set(READING) == {name for name, _ in url_names()}


@pytest.mark.parametrize("name", MUTATING)
def test_a_mutating_view_answers_get_with_405(browser, hostile, name) -> None:
    url = url_for(name, hostile)
    assert browser.get(url).status_code == 405
    assert browser.get(url, headers=HTMX).status_code == 405
    assert browser.head(url).status_code == 405


def test_only_the_mutating_views_refuse_get(signed_in, hostile) -> None:
    """The other way round: a GET row answering 405 means the matrix's method is wrong."""
    refusing = sorted(
        name for name in EXPECTED if signed_in.get(url_for(name, hostile)).status_code == 405
    )
    assert refusing == MUTATING


def test_reading_views_write_nothing_to_the_database(signed_in, hostile) -> None:
    """A GET (a prefetching browser, a link in a mail) must never change anything."""
    writes = {}
    for name in READING:
        with CaptureQueriesContext(connection) as queries:
            response = signed_in.get(url_for(name, hostile))
        assert response.status_code == EXPECTED[name].engineer, (name, response)
        changed = [
            q["sql"][:120]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
            and not any(table in q["sql"] for table in WRITABLE_ON_GET)
        ]
        if changed:
            writes[name] = changed
    assert writes == {}


@pytest.mark.parametrize("method", ["post", "delete", "put", "patch"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_unsafe_request_without_the_token_is_refused(browser, hostile, name, method) -> None:
    """Every URL, every unsafe method, as htmx would send it but without X-CSRFToken: 403
    before the view runs. 405 only where the view takes no such method at all: the upload
    (csrf_exempt, it checks the token itself) for anything but POST, and the health probe,
    which answers before Django's middleware and takes no writes."""
    _token(browser)  # the browser holds the cookie; only the header is missing
    url = url_for(name, hostile)
    response = getattr(browser, method)(url, headers=HTMX)
    takes_no_writes = name == "healthz" or (
        name.startswith("attachment-upload") and method != "post"
    )
    if name == "notifications-unsubscribe":
        # A mail client's one-click POST (RFC 8058) carries no token: the signed link is the
        # check (tests/notifications/test_unsubscribe_links.py refuses forged ones).
        assert response.status_code == (200 if method == "post" else 405)
        return
    if takes_no_writes:
        assert response.status_code == 405
        return
    assert response.status_code == 403, (name, method, response.status_code)
    assert b"CSRF" in response.content


def test_the_sign_in_form_needs_the_token_too(db) -> None:
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "priya", "password": "x"})
    assert response.status_code == 403 and b"CSRF" in response.content


@pytest.mark.parametrize("name", MUTATING)
def test_a_mutating_htmx_request_with_the_token_succeeds(browser, hostile, name) -> None:
    data = POST_DATA.get(name, EXPECTED[name].data or {})
    token = _token(browser)
    response = browser.post(
        url_for(name, hostile), data=data, headers={**HTMX, "X-CSRFToken": token}
    )
    # htmx gets the swapped fragment (200) where a plain form post is redirected (302).
    assert response.status_code in (200, 302), (name, response.status_code)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_form_posted_with_the_token_reaches_its_view(browser, hostile, name) -> None:
    token = _token(browser)
    response = browser.post(url_for(name, hostile), data={}, headers={"X-CSRFToken": token})
    # An empty form is answered by the view itself: its errors (200, 422) or a redirect.
    assert response.status_code in (200, 302, 422), (name, response.status_code)


def test_a_token_issued_to_another_browser_is_refused(browser, hostile, engineer) -> None:
    other = Client(enforce_csrf_checks=True)
    other.force_login(engineer)
    foreign = _token(other)
    own = _token(browser)
    assert foreign != own
    response = browser.post("/sync/run/", headers={**HTMX, "X-CSRFToken": foreign})
    assert response.status_code == 403 and b"CSRF" in response.content


def test_the_upload_checks_the_token_itself_after_its_size_gate(browser, hostile) -> None:
    """The upload view is csrf_exempt so the body reaches the size gate first; it must still
    refuse a request without the token, and keep nothing."""
    from qualityhub.attachments.models import Attachment
    from tests.attachments.conftest import multipart, pdf

    before = Attachment.objects.count()
    body, content_type = multipart([("coa.pdf", pdf())])
    url = "/inspections/1/attachments/upload/"
    refused = browser.post(url, data=body, content_type=content_type, headers=HTMX)
    assert refused.status_code == 403 and Attachment.objects.count() == before
    headers = {**HTMX, "X-CSRFToken": _token(browser)}
    accepted = browser.post(url, data=body, content_type=content_type, headers=headers)
    assert accepted.status_code == 200 and Attachment.objects.count() == before + 1


def test_the_token_is_handed_to_htmx_on_every_page(browser, hostile) -> None:
    html = browser.get("/inspections/1/").content.decode()
    assert csrf_token_of(html)
    assert browser.cookies["csrftoken"]["httponly"]  # scripts read it from the page, not the cookie
