"""The trend page in German: people read decimal commas, the chart's script reads points."""

from __future__ import annotations

import pytest

from tests.analytics.trend_series import chart_data, series, stat


@pytest.mark.django_db
def test_the_trend_chart_data_stays_point_decimal_in_german(signed_in):
    series("10.5 11.25 10 11 10.5")
    params = {"item": 7, "characteristic": "Diameter"}
    german = signed_in.get("/trends/", params, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    data = chart_data(german)
    assert [point["value"] for point in data["points"]] == ["10.5", "11.25", "10", "11", "10.5"]
    assert data["points"][0]["text"] == "10,50"  # the tooltip people read (precision 2)
    assert data["points"][0]["label"].startswith("01.01.2025")
    assert all("," not in line["value"] for line in data["lines"] + data["rangeLines"])
    assert "," in stat(german, "mean") and "." not in stat(german, "mean")
    assert ">11,25</td>" in german
    english = signed_in.get("/trends/", params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert chart_data(english)["points"][0]["text"] == "10.50"
    assert chart_data(english)["points"][0]["label"].startswith("2025-01-01")
    assert "." in stat(english, "mean") and ">11.25</td>" in english
