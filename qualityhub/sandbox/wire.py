"""Wire formats: Decimal-preserving JSON and Coupa's datetime texts.

Numbers never pass through float: JSON is parsed with `parse_float=Decimal` and every Decimal is
written with `str()`, so `0.320000000` and `50.000000` keep their exact text.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

SORT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class Raw:
    """Already-serialised JSON text, embedded as is by `dumps`."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def dumps(value: Any) -> str:
    """Serialise compact JSON; Decimal keeps its text, float is refused."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, dict):
        items = ",".join(f"{encode_basestring(str(k))}:{dumps(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    if isinstance(value, Raw):
        return value.text
    raise TypeError(f"cannot serialise {type(value).__name__} to JSON")


def dump_bytes(value: Any) -> bytes:
    return dumps(value).encode("utf-8")


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"non-finite number {value}")
    return str(value)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str | bytes) -> Any:
    """Parse JSON with every non-integer number as Decimal; NaN/Infinity are refused."""
    return json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)


def plain(value: Decimal) -> Decimal:
    """The same number without exponent notation (`1E+2` becomes `100`)."""
    if "E" in str(value):
        return Decimal(format(value, "f"))
    return value


def fixed(value: Decimal, places: int) -> Decimal:
    """The number with exactly `places` fractional digits (GET style: `0.320000000`)."""
    return value.quantize(Decimal(1).scaleb(-places))


def code_text(value: Decimal) -> str:
    """A choice code carried as a number (`3.000000000`) as the code string (`3`)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def parse_datetime(text: str) -> datetime:
    """Tolerant ISO-8601: `Z`, offsets, fractional seconds, bare dates (midnight UTC)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty datetime")
    cleaned = text.strip()
    # An unencoded `+` in a query string arrives as a space: `...T10:00:00 02:00`.
    if len(cleaned) > 6 and cleaned[-6] == " " and cleaned[-3] == ":":
        cleaned = cleaned[:-6] + "+" + cleaned[-5:]
    parsed = datetime.fromisoformat(cleaned)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_datetime(value: datetime, fraction: bool | None = None) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ`, with 6 fractional digits when asked (or when not whole)."""
    value = value.astimezone(UTC)
    if fraction is None:
        fraction = value.microsecond != 0
    pattern = SORT_FORMAT if fraction else "%Y-%m-%dT%H:%M:%SZ"
    return value.strftime(pattern)


def sort_key(value: datetime | str) -> str:
    """Fixed-width UTC text whose string order is chronological order."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.astimezone(UTC).strftime(SORT_FORMAT)


def from_sort_key(text: str) -> datetime:
    return datetime.strptime(text, SORT_FORMAT).replace(tzinfo=UTC)
