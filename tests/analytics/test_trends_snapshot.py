"""The trends picker's most measured pairs: a snapshot kept by a task, read by the page, counted
on the first view when missing, and one of their own for a user limited to some suppliers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qualityhub.analytics.models import Snapshot
from qualityhub.analytics.tasks import refresh_trends
from qualityhub.analytics.trends import compute_most_measured
from tests.analytics.trend_series import inspect, measure, page, series
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def test_the_refresh_task_stores_the_pairs(frozen) -> None:
    series("10 12 11")

    assert refresh_trends() == NOW.isoformat()

    snapshot = Snapshot.objects.get(name="trends")
    assert snapshot.computed_at == NOW
    assert snapshot.data == compute_most_measured(NOW)
    assert snapshot.data["pairs"] == [
        {"item_id": 7, "name": "Diameter", "points": 3, "item_name": "Bracket"}
    ]


def test_the_page_reads_the_snapshot_until_the_next_refresh(signed_in, frozen) -> None:
    series("10 12 11")
    assert not Snapshot.objects.exists()

    html = page(signed_in)  # no snapshot yet: counted and kept
    assert "characteristic=Diameter" in html and "Width" not in html
    assert Snapshot.objects.get(name="trends").computed_at == NOW

    inspection = inspect(60, 1, item=8, item_name="Hinge")
    for value in ["1", "2", "3", "4"]:
        measure(inspection, value, name="Width")
    frozen.shift(timedelta(minutes=3))
    html = page(signed_in)
    assert "Width" not in html
    assert 'data-testid="pairs-as-of"' in html and "4 Mar 2025, 09:30" in html

    refresh_trends()
    html = page(signed_in)
    assert "characteristic=Width" in html
    assert html.index("characteristic=Width") < html.index("characteristic=Diameter")
    assert "4 Mar 2025, 09:33" in html


def test_a_limited_user_gets_pairs_of_their_own_suppliers_only(client, frozen) -> None:
    series("10 12", supplier=1, first_id=1)
    measure(inspect(40, 9, supplier=2, item=9, item_name="Secret part"), "5", name="Width")
    refresh_trends()  # the shared list knows both suppliers
    client.force_login(make_user("marta", "Buyer", suppliers=[1]))

    html = page(client)
    assert "Secret part" not in html and "Width" not in html
    assert "characteristic=Diameter" in html
    assert "for your suppliers only" in html

    # Kept for 5 minutes, then counted again on a view.
    measure(inspect(41, 9, supplier=1, item=9, item_name="Own part"), "5", name="Depth")
    frozen.shift(timedelta(minutes=4))
    assert "Own part" not in page(client)
    frozen.shift(timedelta(minutes=1))
    assert "Own part" in page(client)


def test_a_snapshot_of_an_older_layout_is_counted_again(signed_in, frozen) -> None:
    series("10 12")
    Snapshot.objects.create(name="trends", computed_at=NOW - timedelta(days=1), data={})

    assert "characteristic=Diameter" in page(signed_in)
    assert Snapshot.objects.get(name="trends").computed_at == NOW


def test_the_picker_reads_one_row(signed_in, frozen, django_assert_max_num_queries) -> None:
    series("10 12 11")
    refresh_trends()
    signed_in.get("/trends/")  # warm the session, access and freshness caches
    with django_assert_max_num_queries(2):  # the user, the snapshot
        page(signed_in)
