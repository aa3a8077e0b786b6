"""Numbers and dates as the reader's language writes them, for pages (never for CSV, JSON or
comparisons: :func:`format_value`, :func:`plain_number` and :func:`limit_text` stay the machine
forms with ".").

A number keeps every digit of its machine form; only the decimal mark changes (96.5 → 96,5 in
German). There is no thousands separator (Django's `USE_THOUSAND_SEPARATOR` is off): 6011,0000
is read back the same in any language, and no grouping mark can be taken for a decimal one.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import NamedTuple

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext

from qualityhub.verdicts.limits import Limit, limit_parts
from qualityhub.verdicts.numbers import format_value, plain_number

_MARKS: dict[str | None, str] = {}


class DateFormat(NamedTuple):
    django_format: str  # "d.m.Y"
    template: str | None  # "{0.day:02}.{0.month:02}.{0.year:04}", None: Django's formatter


_DATE_FORMATS: dict[tuple[str | None, str], DateFormat] = {}
# Django's date format characters that str.format can write directly.
_FIELDS = {
    "d": "{0.day:02}",
    "j": "{0.day}",
    "m": "{0.month:02}",
    "n": "{0.month}",
    "Y": "{0.year:04}",
    "H": "{0.hour:02}",
    "G": "{0.hour}",
    "i": "{0.minute:02}",
    "s": "{0.second:02}",
}


def decimal_mark() -> str:
    """The active language's decimal mark ("." in English, "," in German, French, Spanish)."""
    language = get_language()
    mark = _MARKS.get(language)
    if mark is None:
        mark = _MARKS[language] = get_format("DECIMAL_SEPARATOR", language) or "."
    return mark


def localized(text: str) -> str:
    """A machine-form number text (or limits text, "≥ 96.5 and < 100") with the active
    language's decimal mark: only the "." changes, every digit stays."""
    if "." not in text:  # whole numbers (most quantities) never ask for the language
        return text
    mark = decimal_mark()
    return text if mark == "." else text.replace(".", mark)


def typed_number(text: str) -> str:
    """A number a person typed, in machine form: the language's decimal mark is read as "."
    only where it cannot be anything else (one mark, no "."): a German "96,5" is 96.5. A "."
    always stays the decimal point; any other mix ("1.234,5", "1,2,3", "96,5" in English) is
    left as typed, so it fails as a number rather than being guessed at."""
    if "." in text:
        return text
    mark = decimal_mark()
    if mark != "." and text.count(mark) == 1:
        return text.replace(mark, ".")
    return text


def display_value(value: Decimal | None, precision: int | None) -> str:
    """:func:`format_value` with the reader's decimal mark."""
    return localized(format_value(value, precision))


def display_number(value: Decimal) -> str:
    """:func:`plain_number` with the reader's decimal mark."""
    return localized(plain_number(value))


def display_limits(limits: list[Limit] | None, precision: int | None = None) -> str:
    """:func:`limit_text` as the reader reads it: the decimal mark and the word "and" in their
    language ("≥ 96,5 und < 100")."""
    parts = limit_parts(limits, precision)
    if len(parts) < 2:
        return localized(parts[0]) if parts else ""
    return localized(f" {gettext('and')} ".join(parts))


def short_date(moment: date, zone: tzinfo | None = None) -> str:
    """`SHORT_DATE_FORMAT` of the active language (2026-11-25 in English, 25.11.2026 in
    German), in `zone` for an aware datetime."""
    return _format(moment, zone, "SHORT_DATE_FORMAT")


def short_datetime(moment: datetime, zone: tzinfo | None = None) -> str:
    """`SHORT_DATETIME_FORMAT` of the active language (2026-11-25 14:05, 25.11.2026 14:05)."""
    return _format(moment, zone, "SHORT_DATETIME_FORMAT")


def _format(moment: date, zone: tzinfo | None, name: str) -> str:
    if isinstance(moment, datetime) and timezone.is_aware(moment):
        moment = moment.astimezone(zone or timezone.get_current_timezone())
    return format_date(moment, date_format(name))


def date_format(name: str) -> DateFormat:
    """The active language's `name` format ("SHORT_DATE_FORMAT"), ready for
    :func:`format_date`; a page's fragment looks it up once for all its rows."""
    language = get_language()
    key = (language, name)
    try:
        return _DATE_FORMATS[key]
    except KeyError:
        django_format = get_format(name, language)
        found = _DATE_FORMATS[key] = DateFormat(django_format, _template(django_format))
        return found


def format_date(moment: date, form: DateFormat) -> str:
    """`moment` (already in the reader's zone) written in `form`."""
    if form.template is None:
        return dateformat.format(moment, form.django_format)
    return form.template.format(moment)


def _template(django_format: str) -> str | None:
    """Django's date format as a str.format template (rows call this thousands of times;
    `dateformat.format` costs ten times more), or None when it has characters we do not map."""
    out = []
    for char in django_format:
        if char in _FIELDS:
            out.append(_FIELDS[char])
        elif char.isalpha() or char == "\\":
            return None
        else:
            out.append(char.replace("{", "{{").replace("}", "}}"))
    return "".join(out)
