"""The Jinja2 environment for the pages' hottest fragments (templates/jinja2/).

Django's template engine resolves, escapes and localises every variable on its own, about
0.2 ms for one row of the inspection list; Jinja2 compiles a template to Python and renders the
same row in about 30 µs, with autoescape on. The pages stay Django templates; a view
renders a fragment with `fragment()` and hands it to its page as one value.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import lru_cache
from html import escape
from typing import NamedTuple

from django.http import HttpRequest
from django.template import engines
from django.template.backends.utils import csrf_input
from django.template.defaultfilters import filesizeformat, urlencode
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment
from markupsafe import Markup

from qualityhub.attachments.templatetags.attachment_tags import any_in_flight, upload_limits
from qualityhub.coupa.vocabulary import CharacteristicKind, Status
from qualityhub.inspections.presenters import VERDICT_LABELS
from qualityhub.verdicts import plain_number
from qualityhub.verdicts.display import (
    DateFormat,
    date_format,
    format_date,
    localized,
    short_date,
    short_datetime,
)


def environment(**options) -> Environment:
    extensions = [*options.pop("extensions", []), "jinja2.ext.i18n"]
    env = Environment(finalize=_as_django_shows, extensions=extensions, **options)
    # `{{ _("Text") }}` and `{{ ngettext("%(num)s row", "%(num)s rows", n) }}` through Django's
    # catalogues (makemessages finds `_("...")` in these templates as in Django's).
    env.install_gettext_callables(gettext=gettext, ngettext=ngettext, newstyle=False)
    # Filters, not globals, for what rows call: Jinja2 calls a filter directly, a global
    # through its context. A list shows a handful of verdicts fifty times: each badge is
    # written once per language (its words are translated).
    badge = lru_cache(maxsize=64)(lambda verdict, _language: kit().verdict_badge(verdict))
    # A page names a few suppliers many times: each cell is written once (a Name is frozen,
    # so a renamed supplier is another key).
    cell = lru_cache(maxsize=1024)(lambda name, _language: kit().supplier_cell(name))
    env.filters.update(
        day=day,
        minute=minute,
        number=number,
        verdict_badge=lambda verdict: badge(verdict, get_language()),
        supplier_cell=lambda name: cell(name, get_language()),
        urlencode=urlencode,  # Django's: `|urlencode("")` quotes "/" too, as `|urlencode:''`
        filesizeformat=filesizeformat,  # Django's words ("1.2 KB"), not Jinja2's ("1.2 kB")
        any_in_flight=any_in_flight,
    )
    env.globals.update(
        sort_header=lambda *args: kit().sort_header(*args),
        upload_limits=upload_limits,
        url=url,
        Status=Status,
        verdict_labels=VERDICT_LABELS,
        kind_label=kind_label,
    )
    return env


def kind_label(value: str) -> str:
    """A characteristic's kind in the reader's words ("Required", "Pflicht"); Coupa's own value
    as is when it is none we know."""
    try:
        return str(CharacteristicKind(value).label)
    except ValueError:
        return value


def kit():
    """The UI kit's macros (templates/jinja2/ui/kit.html), for Jinja2 and Django templates alike."""
    return engines["jinja2"].env.get_template("ui/kit.html").module


def fragment(template_name: str, context: dict, request: HttpRequest | None = None) -> Markup:
    """A Jinja2 template rendered for a Django page: markup already escaped by Jinja2's
    autoescape, so the page shows it as is. With `request`, the template also gets
    `csrf_input` and `access`, as a view's Jinja2 template does."""
    context = {**reader_zone(request), **context}
    html = engines["jinja2"].get_template(template_name).render(context, request)
    return Markup(html)  # noqa: S704 - the output of an autoescaping template


def url(name: str, *args: object) -> str:
    """`{{ url("attachment-download", a.pk) }}`, as `{% url 'attachment-download' a.pk %}`."""
    return reverse(name, args=args)


def reader_zone(request: HttpRequest | None) -> dict:
    """`zone`, the reader's time zone and their language's date formats, for the `day` and
    `minute` filters: a context processor of the Jinja2 backend (Jinja2 does not localise
    dates itself). Looked up once per render, not once per row."""
    return {
        "zone": ReaderZone(
            timezone.get_current_timezone(),
            date_format("SHORT_DATE_FORMAT"),
            date_format("SHORT_DATETIME_FORMAT"),
        )
    }


class ReaderZone(NamedTuple):
    tz: tzinfo
    short_date: DateFormat
    short_datetime: DateFormat


def csrf_once(request: HttpRequest) -> dict:
    """`csrf_input` worked out once per render, as Django's engine does: the backend's own is
    recomputed (and re-masked) for every form, and the detail page has fifty upload forms."""
    return {"csrf_input": _CsrfInput(request)}


class _CsrfInput:
    """The hidden CSRF field, masked on first use (a page without a form never asks)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.html = ""

    def __html__(self) -> str:
        if not self.html:
            self.html = csrf_input(self.request)
        return self.html

    __str__ = __html__


def _as_django_shows(value: object) -> object:
    """What `{{ value }}` prints: nothing for None, and text escaped as Django's engine escapes
    it. Jinja2's escaping differs only in quotes (`&#34;`, `&#39;` for Django's `&quot;`,
    `&#x27;`): text with a quote is escaped here the Django way, the rest by Jinja2."""
    if value is None:
        return ""
    if type(value) is str:
        if '"' in value or "'" in value:
            return Markup(escape(value))  # noqa: S704 - escaped on this line
        return value
    if type(value) is int or hasattr(value, "__html__"):
        return value
    return _as_django_shows(str(value))


def day(moment: date | None, zone: ReaderZone | tzinfo) -> str:
    """The reader's short date in their time zone (`2026-11-25` in English, `25.11.2026` in
    German), or nothing for no date."""
    if moment is None:
        return ""
    if type(zone) is not ReaderZone:
        return short_date(moment, zone)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(zone.tz)
    return format_date(moment, zone.short_date)


def minute(moment: datetime | None, zone: ReaderZone | tzinfo) -> str:
    """The reader's short date and time in their time zone (`2026-11-25 14:05`,
    `25.11.2026 14:05`), or nothing for no date."""
    if moment is None:
        return ""
    if type(zone) is not ReaderZone:
        return short_datetime(moment, zone)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(zone.tz)
    return format_date(moment, zone.short_datetime)


def number(value, empty: str = "") -> str:
    """A Decimal as Coupa meant it (50.000000 → 50) with the reader's decimal mark (96,5 in
    German), or `empty` when there is none."""
    if value is None or value == "":
        return empty
    return localized(plain_number(value))
