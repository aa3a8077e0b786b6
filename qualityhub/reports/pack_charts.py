"""The review pack's charts as geometry for SVG drawn on the server, inline in the PDF's HTML.

They draw the figures the web pages' charts draw (the Pareto's rows and cumulative share as
`pareto_chart` gives them to charts.js, the individuals chart's points and lines as spc-chart.js
gets them), in the same Okabe-Ito colours, with a word or a dash pattern beside each colour so
a black-and-white print still reads. This module only places things: the shapes are plain data
that templates/reports/pack/chart.html draws (and escapes). Positions are pixels: a Decimal
becomes a float only here, to be placed; every number a reader reads is printed from the
Decimal in the tables beside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from qualityhub.analytics import spc
from qualityhub.analytics.scorecards import Pareto

BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
GREY = "#555"
BLACK = "#000"
WIDTH, HEIGHT = 680, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 46, 14, 58


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = BLACK
    width: float = 0.8
    dash: str = ""  # an SVG stroke-dasharray, "" for a solid line


@dataclass(frozen=True)
class Text:
    """A text at (x, y), already in the reader's language; `rotate` degrees about (x, y)."""

    x: float
    y: float
    content: str
    anchor: str = ""  # "end" to end at x
    rotate: int = 0
    colour: str = ""


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    opacity: float | None = None


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    colour: str
    width: float


@dataclass(frozen=True)
class Marker:
    """A point's mark centred on (x, y): "circle", "diamond" or "square"."""

    x: float
    y: float
    shape: str
    colour: str
    size: float  # the circle's radius, the diamond's and the square's half width

    @property
    def left(self) -> float:
        return self.x - self.size

    @property
    def top(self) -> float:
        return self.y - self.size

    @property
    def side(self) -> float:
        return self.size * 2


