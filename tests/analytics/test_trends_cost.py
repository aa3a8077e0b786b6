"""What the trends page costs: queries that do not grow with the points or the pairs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.analytics.trend_series import (
    BAND,
    inspect,
    measure,
    page,
    series,
)

pytestmark = pytest.mark.django_db


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
    # The user, then the suppliers with points, the points and their limits, the suppliers'
    # names and the item's; on PostgreSQL the SET LOCAL that keeps the points' plan serial.
    serial = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(6 + serial):
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
