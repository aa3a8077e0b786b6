"""What a page left open needs to follow the cache, each answer cheap enough to ask every 30 s.

A page is rendered with markers of what it shows, and asks `/live/` with them now and then
(`static/qualityhub/live.js`); the view answers "nothing new" (204) from the cached freshness
alone while no sync has finished, and only then asks the database one indexed question:

- a list page: which of its rows (its filters, the reader's suppliers) Coupa changed after the
  newest `modified_at` the cache held when the page was drawn (`newest_change`, read from the
  end of that column's index), counted on the same index and at most `CAP` of them;
- a detail page: whether its inspection's content (`content_hash`) or presence changed, by id;
- the overview: whether figures newer than the page's have been computed (one snapshot's time).

Markers travel as whole microseconds since the epoch: nothing to parse but digits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Max, QuerySet

from qualityhub.analytics import snapshots
from qualityhub.analytics.models import Snapshot
from qualityhub.analytics.overview import SNAPSHOT_NAME
from qualityhub.inspections.models import Inspection

CAP = 1000  # changed rows counted at most: "more than 1,000" says enough
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def marker(moment: datetime | None) -> str:
    """A moment as the digits a page carries ("0" for none)."""
    if moment is None:
        return "0"
    return str((moment - EPOCH) // timedelta(microseconds=1))


MAX_MARKER = 253_402_300_799_999_999  # 9999-12-31 23:59:59.999999: beyond, no datetime


def from_marker(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def newest_change() -> datetime | None:
    """The newest `modified_at` in the cache: the last entry of its index, whoever reads."""
    return Inspection.objects.aggregate(newest=Max("modified_at"))["newest"]


@dataclass(frozen=True)
class Changed:
    count: int  # at most CAP + 1
    newest: datetime | None  # the newest change among them: the page's marker once shown

    @property
    def more_than_cap(self) -> bool:
        return self.count > CAP


def changed_since(rows: QuerySet[Inspection], since: datetime) -> Changed:
    """How many of `rows` Coupa changed after `since`, newest first along the index."""
    stamps = list(
        rows.filter(modified_at__gt=since)
        .order_by("-modified_at")
        .values_list("modified_at", flat=True)[: CAP + 1]
    )
    return Changed(len(stamps), stamps[0] if stamps else None)


def inspection_version(content_hash: str, gone: bool) -> str:
    """What a detail page shows of its inspection, as a detail page compares it."""
    return f"{content_hash}{'-gone' if gone else ''}"


def current_version(rows: QuerySet[Inspection], coupa_id: int) -> str | None:
    """The version of the inspection `coupa_id` among `rows` (the reader's), None if not there."""
    found = rows.filter(coupa_id=coupa_id).values_list("content_hash", "gone_at").first()
    return inspection_version(found[0], found[1] is not None) if found else None


def shared_figures_computed_at() -> datetime | None:
    """When the overview's shared figures were last computed (the snapshot's time)."""
    rows = Snapshot.objects.filter(name=SNAPSHOT_NAME)
    return rows.values_list("computed_at", flat=True).first()


def figures_outdated(
    page_computed_at: datetime,
    now: datetime,
    supplier_ids: Collection[int] | None,
    cache_changed: bool,
) -> bool:
    """Whether the overview page's figures have newer ones to show: the shared snapshot is
    recomputed by its task; a limited reader's own is recomputed by the page once old enough,
    so for them it is worth a reload only after a sync, and once that age is reached."""
    if supplier_ids is None:
        computed = shared_figures_computed_at()
        return computed is not None and computed > page_computed_at
    return cache_changed and now - page_computed_at >= snapshots.LIMITED_MAX_AGE
