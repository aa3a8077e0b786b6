"""The overview's world: its clock (a Wednesday), builders of inspections and stage stays, a bit
of everything (`build_world`), and readers of the page's tiles and of the lists they link to."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

from qualityhub.analytics.models import StageStay
from qualityhub.inspections.models import Inspection

NOW = datetime(2024, 6, 12, 10, 0, tzinfo=UTC)  # a Wednesday
MONDAY = datetime(2024, 6, 10, tzinfo=UTC)  # this week began
FOUR_WEEKS_START = MONDAY - timedelta(weeks=3)  # Monday 20 May
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
_ids = itertools.count(1)


def inspection(
    status: str = "Open",
    *,
    due: datetime | None = None,
    decision: str = "",
    reviewed: datetime | None = None,
    gone: bool = False,
    **fields,
) -> Inspection:
    return Inspection.objects.create(
        coupa_id=next(_ids),
        status=status,
        due_date=due or NOW + 30 * DAY,
        review_decision=decision,
        reviewed_date=reviewed,
        gone_at=NOW - DAY if gone else None,
        supplier_id=fields.pop("supplier_id", 1),
        **fields,
    )


def stay(
    row: Inspection, stage: str, entered: datetime | None, left: datetime | None, due=None
) -> StageStay:
    return StageStay.objects.create(
        inspection_id=row.coupa_id,
        supplier_id=row.supplier_id,
        stage=stage,
        entered_at=entered,
        left_at=left,
        due_date=due or row.due_date,
    )


def ended_stay(stage: str, days: float, left: datetime, due: datetime, **inspection_fields):
    row = inspection(stage, due=due, **inspection_fields)
    return stay(row, stage, left - timedelta(days=days), left)


def build_world(copies: int, supplier_id: int = 1) -> None:
    """A bit of everything, `copies` times over."""
    for _ in range(copies):
        inspection("Open", due=NOW - DAY, supplier_id=supplier_id)
        inspection("Open", due=NOW + 2 * DAY, supplier_id=supplier_id)
        inspection("In Progress", due=NOW - 3 * DAY, supplier_id=supplier_id)
        inspection("In Buyer Review", due=NOW + DAY, supplier_id=supplier_id)
        inspection(
            "Closed",
            decision="Accepted",
            reviewed=NOW - DAY,
            exported=False,
            supplier_id=supplier_id,
        )
        inspection(
            "Closed",
            decision="Rejected",
            reviewed=NOW - 9 * DAY,
            exported=True,
            disagreement=True,
            supplier_id=supplier_id,
        )
        inspection("Open", due=NOW - DAY, gone=True, supplier_id=supplier_id)
        ended_stay("Open", 2, left=MONDAY, due=NOW, supplier_id=supplier_id)
        ended_stay("In Progress", 3, left=MONDAY, due=MONDAY - DAY, supplier_id=supplier_id)


def tile(response, key: str) -> int:
    match = re.search(rf'data-testid="tile-{key}">([\d,]+)<', response.content.decode())
    assert match, f"no tile {key}"
    return int(match.group(1).replace(",", ""))


def tile_links(response) -> dict[str, str]:
    html = response.content.decode()
    return {
        key: url.replace("&amp;", "&")
        for url, key in re.findall(r'href="(/inspections/\?[^"]+)" data-tile="(\w+)"', html)
    }


def listed(client, url: str) -> tuple[int, set[int]]:
    """The count a list page shows and the ids of its rows."""
    html = client.get(url).content.decode()
    count = re.search(r'data-testid="match-count">([\d,]+) inspection', html)
    assert count, f"{url} shows no count"
    rows = {int(i) for i in re.findall(r'data-inspection-id="(\d+)"', html)}
    return int(count.group(1).replace(",", "")), rows


def ids(queryset) -> set[int]:
    return set(queryset.values_list("coupa_id", flat=True))
