"""What the detail page and the printed report show for each characteristic, worked out from
cache rows. A service-layer module (not the UI kit) so that the report task can use the one
definition of a row as the page does."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from qualityhub.coupa.vocabulary import ValueType
from qualityhub.inspections.models import Characteristic
from qualityhub.inspections.models import Limit as LimitRow
from qualityhub.verdicts import Limit, format_value, plain_number
from qualityhub.verdicts.choices import InspectionVerdict, Verdict
from qualityhub.verdicts.display import display_limits, display_value, localized
from qualityhub.verdicts.limits import tightest_bounds, usable_limits
from qualityhub.verdicts.numbers import (
    InvalidInput,
    display_precision,
    exact_context,
    round_half_up,
)

# Verdict value → (icon, label), for characteristics' and inspections' verdicts alike.
VERDICT_LABELS = {v.value: (v.icon, v.label) for v in (*Verdict, *InspectionVerdict)}
BAR_WIDTH = 200  # the scale, in pixels
BAR_PAD = 14  # room beyond each end of the scale for the arrow of a value off it
_PIXEL = Decimal("0.1")


@dataclass(frozen=True)
class BarScale:
    """The values at the two ends of a tolerance bar, and the passing band between its limits
    (``None``: no limit on that side, the band runs to that end)."""

    start: Decimal
    end: Decimal
    low: Decimal | None
    high: Decimal | None


@dataclass(frozen=True)
class ToleranceBar:
    """An SVG tolerance bar, in pixels (attributes, not inline styles: strict CSP).

    The marker is drawn at ``marker_x``, or, for a value off the scale, as an arrow beyond the
    ``arrow`` end ("low" or "high"). Its colour class is the line's ``verdict``, never where it
    sits: a passing value beyond the drawn range is a green arrow, not a red pin.
    """

    verdict: str
    verdict_label: str
    verdict_icon: str
    band_x: Decimal
    band_end_x: Decimal
    marker_x: Decimal | None
    arrow: str  # "" | "low" | "high"
    lower_text: str  # the bounding limits as written ("≥ 96"), "" when that side has none
    upper_text: str
    lower_x: Decimal | None
    upper_x: Decimal | None
    scale_width: int = BAR_WIDTH
    pad: int = BAR_PAD

    @property
    def failed(self) -> bool:
        """Drawn as a cross rather than a bar: the shape says it, not the colour alone."""
        return self.verdict == Verdict.FAIL

    @property
    def width(self) -> int:
        return self.scale_width + 2 * self.pad

    @property
    def band_width(self) -> Decimal:
        return self.band_end_x - self.band_x

    @property
    def scale_end_x(self) -> int:
        return self.pad + self.scale_width


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
    def verdict_icon(self) -> str:
        return VERDICT_LABELS.get(self.line.verdict, ("?", ""))[0]

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS.get(self.line.verdict, ("", self.line.verdict))[1])

    @property
    def is_choice(self) -> bool:
        return self.line.value_type == ValueType.CHOICE

    @property
    def is_numeric(self) -> bool:
        return self.line.value_type == ValueType.NUMERIC


def characteristic_row(line: Characteristic, limits: list[Limit]) -> CharacteristicRow:
    """`limits`: the line's own, in their order."""
    if line.value_type == ValueType.CHOICE:
        code = localized(plain_number(line.target)) if line.target is not None else ""
        expected = f"{code} · {line.expected_text}" if line.expected_text else code
        chosen = line.recorded_code
        recorded = f"{chosen} · {line.recorded_text}" if line.recorded_text else chosen
        return CharacteristicRow(line, expected, "", recorded, "", None)
    recorded = format_value(line.recorded_numeric, line.precision)
    raw = plain_number(line.recorded_numeric) if line.recorded_numeric is not None else ""
    rounded = bool(raw) and _differs(recorded, line.recorded_numeric, line.precision)
    # Texts in the reader's language (their decimal mark), worked out from the machine forms.
    return CharacteristicRow(
        line=line,
        expected=display_value(line.target, line.precision),
        limits=display_limits(limits) if limits else "",
        recorded=localized(recorded),
        raw_recorded=localized(raw) if rounded else "",
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
    lower, upper = tightest_bounds(usable_limits(limits))
    value = _judged_value(line.recorded_numeric, line.precision)
    target = line.target if line.target is not None and line.target.is_finite() else None
    if value is None:
        return None
    scale = bar_scale(lower.value if lower else None, upper.value if upper else None, target, value)
    if scale is None:
        return None
    icon, label = VERDICT_LABELS.get(line.verdict, ("?", line.verdict))
    arrow = "low" if value < scale.start else "high" if value > scale.end else ""
    return ToleranceBar(
        verdict=line.verdict,
        verdict_label=label,
        verdict_icon=icon,
        band_x=_x(scale, scale.low if scale.low is not None else scale.start),
        band_end_x=_x(scale, scale.high if scale.high is not None else scale.end),
        marker_x=None if arrow else _x(scale, value),
        arrow=arrow,
        lower_text=localized(lower.text()) if lower else "",
        upper_text=localized(upper.text()) if upper else "",
        lower_x=_x(scale, lower.value) if lower else None,
        upper_x=_x(scale, upper.value) if upper else None,
    )


def _judged_value(recorded: Decimal, precision: int | None) -> Decimal | None:
    """The value the verdict judged (rounded to the precision), so the marker sits on the band
    exactly when the value passed."""
    if not recorded.is_finite():
        return None
    places = display_precision(precision)
    try:
        return recorded if places is None else round_half_up(recorded, places)
    except InvalidInput:
        return None


def bar_scale(
    low: Decimal | None, high: Decimal | None, target: Decimal | None, value: Decimal
) -> BarScale | None:
    """The range a tolerance bar draws, from the limits and the target (the value only when
    nothing else gives a width), so that a value far out shows as off the scale.

    Two limits: the band plus a quarter of its width on each side. One limit: the limit a
    quarter of the way in from the failing end and the target three quarters, or, without a
    target on the passing side, the value there (or a tenth of the limit's size when it sits
    on the limit). None when the limits cross (nothing passes) or there are none.
    """
    if low is not None and high is not None:
        if low > high:
            return None
        context = exact_context(low, high)
        margin = context.divide(context.subtract(high, low), 4) or _fallback(low)
        return BarScale(context.subtract(low, margin), context.add(high, margin), low, high)
    limit = low if low is not None else high
    if limit is None:
        return None
    passing = 1 if low is not None else -1  # the direction in which values pass
    if target is not None and (target - limit) * passing > 0:
        reference = target
    elif value != limit:
        reference = value
    else:
        reference = limit + passing * _fallback(limit)
    context = exact_context(limit, reference)
    step = context.divide(context.subtract(reference, limit), 2)  # signed: towards `reference`
    ends = (context.subtract(limit, step), context.add(reference, step))
    return BarScale(min(ends), max(ends), low, high)


def _fallback(limit: Decimal) -> Decimal:
    """A width for a scale that has none: a tenth of the limit's size, or 1 at zero."""
    return abs(limit) / 10 if limit else Decimal(1)


def _x(scale: BarScale, value: Decimal) -> Decimal:
    """The SVG x of `value`, clamped to the scale, to a tenth of a pixel."""
    context = exact_context(scale.start, scale.end, value)
    clamped = min(max(value, scale.start), scale.end)
    fraction = context.divide(
        context.subtract(clamped, scale.start), context.subtract(scale.end, scale.start)
    )
    return (BAR_PAD + fraction * BAR_WIDTH).quantize(_PIXEL)


def limits_by_line(inspection_ids) -> dict[int, list[Limit]]:
    """Each line's limits in their order, for the lines of `inspection_ids`, from one query (a
    prefetch built a queryset per line: a tenth of the detail page)."""
    limits: dict[int, list[Limit]] = {}
    rows = (
        LimitRow.objects.filter(characteristic__inspection_id__in=inspection_ids)
        .order_by("characteristic_id", "position")
        .values_list("characteristic_id", "limit_type", "operator", "value")
    )
    for line_id, limit_type, operator, value in rows:
        limits.setdefault(line_id, []).append(Limit(limit_type, operator, value))
    return limits
