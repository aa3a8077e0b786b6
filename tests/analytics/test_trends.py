"""The trends page: one item's characteristic across inspections, on a real database."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qualityhub.inspections.models import Characteristic, Inspection, Limit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

D = Decimal
START = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
BAND = (("min", "ge", "5"), ("max", "le", "18"))
_line_ids = itertools.count(10_000)


def inspect(
    coupa_id: int,
    day: int | None,
    *,
    supplier: int = 1,
    item: int = 7,
    item_name: str = "Bracket",
    created_day: int | None = None,
    gone: bool = False,
) -> Inspection:
    """An inspection requested `day` days after START (None: no request date)."""
    return Inspection.objects.create(
        coupa_id=coupa_id,
        supplier_id=supplier,
        item_id=item,
        item_name=item_name,
        due_date=START,
        request_date=START + timedelta(days=day) if day is not None else None,
        created_at=START + timedelta(days=created_day) if created_day is not None else None,
        gone_at=START if gone else None,
    )


def measure(
    inspection: Inspection,
    value: str | None,
    *,
    name: str = "Diameter",
    limits=BAND,
    precision: int | None = 2,
    quantitative: bool | None = True,
    value_type: str = "numeric",
) -> Characteristic:
    line = Characteristic.objects.create(
        coupa_id=next(_line_ids),
        inspection=inspection,
        name=name,
        is_quantitative=quantitative,
        value_type=value_type,
        precision=precision,
        recorded_numeric=D(value) if value is not None else None,
    )
    Limit.objects.bulk_create(
        Limit(characteristic=line, limit_type=kind, operator=op, value=D(bound), position=i)
        for i, (kind, op, bound) in enumerate(limits)
    )
    return line


def series(text: str, *, supplier: int = 1, first_id: int = 1, **options) -> list[Inspection]:
    """One inspection per value, a day apart, each measuring Diameter."""
    made = []
    for offset, value in enumerate(text.split()):
        inspection = inspect(first_id + offset, offset, supplier=supplier)
        measure(inspection, value, **options)
        made.append(inspection)
    return made


def page(client, **params) -> str:
    response = client.get("/trends/", params)
    assert response.status_code == 200
    return response.content.decode()


def chart_data(html: str) -> dict:
    match = re.search(r'<script id="spc-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page has no chart data"
    return json.loads(match.group(1))


def table_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr data-inspection-id="(\d+)"', html)]


def stat(html: str, name: str) -> str:
    match = re.search(rf'data-testid="stat-{name}">(.*?)</dd>', html, re.S)
    assert match, f"no statistic {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


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
    assert "item 7 · supplier 2" in html
    assert '<option value="1">Supplier 1</option>' in html
    assert '<option value="2" selected>Supplier 2</option>' in html
    everyone = [1, 11, 2, 12]
    assert table_ids(page(signed_in, item=7, characteristic="Diameter")) == everyone
    # "All suppliers" in the select sends an empty supplier.
    assert table_ids(page(signed_in, item=7, characteristic="Diameter", supplier="")) == everyone


def test_a_buyer_limited_to_supplier_a_never_sees_supplier_b(client) -> None:
    series("10 12", supplier=1, first_id=1)
    series("20 22", supplier=2, first_id=11, name="Diameter")
    measure(inspect(40, 9, supplier=2, item=9, item_name="Secret part"), "5", name="Width")
    client.force_login(make_user("marta", "Buyer", suppliers=[1]))

    html = page(client, item=7, characteristic="Diameter")
    assert table_ids(html) == [1, 2]
    assert 'value="2"' not in html and "Supplier 2" not in html

    html = page(client, item=7, characteristic="Diameter", supplier=2)
    assert table_ids(html) == []
    assert 'data-testid="no-points"' in html and "spc-data" not in html

    start = page(client)
    assert "Secret part" not in start and "Width" not in start
    assert "Diameter" in start


@pytest.mark.parametrize(("person", "status"), [
    ("engineer", 200), ("buyer", 200), ("manager", 200), ("outsider", 403),
])  # fmt: skip
def test_who_may_see_trends(client, request, person: str, status: int) -> None:
    series("10 12")
    client.force_login(request.getfixturevalue(person))
    assert client.get("/trends/?item=7&characteristic=Diameter").status_code == status
    assert client.get("/trends/").status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    assert client.get("/trends/?item=7&characteristic=Diameter").status_code == 302


def test_the_page_only_answers_get(signed_in) -> None:
    assert signed_in.post("/trends/", {"item": 7, "characteristic": "Diameter"}).status_code == 405


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


def test_without_params_the_form_lists_the_most_measured_pairs(signed_in) -> None:
    series("10 12 11")
    measure(inspect(60, 1, item=8, item_name="Hinge"), "3", name="Width & depth")
    html = page(signed_in)
    assert 'data-testid="trend-form"' in html and "errorlist" not in html
    assert '<a href="/trends/?item=7&amp;characteristic=Diameter">Diameter</a>' in html
    assert "/trends/?item=8&amp;characteristic=Width+%26+depth" in html
    assert html.index("characteristic=Diameter") < html.index("characteristic=Width")


def test_the_most_measured_list_is_capped_at_twenty(signed_in) -> None:
    inspection = inspect(1, 1)
    for number in range(25):
        measure(inspection, "1", name=f"Dimension {number:02}")
    html = page(signed_in)
    assert html.count("/trends/?item=7&amp;characteristic=Dimension") == 20


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"item": "abc", "characteristic": "Diameter"}, "item"),
        ({"item": "", "characteristic": "Diameter"}, "item"),
        ({"item": "99999999999999999999999", "characteristic": "Diameter"}, "item"),
        ({"item": "7"}, "characteristic"),
        ({"item": "7", "characteristic": "Diameter", "supplier": "x"}, "supplier"),
        ({"supplier": "1"}, "item"),
    ],
)
def test_bad_params_show_the_form_with_the_error(signed_in, params: dict, field: str) -> None:
    series("10 12")
    html = page(signed_in, **params)
    assert 'data-testid="trend-form"' in html
    assert f'data-testid="error-{field}"' in html
    assert "spc-data" not in html
    assert "Most measured" in html


def test_an_unknown_characteristic_says_there_is_nothing(signed_in) -> None:
    series("10 12")
    html = page(signed_in, item=7, characteristic="diameter")  # names match exactly
    assert 'data-testid="no-points"' in html
    assert "No recorded values of “diameter” on item 7" in html


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


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/trends/", params).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_points(
    signed_in, django_assert_max_num_queries
) -> None:
    series("10 12 11", first_id=1)
    signed_in.get("/trends/", {"item": 7, "characteristic": "Diameter"})  # warm the caches
    small = _queries(signed_in, item=7, characteristic="Diameter")
    many_limits = (*BAND, ("max", "ne", "13"), ("min", "gt", "4"))
    for supplier in (2, 3, 4):
        series(
            "10 12 11 13 12 " * 12, supplier=supplier, first_id=supplier * 100, limits=many_limits
        )
    large = _queries(signed_in, item=7, characteristic="Diameter")
    assert small == large
    with django_assert_max_num_queries(small):
        page(signed_in, item=7, characteristic="Diameter", supplier=3)
    # The user, then the suppliers with points, the points and their limits.
    with django_assert_max_num_queries(5):
        page(signed_in, item=7, characteristic="Diameter")


def test_the_form_page_costs_a_constant_number_of_queries(
    signed_in, django_assert_max_num_queries
) -> None:
    series("10 12 11")
    signed_in.get("/trends/")
    small = _queries(signed_in)
    for number in range(30):
        measure(inspect(500 + number, 1, item=number), "1", name=f"Dimension {number}")
    assert _queries(signed_in) == small
    # The user, then the one GROUP BY of the most measured pairs.
    with django_assert_max_num_queries(3):
        page(signed_in)
