"""Exact number handling for the verdict rules: parsing, rounding and plain text.

* Coupa sends fixed-decimal numbers (``0.100000``, ``69.000000000``). :func:`plain_number` drops
  the meaningless trailing zeros (``0.1``, ``69``) without ever rounding.
* A characteristic's precision is a count of decimal places, 0 to :data:`MAX_PRECISION`.
  :func:`round_half_up` rounds to it the way people do (0.125 at 2 places is 0.13).
* All arithmetic uses a local :class:`decimal.Context` wide enough to be exact, so results never
  depend on the thread's default context.
"""

import re
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

#: Largest ``valuePrecision`` we accept; anything above is treated as corrupt data.
MAX_PRECISION = 20

#: Upper bound on the digits of any intermediate result. Values so large that rounding them
#: would need more digits (magnitude about 1e975 and up) cannot be evaluated.
MAX_DIGITS = 1000

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")


class InvalidInput(ValueError):
    """Input that cannot be judged; ``str(error)`` is the human-readable reason."""


def to_decimal(value: object, what: str) -> Decimal | None:
    """``value`` as a Decimal (None stays None); NaN and infinities are returned as they are.

    Besides Decimal this accepts int, numeric strings and float (via its shortest repr, so
    ``0.1`` becomes ``Decimal("0.1")``), because JSON parsed without ``parse_float=Decimal``
    gives floats. Anything else raises :class:`InvalidInput` naming ``what``.
    """
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidInput(f"{what} {value!r} is not a number")
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise InvalidInput(f"{what} {value!r} is not a number") from None
    raise InvalidInput(f"{what} {value!r} is not a number")


def to_finite_decimal(value: object, what: str) -> Decimal | None:
    """Like :func:`to_decimal` but NaN and infinities raise :class:`InvalidInput`."""
    number = to_decimal(value, what)
    if number is not None and not number.is_finite():
        raise InvalidInput(f"{what} {number} is not a finite number")
    return number


def parse_precision(precision: object) -> int | None:
    """A valid count of decimal places (0..:data:`MAX_PRECISION`) or None; else InvalidInput."""
    if precision is None:
        return None
    places: int | None = None
    if isinstance(precision, int) and not isinstance(precision, bool):
        places = precision
    elif isinstance(precision, str) and _INTEGER_TEXT.fullmatch(text := precision.strip()):
        places = int(text) if len(text) <= 6 else MAX_DIGITS  # long digit strings: out of range
    elif (
        isinstance(precision, Decimal)
        and precision.is_finite()
        and precision == precision.to_integral_value()
    ):
        places = int(precision) if abs(precision) <= MAX_DIGITS else MAX_DIGITS
    if places is None or not 0 <= places <= MAX_PRECISION:
        raise InvalidInput(
            f"precision {precision!r} is not a number of decimal places from 0 to {MAX_PRECISION}"
        )
    return places


def exact_context(*numbers: Decimal) -> Context:
    """A context wide enough that sums, differences and small multiples of ``numbers`` are exact
    (capped at :data:`MAX_DIGITS` digits, beyond which results are correctly rounded)."""
    highest = max(number.adjusted() for number in numbers)
    lowest = min(int(number.as_tuple().exponent) for number in numbers)
    digits = min(max(28, highest - lowest + 6), MAX_DIGITS)
    return Context(prec=digits, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)


def round_half_up(value: Decimal, precision: int) -> Decimal:
    """``value`` rounded half up to ``precision`` decimal places (a finite Decimal in)."""
    digits = max(28, value.adjusted() + precision + 3)
    if digits > MAX_DIGITS:
        raise InvalidInput(f"value {value} is too large to round")
    context = Context(prec=digits, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
    return value.quantize(Decimal((0, (1,), -precision)), context=context)


def _strip_trailing_zeros(number: Decimal) -> Decimal:
    """Exact, context-free ``normalize()`` of a finite Decimal."""
    sign, digits, exponent = number.as_tuple()
    exponent = int(exponent)
    while len(digits) > 1 and digits[-1] == 0:
        digits = digits[:-1]
        exponent += 1
    return Decimal((sign, digits, exponent))


def plain_number(number: Decimal) -> str:
    """A Decimal written as given minus meaningless trailing zeros: ``0.100000`` → ``0.1``,
    ``70.000000`` → ``70``, ``-0`` → ``0``. Never rounds. NaN and infinities as ``str()``;
    magnitudes beyond 1e±100 in scientific notation rather than a hundred zeros."""
    if not number.is_finite():
        return str(number)
    if number.is_zero():
        return "0"
    stripped = _strip_trailing_zeros(number)
    if -100 <= stripped.adjusted() <= 100:
        return format(stripped, "f")
    return str(stripped)


def pad_places(text: str, places: int) -> str:
    """Pad a plain number's fraction with zeros up to ``places`` digits (never shortens)."""
    if places <= 0 or "E" in text or not text.lstrip("-").replace(".", "").isdigit():
        return text
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(places, '0')}"


def display_precision(precision: object) -> int | None:
    """The precision to show digits at; invalid precision is ignored for display."""
    try:
        return parse_precision(precision)
    except InvalidInput:
        return None


def format_value(value: Decimal | None, precision: int | None) -> str:
    """A recorded value as shown: rounded half up to ``precision`` places, keeping them
    (``69`` at 2 → ``69.00``, ``0.125`` at 2 → ``0.13``); without a precision, as given minus
    trailing zeros (``69.000000000`` → ``69``). ``''`` for None; NaN/Infinity as text. An
    invalid precision (negative, above :data:`MAX_PRECISION`) is ignored."""
    try:
        number = to_decimal(value, "value")
    except InvalidInput:
        return str(value)
    if number is None:
        return ""
    if not number.is_finite():
        return str(number)
    places = display_precision(precision)
    if places is None:
        return plain_number(number)
    try:
        rounded = round_half_up(number, places)
    except InvalidInput:
        return plain_number(number)
    return format(rounded.copy_abs() if rounded.is_zero() else rounded, "f")
