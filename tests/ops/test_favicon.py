"""The site's icon: every page links it, and /favicon.ico (which browsers and tools ask for on
their own, e.g. on the admin's pages or a CSV tab) answers without a sign-in instead of a 404."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

ICON = "qualityhub/favicon.svg"
LINK = re.compile(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">')


def test_favicon_ico_sends_a_stranger_to_the_icon_without_a_sign_in(client, db) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"] == static(ICON)
    assert not client.cookies.get("sessionid")


def test_the_icon_is_a_small_svg_that_needs_nothing_from_elsewhere() -> None:
    found = finders.find(ICON)
    assert found, f"static/{ICON} is missing"
    svg = Path(found).read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and len(svg) < 2048
    # The CSP allows images from this site only: no external reference, no script.
    assert "<script" not in svg and "href" not in svg


@pytest.mark.parametrize("who", ["stranger", "engineer"])
def test_every_page_links_the_icon(client, engineer, who: str) -> None:
    if who == "engineer":
        client.force_login(engineer)
    page = client.get("/accounts/login/" if who == "stranger" else "/inspections/")
    assert page.status_code == 200
    [href] = LINK.findall(page.content.decode())
    assert href == static(ICON)
