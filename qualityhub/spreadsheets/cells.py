"""A value as a download writes it: numbers at their precision, never through a float."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from qualityhub.spreadsheets.columns import Column, Kind
from qualityhub.ui.csvsafe import safe_cell
from qualityhub.verdicts.numbers import display_precision, format_value

# Excel keeps a number as a double: 15 significant digits survive the trip, more do not.
EXCEL_DIGITS = 15


def places_of(column: Column, row: dict) -> int | None:
    if column.places is not None:
        return column.places
    if column.places_from:
        return display_precision(row.get(column.places_from))
    return None


def number_text(value: object, places: int | None) -> str:
    """``6011.0000000000`` → ``6011``; ``0.125`` at 2 places → ``0.13``; ``7`` at 3 → ``7.000``.
    Rounded half up as the detail page shows it (`verdicts.format_value`)."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    return format_value(value, places)


def decimal_places(text: str) -> int:
    whole, dot, fraction = text.partition(".")
    return len(fraction) if dot and fraction.isdigit() else 0


def fits_a_double(text: str) -> bool:
    """Whether Excel keeps every digit of a plain number: at most 15 significant digits."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return False
    if not number.is_finite():
        return False
    if number.is_zero():
        return True
    return len(number.normalize().as_tuple().digits) <= EXCEL_DIGITS


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
