"""The trend chart's fast reading (issue 16, point 10): exactly the points and suppliers that
reading every line gives, for everyone and for a buyer limited to some suppliers, and on
PostgreSQL a plan that walks the trend indexes in the chart's order."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from django.db import connection, transaction

from qualityhub.analytics.trends import newest_first, pair_lines, suppliers_of
from qualityhub.analytics.views.trends import MAX_POINTS
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.inspections.plans import serial_plans
from tests.analytics.trend_series import START, inspect, measure, page, table_ids
from tests.conftest import make_user
from tests.plan_settings import join_settings_at

pytestmark = pytest.mark.django_db

ITEM, NAME = 7, "Diameter"


def _world() -> None:
    """Item 7's Diameter over 260 inspections of suppliers 1, 2, 3 and 5 (more than a chart
    shows), with the cases the order and filters must get right: days shared by several
    inspections, no request date (creation instead, or neither), two lines of the same name
    on one inspection, gone inspections, unrecorded, qualitative and choice lines, another
    item and another name."""
    rng = random.Random(16)
    for coupa_id in range(1, 261):
        day = rng.choice([None, *range(40)]) if coupa_id % 7 else None
        created = rng.choice([None, *range(40)])
        supplier = rng.choice([1, 1, 2, 3, 5])
        inspection = inspect(
            coupa_id, day, supplier=supplier, created_day=created, gone=coupa_id % 29 == 0
        )
        value = None if coupa_id % 11 == 0 else f"{rng.randint(5, 18)}.{rng.randint(0, 99):02}"
        measure(inspection, value)
        if coupa_id % 13 == 0:
            measure(inspection, "12.5")  # a second Diameter on the same inspection
        if coupa_id % 17 == 0:
            measure(inspection, "3", quantitative=False, value_type="none")
            measure(inspection, "1", quantitative=None, value_type="choice")
        measure(inspection, "9", name="Width")
    other = inspect(900, 3, supplier=4, item=8)
    measure(other, "10")


def _expected(supplier_ids=None, supplier=None) -> tuple[list[int], list[int]]:
    """The chart's inspections (oldest first) and the suppliers, from every line in Python."""
    lines = [
        line
        for line in Characteristic.objects.select_related("inspection")
        if line.inspection.item_id == ITEM
        and line.name == NAME
        and line.inspection.gone_at is None
        and line.recorded_numeric is not None
        and line.is_quantitative is not False
        and line.value_type != "choice"
        and (supplier_ids is None or line.inspection.supplier_id in supplier_ids)
    ]
    suppliers = sorted({line.inspection.supplier_id for line in lines})
    if supplier is not None:
        lines = [line for line in lines if line.inspection.supplier_id == supplier]

    def newest_first_key(line: Characteristic) -> tuple:
        at = line.inspection.request_date or line.inspection.created_at
        undated = at is None
        return (undated, -(at - START).total_seconds() if at else 0, -line.inspection_id, -line.pk)

    newest = sorted(lines, key=newest_first_key)[:MAX_POINTS]
    return [line.inspection_id for line in reversed(newest)], suppliers


def _options(html: str) -> list[int]:
    form = html.split('data-testid="supplier-filter"', 1)[1].split("</form>", 1)[0]
    return sorted(int(value) for value in re.findall(r'<option value="(\d+)"', form))


def test_the_chart_shows_exactly_the_points_and_suppliers_of_every_line(signed_in) -> None:
    _world()
    points, suppliers = _expected()
    assert len(points) == MAX_POINTS  # more were measured: the newest 200, oldest first
    html = page(signed_in, item=ITEM, characteristic=NAME)
    assert table_ids(html) == points
    assert _options(html) == suppliers == [1, 2, 3, 5]
    for supplier in (1, 3, 4):
        html = page(signed_in, item=ITEM, characteristic=NAME, supplier=supplier)
        assert table_ids(html) == _expected(supplier=supplier)[0]
        assert _options(html) == suppliers


