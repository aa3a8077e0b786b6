"""Figures computed in the background and kept as one `Snapshot` row each, read by a page in one
query: the overview, the trends picker and the supplier scorecards.

A snapshot carries the version of its layout (a row of another version is treated as missing)
and when it was computed, which the pages show ("figures as of …"). Shared snapshots are kept
fresh by Celery tasks (`tasks.py`) and computed on a page view only when missing; figures for a
user limited to some suppliers are kept per combination of suppliers and computed again on a
view once LIMITED_MAX_AGE old (no task knows those combinations).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from django.utils import timezone

from qualityhub.analytics.models import Snapshot

LIMITED_MAX_AGE = timedelta(minutes=5)


def current(name: str, version: int) -> Snapshot | None:
    """The stored row, or None when there is none or it has another layout."""
    snapshot = Snapshot.objects.filter(name=name).first()
    if snapshot is None or snapshot.data.get("version") != version:
        return None
    return snapshot


def store(name: str, now: datetime, data: dict) -> Snapshot:
    snapshot, _ = Snapshot.objects.update_or_create(
        name=name, defaults={"computed_at": now, "data": data}
    )
    return snapshot


def scoped_name(name: str, supplier_ids: Collection[int]) -> str:
    """The name of a limited user's own row: one per combination of suppliers (60 characters
    at most, the column's width)."""
    suppliers = ",".join(map(str, sorted(supplier_ids)))
    return f"{name}:suppliers:{hashlib.sha256(suppliers.encode()).hexdigest()[:32]}"


def read(
    name: str,
    version: int,
    supplier_ids: Collection[int] | None,
    compute: Callable[[datetime, list[int] | None], dict],
) -> Snapshot:
    """The row a reader sees: the shared `name` (None: sees every supplier), computed here only
    when missing, or for a limited reader their own, computed here when missing or once
    LIMITED_MAX_AGE old. `compute(now, supplier_ids)` answers the figures (with "version")."""
    now = timezone.now()
    if supplier_ids is None:
        return current(name, version) or store(name, now, compute(now, None))
    suppliers = sorted(supplier_ids)
    own = scoped_name(name, suppliers)
    snapshot = current(own, version)
    if snapshot is None or now - snapshot.computed_at >= LIMITED_MAX_AGE:
        snapshot = store(own, now, compute(now, suppliers))
    return snapshot
