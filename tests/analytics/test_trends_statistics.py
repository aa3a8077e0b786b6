"""The trends page's statistics and chart: the hand-worked series, the chart's data and lines, its
script, and the spec limits (too few points, eq limits, limits that changed)."""

from __future__ import annotations

import re

import pytest

from tests.analytics.trend_series import (
    chart_data,
    inspect,
    measure,
    page,
    series,
    stat,
)

pytestmark = pytest.mark.django_db


def test_the_hand_worked_series_shows_its_statistics(signed_in) -> None:
    series("10 12 11 13 12")
    html = page(signed_in, item=7, characteristic="Diameter")
    assert "Bracket · Diameter" in html
    # Precision 2, so statistics at 4 places; the values are worked out in test_spc.py.
    expected = {
        "n": "5",
        "mean": "11.6000",
        "mr-bar": "1.5000",
        "sigma": "1.3298",
        "ucl": "15.5900",
        "lcl": "7.6100",
        "mr-ucl": "4.9005",
        "lsl": "≥ 5.00",
        "usl": "≤ 18.00",
        "cp": "1.63",
        "cpk": "1.60",
    }
    assert {name: stat(html, name) for name in expected} == expected
    assert "Too few points for a reliable Cpk: 5 used, at least 25 recommended." in html


def test_the_chart_data_carries_decimal_text_and_the_lines(signed_in) -> None:
    series("10 12 11 13 12")
    data = chart_data(page(signed_in, item=7, characteristic="Diameter"))
    assert [point["value"] for point in data["points"]] == ["10", "12", "11", "13", "12"]
    assert data["points"][0]["text"] == "10.00"
    lines = {line["key"]: (line["label"], line["value"]) for line in data["lines"]}
    assert lines["centre"] == ("Centre x̄ 11.6000", "11.6")
    assert lines["ucl"] == ("UCL 15.5900", "15.59")
    assert lines["lcl"] == ("LCL 7.6100", "7.61")
    assert lines["usl"] == ("USL ≤ 18.00", "18")
    assert lines["lsl"] == ("LSL ≥ 5.00", "5")


def test_the_page_loads_its_chart_script_without_inline_script(signed_in) -> None:
    series("10 12")
    html = page(signed_in, item=7, characteristic="Diameter")
    assert "/static/qualityhub/spc-chart.js" in html
    assert "/static/vendor/chartjs-4.6.1/chart.umd.min.js" in html
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts == [' id="spc-data" type="application/json"']
    assert " style=" not in html and "<style" not in html


def test_a_single_point_shows_no_limits_and_says_why(signed_in) -> None:
    series("10")
    html = page(signed_in, item=7, characteristic="Diameter")
    assert stat(html, "ucl") == "–" and stat(html, "mean") == "10.0000"
    assert stat(html, "cpk") == "– needs at least 2 points"
    assert "At least 2 points are needed" in html


def test_eq_limits_give_no_band_and_say_so(signed_in) -> None:
    series("10 12 11", limits=(("min", "eq", "11"),))
    html = page(signed_in, item=7, characteristic="Diameter")
    assert stat(html, "lsl") == "none" and stat(html, "usl") == "none"
    assert "The limit min = 11 gives no spec band" in html
    assert stat(html, "cpk").startswith("– no spec limits")


def test_the_latest_points_limits_are_used_and_a_change_is_noted(signed_in) -> None:
    series("10 12", limits=(("max", "le", "15"),))
    measure(inspect(3, 5), "11", limits=(("max", "le", "20"),))
    html = page(signed_in, item=7, characteristic="Diameter")
    assert stat(html, "usl") == "≤ 20.00"
    assert "Limits of the latest point: ≤ 20.00" in html
    assert "2 of 3 points had limits other than the latest (≤ 20)" in html


def test_the_same_limits_written_differently_are_not_a_change(signed_in) -> None:
    series("10 12")
    measure(inspect(3, 5), "11", limits=(("MIN", "GE", "5.000"), ("max", "le", "18")))
    assert "limits changed" not in page(signed_in, item=7, characteristic="Diameter")
