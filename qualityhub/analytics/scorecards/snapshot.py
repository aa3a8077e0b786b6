"""The scorecards as `Snapshot` rows, so the pages read figures instead of computing them.

Computing every supplier's card for a period reads a period's inspections, failing lines and
stage stays: seconds at a million inspections (the ranking took 3 s cold for 13 weeks, 6 s for
52). A Celery task (`tasks.refresh_scorecards`, every 15 minutes) keeps, for each period of
PERIOD_WEEKS, one row with every supplier's card (the ranking) and one row per supplier with
its card, its Pareto and how many inspections it has at all (the supplier page): each page
reads one row. A period's rows are computed on a page view when missing or from another day
(the period moved at midnight). Each row carries its period's bounds: a reader whose time zone
puts the period elsewhere gets figures computed for it (`live_ranking`, cached 5 minutes).

A user limited to some suppliers reads the same rows: a card only ever counts its own
supplier's inspections, so the ranking is filtered to theirs and the supplier page refuses the
others before reading anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from qualityhub.analytics.models import Snapshot
from qualityhub.analytics.scorecards.figures import (
    PERIOD_WEEKS,
    Period,
    Ratio,
    Scorecard,
    StageTime,
)
from qualityhub.analytics.scorecards.pareto import Pareto, ParetoRow, pareto
from qualityhub.analytics.scorecards.queries import (
    failure_groups,
    failure_groups_by_supplier,
    supplier_scorecards,
    supplier_summaries,
    supplier_summary,
)

SNAPSHOT_PREFIX = "scorecards"
VERSION = 1
RANKING_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Ranking:
    computed_at: datetime
    cards: list[Scorecard]


@dataclass(frozen=True)
class SupplierFigures:
    """What the supplier page shows for one period (card and Pareto None: nothing due in it)."""

    computed_at: datetime
    summary: dict[str, Any]
    card: Scorecard | None
    pareto: Pareto | None


# --- rows ------------------------------------------------------------------------------------


def ranking_name(weeks: int) -> str:
    return f"{SNAPSHOT_PREFIX}:{weeks}"


def supplier_name(weeks: int, supplier_id: int) -> str:
    return f"{SNAPSHOT_PREFIX}:{weeks}:supplier:{supplier_id}"


def server_period(weeks: int, now: datetime) -> Period:
    """The period as the task computes it: today in the server's time zone (TIME_ZONE)."""
    with timezone.override(timezone.get_default_timezone()):
        return Period.last_weeks(weeks, timezone.localdate(now))


def refresh_scorecards_snapshot(now: datetime | None = None) -> datetime:
    """Compute and keep every period's rows; returns when they are from."""
    now = now or timezone.now()
    summaries = supplier_summaries()
    for weeks in PERIOD_WEEKS:
        _refresh_period(server_period(weeks, now), now, summaries)
    return now


def _refresh_period(period: Period, now: datetime, summaries: dict[int, dict]) -> None:
    """One period's rows: the ranking and one per supplier with an inspection not gone (the
    rows of suppliers that have none any more go). Six statements whatever the data."""
    cards = supplier_scorecards(period)
    groups = failure_groups_by_supplier(period)
    bounds = {"version": VERSION, "start": period.start.isoformat(), "end": period.end.isoformat()}
    by_supplier = {card.supplier_id: card for card in cards}
    rows = [
        Snapshot(
            name=ranking_name(period.weeks),
            computed_at=now,
            data={**bounds, "cards": [_card_data(card) for card in cards]},
        )
    ]
    for supplier_id, summary in sorted(summaries.items()):
        card = by_supplier.get(supplier_id)
        data = {
            **bounds,
            "summary": {
                "inspections": summary["inspections"],
                "latest_due": _iso(summary["latest_due"]),
            },
            "card": _card_data(card) if card else None,
            "pareto": _pareto_data(pareto(groups.get(supplier_id, []))) if card else None,
        }
        rows.append(
            Snapshot(name=supplier_name(period.weeks, supplier_id), computed_at=now, data=data)
        )
    kept = [row.name for row in rows]
    with transaction.atomic():
        Snapshot.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["computed_at", "data"],
        )
        Snapshot.objects.filter(
            name__startswith=f"{SNAPSHOT_PREFIX}:{period.weeks}:supplier:"
        ).exclude(name__in=kept).delete()


def _matches(data: dict, period: Period) -> bool:
    return (
        data.get("version") == VERSION
        and parse_datetime(data.get("start", "")) == period.start
        and parse_datetime(data.get("end", "")) == period.end
    )


def _is_servers(period: Period, now: datetime) -> bool:
    served = server_period(period.weeks, now)
    return (served.start, served.end) == (period.start, period.end)


# --- the pages ------------------------------------------------------------------------------


def read_ranking(period: Period, supplier_ids: Iterable[int] | None = None) -> Ranking:
    """Every supplier's card (of these suppliers; None: all) for the period, from its row;
    computed here when missing or from another day, or live for another time zone's period."""
    now = timezone.now()
    if not _is_servers(period, now):
        return live_ranking(period, supplier_ids)
    row = Snapshot.objects.filter(name=ranking_name(period.weeks)).first()
    if row is None or not _matches(row.data, period):
        _refresh_period(period, now, supplier_summaries())
        row = Snapshot.objects.get(name=ranking_name(period.weeks))
    cards = [_card(data) for data in row.data["cards"]]
    if supplier_ids is not None:
        allowed = set(supplier_ids)
        cards = [card for card in cards if card.supplier_id in allowed]
    return Ranking(row.computed_at, cards)


