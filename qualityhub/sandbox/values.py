"""Supplier-recorded values: plausible generation and the check against expected limits.

Values are drawn as whole multiples of 10**-valuePrecision with integer arithmetic, so no float
ever touches a number that ends up in a document.
"""

from __future__ import annotations

import random
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from .documents import NUMERIC_PLACES, set_recorded
from .wire import code_text, fixed

OUTSIDE_SHARE = 0.08
AT_LIMIT_SHARE = 0.04
NEAR_LIMIT_SHARE = 0.08
EXPECTED_CHOICE_SHARE = 0.9

_CHECKS = {
    "eq": lambda value, limit: value == limit,
    "gt": lambda value, limit: value > limit,
    "ge": lambda value, limit: value >= limit,
    "lt": lambda value, limit: value < limit,
    "le": lambda value, limit: value <= limit,
}


def limits_of(char: dict[str, Any]) -> list[tuple[str, Decimal]]:
    return [
        (str(limit["comparisonOperator"]).lower(), Decimal(limit["comparisonValue"]))
        for limit in char.get("expectedLimits") or []
    ]


def within_limits(value: Decimal, limits: list[tuple[str, Decimal]]) -> bool:
    return all(_CHECKS[op](value, limit) for op, limit in limits if op in _CHECKS)


def is_recorded(char: dict[str, Any]) -> bool:
    recorded = char.get("recordedCharacteristic") or {}
    return any(
        key in recorded for key in ("numericValue", "code", "decisionValue", "qualitativeValue")
    )


def is_required(char: dict[str, Any]) -> bool:
    return str(char.get("type", "required")).lower() != "optional"


def conforms(char: dict[str, Any]) -> bool:
    """Whether the recorded value meets the expectation (unrecorded lines conform)."""
    recorded = char.get("recordedCharacteristic") or {}
    value_type = str(char.get("valueType", "")).lower()
    if value_type == "numeric" and "numericValue" in recorded:
        return within_limits(Decimal(recorded["numericValue"]), limits_of(char))
    if value_type == "choice" and "code" in recorded:
        expected = _expected_code(char)
        return expected is None or str(recorded["code"]) == expected
    if value_type == "decision" and "decisionValue" in recorded:
        return recorded["decisionValue"] is True
    return True


def record(rng: random.Random, char: dict[str, Any]) -> None:
    """Fill `recordedCharacteristic` with a plausible supplier result for this line."""
    value_type = str(char.get("valueType", "")).lower()
    if value_type == "numeric":
        set_recorded(char, numericValue=fixed(_numeric(rng, char), NUMERIC_PLACES))
    elif value_type == "choice":
        set_recorded(char, code=_choice(rng, char))
    elif value_type == "decision":
        set_recorded(char, decisionValue=rng.random() < EXPECTED_CHOICE_SHARE)
    else:
        set_recorded(char, qualitativeValue="Checked")


def _expected_code(char: dict[str, Any]) -> str | None:
    expected = (char.get("expectedResults") or {}).get("numericValue")
    return None if expected is None else code_text(Decimal(expected))


def _choice(rng: random.Random, char: dict[str, Any]) -> str:
    codes = [str(value["code"]) for value in char.get("characteristicValues") or []]
    expected = _expected_code(char)
    if not codes:
        return expected or "1"
    if expected in codes and rng.random() < EXPECTED_CHOICE_SHARE:
        return expected
    others = [code for code in codes if code != expected] or codes
    return rng.choice(others)


def _precision(char: dict[str, Any]) -> int:
    precision = (char.get("expectedResults") or {}).get("valuePrecision")
    if isinstance(precision, int) and 0 <= precision <= 6:
        return precision
    return 2


def _units(value: Decimal, places: int, rounding: str) -> int:
    return int(value.scaleb(places).to_integral_value(rounding=rounding))


def _numeric(rng: random.Random, char: dict[str, Any]) -> Decimal:
    places = _precision(char)
    limits = limits_of(char)
    expected = (char.get("expectedResults") or {}).get("numericValue")
    low, high = _range(limits, None if expected is None else Decimal(expected))
    lo_u, hi_u = _units(low, places, ROUND_CEILING), _units(high, places, ROUND_FLOOR)
    if hi_u - lo_u < 2:
        hi_u = lo_u + 2
    units = _draw(rng, limits, lo_u, hi_u, places)
    return Decimal(units).scaleb(-places)


def _range(limits: list[tuple[str, Decimal]], target: Decimal | None) -> tuple[Decimal, Decimal]:
    """The interval values are drawn from: the limits, completed where one side is open."""
    lows = [value for op, value in limits if op in ("gt", "ge", "eq")]
    highs = [value for op, value in limits if op in ("lt", "le", "eq")]
    centre = target if target is not None else Decimal(10)
    if lows and highs:
        return max(lows), min(highs)
    if highs:
        return min(Decimal(0), min(highs)), min(highs)
    if lows:
        low = max(lows)
        return low, max(low * Decimal("1.5"), low + 10, centre * Decimal("1.2"))
    spread = abs(centre) / 10 or Decimal(1)
    return centre - spread, centre + spread


def _draw(rng: random.Random, limits: list[tuple[str, Decimal]], lo_u: int, hi_u: int,
          places: int) -> int:  # fmt: skip
    span = hi_u - lo_u
    roll = rng.random()
    bounds = [(op, _units(value, places, ROUND_FLOOR)) for op, value in limits]
    if roll < OUTSIDE_SHARE and bounds:
        step = rng.randint(1, max(1, span // 5))
        has_upper = any(op in ("lt", "le", "eq") for op, _ in bounds)
        return hi_u + step if has_upper and (lo_u <= 0 or rng.random() < 0.6) else lo_u - step
    if roll < OUTSIDE_SHARE + AT_LIMIT_SHARE and bounds:
        return rng.choice(bounds)[1]
    if roll < OUTSIDE_SHARE + AT_LIMIT_SHARE + NEAR_LIMIT_SHARE and bounds:
        step = rng.randint(1, max(1, span // 50))
        return rng.choice((lo_u + step, hi_u - step))
    equal = [units for op, units in bounds if op == "eq"]
    if equal:
        return equal[0]
    inner_lo = lo_u + (1 if any(op == "gt" for op, _ in bounds) else 0)
    inner_hi = hi_u - (1 if any(op == "lt" for op, _ in bounds) else 0)
    if inner_hi < inner_lo:
        return inner_lo
    return (rng.randint(inner_lo, inner_hi) + rng.randint(inner_lo, inner_hi)) // 2
