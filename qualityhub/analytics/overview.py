"""The managers' overview: counts that lead to the filtered list, inspections closed per week and
time spent in each stage, against the due date.

`compute_overview(now)` answers everything, for the four periods at once, in three aggregate
queries whatever the size of the cache; `refresh_overview_snapshot()` keeps the answer as one
`Snapshot` row, which the page reads in one query. A Celery task refreshes it every 5 minutes and
after a sync that changed something (`tasks.py`), so the page says how old its figures are.

Weeks start on Monday at midnight in the server's time zone (TIME_ZONE), whoever is reading: the
snapshot is shared. A period of N weeks is the current week and the N - 1 before it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, FloatField, Func, Q, QuerySet
from django.db.models.aggregates import Aggregate
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from qualityhub.accounts.access import Access
from qualityhub.analytics import snapshots
from qualityhub.analytics.models import Snapshot, StageStay
from qualityhub.analytics.stages import TRACKED_STAGES
from qualityhub.analytics.stats import quantile, rate
from qualityhub.coupa.vocabulary import OPEN_STATUSES, Decision, Status
from qualityhub.inspections.models import Inspection

SNAPSHOT_NAME = "overview"
VERSION = 1  # of the snapshot's layout: a snapshot of another version is computed again
PERIODS = (4, 13, 26, 52)  # weeks
DEFAULT_WEEKS = 13
DUE_SOON_DAYS = 7
DAY_SECONDS = 86_400


# --- the figures ---------------------------------------------------------------------------


def compute_overview(now: datetime, supplier_ids: Collection[int] | None = None) -> dict:
    """Every figure of the page, JSON-ready (ints, ISO dates, decimals as strings), from three
    aggregate queries. Gone inspections (and their stays) count nowhere; `supplier_ids` limits
    the figures to those suppliers (None: all)."""
    zone = timezone.get_default_timezone()
    weeks = week_starts(now, zone)
    inspections = Inspection.objects.filter(gone_at__isnull=True)
    gone = Inspection.objects.filter(gone_at__isnull=False).values("coupa_id")
    stays = StageStay.objects.exclude(inspection_id__in=gone)
    if supplier_ids is not None:
        inspections = inspections.filter(supplier_id__in=sorted(supplier_ids))
        stays = stays.filter(supplier_id__in=sorted(supplier_ids))
    return {
        "version": VERSION,
        **_counts(inspections, now),
        "weeks": _closed_per_week(inspections, weeks, now, zone),
        "periods": _time_in_stage(stays, weeks, now, zone),
    }


def refresh_overview_snapshot(now: datetime | None = None) -> Snapshot:
    now = now or timezone.now()
    return snapshots.store(SNAPSHOT_NAME, now, compute_overview(now))


def read_overview(access: Access) -> tuple[dict, datetime]:
    """The figures this user may see and when they were computed, from one snapshot row: the
    shared one (kept fresh by the task; computed here only if missing), or for a user limited to
    some suppliers, one of their own, computed again on a view once `snapshots.LIMITED_MAX_AGE`
    old (the task cannot know every combination of suppliers)."""
    snapshot = snapshots.read(SNAPSHOT_NAME, VERSION, access.supplier_ids, compute_overview)
    return snapshot.data, snapshot.computed_at


def week_starts(now: datetime, zone: tzinfo) -> list[date]:
    """The Mondays of the last 52 weeks, oldest first; the last one is this week's."""
    today = timezone.localtime(now, zone).date()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=back) for back in range(max(PERIODS) - 1, -1, -1)]


def _midnight(day: date, zone: tzinfo) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), zone)


def _counts(inspections: QuerySet[Inspection], now: datetime) -> dict:
    rows = list(
        inspections.values("status", "review_decision")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(due_date__lt=now)),
            due_soon=Count("pk", filter=Q(due_date__lt=now + timedelta(days=DUE_SOON_DAYS))),
            not_exported=Count("pk", filter=Q(exported=False)),
            disagreements=Count("pk", filter=Q(disagreement=True)),
        )
        .order_by()
    )

    def total(column: str, statuses: Collection[str] | None = None) -> int:
        return sum(r[column] for r in rows if statuses is None or r["status"] in statuses)

    statuses: dict[str, int] = {}
    decisions: dict[str, int] = {}
    for row in rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + row["total"]
        if row["review_decision"]:
            decision = row["review_decision"]
            decisions[decision] = decisions.get(decision, 0) + row["total"]
    return {
        "counts": {
            "total": total("total"),
            "overdue": total("overdue", OPEN_STATUSES),
            "due_this_week": total("due_soon", [Status.OPEN]),
            "in_buyer_review": statuses.get(Status.IN_BUYER_REVIEW, 0),
            "closed_not_exported": total("not_exported", [Status.CLOSED]),
            "disagreements": total("disagreements"),
        },
        # Lists, not objects: PostgreSQL's jsonb does not keep the order of keys.
        "statuses": _ordered(statuses, [s.value for s in Status]),
        "decisions": _ordered(decisions, [d.value for d in Decision]),
        "stages_now": [
            {
                "stage": stage,
                "now": statuses.get(stage, 0),
                "past_due": total("overdue", [stage]),
            }
            for stage in TRACKED_STAGES
        ],
    }


