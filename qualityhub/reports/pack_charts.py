"""The review pack's charts as SVG drawn on the server, inline in the PDF's HTML.

They draw the figures the web pages' charts draw (the Pareto's rows and cumulative share as
`pareto_chart` gives them to charts.js, the individuals chart's points and lines as spc-chart.js
gets them), in the same Okabe-Ito colours, with a word or a dash pattern beside each colour so
a black-and-white print still reads. Positions are pixels: a Decimal becomes a float only here,
to be placed; every number a reader reads is printed from the Decimal in the tables beside.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from qualityhub.analytics import spc
from qualityhub.analytics.scorecards import Pareto

BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
GREY = "#555"
WIDTH, HEIGHT = 680, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 46, 14, 58


def _svg(body: list[str], label: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text inside went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'font-family="QualityHub Sans" font-size="9">{"".join(body)}</svg>'
    )


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{escape(v)}"' for key, v in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _short(text: str, length: int = 18) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _axes(left_label: str, right_label: str = "") -> list[str]:
    bottom = HEIGHT - BOTTOM
    parts = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#000" '
        'stroke-width="0.8"/>',
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#000" '
        'stroke-width="0.8"/>',
        _text(10, TOP + 60, left_label, transform=f"rotate(-90 10 {TOP + 60})"),
    ]
    if right_label:
        x = WIDTH - 8
        parts.append(_text(x, TOP + 60, right_label, transform=f"rotate(90 {x} {TOP + 60})"))
    return parts


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def pareto(failures: Pareto) -> SafeString:
    """Bars of each characteristic's failures (left axis), most first, and the cumulative share
    as a line with diamonds (right axis, 0–100 %)."""
    rows = failures.rows
    if not rows:
        return SafeString("")
    top = _nice_max(max(row.count for row in rows))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(rows)
    body = _axes(_("Failures"), _("Cumulative share"))
    for tick in range(5):
        y = TOP + plot_h - plot_h * tick / 4
        body.append(_text(LEFT - 4, y + 3, str(top * tick // 4), text_anchor="end"))
        body.append(_text(WIDTH - RIGHT + 4, y + 3, f"{25 * tick} %"))
    points = []
    for index, row in enumerate(rows):
        x = LEFT + slot * index
        bar_h = plot_h * row.count / top
        body.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{TOP + plot_h - bar_h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{bar_h:.1f}" fill="{BLUE}"/>'
        )
        label_x, label_y = x + slot / 2, HEIGHT - BOTTOM + 10
        body.append(
            _text(
                label_x,
                label_y,
                _short(row.label),
                text_anchor="end",
                transform=f"rotate(-30 {label_x:.1f} {label_y:.1f})",
            )
        )
        share = row.cumulative.percent_value or Decimal(0)
        points.append((x + slot / 2, TOP + plot_h - plot_h * float(share) / 100))
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    body.append(f'<polyline points="{path}" fill="none" stroke="{VERMILLION}" stroke-width="1.5"/>')
    for x, y in points:
        body.append(f'<path d="M{x:.1f} {y - 4:.1f} l4 4 l-4 4 l-4 -4 z" fill="{VERMILLION}"/>')
    return _svg(body, _("Pareto chart of the failures: bars per characteristic, a cumulative line"))


def weekly_trend(weeks: Sequence) -> SafeString:
    """Inspections due per week as bars (left axis), acceptance per week as a line with dots
    (right axis, 0–100 %; a week without decisions has no dot)."""
    if not weeks or not any(week.inspections for week in weeks):
        return SafeString("")
    top = _nice_max(max(week.inspections for week in weeks))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(weeks)
    body = _axes(_("Inspections due"), _("Acceptance"))
    for tick in range(5):
        y = TOP + plot_h - plot_h * tick / 4
        body.append(_text(LEFT - 4, y + 3, str(top * tick // 4), text_anchor="end"))
        body.append(_text(WIDTH - RIGHT + 4, y + 3, f"{25 * tick} %"))
    line: list[tuple[float, float]] = []
    for index, week in enumerate(weeks):
        x = LEFT + slot * index
        bar_h = plot_h * week.inspections / top
        body.append(
            f'<rect x="{x + slot * 0.2:.1f}" y="{TOP + plot_h - bar_h:.1f}" '
            f'width="{slot * 0.6:.1f}" height="{bar_h:.1f}" fill="{BLUE}" fill-opacity="0.55"/>'
        )
        if index % max(1, len(weeks) // 14) == 0:
            label_x, label_y = x + slot / 2, HEIGHT - BOTTOM + 10
            body.append(
                _text(
                    label_x,
                    label_y,
                    formats.date_format(week.start, "SHORT_DATE_FORMAT"),
                    text_anchor="end",
                    transform=f"rotate(-30 {label_x:.1f} {label_y:.1f})",
                )
            )
        share = week.acceptance.percent_value
        if share is not None:
            line.append((x + slot / 2, TOP + plot_h - plot_h * float(share) / 100))
    if line:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
        body.append(f'<polyline points="{path}" fill="none" stroke="{GREEN}" stroke-width="1.5"/>')
        body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{GREEN}"/>' for x, y in line)
    return _svg(body, _("Inspections due per week and the acceptance of each week"))


def individuals(chart: spc.IndividualsChart) -> SafeString:
    """The individuals chart: the values in time order, the centre line, the control limits
    (dashed) and the specification limits (dotted, vermillion); points out of control or out
    of specification as vermillion squares."""
    if not chart.points:
        return SafeString("")
    lines: list[tuple[str, Decimal, str, str]] = []
    if chart.limits:
        lines += [
            (_("Centre x̄"), chart.limits.centre, GREY, ""),
            (_("UCL"), chart.limits.ucl, GREY, "5,3"),
            (_("LCL"), chart.limits.lcl, GREY, "5,3"),
        ]
    if chart.spec.usl is not None:
        lines.append((_("USL"), chart.spec.usl, VERMILLION, "2,2"))
    if chart.spec.lsl is not None:
        lines.append((_("LSL"), chart.spec.lsl, VERMILLION, "2,2"))
    values = [point.value for point in chart.points] + [value for _l, value, _c, _d in lines]
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
    body = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#000" '
        'stroke-width="0.8"/>',
        f'<line x1="{LEFT}" y1="{bottom}" x2="{LEFT + plot_w}" y2="{bottom}" stroke="#000" '
        'stroke-width="0.8"/>',
        _text(LEFT, bottom + 14, _("Values in time order, oldest first")),
    ]
    for label, value, colour, dash in lines:
        y = y_of(value)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="0.8"{dashed}/>'
        )
        body.append(_text(LEFT + plot_w + 4, y + 3, label, fill=colour))
    for tick in (low + margin, high - margin):
        body.append(_text(LEFT - 4, y_of(Decimal(str(tick))) + 3, f"{tick:.4g}", text_anchor="end"))
    coordinates = [(LEFT + step * index, y_of(p.value)) for index, p in enumerate(chart.points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    body.append(f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="1"/>')
    for (x, y), point in zip(coordinates, chart.points, strict=True):
        if point.out_of_control or point.out_of_spec:
            body.append(
                f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{VERMILLION}"/>'
            )
        else:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="{BLUE}"/>')
    return _svg(body, _("Individuals chart with control and specification limits"))
