"""A value as a download writes it: numbers at their precision, never through a float."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal

from qualityhub.spreadsheets.columns import Column, Kind
from qualityhub.ui.csvsafe import safe_cell
from qualityhub.verdicts.numbers import MAX_PRECISION, display_precision, format_value

# Excel keeps a number as a double: 15 significant digits survive the trip, more do not.
EXCEL_DIGITS = 15


def places_of(column: Column, row: dict) -> int | None:
    if column.places is not None:
        return column.places
    if column.places_from:
        return display_precision(row.get(column.places_from))
    return None


# Wide enough that rounding a cached value (30 digits) to any precision is exact; half up, as
# `verdicts.round_half_up` rounds (which builds a context per call: a tenth of a download).
EXACT = Context(prec=80, rounding=ROUND_HALF_UP)
QUANTUM = {places: Decimal((0, (1,), -places)) for places in range(MAX_PRECISION + 1)}


def number_text(value: object, places: int | None) -> str:
    """``6011.0000000000`` → ``6011``; ``0.125`` at 2 places → ``0.13``; ``7`` at 3 → ``7.000``:
    what `verdicts.format_value` shows (the detail page), and to which anything odd is left."""
    if value is None:
        return ""
    if type(value) is int:
        if not places:
            return str(value)
        value = Decimal(value)
    if (
        not isinstance(value, Decimal)
        or not value.is_finite()
        or abs(value.adjusted()) > 30
        or (places is not None and places not in QUANTUM)
    ):
        return format_value(value, places)
    if places is None:
        return "0" if value.is_zero() else format(value.normalize(EXACT), "f")
    rounded = value.quantize(QUANTUM[places], context=EXACT)
    return format(rounded.copy_abs() if rounded.is_zero() else rounded, "f")


def decimal_places(text: str) -> int:
    whole, dot, fraction = text.partition(".")
    return len(fraction) if dot and fraction.isdigit() else 0


def significant_digits(text: str) -> int | None:
    """The significant digits of a plain number's text (``-0.0120`` → 2), None for other text
    (``NaN``, ``1E+101``)."""
    body = text[1:] if text.startswith("-") else text
    whole, _, fraction = body.partition(".")
    if not (whole.isascii() and whole.isdigit() and (not fraction or fraction.isdigit())):
        return None
    return len((whole + fraction).strip("0"))


def fits_a_double(text: str) -> bool:
    """Whether Excel keeps every digit of a plain number: at most 15 significant digits."""
    digits = significant_digits(text)
    return digits is not None and digits <= EXCEL_DIGITS


def csv_cell(column: Column, value: object, row: dict) -> str:
    """A CSV cell: the text as stored (formulas neutralised), numbers at their precision,
    moments as ISO 8601 with their offset, booleans as yes/no, a verdict as its stored value."""
    if value is None:
        return ""
    kind = column.kind
    if kind is Kind.NUMBER:
        return safe_cell(number_text(value, places_of(column, row)))
    if kind is Kind.YES_NO:
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return safe_cell(str(value))
