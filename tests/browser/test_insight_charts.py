"""The charts match their tables and read in both colour modes, in Chromium: a supplier's Pareto
drawn beside its table, the moving-range chart under the individuals chart, and the axes and
legends in light text once the page turns dark."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qualityhub.inspections.models import Characteristic, Inspection, Limit
from tests.browser.conftest import sign_in_through_form

pytestmark = pytest.mark.browser

SUPPLIER = 3
# Failures by characteristic: a Pareto of four rows, most first.
FAILURES = {"Length": 5, "Hardness": 3, "Width": 2, "Weight": 1}
VALUES = "10 11 10 11 10 11 10 11 10 20"  # the last value and its moving range stand out


@pytest.fixture
def failing_supplier(engineer) -> None:
    """Inspections of SUPPLIER due yesterday with FAILURES, and a passing line each."""
    due = timezone.now() - timedelta(days=1)
    line_id = 1000
    for n, (name, count) in enumerate(FAILURES.items(), start=1):
        inspection = Inspection.objects.create(
            coupa_id=n, supplier_id=SUPPLIER, item_id=7, item_name="Bracket", due_date=due
        )
        for verdict in ["fail"] * count + ["pass"]:
            line_id += 1
            Characteristic.objects.create(
                coupa_id=line_id,
                inspection=inspection,
                name=name,
                verdict=verdict,
                is_quantitative=True,
            )


@pytest.fixture
def measured_series(engineer) -> None:
    start = timezone.now() - timedelta(days=30)
    for n, value in enumerate(VALUES.split(), start=1):
        inspection = Inspection.objects.create(
            coupa_id=100 + n,
            supplier_id=SUPPLIER,
            item_id=8,
            item_name="Flange",
            due_date=start,
            request_date=start + timedelta(days=n),
        )
        line = Characteristic.objects.create(
            coupa_id=100 + n,
            inspection=inspection,
            name="Diameter",
            is_quantitative=True,
            value_type="numeric",
            precision=2,
            recorded_numeric=Decimal(value),
        )
        Limit.objects.create(characteristic=line, limit_type="max", operator="le", value=30)


def watch_errors(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


# Colours the chart draws its axes and legend in, as Chart.js holds them.
INK = """(selector) => {
    const options = Chart.getChart(document.querySelector(selector)).options;
    const scales = Object.values(options.scales);
    return {
        ticks: [...new Set(scales.map((scale) => scale.ticks.color))],
        titles: [...new Set(scales.map((scale) => scale.title.color))],
        legend: options.plugins.legend.labels.color,
        page: getComputedStyle(document.body).color,
    };
}"""


def luminance(colour: str) -> float:
    """Relative luminance (0 black … 1 white) of "#rrggbb" or "rgb(r, g, b)"."""
    if colour.startswith("#") and len(colour) == 4:
        channels = [int(digit * 2, 16) for digit in colour[1:]]
    elif colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [int(part) for part in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [
        (c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def set_theme(page, theme: str, charts: list[str]) -> dict[str, dict]:
    """Switch the colour mode as Bootstrap's toggle does, wait for the charts (CSS selectors of
    their canvases) to be drawn again, and read their colours."""
    page.evaluate(
        """([theme, charts]) => {
            document.documentElement.dataset.bsTheme = theme;
            charts.forEach((chart) => { document.querySelector(chart).dataset.ready = "stale"; });
        }""",
        [theme, charts],
    )
    for chart in charts:
        expect(page.locator(f'{chart}[data-ready="true"]')).to_have_count(1)
    return {chart: page.evaluate(INK, chart) for chart in charts}


def assert_readable(ink: dict, theme: str) -> None:
    colours = [*ink["ticks"], *ink["titles"], ink["legend"]]
    if theme == "dark":
        assert all(luminance(colour) > 0.5 for colour in colours), ink
        assert luminance(ink["page"]) > 0.5  # the page itself went dark too
    else:
        assert all(luminance(colour) < 0.1 for colour in colours), ink


def test_the_pareto_chart_beside_its_table_draws_the_tables_rows(
    page, live_server, failing_supplier
) -> None:
    problems = watch_errors(page)
    sign_in_through_form(page, live_server, f"/suppliers/{SUPPLIER}/")

    table = page.get_by_test_id("pareto")
    canvas = page.locator('#pareto-chart[data-ready="true"]')
    expect(canvas).to_be_visible()
    expect(canvas).to_have_accessible_name(
        "Pareto chart of the failures of Supplier 3: one bar per characteristic, most failures "
        "first, and a line for the cumulative share of all failures. The same figures are in "
        "the table beside it."
    )
    chart_box, table_box = canvas.bounding_box(), table.bounding_box()
    assert chart_box and table_box and chart_box["width"] > 300 and chart_box["height"] > 200
    assert chart_box["x"] + chart_box["width"] <= table_box["x"], "the chart is beside the table"
    assert chart_box["y"] < table_box["y"] + table_box["height"]

    rows = [
        {
            "label": row.locator("th").evaluate("th => th.firstChild.textContent.trim()"),
            "count": int(row.locator("td").nth(0).inner_text()),
            "cumulative": row.locator("td").nth(2).inner_text().rstrip("%"),
        }
        for row in table.locator("tbody tr").all()
    ]
    assert [row["label"] for row in rows] == list(FAILURES)
    page_data = page.evaluate(
        "() => JSON.parse(document.getElementById('pareto-data').textContent)"
    )
    drawn = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.getElementById("pareto-chart"));
            return {
                labels: chart.data.labels,
                bars: chart.data.datasets[0].data,
                line: chart.data.datasets[1].data,
                types: chart.data.datasets.map((dataset) => dataset.type || chart.config.type),
                heights: chart.getDatasetMeta(0).data.map((bar) => bar.height),
                lineMax: chart.scales.share.max,
            };
        }"""
    )
    assert page_data["labels"] == drawn["labels"] == [row["label"] for row in rows]
    assert page_data["counts"] == drawn["bars"] == [row["count"] for row in rows] == [5, 3, 2, 1]
    assert page_data["cumulative"] == [row["cumulative"] for row in rows]
    assert drawn["line"] == [float(row["cumulative"]) for row in rows]
    assert drawn["types"] == ["bar", "line"]
    assert drawn["heights"] == sorted(drawn["heights"], reverse=True), "tallest bar first"
    assert drawn["lineMax"] == 100
    assert problems == []