def _ordered(counts: dict[str, int], known: list[str]) -> list[list]:
    """The known values first, in their order (even at 0), then whatever else Coupa sent."""
    others = sorted(name for name in counts if name not in known)
    return [[name, counts.get(name, 0)] for name in [*known, *others]]


def _closed_per_week(
    inspections: QuerySet[Inspection], weeks: list[date], now: datetime, zone: tzinfo
) -> list[dict]:
    rows = (
        inspections.filter(
            status=Status.CLOSED,
            reviewed_date__gte=_midnight(weeks[0], zone),
            reviewed_date__lte=now,
        )
        .annotate(week=TruncWeek("reviewed_date", tzinfo=zone))
        .values("week", "review_decision")
        .annotate(n=Count("pk"))
        .order_by()
    )
    buckets = {week: {"closed": 0, "accepted": 0, "rejected": 0} for week in weeks}
    for row in rows:
        bucket = buckets.get(timezone.localtime(row["week"], zone).date())
        if bucket is None:
            continue
        bucket["closed"] += row["n"]
        if row["review_decision"] == Decision.ACCEPTED:
            bucket["accepted"] += row["n"]
        elif row["review_decision"] == Decision.REJECTED:
            bucket["rejected"] += row["n"]
    return [{"start": week.isoformat(), **buckets[week]} for week in weeks]


def _time_in_stage(
    stays: QuerySet[StageStay], weeks: list[date], now: datetime, zone: tzinfo
) -> dict:
    """Per period and stage: the stays that ended in the period (with a known start), their
    median and p90 length in days, and how many ended after the inspection's due date."""
    starts = {n: _midnight(weeks[-n], zone) for n in PERIODS}
    seconds = Seconds(F("left_at"), F("entered_at"))
    aggregates: dict[str, Any] = {}
    for n, start in starts.items():
        in_period = Q(left_at__gte=start)
        aggregates[f"stays_{n}"] = Count("pk", filter=in_period)
        aggregates[f"late_{n}"] = Count("pk", filter=in_period & Q(left_at__gt=F("due_date")))
        aggregates[f"median_{n}"] = Percentile(seconds, 0.5, filter=in_period)
        aggregates[f"p90_{n}"] = Percentile(seconds, 0.9, filter=in_period)
    ended = stays.filter(
        entered_at__isnull=False,
        left_at__isnull=False,
        left_at__gte=starts[max(PERIODS)],
        left_at__lte=now,
    )
    # One part per stage, joined with UNION ALL (still one query): with the stage fixed by its
    # WHERE, PostgreSQL aggregates without first sorting every stay by stage, which halves the
    # time at a million inspections.
    parts = [
        ended.filter(stage=stage).values("stage").annotate(**aggregates).order_by()
        for stage in TRACKED_STAGES
    ]
    rows = {row["stage"]: row for row in parts[0].union(*parts[1:], all=True)}
    periods = {}
    for n, start in starts.items():
        stages = []
        for stage in TRACKED_STAGES:
            row = rows.get(stage, {})
            count, late = row.get(f"stays_{n}", 0), row.get(f"late_{n}", 0)
            share = rate(late, count)
            stages.append(
                {
                    "stage": stage,
                    "stays": count,
                    "median_days": _days(row.get(f"median_{n}")),
                    "p90_days": _days(row.get(f"p90_{n}")),
                    "late": late,
                    "late_share": None if share is None else str(share),
                }
            )
        periods[str(n)] = {"start": start.isoformat(), "stages": stages}
    return periods


