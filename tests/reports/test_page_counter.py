"""The "Page 2 of 5" of a PDF's margin is a translation written into a CSS string inside the
report's <style>: whatever a catalogue says, it can end neither."""

from __future__ import annotations

import pytest
from django.utils import translation

from qualityhub.reports import pdf


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_each_language_counts_its_pages(language: str) -> None:
    with translation.override(language):
        css = pdf.page_counter()
    assert "counter(page)" in css and "counter(pages)" in css
    assert css.startswith('"') and css.count('"') % 2 == 0


def test_a_hostile_translation_cannot_leave_the_css_string(monkeypatch) -> None:
    monkeypatch.setattr(pdf, "_", lambda text: 'Seite %(page)s"</style><script>x\\" von %(pages)s')
    css = pdf.page_counter()
    assert "<" not in css and ">" not in css and "\\" not in css
    assert css == '"Seite " counter(page) "/stylescriptx von " counter(pages)'
