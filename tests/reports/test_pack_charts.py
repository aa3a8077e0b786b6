"""The review pack's charts: the geometry pack_charts computes, and the SVG the templates draw."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from qualityhub.analytics import spc
from qualityhub.analytics.scorecards import Pareto, ParetoRow, Ratio
from qualityhub.reports import pack_charts

HOSTILE = "<script>&\"'"
SVG = "{http://www.w3.org/2000/svg}"


def failures(*named_counts: tuple[str, int]) -> Pareto:
    total = sum(count for _name, count in named_counts)
    rows, running = [], 0
    for name, count in named_counts:
        running += count
        rows.append(
            ParetoRow(name, "", "", count, Ratio(count, total), Ratio(running, total), (), 0)
        )
    return Pareto(tuple(rows), total, 0, 0)


def test_the_pareto_bars_are_as_high_as_their_counts_and_the_line_ends_at_100_percent() -> None:
    chart = pack_charts.pareto(failures(("Bore", 6), ("Length", 3), ("Finish", 1)))
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == pytest.approx(2 * heights[1]) == pytest.approx(6 * heights[2])
    bottom = pack_charts.HEIGHT - pack_charts.BOTTOM
    assert all(bar.y + bar.height == pytest.approx(bottom) for bar in chart.bars)
    (line,) = chart.polylines
    assert line.points[-1][1] == pytest.approx(pack_charts.TOP)  # 100 %: the plot's top
    assert [marker.shape for marker in chart.markers] == ["diamond"] * 3
    assert [text.content for text in chart.texts if text.rotate == -30] == [
        "Bore",
        "Length",
        "Finish",
    ]


def test_a_chart_of_no_data_is_not_drawn() -> None:
    assert pack_charts.pareto(failures()) is None
    assert pack_charts.weekly_trend([]) is None
    assert pack_charts.individuals(spc.individuals_chart([])) is None


def test_the_individuals_chart_marks_points_beyond_the_limits_as_squares() -> None:
    values = [Decimal("10.0")] * 12 + [Decimal("10.1"), Decimal("9.9")] * 6 + [Decimal("14")]
    chart = pack_charts.individuals(spc.individuals_chart(values))
    assert len(chart.markers) == len(values)
    assert chart.markers[-1].shape == "square" and chart.markers[-1].colour == "#D55E00"
    assert {text.content for text in chart.texts} >= {"Centre x̄", "UCL", "LCL"}
    assert [line.dash for line in chart.lines[2:]] == ["", "5,3", "5,3"]


def test_a_hostile_name_comes_out_escaped_in_the_svg() -> None:
    chart = pack_charts.pareto(failures((HOSTILE, 2), ("Bore", 1)))
    svg = render_to_string("reports/pack/chart.html", {"chart": chart})
    assert "<script>" not in svg
    assert "&lt;script&gt;&amp;&quot;&#x27;" in svg
    root = ET.fromstring(svg)  # well-formed: the name could not break out of its element
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert HOSTILE in texts
    assert len(list(root.iter(f"{SVG}rect"))) == 2
    assert root.get("width") == "680" and root.get("aria-label") == chart.label
