"""The trends picker's "most measured" list: the item × characteristic pairs with the most
numeric values recorded, to start a chart from.

Counting them groups every numeric value of every live inspection (a few seconds at a million
inspections), so the list is kept as a `Snapshot` row (see `snapshots.py`): a Celery task
refreshes the shared one every 5 minutes (`tasks.refresh_trends`), the page reads it in one
query and says how old it is. A user limited to some suppliers gets a list of their own.

One pair's chart reads only its newest points and its suppliers, through the inspection indexes
in the chart's time (`inspection_item_trend`, `inspection_item_supplier_trend`): the same few
index probes at a thousand inspections and at ten million.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db import connection
from django.db.models import BigIntegerField, Count, F, Max, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from qualityhub.accounts.access import Access
from qualityhub.analytics import snapshots
from qualityhub.analytics.models import Snapshot
from qualityhub.inspections.models import MEASURED, Characteristic, trend_time

SNAPSHOT_NAME = "trends"
VERSION = 1
TOP_PAIRS = 20


def measured(supplier_ids: Collection[int] | None = None) -> QuerySet[Characteristic]:
    """Numeric recorded values on live inspections (of these suppliers; None: all)."""
    lines = Characteristic.objects.filter(MEASURED, inspection__gone_at__isnull=True)
    if supplier_ids is not None:
        lines = lines.filter(inspection__supplier_id__in=sorted(supplier_ids))
    return lines


def pair_lines(
    item_id: int, name: str, supplier_ids: Collection[int] | None = None
) -> QuerySet[Characteristic]:
    """One item's characteristic (its exact name): its numeric values on live inspections (of
    these suppliers; None: all)."""
    return measured(supplier_ids).filter(inspection__item_id=item_id, name=name)


def newest_first(lines: QuerySet[Characteristic]) -> QuerySet[Characteristic]:
    """The lines newest first by their inspection's `trend_time` (as `at`; undated ones last),
    then by inspection and line, newest first: the order of the trend indexes, so a page of
    the newest is a short walk of one of them."""
    return lines.annotate(at=trend_time("inspection__")).order_by(
        F("at").desc(nulls_last=True), "-inspection_id", "-coupa_id"
    )


def suppliers_of(lines: QuerySet[Characteristic]) -> list[int]:
    """The distinct suppliers of these lines' inspections, ascending, in one query.

    A skip scan: each step asks for the smallest supplier above the last one found, which the
    (item, supplier, …) index answers from its first matching entry; the lines' other filters
    stay the queryset's own. A DISTINCT would read every one of the item's inspections.
    """
    by_supplier = lines.order_by("inspection__supplier_id").values_list("inspection__supplier_id")
    first, first_params = by_supplier[:1].query.sql_with_params()
    previous = RawSQL("walk.supplier_id", (), BigIntegerField())  # the step's row of `walk`
    following = by_supplier.filter(inspection__supplier_id__gt=previous)
    step, step_params = following[:1].query.sql_with_params()
    sql = f"""
        WITH RECURSIVE walk(supplier_id) AS (
            SELECT ({first})
            UNION ALL
            SELECT ({step}) FROM walk WHERE walk.supplier_id IS NOT NULL
        )
        SELECT supplier_id FROM walk WHERE supplier_id IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*first_params, *step_params])
        return [supplier_id for (supplier_id,) in cursor.fetchall()]


def compute_most_measured(now: datetime, supplier_ids: Collection[int] | None = None) -> dict:
    """The TOP_PAIRS pairs, most values first (ties by item id, then name), JSON-ready: one
    GROUP BY."""
    pairs = (
        measured(supplier_ids)
        .filter(inspection__item_id__isnull=False)
        .values("inspection__item_id", "name")
        .annotate(points=Count("pk"), item_name=Max("inspection__item_name"))
        .order_by("-points", "inspection__item_id", "name")[:TOP_PAIRS]
    )
    return {
        "version": VERSION,
        "pairs": [
            {
                "item_id": pair["inspection__item_id"],
                "name": pair["name"],
                "points": pair["points"],
                "item_name": pair["item_name"],
            }
            for pair in pairs
        ],
    }


def refresh_trends_snapshot(now: datetime | None = None) -> Snapshot:
    now = now or timezone.now()
    return snapshots.store(SNAPSHOT_NAME, now, compute_most_measured(now))


def read_most_measured(access: Access) -> tuple[list[dict], datetime]:
    """The pairs this user may see and when they were counted (see `snapshots.read`)."""
    snapshot = snapshots.read(SNAPSHOT_NAME, VERSION, access.supplier_ids, compute_most_measured)
    return snapshot.data["pairs"], snapshot.computed_at
