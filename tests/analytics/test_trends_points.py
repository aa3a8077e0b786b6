"""The trends page's points: their order, which are left out, the supplier filter, links to the
inspections, flags beyond the limits, the latest 200, and Coupa's names escaped."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qualityhub.inspections.models import Characteristic, Inspection
from tests.analytics.trend_series import (
    START,
    D,
    chart_data,
    inspect,
    measure,
    page,
    series,
    stat,
    table_ids,
)

pytestmark = pytest.mark.django_db


def test_points_are_in_time_order_by_request_date_then_creation(signed_in) -> None:
    # Requested on day 5, 1, 3; one with only a creation date (day 2); one with neither.
    for coupa_id, day in ((31, 5), (32, 1), (33, 3)):
        measure(inspect(coupa_id, day), "10")
    measure(inspect(34, None, created_day=2), "11")
    measure(inspect(35, None), "12")
    html = page(signed_in, item=7, characteristic="Diameter")
    assert table_ids(html) == [35, 32, 34, 33, 31]
    labels = [point["label"] for point in chart_data(html)["points"]]
    assert labels == [
        "undated · #35",
        "2025-01-02 · #32",
        "2025-01-03 · #34",
        "2025-01-04 · #33",
        "2025-01-06 · #31",
    ]


def test_gone_inspections_are_left_out(signed_in) -> None:
    series("10 12 11")
    measure(inspect(99, 10, gone=True), "50")
    html = page(signed_in, item=7, characteristic="Diameter")
    assert table_ids(html) == [1, 2, 3]
    assert stat(html, "n") == "3"


def test_qualitative_and_unrecorded_characteristics_are_left_out(signed_in) -> None:
    series("10 12")
    measure(inspect(50, 10), "3", quantitative=False, value_type="none")
    measure(inspect(51, 11), "1", quantitative=None, value_type="choice")
    measure(inspect(52, 12), None)
    measure(inspect(53, 13), "40", name="Diameter 2")
    measure(inspect(54, 14, item=8), "40")
    measure(inspect(55, 15), "11", quantitative=None)  # Coupa left isQuantitative out
    html = page(signed_in, item=7, characteristic="Diameter")
    assert table_ids(html) == [1, 2, 55]


def test_the_supplier_filter_keeps_one_suppliers_points(signed_in) -> None:
    series("10 12", supplier=1, first_id=1)
    series("20 22", supplier=2, first_id=11)
    html = page(signed_in, item=7, characteristic="Diameter", supplier=2)
    assert table_ids(html) == [11, 12]
    assert "item 7 · Supplier 2" in html  # the directory knows no name: the fallback
    assert '<option value="1">Supplier 1</option>' in html
    assert '<option value="2" selected>Supplier 2</option>' in html
    everyone = [1, 11, 2, 12]
    assert table_ids(page(signed_in, item=7, characteristic="Diameter")) == everyone
    # "All suppliers" in the select sends an empty supplier.
    assert table_ids(page(signed_in, item=7, characteristic="Diameter", supplier="")) == everyone


def test_each_point_links_to_its_inspection(signed_in) -> None:
    series("10 12 11", first_id=21)
    html = page(signed_in, item=7, characteristic="Diameter")
    for coupa_id in (21, 22, 23):
        assert f'<a href="/inspections/{coupa_id}/">{coupa_id}</a>' in html
    urls = [point["url"] for point in chart_data(html)["points"]]
    assert urls == ["/inspections/21/", "/inspections/22/", "/inspections/23/"]


def test_points_beyond_the_limits_are_flagged_in_table_and_data(signed_in) -> None:
    # x̄ = 11.4, MR̄ = 2, UCL = 16.72 (see test_spc.py); 20 is also above the USL of 18.
    series("10 11 10 11 10 11 10 11 10 20")
    html = page(signed_in, item=7, characteristic="Diameter")
    last = chart_data(html)["points"][-1]
    assert last["outOfControl"] and last["outOfSpec"]
    assert last["flags"] == "above UCL, moving range above its UCL, above USL"
    assert 'data-inspection-id="10" data-out-of-control="true" data-out-of-spec="true"' in html
    assert not any(point["outOfControl"] for point in chart_data(html)["points"][:-1])


def test_at_most_the_latest_200_points_are_shown(signed_in) -> None:
    inspections = Inspection.objects.bulk_create(
        Inspection(
            coupa_id=n,
            supplier_id=1,
            item_id=7,
            due_date=START,
            request_date=START + timedelta(hours=n),
        )
        for n in range(1, 206)
    )
    Characteristic.objects.bulk_create(
        Characteristic(
            coupa_id=n,
            inspection=inspection,
            name="Diameter",
            is_quantitative=True,
            value_type="numeric",
            recorded_numeric=D(10 + n % 3),
        )
        for n, inspection in enumerate(inspections, start=1)
    )
    html = page(signed_in, item=7, characteristic="Diameter")
    assert table_ids(html) == list(range(6, 206))
    assert stat(html, "n") == "200"
    assert "Only the latest 200 points are shown; older ones are left out." in html
    assert len(chart_data(html)["points"]) == 200


def test_html_in_coupa_names_is_escaped(signed_in) -> None:
    name = '<img src=x onerror="alert(1)">'
    inspection = inspect(1, 1, item_name="<script>alert('item')</script>")
    measure(inspection, "10", name=name)
    measure(inspect(2, 2, item_name="<script>alert('item')</script>"), "11", name=name)
    html = page(signed_in, item=7, characteristic=name)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;item&#x27;)&lt;/script&gt; · &lt;img" in html
    start = page(signed_in)
    assert "<script>alert" not in start and "<img src=x" not in start
