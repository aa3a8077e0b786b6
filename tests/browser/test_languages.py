"""The UI in the reader's language: every page in German leaves no English of ours, and a
language picked in the user menu changes the page and is kept (for the person, not the
browser)."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import engines
from django.template.base import Lexer, TokenType
from django.urls import reverse
from django.utils import translation

from qualityhub.coupa.vocabulary import Decision, Status
from qualityhub.preferences.models import ChosenLanguage
from tests.browser.conftest import PASSWORD
from tests.browser.walk import (
    SIGNED_OUT_KWARGS,
    SIGNED_OUT_PAGES,
    make_world,
    new_context,
    page_urls,
    settled,
    sync_cache,
)

pytestmark = pytest.mark.browser

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Words that are the same in every language here: the product, its sources, units of measure
# and the statistics' own names.
PROPER_NAMES = {"QualityHub", "Coupa", "English", "Deutsch", "Français", "Español", "PDF", "CSV"}
PROPER_NAMES |= {"XLSX", "Excel", "Cp", "Cpk", "SPC", "Pareto", "htmx", "ID", "PO", "OK"}
# Coupa's own names for its workflow's statuses and the buyer's decisions, shown as Coupa
# writes them (docs/languages.md).
COUPA_WORDS = {status.value for status in Status} | {decision.value for decision in Decision}
WORD = re.compile(r"[A-Za-z]{3,}")
# Every text node and the attributes a person reads or hears.
PAGE_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement && node.parentElement.tagName;
    if (parent === 'SCRIPT' || parent === 'STYLE') continue;
    texts.push(node.textContent);
  }
  for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[alt]')) {
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return texts;
}"""


def squeeze(text: str) -> str:
    return " ".join(text.split())


def english_of_ours() -> set[str]:
    """What our templates and code say in English: each catalogue string whose German differs,
    and any text written in a template outside a translation tag (which no catalogue holds)."""
    phrases = {
        squeeze(entry.msgid)
        for entry in polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "de/LC_MESSAGES/django.po"))
        if entry.msgstr != entry.msgid and "%" not in entry.msgid
    }
    found = {p for p in phrases | untranslated_template_text() if WORD.search(p)}
    return found - PROPER_NAMES - COUPA_WORDS


def untranslated_template_text() -> set[str]:
    found: set[str] = set()
    jinja = engines["jinja2"].env
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text()
        if "jinja2" in path.parts:
            chunks = [value for _, kind, value in jinja.lex(source) if kind == "data"]
        else:
            chunks, inside = [], 0
            for token in Lexer(source).tokenize():
                if token.token_type == TokenType.BLOCK:
                    word = token.contents.split()[0] if token.contents else ""
                    inside += word in {"blocktranslate", "blocktrans", "comment"}
                    inside -= word in {"endblocktranslate", "endblocktrans", "endcomment"}
                elif token.token_type == TokenType.TEXT and not inside:
                    chunks.append(token.contents)
        for chunk in chunks:
            for text in re.split(
                r"<[^>]*>", re.sub(r"<(script|style)\b.*?</\1>", "", chunk, flags=re.S)
            ):
                if squeeze(text):
                    found.add(squeeze(text))
    return found


def sign_in(page, base: str, username: str) -> None:
    """Through the sign-in form, whatever language it is in."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    settled(page)


def test_every_page_in_german_leaves_no_english_of_ours(
    browser, browser_sandbox, live_server, transactional_db
) -> None:
    sync_cache(browser_sandbox)
    world = make_world("engineer")
    english = english_of_ours()
    assert len(english) > 300, "the catalogue and the templates were read"
    # A German browser: Accept-Language decides, nobody picked a language.
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    left: dict[str, list[str]] = {}
    try:
        signed_out = [reverse(n, kwargs=SIGNED_OUT_KWARGS.get(n)) for n in SIGNED_OUT_PAGES]
        for url in signed_out:
            page.goto(live_server.url + url)
            settled(page)
            assert page.locator("html").get_attribute("lang") == "de", url
            left[url] = sorted({squeeze(t) for t in page.evaluate(PAGE_TEXTS)} & english)
        sign_in(page, live_server.url, world["user"].username)
        for url in page_urls(world):
            page.goto(live_server.url + url)
            settled(page)
            assert page.locator("html").get_attribute("lang") == "de", url
            left[url] = sorted({squeeze(t) for t in page.evaluate(PAGE_TEXTS)} & english)
    finally:
        context.close()
    assert {url: texts for url, texts in left.items() if texts} == {}


def test_a_language_picked_in_the_menu_changes_the_page_and_follows_the_person(
    browser, browser_sandbox, live_server, transactional_db
) -> None:
    sync_cache(browser_sandbox)
    world = make_world("engineer")
    with translation.override("fr"):
        results_in_french = translation.gettext("Results")
    assert results_in_french != "Results"
    context = new_context(browser)  # an English browser
    page = context.new_page()
    try:
        sign_in(page, live_server.url, world["user"].username)
        page.goto(f"{live_server.url}/inspections/?status=Open")
        nav = page.get_by_test_id("main-nav")
        assert "Results" in nav.inner_text()
        page.get_by_test_id("user-menu").click()
        page.get_by_test_id("language-picker").get_by_role("button", name="Français").click()
        page.wait_for_url(f"{live_server.url}/inspections/?status=Open")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert results_in_french in nav.inner_text()
        page.goto(f"{live_server.url}{reverse('result-list')}")
        assert page.locator("html").get_attribute("lang") == "fr"
    finally:
        context.close()
    assert ChosenLanguage.objects.get(user=world["user"]).code == "fr"
    # Another browser, in English: the person's choice wins once they sign in.
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.locator("html").get_attribute("lang") == "en"
        sign_in(page, live_server.url, world["user"].username)
        assert page.locator("html").get_attribute("lang") == "fr"
        assert results_in_french in page.get_by_test_id("main-nav").inner_text()
    finally:
        context.close()
