"""Statistical process control for one characteristic: an individuals chart and capability.

Pure functions over ``Decimal`` (values in time order, limits as
:class:`qualityhub.verdicts.Limit`), small frozen dataclasses out; no Django, no database, no
clock. Arithmetic runs in a local context of at least :data:`CALCULATION_DIGITS` significant
digits (sums and differences are exact); only the text for people is rounded.

Individuals (X) chart by the moving-range method, for values x_1 … x_n in time order::

    x̄      = Σ x_i / n                          centre line
    MR_i   = |x_i − x_{i−1}|, i = 2 … n         the n − 1 moving ranges
    MR̄     = Σ MR_i / (n − 1)
    σ      = MR̄ / d2                            within (short-term) sigma, d2 = 1.128
    UCL    = x̄ + E2 · MR̄                        E2 = 2.66 (3 / d2, as the tables round it)
    LCL    = x̄ − E2 · MR̄
    UCL_MR = D4 · MR̄, LCL_MR = 0                D4 = 3.267 (D3 = 0 for ranges of two)

d2, E2 and D4 are the SPC table constants for subgroups of size 2 (each moving range spans two
consecutive values). A point is out of control when x > UCL or x < LCL; its moving range is
flagged when MR > UCL_MR. Points outside the specification are flagged separately.

Capability against the specification limits LSL / USL (with the same within σ)::

    Cp   = (USL − LSL) / 6σ                      needs both limits
    Cpk  = min(USL − x̄, x̄ − LSL) / 3σ           one-sided: the existing side only, Cp undefined

Both are computed as ``… · d2 / (6 · MR̄)`` (``3 · MR̄``) so that only one division rounds.
σ = 0 (every value equal) leaves Cp and Cpk undefined, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qualityhub.verdicts import MAX_PRECISION, Limit, format_value
from qualityhub.verdicts.display import display_limits, localized
from qualityhub.verdicts.limits import LOWER_OPERATORS, UPPER_OPERATORS, ParsedLimit, parse_limit
from qualityhub.verdicts.numbers import InvalidInput, exact_context

#: SPC table constants for moving ranges of two consecutive values.
D2 = Decimal("1.128")
E2 = Decimal("2.66")
D4 = Decimal("3.267")

#: One moving range is the least that gives MR̄, hence σ and control limits at all.
MIN_POINTS = 2
#: Below this many points Cpk is shown with a warning: even at 25 a Cpk of 1.33 has a 95%
#: confidence interval of about ±0.4, and SPC texts (AIAG, Montgomery) ask for 20–25 points
#: before trusting limits computed from the data.
RELIABLE_POINTS = 25

#: Significant digits kept in divisions (means, σ, Cp, Cpk); sums are exact regardless.
CALCULATION_DIGITS = 50
#: Statistics in the unit of measure get this many decimal places more than the readings have.
EXTRA_PLACES = 2
MAX_STAT_PLACES = 10
#: Cp and Cpk are read against thresholds such as 1.33 and 1.67.
CAPABILITY_PLACES = 2


@dataclass(frozen=True)
class SpecLimits:
    """The specification band: ``lower`` is the LSL (a ``min`` limit with ``>``/``≥``), ``upper``
    the USL (a ``max`` limit with ``<``/``≤``). ``ignored``: the text of limits that bound no
    band (``= 5``, ``≠ 0``, a ``min`` with ``<``, or an unusable limit with its reason)."""

    lower: ParsedLimit | None = None
    upper: ParsedLimit | None = None
    ignored: tuple[str, ...] = ()

    @property
    def lsl(self) -> Decimal | None:
        return self.lower.value if self.lower else None

    @property
    def usl(self) -> Decimal | None:
        return self.upper.value if self.upper else None

    def below(self, value: Decimal) -> bool:
        """The value fails the LSL (``0`` fails ``> 0`` but not ``≥ 0``)."""
        return self.lower is not None and not self.lower.holds_for(value)

    def above(self, value: Decimal) -> bool:
        return self.upper is not None and not self.upper.holds_for(value)


@dataclass(frozen=True)
class ControlLimits:
    """Centre line, moving-range average, within σ and the X and MR control limits."""

    centre: Decimal
    mr_bar: Decimal
    sigma: Decimal
    ucl: Decimal
    lcl: Decimal
    mr_ucl: Decimal


@dataclass(frozen=True)
class Capability:
    """Cp and Cpk; each None with the reason when it cannot be computed."""

    cp: Decimal | None = None
    cpk: Decimal | None = None
    cp_reason: str = ""
    cpk_reason: str = ""


@dataclass(frozen=True)
class ChartPoint:
    value: Decimal
    moving_range: Decimal | None  # None for the first point
    above_ucl: bool = False
    below_lcl: bool = False
    range_above_ucl: bool = False
    below_lsl: bool = False
    above_usl: bool = False

    @property
    def out_of_control(self) -> bool:
        return self.above_ucl or self.below_lcl

    @property
    def out_of_spec(self) -> bool:
        return self.below_lsl or self.above_usl

    @property
    def flags(self) -> tuple[str, ...]:
        """What is wrong with the point, in words (for the table and the tooltip)."""
        named = (
            (self.above_ucl, _("above UCL")),
            (self.below_lcl, _("below LCL")),
            (self.range_above_ucl, _("moving range above its UCL")),
            (self.above_usl, _("above USL")),
            (self.below_lsl, _("below LSL")),
        )
        return tuple(text for flagged, text in named if flagged)


@dataclass(frozen=True)
class IndividualsChart:
    points: tuple[ChartPoint, ...]
    mean: Decimal | None  # None without points
    limits: ControlLimits | None  # None below MIN_POINTS
    spec: SpecLimits
    capability: Capability
    notes: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.points)


# --- calculation ---------------------------------------------------------------------------


def _context(*numbers: Decimal) -> Context:
    """Exact for sums and differences of ``numbers``, and wide for divisions."""
    context = exact_context(*numbers)
    context.prec = max(context.prec, CALCULATION_DIGITS)
    return context


def _mean(values: Sequence[Decimal], context: Context) -> Decimal:
    total = Decimal(0)
    for value in values:
        total = context.add(total, value)
    return context.divide(total, len(values))


def moving_ranges(values: Sequence[Decimal]) -> list[Decimal]:
    """``|x_i − x_{i−1}|`` for each value after the first (exact)."""
    if len(values) < 2:
        return []
    context = _context(*values)
    return [context.subtract(b, a).copy_abs() for a, b in zip(values, values[1:], strict=False)]


def control_limits(values: Sequence[Decimal]) -> ControlLimits | None:
    """The individuals and moving-range limits (formulas in the module docstring); None for
    fewer than :data:`MIN_POINTS` values."""
    if len(values) < MIN_POINTS:
        return None
    context = _context(*values)
    centre = _mean(values, context)
    mr_bar = _mean(moving_ranges(values), context)
    spread = context.multiply(E2, mr_bar)
    return ControlLimits(
        centre=centre,
        mr_bar=mr_bar,
        sigma=context.divide(mr_bar, D2),
        ucl=context.add(centre, spread),
        lcl=context.subtract(centre, spread),
        mr_ucl=context.multiply(D4, mr_bar),
    )


def spec_limits(limits: Iterable[Limit]) -> SpecLimits:
    """The band from a characteristic's limits: the tightest ``min`` ``gt``/``ge`` is the LSL,
    the tightest ``max`` ``lt``/``le`` the USL; everything else is listed in ``ignored``."""
    lower: ParsedLimit | None = None
    upper: ParsedLimit | None = None
    ignored: list[str] = []
    for raw in limits:
        try:
            limit = parse_limit(raw)
        except InvalidInput as error:
            ignored.append(f"{display_limits([raw])} ({error})")
            continue
        # At equal values the strict operator is the tighter one (> 5 excludes 5, ≥ 5 not).
        tightness = (limit.value, limit.operator == "gt")
        if limit.limit_type == "min" and limit.operator in LOWER_OPERATORS:
            if lower is None or tightness > (lower.value, lower.operator == "gt"):
                lower = limit
        elif limit.limit_type == "max" and limit.operator in UPPER_OPERATORS:
            if upper is None or (-limit.value, limit.operator == "lt") > (
                -upper.value,
                upper.operator == "lt",
            ):
                upper = limit
        else:
            ignored.append(f"{limit.limit_type} {localized(limit.text())}")
    return SpecLimits(lower, upper, tuple(ignored))


def capability(limits: ControlLimits | None, spec: SpecLimits) -> Capability:
    """Cp and Cpk from the control limits' centre and MR̄ (formulas in the module docstring)."""
    if limits is None:
        reason = _("needs at least %(n)s points") % {"n": MIN_POINTS}
        return Capability(cp_reason=reason, cpk_reason=reason)
    lsl, usl = spec.lsl, spec.usl
    if lsl is None and usl is None:
        reason = _("no spec limits (a min > or ≥, or a max < or ≤)")
        return Capability(cp_reason=reason, cpk_reason=reason)
    if lsl is not None and usl is not None and usl <= lsl:
        reason = _("the USL is not above the LSL")
        return Capability(cp_reason=reason, cpk_reason=reason)
    if limits.mr_bar.is_zero():
        reason = _("σ is 0: every value is the same")
        return Capability(cp_reason=reason, cpk_reason=reason)
    bounds = [bound for bound in (lsl, usl) if bound is not None]
    context = _context(limits.centre, limits.mr_bar, *bounds)
    # 3σ = 3·MR̄/d2, so x / 3σ = x·d2 / (3·MR̄): one rounding division instead of two.
    three_sigma = context.multiply(3, limits.mr_bar)

    def per_three_sigma(distance: Decimal) -> Decimal:
        return context.divide(context.multiply(distance, D2), three_sigma)

    sides = []
    if usl is not None:
        sides.append(per_three_sigma(context.subtract(usl, limits.centre)))
    if lsl is not None:
        sides.append(per_three_sigma(context.subtract(limits.centre, lsl)))
    cpk = min(sides)
    if lsl is None or usl is None:
        return Capability(cpk=cpk, cp_reason=_("needs both an LSL and a USL"))
    cp = context.divide(context.multiply(context.subtract(usl, lsl), D2), 2 * three_sigma)
    return Capability(cp=cp, cpk=cpk)


