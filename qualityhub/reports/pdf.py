"""HTML to PDF with WeasyPrint, for every report QualityHub prints.

WeasyPrint lays pages out from CSS (`@page` margins with "page N of M", `thead` repeated on
each page) and embeds the subset of each font it uses. It is imported when a PDF is made, not
before: a web process without pango still serves every other page.

A report's HTML holds Coupa's text, so WeasyPrint may fetch nothing but our own assets
(`assets/`: the stylesheet and the fonts): no network, no other file.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

ASSETS = (Path(__file__).parent / "assets").resolve()
STYLESHEET = "report.css"


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """`template_name` rendered (in `language`, or the active one) and laid out as a PDF. The
    template links `report.css` itself (`<link rel="stylesheet" href="report.css">`)."""
    with translation.override(language or translation.get_language()):
        html = render_to_string(template_name, {"page_counter": page_counter(), **context})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - needs pango: loaded only to make a PDF

    return HTML(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=_own_assets()).write_pdf()


def _own_assets():
    from weasyprint.urls import URLFetcher  # noqa: PLC0415

    class OwnAssets(URLFetcher):
        """Only files under `assets/`: a link to anything else is refused (and left out)."""

        def fetch(self, url, headers=None):
            if not url.startswith("file:"):
                raise ValueError(f"a report fetches only its own assets, not {url[:80]!r}")
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not path.is_relative_to(ASSETS):
                raise ValueError(f"a report fetches only its own assets, not {url[:80]!r}")
            return super().fetch(path.as_uri(), headers)

    return OwnAssets(timeout=5, allowed_protocols=("file",))


def page_counter() -> str:
    """CSS `content` for "Page 2 of 5" in the active language (`@page` margin boxes)."""
    # A translation is text in a CSS string inside <style>: nothing that could end either.
    words = re.sub(r'["\\<>]', "", _("Page %(page)s of %(pages)s"))
    css = '"' + words % {"page": '" counter(page) "', "pages": '" counter(pages) "'} + '"'
    return css.replace('""', "").strip()
