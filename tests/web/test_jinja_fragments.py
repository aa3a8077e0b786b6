"""The Jinja2 fragments read as Django's engine would have written them (qualityhub/ui/jinja.py)."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.utils.html import escape
from django.utils.safestring import mark_safe

from qualityhub.ui.jinja import fragment

HOSTILE = """<script>alert("x")</script> it's "quoted" & <b>bold</b>"""


def _jinja(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_text_is_escaped_exactly_as_djangos_engine_escapes_it() -> None:
    django = engines["django"].from_string("{{ text }}").render({"text": HOSTILE})
    assert _jinja("{{ text }}", text=HOSTILE) == django == escape(HOSTILE)
    assert "&quot;" in django and "&#x27;" in django


def test_none_prints_nothing_and_numbers_print_plainly() -> None:
    assert _jinja("[{{ nothing }}|{{ number }}]", nothing=None, number=1234567) == "[|1234567]"


def test_markup_already_safe_is_shown_as_is() -> None:
    assert _jinja("{{ html }}", html=mark_safe("<b>kept</b>")) == "<b>kept</b>"  # noqa: S308


def test_a_fragment_is_safe_for_the_django_page_it_goes_into() -> None:
    rendered = fragment("inspections/detail_history.html", {"history": [], "detail_url": str})
    page = engines["django"].from_string("{{ part }}").render({"part": rendered})
    assert page == str(rendered) and page.startswith('<table class="table table-sm"')


@pytest.mark.django_db
def test_the_lines_upload_forms_share_one_token(signed_in, synced) -> None:
    """As with Django's engine, the CSRF token is worked out once per render, not once a form
    (masking it is the costly part)."""
    html = signed_in.get("/inspections/1/").content.decode()
    table = html[html.index('data-testid="characteristics"') : html.index('id="attachments"')]
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', table)
    assert len(tokens) >= 3 and len(set(tokens)) == 1