def individuals_chart(values: Sequence[Decimal], limits: Iterable[Limit] = ()) -> IndividualsChart:
    """The whole chart for finite ``values`` in time order against the spec ``limits``."""
    if any(not value.is_finite() for value in values):
        raise ValueError("SPC needs finite values")
    spec = spec_limits(limits)
    control = control_limits(values)
    ranges: list[Decimal | None] = [None, *moving_ranges(values)] if values else []
    points = tuple(
        _point(value, mr, control, spec) for value, mr in zip(values, ranges, strict=True)
    )
    mean = control.centre if control else (values[0] if values else None)
    return IndividualsChart(
        points=points,
        mean=mean,
        limits=control,
        spec=spec,
        capability=capability(control, spec),
        notes=_notes(len(values), spec),
    )


def _point(
    value: Decimal, mr: Decimal | None, control: ControlLimits | None, spec: SpecLimits
) -> ChartPoint:
    return ChartPoint(
        value=value,
        moving_range=mr,
        above_ucl=control is not None and value > control.ucl,
        below_lcl=control is not None and value < control.lcl,
        range_above_ucl=control is not None and mr is not None and mr > control.mr_ucl,
        below_lsl=spec.below(value),
        above_usl=spec.above(value),
    )


def _notes(n: int, spec: SpecLimits) -> tuple[str, ...]:
    notes = []
    if n == 0:
        notes.append(_("No recorded values."))
    elif n < MIN_POINTS:
        notes.append(
            ngettext(
                "At least %(min)s points are needed for control limits, σ, Cp and Cpk; "
                "there is %(n)s.",
                "At least %(min)s points are needed for control limits, σ, Cp and Cpk; "
                "there are %(n)s.",
                n,
            )
            % {"min": MIN_POINTS, "n": n}
        )
    elif n < RELIABLE_POINTS:
        notes.append(
            _("Too few points for a reliable Cpk: %(n)s used, at least %(min)s recommended.")
            % {"n": n, "min": RELIABLE_POINTS}
        )
    for text in spec.ignored:
        notes.append(
            _(
                "The limit %(limit)s gives no spec band (only a min > or ≥ and a max < or ≤ do); "
                "it is not used for the spec lines, flags or Cp/Cpk."
            )
            % {"limit": text}
        )
    return tuple(notes)