def read_supplier(period: Period, supplier_id: int) -> SupplierFigures | None:
    """The supplier page's figures from the supplier's row (computed as `read_ranking` says),
    or None when QualityHub has no inspection of that supplier. The caller checks access."""
    now = timezone.now()
    if not _is_servers(period, now):
        return _live_supplier(period, supplier_id)
    names = [ranking_name(period.weeks), supplier_name(period.weeks, supplier_id)]
    rows = {row.name: row for row in Snapshot.objects.filter(name__in=names)}
    own = rows.get(names[1])
    if own is None or not _matches(own.data, period):
        ranking_row = rows.get(names[0])
        if ranking_row is not None and _matches(ranking_row.data, period):
            # The period's rows are current and this supplier has none: it had no inspection
            # at the refresh. Asked live, so one that arrived since is not refused.
            return _live_supplier(period, supplier_id)
        _refresh_period(period, now, supplier_summaries())
        own = Snapshot.objects.filter(name=names[1]).first()
        if own is None:
            return None
    data = own.data
    return SupplierFigures(
        computed_at=own.computed_at,
        summary={
            "inspections": data["summary"]["inspections"],
            "latest_due": parse_datetime(data["summary"]["latest_due"] or ""),
        },
        card=_card(data["card"]) if data["card"] else None,
        pareto=_pareto(data["pareto"]) if data["pareto"] else None,
    )


def live_ranking(period: Period, supplier_ids: Iterable[int] | None = None) -> Ranking:
    """Every supplier's card computed now, kept in the cache for 5 minutes per period and
    scope: for readers whose time zone puts the period elsewhere than the snapshot's."""
    key = _ranking_key(period, supplier_ids)
    found = cache.get(key)
    if found is None:
        found = Ranking(timezone.now(), supplier_scorecards(period, supplier_ids))
        cache.set(key, found, RANKING_CACHE_SECONDS)
    return found


def _live_supplier(period: Period, supplier_id: int) -> SupplierFigures | None:
    summary = supplier_summary(supplier_id)
    if not summary.get("inspections"):
        return None
    cards = supplier_scorecards(period, [supplier_id])
    card = cards[0] if cards else None
    failures = pareto(failure_groups(period, supplier_id)) if card else None
    return SupplierFigures(timezone.now(), summary, card, failures)


def _ranking_key(period: Period, supplier_ids: Iterable[int] | None) -> str:
    scope = "all"
    if supplier_ids is not None:
        scope = hashlib.sha256(",".join(map(str, sorted(supplier_ids))).encode()).hexdigest()
    # The bounds carry the reader's time zone offset: another zone is another period.
    bounds = f"{period.start.isoformat()}/{period.end.isoformat()}"
    return f"scorecards:v1:{period.weeks}:{bounds}:{scope[:20]}"


# --- JSON -----------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _ratio_data(ratio: Ratio) -> list[int]:
    return [ratio.part, ratio.whole]


def _card_data(card: Scorecard) -> dict:
    return {
        "supplier_id": card.supplier_id,
        "inspections": card.inspections,
        "acceptance": _ratio_data(card.acceptance),
        "first_pass": _ratio_data(card.first_pass),
        "failing": _ratio_data(card.failing),
        "on_time": _ratio_data(card.on_time),
        "evidence": _ratio_data(card.evidence),
        "stage_times": [[s.stage, s.median_days, s.stays] for s in card.stage_times],
    }


def _card(data: dict) -> Scorecard:
    return Scorecard(
        supplier_id=data["supplier_id"],
        inspections=data["inspections"],
        acceptance=Ratio(*data["acceptance"]),
        first_pass=Ratio(*data["first_pass"]),
        failing=Ratio(*data["failing"]),
        on_time=Ratio(*data["on_time"]),
        evidence=Ratio(*data["evidence"]),
        stage_times=tuple(StageTime(*row) for row in data["stage_times"]),
    )


def _pareto_data(failures: Pareto) -> dict:
    return {
        "rows": [
            {
                "name": row.name,
                "code": row.code,
                "text": row.text,
                "count": row.count,
                "share": _ratio_data(row.share),
                "cumulative": _ratio_data(row.cumulative),
                "items": [list(item) for item in row.items],
                "more_items": row.more_items,
            }
            for row in failures.rows
        ],
        "total": failures.total,
        "hidden_groups": failures.hidden_groups,
        "hidden_count": failures.hidden_count,
    }


def _pareto(data: dict) -> Pareto:
    rows = tuple(
        ParetoRow(
            name=row["name"],
            code=row["code"],
            text=row["text"],
            count=row["count"],
            share=Ratio(*row["share"]),
            cumulative=Ratio(*row["cumulative"]),
            items=tuple(tuple(item) for item in row["items"]),
            more_items=row["more_items"],
        )
        for row in data["rows"]
    )
    return Pareto(rows, data["total"], data["hidden_groups"], data["hidden_count"])
