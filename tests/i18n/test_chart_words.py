"""`{% chart_words %}`: the charts' words in the reader's language, for charts.js to look up."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from django.template import Context, Template
from django.utils import translation

from qualityhub.ui.templatetags.qualityhub import CHART_WORDS


class Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.elements.append((tag, dict(attrs)))


def rendered(language: str) -> str:
    with translation.override(language):
        return Template("{% load qualityhub %}{% chart_words %}").render(Context())


def test_the_words_are_one_hidden_element_with_the_translations_keyed_by_the_english() -> None:
    html = rendered("de")
    assert html.startswith('<div id="chart-words" data-words="{&quot;') and html.endswith("</div>")
    parser = Attributes()
    parser.feed(html)
    ((tag, attributes),) = parser.elements
    assert (tag, attributes["id"], "hidden" in attributes) == ("div", "chart-words", True)
    words = json.loads(attributes["data-words"])
    assert set(words) == set(CHART_WORDS)
    assert words["Rejected"] == "Abgelehnt"
    english = Attributes()
    english.feed(rendered("en"))
    assert json.loads(english.elements[0][1]["data-words"])["Rejected"] == "Rejected"
