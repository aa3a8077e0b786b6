"""Keeping `StageStay` up to date from what the sync sees (called inside its page transaction).

A status change is dated by Coupa's modified time of the record that shows it (the change is what
modified it) unless that lies in the future or before the stay began; the sync's own clock
otherwise. The figures are therefore only as fine as what the sync can see: two changes between
two runs look like one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from qualityhub.analytics.models import StageStay
from qualityhub.coupa.vocabulary import OPEN_STATUSES, Status

#: The stages whose stays are timed: every status an inspection is still worked on in.
TRACKED_STAGES = OPEN_STATUSES


def observe_stages(
    first_seen: Iterable[Any], moved: Iterable[tuple[Any, str]], now: datetime
) -> None:
    """`first_seen`: inspection rows new to the cache; `moved`: (row, previous status) pairs."""
    new_stays = [
        _stay(row, _first_entry(row)) for row in first_seen if row.status in TRACKED_STAGES
    ]
    for row, _previous in moved:
        at = _change_time(row, now)
        open_stays = StageStay.objects.filter(inspection_id=row.coupa_id, left_at__isnull=True)
        for stay in open_stays:
            stay.left_at = max(at, stay.entered_at) if stay.entered_at else at
            stay.save(update_fields=["left_at"])
        if row.status in TRACKED_STAGES:
            new_stays.append(_stay(row, at))
    StageStay.objects.bulk_create(new_stays, batch_size=500)


def _first_entry(row: Any) -> datetime | None:
    # An inspection is Open from its creation; for any later status the moment is unknown.
    if row.status == Status.OPEN:
        return row.created_at or row.request_date
    return None


def _change_time(row: Any, now: datetime) -> datetime:
    modified = row.modified_at
    if modified is None or modified > now:
        return now
    return modified


def _stay(row: Any, entered_at: datetime | None) -> StageStay:
    return StageStay(
        inspection_id=row.coupa_id,
        supplier_id=row.supplier_id,
        stage=row.status,
        entered_at=entered_at,
        due_date=row.due_date,
    )
