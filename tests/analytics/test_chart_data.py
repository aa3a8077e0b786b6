"""What the charts draw is what the tables say: the Pareto's bars and cumulative line from the
supplier page's rows, and the moving-range chart from the trend's moving ranges and MR limits."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from qualityhub.analytics.scorecards import FailureGroup, Ratio, pareto, pareto_chart
from tests.analytics.scorecard_world import NOW  # noqa: F401 (the clock frozen stops at)
from tests.analytics.trend_series import chart_data, page, series, stat


def json_script(html: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found, f"the page carries no {element_id}"
    return json.loads(found[1])


def table_cells(html: str, testid: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S)
    assert table, f"the page has no {testid} table"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table[0].split("<tbody>")[1], re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]


def inline_scripts(html: str) -> list[str]:
    return [
        tag
        for tag in re.findall(r"<script[^>]*>", html)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]


# --- the Pareto -----------------------------------------------------------------------------


def failures(name: str, count: int, code: str = "") -> FailureGroup:
    return FailureGroup(7, "Bolt", name, code, "", not code, count)


def test_the_pareto_chart_carries_the_rows_in_their_order_with_the_running_share() -> None:
    groups = [failures("Width", 1), failures("Length", 4), failures("Color", 1, "RED")]
    assert pareto_chart(pareto(groups)) == {
        "labels": ["Length", "Color · code RED", "Width"],
        "counts": [4, 1, 1],
        "cumulative": ["66.7", "83.3", "100.0"],
    }


def test_the_pareto_chart_stops_where_the_table_does() -> None:
    groups = [failures(f"Feature {n}", 20 - n) for n in range(12)]
    chart = pareto_chart(pareto(groups, size=10))
    assert len(chart["labels"]) == 10 and chart["counts"][0] == 20
    assert chart["cumulative"][-1] != "100.0"  # two smaller groups are left out


@pytest.mark.parametrize(
    ("part", "whole", "value", "text"),
    [(2, 3, Decimal("66.7"), "66.7%"), (1, 8, Decimal("12.5"), "12.5%"), (0, 0, None, "—")],
)
def test_a_ratio_is_one_percentage_for_table_and_chart(part, whole, value, text) -> None:
    assert Ratio(part, whole).percent_value == value
    assert Ratio(part, whole).percent == text


@pytest.mark.usefixtures("no_cached_ranking")
def test_the_supplier_page_draws_its_pareto_from_the_tables_rows(grace, world) -> None:
    html = grace.get("/suppliers/1/").content.decode()
    chart = json_script(html, "pareto-data")
    rows = table_cells(html, "pareto")
    assert [re.sub(r"\s+\(.*\)$", "", row[0]) for row in rows] == chart["labels"]
    assert [int(row[1]) for row in rows] == chart["counts"] == [3, 2, 1]
    assert [row[3].rstrip("%") for row in rows] == chart["cumulative"] == ["50.0", "83.3", "100.0"]
    assert 'id="pareto-chart"' in html and 'aria-describedby="pareto-caption"' in html
    assert "/static/qualityhub/chart-theme.js" in html and "/static/qualityhub/charts.js" in html
    assert inline_scripts(html) == []


@pytest.mark.usefixtures("no_cached_ranking")
def test_a_supplier_without_failures_has_no_pareto_chart(grace, world) -> None:
    html = grace.get("/suppliers/2/").content.decode()
    assert "pareto-data" not in html and "pareto-chart" not in html


# --- the moving-range chart ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_moving_range_chart_carries_the_tables_ranges_and_the_mr_limits(signed_in) -> None:
    series("10 12 11 13 12")
    html = page(signed_in, item=7, characteristic="Diameter")
    data = chart_data(html)
    assert [point["range"] for point in data["points"]] == [None, "2", "1", "2", "1"]
    assert [row[5] for row in table_cells(html, "points")] == [
        "–",
        *(point["rangeText"] for point in data["points"][1:]),
    ]
    assert [point["rangeText"] for point in data["points"]][1:] == [
        "2.0000",
        "1.0000",
        "2.0000",
        "1.0000",
    ]
    lines = {line["key"]: (line["label"], line["value"]) for line in data["rangeLines"]}
    assert lines == {
        "mr_bar": (f"MR̄ {stat(html, 'mr-bar')}", "1.5"),
        "mr_ucl": (f"MR UCL {stat(html, 'mr-ucl')}", "4.9005"),
    }
    assert not any(point["rangeAboveUcl"] for point in data["points"])
    assert html.index('id="spc-chart"') < html.index('id="mr-chart"')


@pytest.mark.django_db
def test_a_jump_flags_its_moving_range_above_the_mr_ucl(signed_in) -> None:
    series("10 10 10 10 20")  # MR̄ = 2.5, MR UCL = 8.1675: the last range, 10, is above it
    data = chart_data(page(signed_in, item=7, characteristic="Diameter"))
    assert [point["rangeAboveUcl"] for point in data["points"]] == [False] * 4 + [True]
    assert "moving range above its UCL" in data["points"][-1]["flags"]


@pytest.mark.django_db
def test_one_point_has_no_moving_range_chart(signed_in) -> None:
    series("10")
    html = page(signed_in, item=7, characteristic="Diameter")
    assert 'id="mr-chart"' not in html and "rangeLines" not in html
    assert inline_scripts(html) == []
