"""Supplier-recorded values: plausible generation and the check against expected limits.

Values are drawn as whole multiples of 10**-valuePrecision with integer arithmetic, so no float
ever touches a number that ends up in a document; a few (ROUNDING_SHARE) get one digit more and
lie within half a unit of a limit, so that rounding to the precision changes QualityHub's
verdict. Where a line's values lie comes from the catalogue (`CharSpec.typical`, `floor`,
`ceiling`), or from its limits for lines the catalogue does not know.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from .catalogue import HUNDRED, CharSpec, typical_range
from .documents import NUMERIC_PLACES, set_recorded
from .items import ITEMS
from .wire import code_text, fixed

OUTSIDE_SHARE = 0.08
AT_LIMIT_SHARE = 0.04
NEAR_LIMIT_SHARE = 0.08
ROUNDING_SHARE = 0.02  # values that round across a limit at their precision
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


@dataclass(frozen=True)
class Plausible:
    """What a supplier plausibly measures on a line: a good lot's `typical` range and the
    physical `floor` and `ceiling` (None: unbounded)."""

    typical: tuple[Decimal, Decimal]
    floor: Decimal | None
    ceiling: Decimal | None


_CATALOGUE: dict[tuple[str, str], CharSpec] = {
    (spec.name, spec.specification): spec
    for item in ITEMS
    for spec in item.chars
    if spec.value_type == "numeric"
}


def plausible(char: dict[str, Any]) -> Plausible:
    """The catalogue's plausible range for this line, or one derived from its limits for a line
    the catalogue does not know (inspections created through the API): no value below zero
    unless a limit or the target is negative, none above 100 in a percentage unless a limit is."""
    limits = limits_of(char)
    expected = (char.get("expectedResults") or {}).get("numericValue")
    target = None if expected is None else Decimal(expected)
    numbers = [value for _, value in limits] + ([] if target is None else [target])
    spec = _CATALOGUE.get((str(char.get("name")), str(char.get("specification"))))
    if spec is not None and [(op, value) for _, op, value in spec.limits] == limits:
        floor, ceiling = spec.floor, spec.ceiling
        typical = spec.typical or typical_range(limits, target, ceiling)
    else:
        floor = Decimal(0) if all(number >= 0 for number in numbers) else None
        percent = "%" in str(char.get("specification") or "")
        ceiling = HUNDRED if percent and all(n <= HUNDRED for n in numbers) else None
        typical = typical_range(limits, target, ceiling)
    low, high = typical
    if floor is not None:
        low, high = max(low, floor), max(high, floor)
    if ceiling is not None:
        low, high = min(low, ceiling), min(high, ceiling)
    return Plausible((low, high), floor, ceiling)


def _numeric(rng: random.Random, char: dict[str, Any]) -> Decimal:
    places = _precision(char)
    limits = limits_of(char)
    frame = _Frame(places, limits, plausible(char))
    roll = rng.random()
    if roll < ROUNDING_SHARE:
        across = frame.across(rng)
        if across is not None:
            return across
    roll -= ROUNDING_SHARE
    return Decimal(frame.draw(rng, roll)).scaleb(-places)


class _Frame:
    """One line's limits and plausible range in whole units of 10**-places."""

    def __init__(self, places: int, limits: list[tuple[str, Decimal]], where: Plausible):
        self.places = places
        self.limits = limits
        self.floor = None if where.floor is None else self.units(where.floor, ROUND_CEILING)
        self.ceiling = None if where.ceiling is None else self.units(where.ceiling, ROUND_FLOOR)
        low, high = where.typical
        self.low = self.clamp(self.units(low, ROUND_CEILING))
        self.high = max(self.low, self.clamp(self.units(high, ROUND_FLOOR)))
        self.lowers = [(op, self.units(v, ROUND_CEILING)) for op, v in limits if op in ("gt", "ge")]
        self.uppers = [(op, self.units(v, ROUND_FLOOR)) for op, v in limits if op in ("lt", "le")]
        self.equal = [self.units(v, ROUND_FLOOR) for op, v in limits if op == "eq"]

    def units(self, value: Decimal, rounding: str) -> int:
        return _units(value, self.places, rounding)

    def clamp(self, units: int) -> int:
        if self.floor is not None:
            units = max(units, self.floor)
        if self.ceiling is not None:
            units = min(units, self.ceiling)
        return units

    def possible(self, units: int) -> bool:
        return self.clamp(units) == units

    def inner(self) -> tuple[int, int]:
        """The in-spec part of the plausible range (limits strict where they say so)."""
        low = max([self.low] + [u + (op == "gt") for op, u in self.lowers])
        high = min([self.high] + [u - (op == "lt") for op, u in self.uppers])
        if high < low:  # the typical range misses the limits: take the limits' own interval
            bounds = [u + (op == "gt") for op, u in self.lowers]
            tops = [u - (op == "lt") for op, u in self.uppers]
            low = self.clamp(max(bounds) if bounds else min(tops) - 2)
            high = self.clamp(min(tops) if tops else low + 2)
        return low, max(low, high)

    def draw(self, rng: random.Random, roll: float) -> int:
        span = max(2, self.high - self.low)
        if roll < OUTSIDE_SHARE and (outside := self.outside(rng, span)) is not None:
            return outside
        roll -= OUTSIDE_SHARE
        bounds = [u for _, u in self.lowers + self.uppers] + self.equal
        bounds = [u for u in bounds if self.possible(u)]
        if roll < AT_LIMIT_SHARE and bounds:
            return rng.choice(bounds)
        roll -= AT_LIMIT_SHARE
        low, high = self.inner()
        if roll < NEAR_LIMIT_SHARE and (self.lowers or self.uppers):
            step = rng.randint(1, max(1, span // 50))
            sides = ([min(low + step, high)] if self.lowers else []) + (
                [max(high - step, low)] if self.uppers else []
            )
            return rng.choice(sides)
        if self.equal and self.possible(self.equal[0]):
            return self.equal[0]
        width = high - low
        if self.lowers and not self.uppers:  # a minimum: most lots just above it
            return low + abs(rng.randint(0, width) - rng.randint(0, width))
        return (rng.randint(low, high) + rng.randint(low, high)) // 2

    def outside(self, rng: random.Random, span: int) -> int | None:
        """Just beyond a limit, on a side where that is physically possible: never below the
        floor (a contaminant's "> 0" is left to the at-limit share), never above the ceiling."""
        sides = []
        lows = [u for _, u in self.lowers] + self.equal
        if lows and (self.floor is None or max(lows) > self.floor):
            sides.append(self.clamp(max(lows) - self.step(rng, span, max(lows))))
        highs = [u for _, u in self.uppers] + self.equal
        if highs and (self.ceiling is None or min(highs) < self.ceiling):
            sides.append(self.clamp(min(highs) + self.step(rng, span, min(highs))))
        return rng.choice(sides) if sides else None

    @staticmethod
    def step(rng: random.Random, span: int, limit: int) -> int:
        """How far beyond a limit: up to a fifth of the typical range, and at most 5 % of the
        limit itself (an insulation resistance of "more than 100 MΩ" fails at 96, not at 40)."""
        return rng.randint(1, max(1, min(span // 5, abs(limit) // 20)))

    def across(self, rng: random.Random) -> Decimal | None:
        """A value with one digit more than the precision that rounds (half up) onto a limit,
        so that the rounded and the raw value are judged differently."""
        tenth = Decimal(1).scaleb(-self.places - 1)
        unit = Decimal(1).scaleb(-self.places)
        choices = []
        for op, limit in self.limits:
            if op not in _TOWARDS or limit != limit.quantize(unit):
                continue
            if self.floor is not None and limit.scaleb(self.places) <= self.floor:
                continue  # "> 0" on a contaminant: a value rounded to zero is another story
            top = 5 if op in ("ge", "lt") else 4  # exactly half a unit rounds up, onto ge/lt
            value = limit + _TOWARDS[op] * rng.randint(1, top) * tenth
            low, high = self.floor, self.ceiling
            if (low is None or value.scaleb(self.places) >= low) and (
                high is None or value.scaleb(self.places) <= high
            ):
                choices.append(value)
        return rng.choice(choices) if choices else None


# Which side of a limit a value must lie on to be judged differently once rounded onto it:
# below a "≥" minimum (fails raw, passes rounded), above a "> " one (passes raw, fails rounded),
# above a "≤" maximum (fails raw, passes rounded), below a "<" one (passes raw, fails rounded).
_TOWARDS = {"ge": -1, "gt": 1, "le": 1, "lt": -1}
