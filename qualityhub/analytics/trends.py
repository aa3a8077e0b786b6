"""The trends picker's "most measured" list: the item × characteristic pairs with the most
numeric values recorded, to start a chart from.

Counting them groups every numeric value of every live inspection (a few seconds at a million
inspections), so the list is kept as a `Snapshot` row (see `snapshots.py`): a Celery task
refreshes the shared one every 5 minutes (`tasks.refresh_trends`), the page reads it in one
query and says how old it is. A user limited to some suppliers gets a list of their own.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from qualityhub.accounts.access import Access
from qualityhub.analytics import snapshots
from qualityhub.analytics.models import Snapshot
from qualityhub.coupa.vocabulary import ValueType
from qualityhub.inspections.models import Characteristic

SNAPSHOT_NAME = "trends"
VERSION = 1
TOP_PAIRS = 20


def measured(supplier_ids: Collection[int] | None = None) -> QuerySet[Characteristic]:
    """Numeric recorded values on live inspections (of these suppliers; None: all)."""
    lines = (
        Characteristic.objects.filter(
            inspection__gone_at__isnull=True, recorded_numeric__isnull=False
        )
        .exclude(is_quantitative=False)
        .exclude(value_type=ValueType.CHOICE)
    )
    if supplier_ids is not None:
        lines = lines.filter(inspection__supplier_id__in=sorted(supplier_ids))
    return lines


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
