"""Building blocks of the item catalogue (see `items.py`), and the people and reasons of the
simulated process."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CharSpec:
    """One line of an inspection plan, before it gets ids."""

    name: str
    specification: str
    value_type: str  # numeric | choice
    target: Decimal
    precision: int | None = None
    limits: tuple[tuple[str, str, Decimal], ...] = ()  # (limitType, comparisonOperator, value)
    options: tuple[tuple[str, str, str], ...] = ()  # (code, domain, value)
    optional: bool = False


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


def _places(text: str) -> int:
    return len(text.partition(".")[2])


def tol(name: str, target: str, delta: str, unit: str, optional: bool = False) -> CharSpec:
    t, d = Decimal(target), Decimal(delta)
    limits = (("min", "ge", t - d), ("max", "le", t + d))
    spec = f"{target} ± {delta} {unit}".strip()
    return CharSpec(name, spec, "numeric", t, _places(target), limits, optional=optional)


def between(name: str, low: str, high: str, unit: str, optional: bool = False) -> CharSpec:
    lo, hi = Decimal(low), Decimal(high)
    places = max(_places(low), _places(high))
    target = ((lo + hi) / 2).quantize(Decimal(1).scaleb(-places))
    limits = (("min", "ge", lo), ("max", "le", hi))
    spec = f"{low} – {high} {unit}".strip()
    return CharSpec(name, spec, "numeric", target, places, limits, optional=optional)


def at_most(name: str, high: str, unit: str, op: str = "le", optional: bool = False) -> CharSpec:
    hi = Decimal(high)
    places = max(_places(high), 1)
    target = (hi / 2).quantize(Decimal(1).scaleb(-places))
    word = "Max" if op == "le" else "Less than"
    limits = (("max", op, hi),)
    return CharSpec(
        name, f"{word} {high} {unit}", "numeric", target, places, limits, optional=optional
    )


def at_least(name: str, low: str, unit: str, op: str = "ge", optional: bool = False) -> CharSpec:
    lo = Decimal(low)
    places = _places(low)
    target = (lo * Decimal("1.1")).quantize(Decimal(1).scaleb(-places))
    word = "Min" if op == "ge" else "More than"
    limits = (("min", op, lo),)
    return CharSpec(
        name, f"{word} {low} {unit}", "numeric", target, places, limits, optional=optional
    )


def trace(name: str, high: str, unit: str, optional: bool = False) -> CharSpec:
    """A contaminant: strictly above zero (detected) and strictly below the maximum."""
    hi = Decimal(high)
    places = max(_places(high), 2)
    target = (hi / 4).quantize(Decimal(1).scaleb(-places))
    limits = (("min", "gt", Decimal(0)), ("max", "lt", hi))
    spec = f"Not more than {high} {unit}".strip()
    return CharSpec(name, spec, "numeric", target, places, limits, optional=optional)


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
