"""Limits as people read them: operators, parsing, limit text and the tolerance bar.

Pure functions over ``decimal.Decimal``; nothing here touches Django, a clock or a database.
Number parsing, rounding and plain text live in :mod:`qualityhub.verdicts.numbers`; the verdict
rules in :mod:`qualityhub.verdicts.rules` build on both.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from qualityhub.verdicts.numbers import (
    InvalidInput,
    display_precision,
    exact_context,
    pad_places,
    plain_number,
    to_decimal,
    to_finite_decimal,
)

#: Every operator spelling we understand, lower-cased, mapped to its canonical name. Coupa's
#: Quality Collaboration API uses ``gt``/``ge``/``lt``/``le``/``eq``/``ne``; Coupa Core's query
#: operators spell the inclusive and negated ones ``gt_or_eq``, ``lt_or_eq`` and ``not_eq``.
OPERATORS: dict[str, str] = {
    "gt": "gt",
    "ge": "ge",
    "lt": "lt",
    "le": "le",
    "eq": "eq",
    "ne": "ne",
    "gt_or_eq": "ge",
    "lt_or_eq": "le",
    "not_eq": "ne",
}

#: How each canonical operator is written for people.
SYMBOLS: dict[str, str] = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "eq": "=", "ne": "≠"}

#: Operators that bound a value from below / from above (``eq`` and ``ne`` do neither).
LOWER_OPERATORS = frozenset({"gt", "ge"})
UPPER_OPERATORS = frozenset({"lt", "le"})

LIMIT_TYPES = frozenset({"min", "max"})


@dataclass(frozen=True)
class Limit:
    """One expected limit of a characteristic, as Coupa sends it.

    ``limit_type`` is ``"min"`` or ``"max"`` and ``operator`` one of :data:`OPERATORS`, both in
    any casing; ``value`` is the comparison value (``None`` when Coupa sent none).
    """

    limit_type: str
    operator: str
    value: Decimal | None


@dataclass(frozen=True)
class ParsedLimit:
    """A limit that passed validation: canonical type and operator, finite value."""

    limit_type: str
    operator: str
    value: Decimal

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.operator]

    def text(self) -> str:
        """``< 0.1``: the operator symbol and the value with trailing zeros dropped."""
        return f"{self.symbol} {plain_number(self.value)}"

    def holds_for(self, value: Decimal) -> bool:
        """Whether ``value`` satisfies this limit (``value <op> limit``); exact, finite only."""
        return compare(value, self.operator, self.value)


# --- parsing -------------------------------------------------------------------------------


def normalise_operator(operator: object) -> str | None:
    """The canonical operator (``"ge"``) for any known spelling (``" GT_OR_EQ"``), else None."""
    if not isinstance(operator, str):
        return None
    return OPERATORS.get(operator.strip().lower())


def normalise_limit_type(limit_type: object) -> str | None:
    """``"min"`` or ``"max"`` for any casing, else None."""
    if not isinstance(limit_type, str):
        return None
    name = limit_type.strip().lower()
    return name if name in LIMIT_TYPES else None


def parse_limit(limit: Limit) -> ParsedLimit:
    """Validate one limit; raises :class:`InvalidInput` with the reason when it is unusable."""
    raw_type = getattr(limit, "limit_type", None)
    raw_operator = getattr(limit, "operator", None)
    limit_type = normalise_limit_type(raw_type)
    if limit_type is None:
        raise InvalidInput(f"unknown limit type {raw_type!r}")
    operator = normalise_operator(raw_operator)
    if operator is None:
        raise InvalidInput(f"unknown operator {raw_operator!r} in the {limit_type} limit")
    value = to_finite_decimal(getattr(limit, "value", None), f"{limit_type} limit value")
    if value is None:
        raise InvalidInput(f"the {limit_type} limit {SYMBOLS[operator]} has no value")
    return ParsedLimit(limit_type, operator, value)


def parse_limits(limits: Iterable[Limit] | None) -> list[ParsedLimit]:
    """All limits validated, in their given order; the first unusable one raises InvalidInput."""
    return [parse_limit(limit) for limit in limits or ()]


def usable_limits(limits: Iterable[Limit] | None) -> list[ParsedLimit]:
    """The limits that parse, silently skipping the others (for drawing, never for judging)."""
    usable = []
    for limit in limits or ():
        try:
            usable.append(parse_limit(limit))
        except InvalidInput:
            continue
    return usable


# --- exact arithmetic ----------------------------------------------------------------------


def compare(value: Decimal, operator: str, limit: Decimal) -> bool:
    """``value <operator> limit`` for a canonical operator and finite Decimals (exact)."""
    match operator:
        case "gt":
            return value > limit
        case "ge":
            return value >= limit
        case "lt":
            return value < limit
        case "le":
            return value <= limit
        case "eq":
            return value == limit
        case "ne":
            return value != limit
    raise ValueError(f"not a canonical operator: {operator!r}")


# --- text ----------------------------------------------------------------------------------


def limit_value_text(value: object, precision: object = None) -> str:
    """A limit's value as shown: trailing zeros dropped but padded to the precision's digits
    (``0.100000`` at 2 → ``0.10``; ``10`` at 2 → ``10.00``; ``0.125`` at 2 stays ``0.125``:
    a limit is never rounded). ``?`` when missing."""
    try:
        number = to_decimal(value, "limit value")
    except InvalidInput:
        return str(value)
    if number is None:
        return "?"
    text = plain_number(number)
    places = display_precision(precision)
    if places is None or not number.is_finite():
        return text
    return pad_places(text, places)


_TYPE_ORDER = {"min": 0, "max": 1}


def limit_text(limits: Iterable[Limit] | None, precision: int | None = None) -> str:
    """The limits as people read them, joined with "and": ``> 0 and < 0.1``, ``≥ 10.00``.

    Min limits come first, then max, then any of an unknown type, each group in its given
    order. An operator we do not know is shown verbatim, a missing value as ``?``. ``''`` when
    there are no limits. The machine form (CSV, comparisons); pages show
    :func:`qualityhub.verdicts.display.display_limits`.
    """
    return " and ".join(limit_parts(limits, precision))


def limit_parts(limits: Iterable[Limit] | None, precision: int | None = None) -> list[str]:
    """Each limit as ``≥ 10.00``, in the order of :func:`limit_text`."""

    def order(limit: Limit) -> int:
        limit_type = normalise_limit_type(getattr(limit, "limit_type", None))
        return _TYPE_ORDER.get(limit_type or "", 2)

    parts = []
    for limit in sorted(limits or (), key=order):
        raw_operator = getattr(limit, "operator", None)
        operator = normalise_operator(raw_operator)
        if operator is not None:
            symbol = SYMBOLS[operator]
        else:
            symbol = raw_operator.strip() if isinstance(raw_operator, str) else str(raw_operator)
        parts.append(f"{symbol} {limit_value_text(getattr(limit, 'value', None), precision)}")
    return parts


# --- the tolerance band --------------------------------------------------------------------


def tightest_bounds(
    limits: Iterable[ParsedLimit],
) -> tuple[ParsedLimit | None, ParsedLimit | None]:
    """The tightest lower bound (``gt``/``ge``, highest value) and upper bound (``lt``/``le``,
    lowest value). Direction comes from the operator as written, not from the limit type, so an
    unusual ``min lt 5`` counts as an upper bound. ``eq``/``ne`` bound nothing."""
    lower: ParsedLimit | None = None
    upper: ParsedLimit | None = None
    for limit in limits:
        if limit.operator in LOWER_OPERATORS and (lower is None or limit.value > lower.value):
            lower = limit
        elif limit.operator in UPPER_OPERATORS and (upper is None or limit.value < upper.value):
            upper = limit
    return lower, upper


@dataclass(frozen=True)
class TolerancePosition:
    """Where a value sits on a tolerance bar.

    ``lower`` / ``upper`` are the limit values bounding from below / above (None when that side
    has no limit). ``start`` / ``end`` are the two ends of the drawn bar: the two limits, or for
    a one-sided limit the target and the limit (or, without a usable target, the value and the
    limit). ``position`` is the value's place between them as a fraction 0..1 (four decimal
    places, clamped); ``outside`` is True when the value lay outside ``[start, end]`` and was
    clamped. ``position`` is None when no bar can be drawn.
    """

    lower: Decimal | None
    upper: Decimal | None
    start: Decimal | None = None
    end: Decimal | None = None
    position: Decimal | None = None
    outside: bool = False

    @property
    def drawable(self) -> bool:
        return self.position is not None


_FOUR_PLACES = Decimal("0.0001")


def tolerance_position(
    value: Decimal | None, limits: Iterable[Limit] | None, target: Decimal | None = None
) -> TolerancePosition:
    """Place ``value`` (normally the rounded recorded value) on a bar between the bounds.

    Two-sided limits: the bar runs from the lower to the upper limit (not drawable when they
    coincide or cross). One-sided: from the target to the limit when the target lies on the
    passing side of it, otherwise from the value to the limit. No ordering limit, no finite
    value, or zero width: not drawable. Unusable limits are skipped, never raised.
    """
    lower, upper = tightest_bounds(usable_limits(limits))
    low = lower.value if lower else None
    high = upper.value if upper else None
    bar = TolerancePosition(lower=low, upper=high)
    try:
        number = to_finite_decimal(value, "value")
        goal = to_finite_decimal(target, "target")
    except InvalidInput:
        number, goal = None, None
    if number is None:
        return bar
    if low is not None and high is not None:
        start, end = low, high
    elif low is not None:
        other = goal if goal is not None and goal > low else number
        start, end = min(low, other), max(low, other)
    elif high is not None:
        other = goal if goal is not None and goal < high else number
        start, end = min(high, other), max(high, other)
    else:
        return bar
    if start >= end:
        return TolerancePosition(lower=low, upper=high, start=start, end=end)
    outside = not start <= number <= end
    clamped = min(max(number, start), end)
    context = exact_context(start, end, clamped)
    fraction = context.divide(context.subtract(clamped, start), context.subtract(end, start))
    position = fraction.quantize(_FOUR_PLACES, context=context)
    return TolerancePosition(
        low, high, start, end, min(max(position, Decimal(0)), Decimal(1)), outside
    )
