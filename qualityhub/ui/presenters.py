"""What the detail page shows for each characteristic, worked out from cache rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from qualityhub.coupa.vocabulary import ValueType
from qualityhub.inspections.models import Characteristic
from qualityhub.verdicts import Limit, format_value, limit_text, plain_number, tolerance_position
from qualityhub.verdicts.choices import InspectionVerdict, Verdict

# Verdict value → (icon, label), for characteristics' and inspections' verdicts alike.
VERDICT_LABELS = {v.value: (v.icon, v.label) for v in (*Verdict, *InspectionVerdict)}
BAR_WIDTH = 200


@dataclass(frozen=True)
class ToleranceBar:
    """An SVG tolerance bar: positions in pixels, so no inline style is needed (strict CSP)."""

    marker_x: int
    lower_text: str
    upper_text: str
    outside: bool
    width: int = BAR_WIDTH


@dataclass(frozen=True)
class CharacteristicRow:
    line: Characteristic
    expected: str
    limits: str
    recorded: str
    raw_recorded: str  # shown beside `recorded` when rounding changed the digits
    bar: ToleranceBar | None
    attachments: list = field(default_factory=list)
    # The line's own addresses (attachment list and upload, allowed values), filled in by the
    # view from one `reverse` each: 50 lines reversed one by one cost a seventh of the page.
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def is_choice(self) -> bool:
        return self.line.value_type == ValueType.CHOICE

    @property
    def is_numeric(self) -> bool:
        return self.line.value_type == ValueType.NUMERIC


def characteristic_row(line: Characteristic, limits: list[Limit]) -> CharacteristicRow:
    """`limits`: the line's own, in their order."""
    if line.value_type == ValueType.CHOICE:
        code = plain_number(line.target) if line.target is not None else ""
        expected = f"{code} · {line.expected_text}" if line.expected_text else code
        chosen = line.recorded_code
        recorded = f"{chosen} · {line.recorded_text}" if line.recorded_text else chosen
        return CharacteristicRow(line, expected, "", recorded, "", None)
    recorded = format_value(line.recorded_numeric, line.precision)
    raw = plain_number(line.recorded_numeric) if line.recorded_numeric is not None else ""
    rounded = bool(raw) and _differs(recorded, line.recorded_numeric, line.precision)
    return CharacteristicRow(
        line=line,
        expected=format_value(line.target, line.precision),
        limits=limit_text(limits) if limits else "",
        recorded=recorded,
        raw_recorded=raw if rounded else "",
        bar=_bar(line, limits),
    )


def _differs(shown: str, value: Decimal, precision: int | None) -> bool:
    """Whether rounding to `precision` changed the digits (`shown` is the rounded text)."""
    if precision is None:
        return False
    return Decimal(shown) != value


def _bar(line: Characteristic, limits: list[Limit]) -> ToleranceBar | None:
    if line.recorded_numeric is None or not limits:
        return None
    position = tolerance_position(line.recorded_numeric, limits, line.target)
    if position.position is None:
        return None
    return ToleranceBar(
        marker_x=int(position.position * BAR_WIDTH),
        lower_text=plain_number(position.start) if position.start is not None else "",
        upper_text=plain_number(position.end) if position.end is not None else "",
        outside=position.outside,
    )
