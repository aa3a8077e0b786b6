"""Building blocks of the item catalogue (see `items.py`), and the people and reasons of the
simulated process."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CharSpec:
    """One line of an inspection plan, before it gets ids.

    Numeric lines also say what a supplier plausibly measures (see `values.py`): `typical` is
    where a good lot's value usually lies, `floor` and `ceiling` what is physically possible
    (no negative thickness, no content above 100 %; None: unbounded on that side).
    """

    name: str
    specification: str
    value_type: str  # numeric | choice
    target: Decimal
    precision: int | None = None
    limits: tuple[tuple[str, str, Decimal], ...] = ()  # (limitType, comparisonOperator, value)
    options: tuple[tuple[str, str, str], ...] = ()  # (code, domain, value)
    optional: bool = False
    typical: tuple[Decimal, Decimal] | None = None
    floor: Decimal | None = Decimal(0)
    ceiling: Decimal | None = None


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    description: str
    supplier_part: str
    buyer_part: str
    uom: int
    quantity: tuple[int, int]
    chars: tuple[CharSpec, ...]


HUNDRED = Decimal(100)
AUTO = "auto"  # ceiling from the unit: 100 for a percentage, else none
Typical = tuple[str, str] | None  # a builder's typical range, as text like its limits


def _places(text: str) -> int:
    return len(text.partition(".")[2])


def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def _ceiling(unit: str, ceiling: str | None) -> Decimal | None:
    """A content in % cannot exceed 100; elongation (a strain in %) can, so it passes None."""
    if ceiling == AUTO:
        return HUNDRED if unit.strip().startswith("%") else None
    return None if ceiling is None else Decimal(ceiling)


def _typical(typical: Typical) -> tuple[Decimal, Decimal] | None:
    return None if typical is None else (Decimal(typical[0]), Decimal(typical[1]))


def typical_range(
    limits: list[tuple[str, Decimal]], target: Decimal | None, ceiling: Decimal | None
) -> tuple[Decimal, Decimal]:
    """Where a good lot's value lies when the catalogue does not say: inside two-sided limits;
    from a fifth of a maximum up to it; just above a minimum (a tenth of it, at most half the way
    to the ceiling); around the target (±10 %) without limits."""
    lows = [value for op, value in limits if op in ("gt", "ge", "eq")]
    highs = [value for op, value in limits if op in ("lt", "le", "eq")]
    if lows and highs:
        return max(lows), min(highs)
    if highs:
        high = min(highs)
        return (high / 5 if high > 0 else high - abs(high) / 2 - 1), high
    if lows:
        low = max(lows)
        spread = abs(low) / 10 or Decimal(1)
        if ceiling is not None and ceiling > low:
            spread = min(spread, (ceiling - low) / 2)
        return low, low + spread
    centre = target if target is not None else Decimal(10)
    spread = abs(centre) / 10 or Decimal(1)
    return centre - spread, centre + spread


def _numeric_spec(
    name: str,
    spec: str,
    target: Decimal,
    places: int,
    limits: tuple[tuple[str, str, Decimal], ...],
    optional: bool,
    typical: Typical,
    ceiling: Decimal | None,
) -> CharSpec:
    return CharSpec(
        name, spec, "numeric", target, places, limits, (), optional, _typical(typical),
        Decimal(0), ceiling,
    )  # fmt: skip


def tol(
    name: str,
    target: str,
    delta: str,
    unit: str,
    optional: bool = False,
    typical: Typical = None,
    ceiling: str | None = AUTO,
) -> CharSpec:
    """A dimension: nominal ± tolerance; values scatter around the nominal."""
    t, d = Decimal(target), Decimal(delta)
    limits = (("min", "ge", t - d), ("max", "le", t + d))
    spec = f"{target} ± {delta} {unit}".strip()
    return _numeric_spec(
        name, spec, t, _places(target), limits, optional, typical, _ceiling(unit, ceiling)
    )


def between(
    name: str,
    low: str,
    high: str,
    unit: str,
    optional: bool = False,
    typical: Typical = None,
    ceiling: str | None = AUTO,
) -> CharSpec:
    lo, hi = Decimal(low), Decimal(high)
    places = max(_places(low), _places(high))
    target = ((lo + hi) / 2).quantize(_quantum(places))
    limits = (("min", "ge", lo), ("max", "le", hi))
    spec = f"{low} – {high} {unit}".strip()
    return _numeric_spec(
        name, spec, target, places, limits, optional, typical, _ceiling(unit, ceiling)
    )


def at_most(
    name: str,
    high: str,
    unit: str,
    op: str = "le",
    optional: bool = False,
    typical: Typical = None,
    places: int | None = None,
    ceiling: str | None = AUTO,
) -> CharSpec:
    """A maximum (moisture, ash, resistance...): the target is the middle of the typical range."""
    hi = Decimal(high)
    places = max(_places(high), 1) if places is None else places
    limits = (("max", op, hi),)
    top = _ceiling(unit, ceiling)
    low, upper = _typical(typical) or typical_range([(op, hi)], None, top)
    target = ((low + upper) / 2).quantize(_quantum(places))
    word = "Max" if op == "le" else "Less than"
    spec = f"{word} {high} {unit}"
    return _numeric_spec(name, spec, target, places, limits, optional, typical, top)


def at_least(
    name: str,
    low: str,
    unit: str,
    op: str = "ge",
    optional: bool = False,
    typical: Typical = None,
    ceiling: str | None = AUTO,
) -> CharSpec:
    """A minimum (purity, strength, capacity...): good lots lie just above it, the target is the
    middle of the typical range (never above the ceiling: an ethanol content is at most 100 %)."""
    lo = Decimal(low)
    places = _places(low)
    limits = (("min", op, lo),)
    top = _ceiling(unit, ceiling)
    bottom, upper = _typical(typical) or typical_range([(op, lo)], None, top)
    target = ((bottom + upper) / 2).quantize(_quantum(places))
    word = "Min" if op == "ge" else "More than"
    spec = f"{word} {low} {unit}"
    return _numeric_spec(name, spec, target, places, limits, optional, typical, top)


def trace(
    name: str, high: str, unit: str, optional: bool = False, typical: Typical = None
) -> CharSpec:
    """A contaminant: strictly above zero (detected) and strictly below the maximum."""
    hi = Decimal(high)
    places = max(_places(high), 2)
    target = (hi / 4).quantize(_quantum(places))
    limits = (("min", "gt", Decimal(0)), ("max", "lt", hi))
    spec = f"Not more than {high} {unit}".strip()
    return _numeric_spec(
        name, spec, target, places, limits, optional, typical, _ceiling(unit, AUTO)
    )


def exactly(name: str, value: str, unit: str) -> CharSpec:
    v = Decimal(value)
    return CharSpec(name, f"Exactly {value} {unit}", "numeric", v, 0, (("min", "eq", v),))


def choice(
    name: str,
    spec: str,
    domain: str,
    values: tuple[str, ...],
    good: int = 1,
    optional: bool = False,
) -> CharSpec:
    options = tuple((str(i), domain, text) for i, text in enumerate(values, 1))
    return CharSpec(name, spec, "choice", Decimal(good), None, (), options, optional)


SURFACE = ("SURFACE", ("Free of defects", "Minor cosmetic marks", "Damaged or corroded"))
THREAD = ("THREAD", ("Go passes, no-go stops", "Go gauge does not enter", "No-go gauge enters"))
RESULT = ("RESULT", ("Pass", "Fail"))
POWDER = ("APPEARANCE", ("White crystalline powder", "Off-white powder", "Yellowish or lumpy"))
LIQUID = ("APPEARANCE", ("Clear and colourless", "Slightly hazy", "Coloured or turbid"))
COLOR = ("COLOR", ("Yellow", "light yellow", "No colour"))


def visual(name: str = "Visual inspection", optional: bool = False) -> CharSpec:
    return choice(name, "No scratches, dents or corrosion", *SURFACE, optional=optional)


def thread_gauge(name: str = "Thread gauge check") -> CharSpec:
    return choice(name, "Go/no-go gauge", *THREAD)


def pass_fail(name: str, spec: str, optional: bool = False) -> CharSpec:
    return choice(name, spec, *RESULT, optional=optional)


def appearance(domain_values: tuple[str, tuple[str, ...]] = POWDER) -> CharSpec:
    return choice("Appearance", domain_values[1][0], *domain_values)


SUPPLIER_IDS = tuple(range(1, 21))

BUYERS = ("Anna Keller", "Marco Rossi", "Priya Nair", "Jonas Weber", "Chen Li", "Sofia Lindqvist")
SUPPLIER_CONTACTS = (
    "Tomasz Nowak",
    "Aiko Tanaka",
    "Lucas Martin",
    "Fatima Haddad",
    "Oliver Brown",
    "Elena Petrova",
    "Diego Fernández",
    "Grace Okafor",
    "Henrik Larsen",
    "Mei Wong",
)
REQUESTERS = (10, 11, 12, 14, 17)
INTEGRATION_USER = 1000  # the API user: createdBy/modifiedBy for changes made through the API

ACCEPT_REASONS = (
    ("accepted", "ACCEPT", "A01"),
    ("Accepted - within specification", "ACCEPT", "A01"),
    ("Accepted with deviation", "DEVIATION", "A02"),
)
REJECT_REASONS = (
    ("Out of specification", "REJECT", "R01"),
    ("Return to supplier", "REJECT", "R02"),
    ("Rework required", "REJECT", "R03"),
)
DISAGREE_ACCEPT = ("Use as is - concession", "DEVIATION", "A03")
DISAGREE_REJECT = ("Certificate of analysis missing", "REJECT", "R05")


def supplier_user(supplier_id: int) -> int:
    """The integer user id of a supplier's contact (modifiedBy after supplier steps)."""
    return 500 + supplier_id


def supplier_contact(supplier_id: int) -> str:
    return SUPPLIER_CONTACTS[supplier_id % len(SUPPLIER_CONTACTS)]