@dataclass(frozen=True)
class Chart:
    """One chart: its accessible name and its shapes, drawn lines first, markers last."""

    label: str
    lines: tuple[Line, ...] = ()
    texts: tuple[Text, ...] = ()
    bars: tuple[Bar, ...] = ()
    polylines: tuple[Polyline, ...] = ()
    markers: tuple[Marker, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT


def _short(text: str, length: int = 18) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _axes(left_label: str, right_label: str = "") -> tuple[list[Line], list[Text]]:
    bottom = HEIGHT - BOTTOM
    lines = [Line(LEFT, TOP, LEFT, bottom), Line(LEFT, bottom, WIDTH - RIGHT, bottom)]
    texts = [Text(10, TOP + 60, left_label, rotate=-90)]
    if right_label:
        texts.append(Text(WIDTH - 8, TOP + 60, right_label, rotate=90))
    return lines, texts


# The plot area of the two bar charts (a count per bar on the left axis, a share on the right).
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def _ticks(top: int) -> list[Text]:
    """The left axis' counts 0…top and the right axis' 0–100 % at five heights."""
    texts = []
    for tick in range(5):
        y = TOP + PLOT_H - PLOT_H * tick / 4
        texts.append(Text(LEFT - 4, y + 3, str(top * tick // 4), anchor="end"))
        texts.append(Text(WIDTH - RIGHT + 4, y + 3, f"{25 * tick} %"))
    return texts


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def _bar(
    x: float, slot: float, count: int, top: int, margin: float, opacity: float | None = None
) -> Bar:
    """The bar of `count` (of an axis up to `top`) in the slot starting at `x`, `margin` of the
    slot left free on each side."""
    bar_h = PLOT_H * count / top
    return Bar(
        x + slot * margin, TOP + PLOT_H - bar_h, slot * (1 - 2 * margin), bar_h, BLUE, opacity
    )


def _share_point(x: float, slot: float, share: Decimal) -> tuple[float, float]:
    """Where a share (0–100 %) sits on the right axis, in the middle of its slot."""
    return (x + slot / 2, TOP + PLOT_H - PLOT_H * float(share) / 100)


def _slot_label(x: float, slot: float, text: str) -> Text:
    return Text(x + slot / 2, HEIGHT - BOTTOM + 10, text, anchor="end", rotate=-30)


def pareto(failures: Pareto) -> Chart | None:
    """Bars of each characteristic's failures (left axis), most first, and the cumulative share
    as a line with diamonds (right axis, 0–100 %); None without failures."""
    rows = failures.rows
    if not rows:
        return None
    top = _nice_max(max(row.count for row in rows))
    slot = PLOT_W / len(rows)
    lines, texts = _axes(_("Failures"), _("Cumulative share"))
    texts += _ticks(top)
    bars, points = [], []
    for index, row in enumerate(rows):
        x = LEFT + slot * index
        bars.append(_bar(x, slot, row.count, top, 0.15))
        texts.append(_slot_label(x, slot, _short(row.label)))
        points.append(_share_point(x, slot, row.cumulative.percent_value or Decimal(0)))
    return Chart(
        label=_("Pareto chart of the failures: bars per characteristic, a cumulative line"),
        lines=tuple(lines),
        texts=tuple(texts),
        bars=tuple(bars),
        polylines=(Polyline(tuple(points), VERMILLION, 1.5),),
        markers=tuple(Marker(x, y, "diamond", VERMILLION, 4) for x, y in points),
    )


def weekly_trend(weeks: Sequence) -> Chart | None:
    """Inspections due per week as bars (left axis), acceptance per week as a line with dots
    (right axis, 0–100 %; a week without decisions has no dot); None without inspections."""
    if not weeks or not any(week.inspections for week in weeks):
        return None
    top = _nice_max(max(week.inspections for week in weeks))
    slot = PLOT_W / len(weeks)
    lines, texts = _axes(_("Inspections due"), _("Acceptance"))
    texts += _ticks(top)
    bars, points = [], []
    for index, week in enumerate(weeks):
        x = LEFT + slot * index
        bars.append(_bar(x, slot, week.inspections, top, 0.2, 0.55))
        if index % max(1, len(weeks) // 14) == 0:
            day = formats.date_format(week.start, "SHORT_DATE_FORMAT")
            texts.append(_slot_label(x, slot, day))
        share = week.acceptance.percent_value
        if share is not None:
            points.append(_share_point(x, slot, share))
    return Chart(
        label=_("Inspections due per week and the acceptance of each week"),
        lines=tuple(lines),
        texts=tuple(texts),
        bars=tuple(bars),
        polylines=(Polyline(tuple(points), GREEN, 1.5),) if points else (),
        markers=tuple(Marker(x, y, "circle", GREEN, 2.5) for x, y in points),
    )


def individuals(chart: spc.IndividualsChart) -> Chart | None:
    """The individuals chart: the values in time order, the centre line, the control limits
    (dashed) and the specification limits (dotted, vermillion); points out of control or out
    of specification as vermillion squares. None without values."""
    if not chart.points:
        return None
    limits: list[tuple[str, Decimal, str, str]] = []
    if chart.limits:
        limits += [
            (_("Centre x̄"), chart.limits.centre, GREY, ""),
            (_("UCL"), chart.limits.ucl, GREY, "5,3"),
            (_("LCL"), chart.limits.lcl, GREY, "5,3"),
        ]
    if chart.spec.usl is not None:
        limits.append((_("USL"), chart.spec.usl, VERMILLION, "2,2"))
    if chart.spec.lsl is not None:
        limits.append((_("LSL"), chart.spec.lsl, VERMILLION, "2,2"))
    values = [point.value for point in chart.points] + [value for _l, value, _c, _d in limits]
    low, high = float(min(values)), float(max(values))
    if high == low:
        high, low = high + 1, low - 1
    margin = (high - low) * 0.08
    low, high = low - margin, high + margin
    plot_w, plot_h = WIDTH - LEFT - RIGHT - 40, HEIGHT - TOP - 30
    bottom = TOP + plot_h

    def y_of(value: Decimal) -> float:
        return bottom - plot_h * (float(value) - low) / (high - low)

    step = plot_w / max(len(chart.points) - 1, 1)
    lines = [Line(LEFT, TOP, LEFT, bottom), Line(LEFT, bottom, LEFT + plot_w, bottom)]
    texts = [Text(LEFT, bottom + 14, _("Values in time order, oldest first"))]
    for label, value, colour, dash in limits:
        y = y_of(value)
        lines.append(Line(LEFT, y, LEFT + plot_w, y, colour, 0.8, dash))
        texts.append(Text(LEFT + plot_w + 4, y + 3, label, colour=colour))
    for tick in (low + margin, high - margin):
        texts.append(Text(LEFT - 4, y_of(Decimal(str(tick))) + 3, f"{tick:.4g}", anchor="end"))
    points = tuple((LEFT + step * index, y_of(p.value)) for index, p in enumerate(chart.points))
    markers = tuple(
        Marker(x, y, "square", VERMILLION, 3)
        if point.out_of_control or point.out_of_spec
        else Marker(x, y, "circle", BLUE, 1.8)
        for (x, y), point in zip(points, chart.points, strict=True)
    )
    return Chart(
        label=_("Individuals chart with control and specification limits"),
        lines=tuple(lines),
        texts=tuple(texts),
        polylines=(Polyline(points, BLUE, 1),),
        markers=markers,
    )
