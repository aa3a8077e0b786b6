"""Field checks for the create request; every problem is collected, none stops the others.

Each checker returns the cleaned value, or None after recording an error under the field's path.
Absent and null are the same; numbers are accepted where strings are expected.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .wire import format_datetime, parse_datetime, plain

MAX_MAGNITUDE = Decimal("1e15")
# Coupa's ids are positive 64-bit integers (the sandbox's SQLite INTEGER holds exactly these).
MIN_ID, MAX_ID = 1, 2**63 - 1
BLANK = "can't be blank"


class Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.by_field.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def required(errors: Errors, path: str, value: Any) -> bool:
    """Record "can't be blank" for an absent, null or empty value; True when present."""
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add(path, BLANK)
        return False
    return True


def integer(
    errors: Errors,
    path: str,
    value: Any,
    text_ok: bool = False,
    *,
    minimum: int = -MAX_ID - 1,
    maximum: int = MAX_ID,
) -> int | None:
    """An integer from `minimum` to `maximum` (by default what SQLite stores); integral decimals
    (`1.0`) pass; digit strings only when `text_ok`."""
    parsed: Decimal | int | None = None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        parsed = value
    elif text_ok and isinstance(value, str):
        parsed = _decimal(value)
    if parsed is None or (isinstance(parsed, Decimal) and not _integral(parsed)):
        errors.add(path, "must be an integer")
        return None
    # Compared before any int(): int(Decimal("1e999999999")) would take minutes and gigabytes.
    if not minimum <= parsed <= maximum:
        errors.add(path, f"must be between {minimum} and {maximum}")
        return None
    return int(parsed)


def identifier(errors: Errors, path: str, value: Any) -> int | None:
    """An id of a supplier, item, unit, user, ...: from MIN_ID to MAX_ID."""
    return integer(errors, path, value, minimum=MIN_ID)


def _integral(number: Decimal) -> bool:
    return number.is_finite() and number == number.to_integral_value()


def number(errors: Errors, path: str, value: Any, text_ok: bool = False) -> Decimal | None:
    """A finite number as Decimal; numeric strings (`".32"`) only when `text_ok`."""
    parsed: Decimal | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        parsed = Decimal(value)
    elif isinstance(value, Decimal):
        parsed = value
    elif text_ok and isinstance(value, str):
        parsed = _decimal(value)
    if parsed is None or not parsed.is_finite():
        errors.add(path, "must be a number")
        return None
    if abs(parsed) >= MAX_MAGNITUDE:
        errors.add(path, "is out of range")
        return None
    return plain(parsed)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        return None


def string(errors: Errors, path: str, value: Any, max_length: int = 255) -> str | None:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        errors.add(path, "must be a string")
        return None
    if len(value) > max_length:
        errors.add(path, f"is too long (maximum is {max_length} characters)")
        return None
    return value


def boolean(errors: Errors, path: str, value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    errors.add(path, "must be true or false")
    return None


def datetime_text(errors: Errors, path: str, value: Any) -> str | None:
    """An ISO-8601 datetime, returned in the `...Z` form the API answers with."""
    if isinstance(value, str):
        try:
            return format_datetime(parse_datetime(value))
        except ValueError:
            pass
    errors.add(path, "must be an ISO-8601 datetime")
    return None


def choice(errors: Errors, path: str, value: Any, allowed: tuple[str, ...]) -> str | None:
    """One of `allowed` (UPPERCASE), in either case; returned lowercase."""
    if isinstance(value, str) and value.strip().upper() in allowed:
        return value.strip().lower()
    errors.add(path, f"must be one of: {', '.join(allowed)}")
    return None


def as_list(errors: Errors, path: str, value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    errors.add(path, "must be a list")
    return None


def as_object(errors: Errors, path: str, value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    errors.add(path, "must be an object")
    return None
