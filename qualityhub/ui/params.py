"""Typed readers for what a URL carries: numbers, days, moments, choices and text.

Every value a view takes from the query string, a form field or a path goes through one of these,
so a hostile value is refused here (`BadParameter`, a message the page can show) and never reaches
the database or date arithmetic as something that overflows. Numbers are ASCII digits only
(`"²".isdigit()` is true, but `int("²")` fails) and fit the database's 64-bit integer; days and
moments stay a day inside Python's range, so a day later or a time-zone shift cannot overflow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

DB_INT_MAX = 2**63 - 1  # PostgreSQL's bigint, SQLite's INTEGER
FIRST_DAY = date(1, 1, 2)
LAST_DAY = date(9999, 12, 30)
_DIGITS = re.compile(r"[0-9]+")  # ASCII only; \d would match Unicode digits


class BadParameter(ValueError):
    """A value that is not what the parameter takes; the message says so to the user."""


def whole_number(text: str, *, minimum: int = 0, maximum: int = DB_INT_MAX) -> int:
    """A whole number written in ASCII digits (nothing around them), `minimum` to `maximum`."""
    if not _DIGITS.fullmatch(text):
        raise BadParameter(_("“%(value)s” is not a number.") % {"value": _shown(text)})
    # int() of thousands of digits is slow (and refused past 4,300): compare lengths first.
    number = int(text) if len(text.lstrip("0")) <= len(str(maximum)) else None
    if number is None or not minimum <= number <= maximum:
        raise BadParameter(
            _("%(value)s is out of range (%(minimum)s to %(maximum)s).")
            % {"value": _shown(text), "minimum": minimum, "maximum": maximum}
        )
    return number


def whole_number_or_none(text: str, **bounds: int) -> int | None:
    try:
        return whole_number(text, **bounds)
    except BadParameter:
        return None


def day(text: str) -> date:
    """A day as YYYY-MM-DD, from FIRST_DAY to LAST_DAY."""
    value = text.strip()
    parsed = _from_iso(date.fromisoformat, value)
    if parsed is None or len(value) != 10:
        raise BadParameter(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": _shown(value)})
    _check_day(value, parsed)
    return parsed


def moment(text: str) -> datetime:
    """An ISO 8601 date and time, made aware in the current time zone when it names none."""
    value = text.strip()
    parsed = _from_iso(datetime.fromisoformat, value)
    if parsed is None:
        raise BadParameter(
            _("“%(value)s” is not a date and time (ISO 8601).") % {"value": _shown(value)}
        )
    _check_day(value, parsed.date())
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _from_iso[T](parse: Callable[[str], T], value: str) -> T | None:
    try:
        return parse(value) if value.isascii() else None
    except ValueError:
        return None


def _check_day(value: str, when: date) -> None:
    if not FIRST_DAY <= when <= LAST_DAY:
        raise BadParameter(
            _("%(value)s is out of range (%(first)s to %(last)s).")
            % {"value": value, "first": FIRST_DAY, "last": LAST_DAY}
        )


def choice(text: str, choices: list[str] | tuple[str, ...], *, name: str = "value") -> str:
    """One of `choices`, exactly."""
    if text not in choices:
        raise BadParameter(
            _("Unknown %(name)s “%(value)s”; choose one of %(choices)s.")
            % {"name": name, "value": _shown(text), "choices": ", ".join(choices)}
        )
    return text


def text(value: str, *, max_length: int = 100) -> str:
    """Free text, trimmed and cut to `max_length`, without the NUL characters no database
    column holds (PostgreSQL refuses them in a query)."""
    return value.replace("\x00", "").strip()[:max_length]


def storable(value: object) -> bool:
    """Whether a parsed value fits a database column and the date arithmetic around it: integers
    in the 64-bit range, finite decimals, datetimes a day inside Python's range, text without
    NUL."""
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return -DB_INT_MAX - 1 <= value <= DB_INT_MAX
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, datetime):
        return FIRST_DAY <= value.date() <= LAST_DAY
    if isinstance(value, date):
        return FIRST_DAY <= value <= LAST_DAY
    if isinstance(value, str):
        return "\x00" not in value
    return False


class MomentField(forms.DateTimeField):
    """A form's date and time, from FIRST_DAY to LAST_DAY, so that sending it as UTC cannot
    overflow whatever the reader's time zone."""

    def validate(self, value: datetime | None) -> None:
        super().validate(value)
        if value is not None and not FIRST_DAY <= value.date() <= LAST_DAY:
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": FIRST_DAY, "last": LAST_DAY},
                code="out_of_range",
            )


def start_of_day(when: date) -> datetime:
    return timezone.make_aware(datetime.combine(when, time.min))


def _shown(value: str) -> str:
    # Enough of the value to recognise it in a message, not 10,000 characters of it.
    cleaned = value.replace("\x00", "")
    return cleaned if len(cleaned) <= 40 else f"{cleaned[:40]}…"
