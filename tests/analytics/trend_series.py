"""Builders of measured series for the trends page (one item's characteristic across inspections)
and readers of what the page shows."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from qualityhub.inspections.models import Characteristic, Inspection, Limit

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