def _days(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    days = Decimal(repr(float(seconds))) / DAY_SECONDS
    return str(days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class Seconds(Func):
    """Seconds from the second datetime to the first (`later - earlier`), as a float; whole
    seconds on SQLite, which keeps datetimes as text."""

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        # date_part, not EXTRACT: EXTRACT answers in numeric, which made the time-in-stage query
        # at a million inspections take half again as long.
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"date_part('epoch', {later[0]} - {earlier[0]})"
        return sql, (*later[1], *earlier[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        later, earlier = (compiler.compile(e) for e in self.get_source_expressions())
        sql = (
            f"(CAST(strftime('%%s', {later[0]}) AS INTEGER)"
            f" - CAST(strftime('%%s', {earlier[0]}) AS INTEGER))"
        )
        return sql, (*later[1], *earlier[1])


class Percentile(Aggregate):
    """The q-quantile by linear interpolation between closest ranks, as `stats.quantile`:
    PostgreSQL's percentile_cont; on SQLite `stats.quantile` itself, registered as an aggregate
    on the connection."""

    function = "percentile_cont"
    name = "Percentile"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError(f"a quantile lies between 0 and 1, not {fraction}")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        connection.connection.create_aggregate("qualityhub_quantile", 2, _SqliteQuantile)
        return self.as_sql(
            compiler,
            connection,
            function="qualityhub_quantile",
            template="%(function)s(%(expressions)s, %(fraction)s)%(filter)s",
            **extra_context,
        )


class _SqliteQuantile:
    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value: float | None, fraction: float) -> None:
        if value is not None:
            self.values.append(float(value))
            self.fraction = fraction

    def finalize(self) -> float | None:
        return quantile(self.values, self.fraction)


# --- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    count: int
    url: str


# Each tile's list query: exactly the inspections it counts (gone=no, as the counts).
TILES = (
    ("overdue", _("Overdue"), {"overdue": "1", "sort": "due_date"}),
    ("due_this_week", _("Open, due within 7 days"), {"status": Status.OPEN, "due_within": "7"}),
    ("in_buyer_review", _("Waiting for buyer review"), {"status": Status.IN_BUYER_REVIEW}),
    ("closed_not_exported", _("Closed, not exported"), {"status": Status.CLOSED, "exported": "no"}),
    ("disagreements", _("Decision contradicts our verdict"), {"disagreement": "1"}),
)


def page_context(data: dict, weeks: int) -> dict:
    """What the template shows for a period of `weeks` (one of PERIODS)."""
    list_url = reverse("inspection-list")

    def link(**params: str) -> str:
        return f"{list_url}?{urlencode({**params, 'gone': 'no'})}"

    period = data["periods"][str(weeks)]
    trend = [
        {
            **week,
            "label": dateformat.format(date.fromisoformat(week["start"]), "j M"),
            "acceptance": _percent(rate(week["accepted"], week["accepted"] + week["rejected"])),
        }
        for week in data["weeks"][-weeks:]
    ]
    now_in = {row["stage"]: row for row in data["stages_now"]}
    stages = [
        {
            **row,
            "late_percent": _percent(row["late_share"]),
            "now": now_in[row["stage"]]["now"],
            "past_due": now_in[row["stage"]]["past_due"],
            "now_url": link(status=row["stage"]),
            "past_due_url": link(status=row["stage"], overdue="1", sort="due_date"),
        }
        for row in period["stages"]
    ]
    return {
        "tiles": [
            Tile(key, label, data["counts"][key], link(**params)) for key, label, params in TILES
        ],
        "total": data["counts"]["total"],
        "statuses": _breakdown(data["statuses"], [s.value for s in Status], link, "status"),
        "decisions": _breakdown(data["decisions"], [d.value for d in Decision], link, "decision"),
        "weeks": weeks,
        "period_start": date.fromisoformat(data["weeks"][-weeks]["start"]),
        "periods": [{"weeks": n, "current": n == weeks, "url": f"?weeks={n}"} for n in PERIODS],
        "trend": trend,
        "stages": stages,
        "stays_ended": sum(s["stays"] for s in stages),
        "trend_chart": {
            "labels": [w["label"] for w in trend],
            "accepted": [w["accepted"] for w in trend],
            "rejected": [w["rejected"] for w in trend],
        },
        "stage_chart": {
            "labels": [s["stage"] for s in stages],
            "median": [s["median_days"] for s in stages],
            "p90": [s["p90_days"] for s in stages],
        },
    }


def _breakdown(pairs: list[list], known: list[str], link: Any, param: str) -> list[dict]:
    # Values the list cannot filter by (whatever else Coupa sent) are shown without a link.
    return [
        {"name": name, "count": count, "url": link(**{param: name}) if name in known else ""}
        for name, count in pairs
    ]


def _percent(share: Decimal | str | None) -> Decimal | None:
    """A rate (0.8333) as a percentage to one place (83.3)."""
    if share is None:
        return None
    return (Decimal(share) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