def test_the_moving_range_chart_sits_under_the_individuals_chart(
    page, live_server, measured_series
) -> None:
    problems = watch_errors(page)
    sign_in_through_form(page, live_server, "/trends/")
    page.goto(f"{live_server.url}/trends/?item=8&characteristic=Diameter")

    individuals = page.locator('#spc-chart[data-ready="true"]')
    ranges = page.locator('#mr-chart[data-ready="true"]')
    expect(individuals).to_be_visible()
    expect(ranges).to_be_visible()
    expect(ranges).to_have_accessible_name(
        "Moving-range chart of Diameter: the 9 differences between consecutive values, with "
        "their mean (MR̄) and upper control limit. The same data is in the table below."
    )
    upper, lower = individuals.bounding_box(), ranges.bounding_box()
    assert upper and lower and lower["height"] > 80
    assert lower["y"] >= upper["y"] + upper["height"], "the MR chart is under the X chart"
    assert abs(lower["x"] - upper["x"]) < 20 and abs(lower["width"] - upper["width"]) < 40

    drawn = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.getElementById("mr-chart"));
            return {
                labels: chart.data.datasets.map((dataset) => dataset.label),
                ranges: chart.data.datasets[0].data,
                styles: chart.getDatasetMeta(0).data.map((point) => point.options.pointStyle),
                xLabels: chart.data.labels,
                individualsLabels: Chart.getChart(document.getElementById("spc-chart")).data.labels,
            };
        }"""
    )
    cells = page.get_by_test_id("points").locator("tbody tr td:nth-child(6)")
    table_ranges = [cell.inner_text() for cell in cells.all()]
    assert table_ranges[0] == "–" and drawn["ranges"][0] is None
    assert [float(text) for text in table_ranges[1:]] == drawn["ranges"][1:]
    assert drawn["labels"] == ["Moving range", "MR̄ 2.0000", "MR UCL 6.5340", "Above the MR UCL"]
    assert drawn["styles"][-1] == "triangle" and set(drawn["styles"][1:-1]) == {"circle"}
    assert drawn["xLabels"] == drawn["individualsLabels"]
    assert problems == []


def test_every_chart_reads_in_dark_mode_and_back(
    page, live_server, failing_supplier, measured_series
) -> None:
    problems = watch_errors(page)
    sign_in_through_form(page, live_server, f"/suppliers/{SUPPLIER}/")
    pareto = ["#pareto-chart"]
    expect(page.locator('#pareto-chart[data-ready="true"]')).to_be_visible()
    assert_readable(page.evaluate(INK, pareto[0]), "light")
    assert_readable(set_theme(page, "dark", pareto)[pareto[0]], "dark")
    assert_readable(set_theme(page, "light", pareto)[pareto[0]], "light")

    page.goto(f"{live_server.url}/trends/?item=8&characteristic=Diameter")
    expect(page.locator('#mr-chart[data-ready="true"]')).to_be_visible()
    for ink in set_theme(page, "dark", ["#spc-chart", "#mr-chart"]).values():
        assert_readable(ink, "dark")
    values = page.evaluate(
        "() => Chart.getChart(document.getElementById('spc-chart')).data.datasets[0].borderColor"
    )
    assert luminance(values) > 0.3, "the values' blue is light enough on the dark background"

    page.goto(f"{live_server.url}/")
    overview = ['canvas[data-chart="trend"]', 'canvas[data-chart="stages"]']
    for chart in overview:
        expect(page.locator(f'{chart}[data-ready="true"]')).to_be_visible()
        assert_readable(page.evaluate(INK, chart), "light")
    for ink in set_theme(page, "dark", overview).values():
        assert_readable(ink, "dark")
    assert problems == []