# --- display -------------------------------------------------------------------------------


def stat_places(values: Iterable[Decimal], precision: int | None = None) -> int:
    """Decimal places for statistics in the unit of measure: :data:`EXTRA_PLACES` more than
    the readings have (the characteristic's precision when valid, else the most places any
    value has once trailing zeros are dropped), at most :data:`MAX_STAT_PLACES`."""
    if precision is not None and 0 <= precision <= MAX_PRECISION:
        places = precision
    else:
        places = max((_places(value) for value in values if value.is_finite()), default=0)
    return min(places + EXTRA_PLACES, MAX_STAT_PLACES)


def _places(value: Decimal) -> int:
    """Decimal places once trailing zeros are dropped: ``12.0000000000`` → 0, ``0.320`` → 2."""
    if value.is_zero():
        return 0
    _, digits, exponent = value.as_tuple()
    text = "".join(map(str, digits))
    return max(0, -(int(exponent) + len(text) - len(text.rstrip("0"))))


def stat_text(value: Decimal | None, places: int) -> str:
    """A statistic rounded half up to ``places`` (``11.6`` at 2 → ``11.60``); ``''`` for None."""
    return format_value(value, places) if value is not None else ""


def capability_text(value: Decimal | None) -> str:
    return stat_text(value, CAPABILITY_PLACES)
