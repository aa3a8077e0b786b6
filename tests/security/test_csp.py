"""Every HTML response carries the Content-Security-Policy, and every page keeps to it: scripts
only from this site or with the response's nonce, data for scripts only as inert JSON blocks,
no inline styles, event handlers or `javascript:` URLs (the policy forbids them; a page that
used them would break in the browser, or worse, tempt someone to loosen the policy).

The walk covers every URL name of the role matrix (which the URL resolver keeps complete), as an
engineer over the hostile world, plus the error pages and the pages a stranger sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.accounts.test_role_matrix import EXPECTED
from tests.conftest import make_user
from tests.security.conftest import HOSTILE, HTMX, ITEM, body_text, url_for

DATA_TYPES = {"application/json", "application/ld+json"}
TREND = f"/trends/?{urlencode({'item': ITEM, 'characteristic': HOSTILE + ' 2'})}"
EXTRA_PAGES = {  # label: (path, status)
    "trend with its chart": (TREND, 200),
    "the 404 page": ("/inspections/999999/", 404),
    "a filter error": ("/inspections/?supplier=abc&due_after=never", 200),
}


@dataclass
class Page:
    """What the browser would find in one HTML response."""

    scripts: list[tuple[dict, str]] = field(default_factory=list)  # (attributes, inline text)
    styles: int = 0
    problems: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._script: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        for name, value in found.items():
            if name == "style":
                self.page.problems.append(f"<{tag} style=…>: an inline style")
            elif name.startswith("on"):
                self.page.problems.append(f"<{tag} {name}=…>: an inline event handler")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.page.problems.append(f"<{tag} {name}=…>: htmx would need eval")
            elif value.strip().lower().startswith("javascript:"):
                self.page.problems.append(f"<{tag} {name}={value!r}>: a javascript: URL")
        if tag == "style":
            self.page.styles += 1
        if tag == "script":
            self._script, self._text = found, []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.page.scripts.append((self._script, "".join(self._text)))
            self._script = None


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def policy_of(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def violations(response) -> list[str]:
    """Everything in one HTML response that breaks the policy or weakens it."""
    assert "Content-Security-Policy-Report-Only" not in response, "the policy must be enforced"
    policy = policy_of(response)
    html = body_text(response)
    page = read_page(html)
    problems = list(page.problems)
    scripts = policy.get("script-src", [])
    for directive in ("script-src", "style-src", "default-src"):
        weak = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"}
        problems += [f"{directive} allows {v}" for v in policy.get(directive, []) if v in weak]
    for directive, expected in (
        ("default-src", ["'self'"]),
        ("style-src", ["'self'"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'none'"]),
        ("frame-ancestors", ["'none'"]),
        ("form-action", ["'self'"]),
    ):
        if policy.get(directive) != expected:
            problems.append(f"{directive} is {policy.get(directive)}, expected {expected}")
    nonces = {v[len("'nonce-") : -1] for v in scripts if v.startswith("'nonce-")}
    if "<html" in html and len(nonces) != 1:
        problems.append(f"a page's script-src needs exactly one nonce, has {scripts}")
    if page.styles:
        problems.append(f"{page.styles} <style> element(s): style-src has no 'unsafe-inline'")
    for attributes, text in page.scripts:
        problems += _script_problems(attributes, text, nonces)
    return problems


def _script_problems(attributes: dict, text: str, nonces: set[str]) -> list[str]:
    kind = attributes.get("type", "").lower()
    if kind in DATA_TYPES:
        # json_script: inert data, never run; its text must not be able to end the element.
        if "src" in attributes or "<" in text:
            return [f"a data block that is not inert json_script output: {attributes}"]
        return []
    src = attributes.get("src", "")
    from_this_site = src.startswith("/") and not src.startswith("//")
    with_nonce = attributes.get("nonce", "") in nonces and bool(attributes.get("nonce"))
    problems = []
    if src and not from_this_site:
        problems.append(f"a script from another site: {src}")
    if not (from_this_site or with_nonce):
        problems.append(f"a script the policy would block: {attributes} {text[:60]!r}")
    if text.strip():
        problems.append(f"inline script code: {text[:60]!r}")
    return problems


def _html_responses(client, world: dict) -> dict[str, object]:
    """Every URL as the engineer sees it, each answered as the role matrix says, so the walk
    cannot quietly see sign-in redirects. Reads first, then writes; deleting the attachment and
    signing out last, as they end what other requests need (so does deleting the saved view)."""
    answers = {}
    last = ("saved-view-delete", "attachment-delete", "logout")

    def order(item: tuple[str, object]) -> tuple[bool, int]:
        name, row = item
        return row.method == "POST", last.index(name) + 1 if name in last else 0

    for label, (path, status) in EXTRA_PAGES.items():
        answers[label] = client.get(path)
        assert answers[label].status_code == status, (label, answers[label])
    for name, row in sorted(EXPECTED.items(), key=order):
        url = url_for(name, world, row)
        if row.method == "GET":
            answers[name] = client.get(url)
            assert answers[name].status_code == row.engineer, (name, answers[name])
            answers[f"{name} (htmx)"] = client.get(url, headers=HTMX)
            assert answers[f"{name} (htmx)"].status_code in (200, 286, 302), name
        else:
            answers[name] = client.post(url, data=row.data or {}, headers=HTMX)
            assert answers[name].status_code in (200, 302, 400), (name, answers[name])
    return answers


def test_every_html_response_carries_the_policy_and_keeps_to_it(signed_in, hostile) -> None:
    checked, broken = 0, {}
    for label, response in _html_responses(signed_in, hostile).items():
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        checked += 1
        problems = violations(response)
        if problems:
            broken[label] = problems
    assert broken == {}
    assert checked > 50  # the walk really saw the pages


def test_the_pages_a_stranger_sees_keep_to_the_policy(db) -> None:
    client = Client()
    broken = {}
    for path in ("/accounts/login/", "/accounts/password_reset/", "/accounts/reset/MQ/x/"):
        response = client.get(path)
        assert response.status_code == 200
        if problems := violations(response):
            broken[path] = problems
    assert broken == {}


def test_the_403_and_lockout_pages_keep_to_the_policy(client, db) -> None:
    make_user("priya", "Quality engineer", password="right-password-1")
    for _ in range(5):
        locked = client.post("/accounts/login/", {"username": "priya", "password": "wrong"})
    assert locked.status_code == 429 and violations(locked) == []
    client.force_login(make_user("otto", None))
    forbidden = client.get("/inspections/")
    assert forbidden.status_code == 403 and violations(forbidden) == []


def test_every_script_on_a_page_carries_that_responses_nonce(signed_in, hostile) -> None:
    first, second = signed_in.get("/inspections/1/"), signed_in.get("/inspections/1/")
    nonce = re.search(r"'nonce-([^']+)'", first["Content-Security-Policy"]).group(1)
    tags = re.findall(r"<script[^>]*>", body_text(first))
    code = [t for t in tags if 'type="application/json"' not in t]
    assert code and all(f'nonce="{nonce}"' in tag for tag in code)
    assert nonce not in second["Content-Security-Policy"]  # a fresh nonce per response


def test_every_html_response_carries_the_other_security_headers(signed_in, hostile) -> None:
    for response in (signed_in.get("/inspections/"), signed_in.get("/inspections/1/timeline/")):
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<p style="color:red">x</p>', "inline style"),
        ("<style>p{}</style>", "<style>"),
        ('<img src="x" onerror="alert(1)">', "event handler"),
        ('<a href="javascript:alert(1)">x</a>', "javascript: URL"),
        ("<script>alert(1)</script>", "inline script"),
        ('<script src="https://cdn.example/x.js"></script>', "another site"),
        ('<script type="application/json"><b></script>', "data block"),
        ('<button hx-on:click="alert(1)">x</button>', "eval"),
    ],
)
def test_the_checker_itself_catches_each_kind_of_breach(html, problem) -> None:
    from django.http import HttpResponse

    response = HttpResponse(f"<!doctype html><html><body>{html}</body></html>")
    response["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'nonce-abc'; style-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    response.request = {"PATH_INFO": "/x"}
    assert any(problem in p for p in violations(response)), violations(response)