def test_a_buyer_limited_to_some_suppliers_gets_exactly_their_points(client) -> None:
    _world()
    client.force_login(make_user("marta", "Buyer", suppliers=[2, 5]))
    points, suppliers = _expected(supplier_ids={2, 5})
    html = page(client, item=ITEM, characteristic=NAME)
    assert table_ids(html) == points
    assert _options(html) == suppliers == [2, 5]
    html = page(client, item=ITEM, characteristic=NAME, supplier=1)
    assert table_ids(html) == []


def test_the_suppliers_of_nothing_are_none() -> None:
    assert suppliers_of(pair_lines(ITEM, NAME)) == []
    measure(inspect(1, 1, supplier=8), "10")
    measure(inspect(2, 1, supplier=3, gone=True), "10")
    assert suppliers_of(pair_lines(ITEM, NAME)) == [8]
    assert suppliers_of(pair_lines(ITEM, NAME, supplier_ids=[3])) == []


postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans of PostgreSQL's covering indexes"
)


def _plan(sql: str, params, *, without: str = "") -> str:
    """The plan with sequential scans and full sorts priced out, as on a large table (and
    the index `without` dropped for the while): what remains shows whether an index can give
    the rows in the query's order at all."""
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort", "jit"):
            cursor.execute(f"SET LOCAL {setting} = off")
        if without:
            cursor.execute(f'DROP INDEX "{without}"')
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row for (row,) in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def _foreign_key_index() -> str:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Characteristic._meta.db_table)
    return next(
        name
        for name, about in found.items()
        if about["index"] and about["columns"] == ["inspection_id"] and not about["unique"]
    )


@postgresql
def test_the_newest_points_are_a_walk_of_the_trend_indexes() -> None:
    _world()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inspections_inspection, inspections_characteristic")
    columns = ("coupa_id", "inspection_id", "at", "recorded_numeric", "precision")
    for supplier_ids in (None, [2, 5]):
        lines = newest_first(pair_lines(ITEM, NAME, supplier_ids))
        query = lines.values_list(*columns)[: MAX_POINTS + 1].query
        plan = _plan(*query.sql_with_params())
        assert "using inspection_item_trend" in plan, plan
        assert not re.search(r"^\s*(->\s*)?Sort\s+\(", plan, re.M), plan  # no full sort
        # The lines' own index serves every probe: its condition is the query's (MEASURED).
        plan = _plan(*query.sql_with_params(), without=_foreign_key_index())
        assert "using characteristic_measured" in plan, plan
    one = newest_first(pair_lines(ITEM, NAME).filter(inspection__supplier_id=2))
    plan = _plan(*one.values_list(*columns)[: MAX_POINTS + 1].query.sql_with_params())
    assert re.search(r"using inspection_item(_supplier)?_trend", plan), plan
    assert not re.search(r"^\s*(->\s*)?Sort\s+\(", plan, re.M), plan


@postgresql
def test_the_points_query_runs_without_parallel_workers() -> None:
    with serial_plans(), connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)


@postgresql
def test_the_points_are_read_by_index_probes_only(signed_in) -> None:
    """A name that only one item has (most are) looks selective to the planner: it read every
    line of that name through the name index and hashed them against the item's inspections
    (158 ms for 17,600 lines of item 23 at a million inspections, ten times that at ten
    million), not the walk of the item's newest inspections (3-8 ms). Without merge and hash
    joins only the walk remains (`inspections/plans.py`)."""
    _world()

    def points_query(sql: str) -> bool:
        return "ORDER BY" in sql and '"recorded_numeric"' in sql and "LIMIT 201" in sql

    with join_settings_at(points_query) as seen:
        html = page(signed_in, item=ITEM, characteristic=NAME)
    assert seen == [("off", "off")]
    assert len(table_ids(html)) == MAX_POINTS


def test_a_point_in_the_future_or_long_ago_keeps_its_place(signed_in) -> None:
    """Dates far apart (the index compares timestamps, not days)."""
    old = inspect(1, None, created_day=-3650)
    soon = inspect(2, 400)
    today = Inspection.objects.create(
        coupa_id=3, supplier_id=1, item_id=ITEM, due_date=START, request_date=START + timedelta(0)
    )
    for inspection in (soon, old, today):
        measure(inspection, "10")
    assert table_ids(page(signed_in, item=ITEM, characteristic=NAME)) == [1, 3, 2]
