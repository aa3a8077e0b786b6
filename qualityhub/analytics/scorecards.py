"""Supplier scorecards: per supplier over a period, how its inspections went.

Two layers. The maths are pure functions over plain rows (`build_scorecards`, `stage_times`,
`sort_scorecards`, `pareto`), tested without a database. The queries are small functions that
each cost one statement however many suppliers there are (GROUP BY supplier_id, never a query
per supplier), in SQL that SQLite and PostgreSQL both run: medians are computed here from the stay
durations of the period, not with PostgreSQL's percentile_cont.

The definitions (also on the pages and in the README):
- period: inspections due on one of the last N×7 days, today included; gone ones never count;
- acceptance: Accepted / (Accepted + Rejected);
- first-pass acceptance: Accepted and in buyer review at most once (never sent back) / decided;
- failing share: sum of failing characteristics / sum of characteristics;
- on time: Closed with reviewed_date <= due_date / Closed with a reviewed_date;
- evidence: failing characteristics with an attachment of their own / failing characteristics;
- time in stage: median days of the stays that ended in the period (both ends known).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, FloatField, Func, Max, OuterRef, Q, Sum
from django.utils import timezone

from qualityhub.analytics.models import StageStay
from qualityhub.analytics.stages import TRACKED_STAGES
from qualityhub.analytics.stats import median, rate
from qualityhub.inspections.models import (
    Attachment,
    Characteristic,
    CharacteristicVerdict,
    Decision,
    Inspection,
    Status,
)

PERIOD_WEEKS = (4, 13, 26, 52)
DEFAULT_WEEKS = 13
PARETO_SIZE = 10
TREND_ITEMS = 5  # trend links shown per Pareto row; the rest are counted
# Evidence is a file in Coupa or on its way there: a queued upload is the user's evidence and
# QualityHub's job to deliver. A failed upload is not evidence until someone retries it, and a
# file being deleted is going away.
EVIDENCE_STATES = (
    Attachment.State.SYNCED,
    Attachment.State.UPLOADED,
    Attachment.State.UPLOADING,
    Attachment.State.PENDING,
)


# What each figure means, in the words the pages show under "How these are computed".
DEFINITIONS = (
    (
        "Period",
        "Inspections due on one of the days of the last 4, 13, 26 or 52 weeks, today included. "
        "Inspections no longer in Coupa never count.",
    ),
    ("Acceptance", "Accepted ÷ decided (Accepted + Rejected)."),
    (
        "First-pass acceptance",
        "Accepted after a single buyer review (never sent back for another) ÷ decided.",
    ),
    ("Failing characteristics", "Failing characteristics ÷ all characteristics."),
    (
        "On time",
        "Closed with the buyer's review on or before the due date ÷ closed with a review date.",
    ),
    (
        "Evidence",
        "Failing characteristics with at least one attachment of their own (in Coupa or being "
        "sent there; not a failed upload, nor one being deleted) ÷ failing characteristics.",
    ),
    (
        "Median days in a stage",
        "The median length of the stays in Open, In Progress and In Buyer Review that ended in "
        "the period, counting only stays whose start QualityHub saw.",
    ),
    ("—", "Nothing to divide by, e.g. no decided inspection; sorting puts these last."),
)


@dataclass(frozen=True)
class Period:
    """Inspections due from `start` (inclusive) to `end` (exclusive): the last N weeks of days
    in the reader's time zone, today included."""

    weeks: int
    start: datetime
    end: datetime

    @classmethod
    def last_weeks(cls, weeks: int, today: date) -> Period:
        first_day = today - timedelta(days=7 * weeks - 1)
        return cls(weeks, _start_of_day(first_day), _start_of_day(today + timedelta(days=1)))

    @classmethod
    def from_query(cls, value: str, today: date) -> Period:
        """From the `weeks` GET parameter; anything but one of PERIOD_WEEKS is the default."""
        weeks = int(value) if value.isdigit() and int(value) in PERIOD_WEEKS else DEFAULT_WEEKS
        return cls.last_weeks(weeks, today)

    @property
    def first_day(self) -> date:
        return timezone.localtime(self.start).date()

    @property
    def last_day(self) -> date:
        return timezone.localtime(self.end).date() - timedelta(days=1)


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Ratio:
    """`part` of `whole`, kept as counts so a page can say "12 of 15" beside the percentage."""

    part: int
    whole: int

    @property
    def value(self) -> Decimal | None:
        return rate(self.part, self.whole)

    @property
    def percent(self) -> str:
        """As "83.3%" (one decimal, half up), or "—" when there is nothing to divide by."""
        value = self.value
        if value is None:
            return "—"
        return f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class StageTime:
    stage: str
    median_days: float | None
    stays: int


@dataclass(frozen=True)
class Scorecard:
    supplier_id: int
    inspections: int
    acceptance: Ratio
    first_pass: Ratio
    failing: Ratio
    on_time: Ratio
    evidence: Ratio
    stage_times: tuple[StageTime, ...]

    @property
    def ratios(self) -> tuple[Ratio, ...]:
        """In the ranking's column order."""
        return (self.acceptance, self.first_pass, self.failing, self.on_time, self.evidence)

    def median_days(self, stage: str) -> float | None:
        return next((s.median_days for s in self.stage_times if s.stage == stage), None)


# --- The maths: plain rows in ------------------------------------------------------------


def build_scorecards(
    totals: Iterable[dict[str, Any]],
    evidence: dict[int, tuple[int, int]],
    stays: Iterable[tuple[int, str, float]],
) -> list[Scorecard]:
    """One scorecard per row of `totals` (see `inspection_totals`), in supplier order.

    `evidence`: supplier → (failing characteristics, those with an attachment);
    `stays`: (supplier, stage, days) of the stays that ended in the period."""
    times = stage_times(stays)
    cards = [_scorecard(row, evidence, times) for row in totals]
    return sorted(cards, key=lambda card: card.supplier_id)


def _scorecard(
    row: dict[str, Any],
    evidence: dict[int, tuple[int, int]],
    times: dict[int, tuple[StageTime, ...]],
) -> Scorecard:
    supplier = row["supplier_id"]
    decided = row["accepted"] + row["rejected"]
    failing, evidenced = evidence.get(supplier, (0, 0))
    return Scorecard(
        supplier_id=supplier,
        inspections=row["inspections"],
        acceptance=Ratio(row["accepted"], decided),
        first_pass=Ratio(row["first_pass"], decided),
        failing=Ratio(row["failing"] or 0, row["characteristics"] or 0),
        on_time=Ratio(row["on_time"], row["closed_reviewed"]),
        evidence=Ratio(evidenced, failing),
        stage_times=times.get(supplier, _no_stage_times()),
    )


def _no_stage_times() -> tuple[StageTime, ...]:
    return tuple(StageTime(stage, None, 0) for stage in TRACKED_STAGES)


def stage_times(stays: Iterable[tuple[int, str, float]]) -> dict[int, tuple[StageTime, ...]]:
    """Supplier → the median days in each tracked stage, in TRACKED_STAGES order, from
    (supplier, stage, days) of each stay."""
    days: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for supplier, stage, length in stays:
        days[supplier][stage].append(length)
    return {
        supplier: tuple(
            StageTime(stage, _rounded(median(by_stage[stage])), len(by_stage[stage]))
            for stage in TRACKED_STAGES
        )
        for supplier, by_stage in days.items()
    }


def _rounded(days: float | None) -> float | None:
    # To the second or so: drops the float noise of the database's date arithmetic.
    return None if days is None else round(days, 5)


# Sortable columns of the ranking: name in the URL → (header label, value; None = undefined).
COLUMNS: dict[str, tuple[str, Callable[[Scorecard], Any]]] = {
    "supplier": ("Supplier", lambda c: c.supplier_id),
    "inspections": ("Inspections", lambda c: c.inspections),
    "acceptance": ("Acceptance", lambda c: c.acceptance.value),
    "first_pass": ("First-pass acceptance", lambda c: c.first_pass.value),
    "failing": ("Failing characteristics", lambda c: c.failing.value),
    "on_time": ("On time", lambda c: c.on_time.value),
    "evidence": ("Evidence", lambda c: c.evidence.value),
    "open": ("Median days Open", lambda c: c.median_days(Status.OPEN)),
    "in_progress": ("Median days In Progress", lambda c: c.median_days(Status.IN_PROGRESS)),
    "buyer_review": (
        "Median days In Buyer Review",
        lambda c: c.median_days(Status.IN_BUYER_REVIEW),
    ),
}
DEFAULT_SORT = "-inspections"


def sort_scorecards(cards: Iterable[Scorecard], key: str) -> list[Scorecard]:
    """Sorted by the column named in `key` ("-" first: descending); suppliers whose value is
    undefined come last either way, and ties stay in supplier order."""
    name = key.lstrip("-")  # as `web.paging.Sort` reads it
    value = COLUMNS.get(name, COLUMNS["inspections"])[1]
    by_supplier = sorted(cards, key=lambda card: card.supplier_id)
    defined = [card for card in by_supplier if value(card) is not None]
    undefined = [card for card in by_supplier if value(card) is None]
    # Python's sort is stable with reverse=True too, so ties keep supplier order.
    return sorted(defined, key=value, reverse=key.startswith("-")) + undefined


@dataclass(frozen=True)
class FailureGroup:
    """Failing characteristics of one item with one name (and, qualitative, one code)."""

    item_id: int | None
    item_name: str
    name: str
    code: str
    text: str
    quantitative: bool
    count: int


@dataclass(frozen=True)
class ParetoRow:
    name: str
    code: str
    text: str
    count: int
    share: Ratio
    cumulative: Ratio
    # (item id, item name) of the quantitative failures, most failures first: a trend each.
    items: tuple[tuple[int, str], ...]
    more_items: int

    @property
    def label(self) -> str:
        return f"{self.name} · code {self.code}" if self.code else self.name


@dataclass(frozen=True)
class Pareto:
    rows: tuple[ParetoRow, ...]
    total: int  # failing characteristics in all, shown or not
    hidden_groups: int
    hidden_count: int


def pareto(groups: Iterable[FailureGroup], size: int = PARETO_SIZE) -> Pareto:
    """Failures by characteristic name (and choice code), most first, with each row's share of
    all failures and the running share; the first `size` rows."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    texts: dict[tuple[str, str], str] = {}
    items: dict[tuple[str, str], dict[tuple[int, str], int]] = defaultdict(dict)
    for group in groups:
        key = (group.name, group.code)
        counts[key] += group.count
        texts[key] = max(texts.get(key, ""), group.text)
        if group.quantitative and group.item_id is not None:
            item = (group.item_id, group.item_name)
            items[key][item] = items[key].get(item, 0) + group.count
    total = sum(counts.values())
    ordered = sorted(counts, key=lambda key: (-counts[key], key))
    rows, running = [], 0
    for key in ordered[:size]:
        running += counts[key]
        by_failures = sorted(items[key], key=lambda item: (-items[key][item], item[0]))
        rows.append(
            ParetoRow(
                name=key[0],
                code=key[1],
                text=texts[key],
                count=counts[key],
                share=Ratio(counts[key], total),
                cumulative=Ratio(running, total),
                items=tuple(by_failures[:TREND_ITEMS]),
                more_items=max(len(by_failures) - TREND_ITEMS, 0),
            )
        )
    return Pareto(tuple(rows), total, len(ordered) - len(rows), total - running)


def is_quantitative(flag: bool | None, value_type: str) -> bool:
    """Coupa's isQuantitative, or when it is missing, a numeric value type (as Coupa defaults)."""
    return flag if flag is not None else value_type == "numeric"


# --- The queries: one statement each --------------------------------------------------------


def in_period(period: Period, supplier_ids: Iterable[int] | None = None, via: str = "") -> Q:
    """The inspections that count: due in the period, not gone upstream, of these suppliers
    (None: all of them). `via`: the path to the inspection from another model."""
    condition = Q(
        **{
            f"{via}gone_at__isnull": True,
            f"{via}due_date__gte": period.start,
            f"{via}due_date__lt": period.end,
        }
    )
    if supplier_ids is not None:
        condition &= Q(**{f"{via}supplier_id__in": sorted(supplier_ids)})
    return condition


def inspection_totals(
    period: Period, supplier_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Per supplier: the counts behind every ratio but evidence and time in stage."""
    # Sent back by the buyer: a second stay in buyer review. Any time, not just in the period.
    reviewed_again = (
        StageStay.objects.filter(inspection_id=OuterRef("coupa_id"), stage=Status.IN_BUYER_REVIEW)
        .order_by()
        .values("inspection_id")
        .annotate(stays=Count("pk"))
        .filter(stays__gt=1)
    )
    accepted = Q(review_decision=Decision.ACCEPTED)
    closed_reviewed = Q(status=Status.CLOSED, reviewed_date__isnull=False)
    return list(
        Inspection.objects.filter(in_period(period, supplier_ids))
        .order_by()
        .values("supplier_id")
        .annotate(
            inspections=Count("pk"),
            accepted=Count("pk", filter=accepted),
            rejected=Count("pk", filter=Q(review_decision=Decision.REJECTED)),
            first_pass=Count("pk", filter=accepted & ~Exists(reviewed_again)),
            failing=Sum("failing_count"),
            characteristics=Sum("characteristic_count"),
            closed_reviewed=Count("pk", filter=closed_reviewed),
            on_time=Count("pk", filter=closed_reviewed & Q(reviewed_date__lte=F("due_date"))),
        )
    )


def evidence_totals(
    period: Period, supplier_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """Per supplier: (failing characteristics, those with at least one attachment of their
    own in EVIDENCE_STATES). A file on the inspection header is not evidence for a line."""
    has_file = Exists(
        Attachment.objects.filter(characteristic=OuterRef("pk"), state__in=EVIDENCE_STATES)
    )
    rows = (
        Characteristic.objects.filter(
            in_period(period, supplier_ids, via="inspection__"),
            verdict=CharacteristicVerdict.FAIL,
        )
        .order_by()
        .values("inspection__supplier_id")
        .annotate(failing=Count("pk"), evidenced=Count("pk", filter=has_file))
    )
    return {row["inspection__supplier_id"]: (row["failing"], row["evidenced"]) for row in rows}


class DaysBetween(Func):
    """From `start` to `end` (two datetime columns) in days, as a float. The database does the
    subtraction: a year of stays arrives as numbers three times faster than as pairs of
    datetimes to parse (SQLite keeps datetimes as text), and Django's portable datetime
    subtraction would call back into Python on SQLite for every row."""

    arity = 2
    output_field = FloatField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(end, start)  # in the order of the subtraction

    def as_sqlite(self, compiler, connection, **extra):
        template = "(julianday(%(expressions)s))"
        return self.as_sql(
            compiler, connection, template=template, arg_joiner=") - julianday(", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        template = "(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)::double precision"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra)


def stage_stays(
    period: Period, supplier_ids: Iterable[int] | None = None
) -> list[tuple[int, str, float]]:
    """(supplier, stage, days) of the stays with both ends known that ended in the period,
    except those of inspections gone upstream."""
    gone = Inspection.objects.filter(gone_at__isnull=False).values("coupa_id")
    qs = StageStay.objects.filter(
        stage__in=TRACKED_STAGES,
        entered_at__isnull=False,
        left_at__gte=period.start,
        left_at__lt=period.end,
    ).exclude(inspection_id__in=gone)
    if supplier_ids is not None:
        qs = qs.filter(supplier_id__in=sorted(supplier_ids))
    days = DaysBetween("entered_at", "left_at")
    return list(qs.order_by().values_list("supplier_id", "stage", days))


def supplier_scorecards(
    period: Period, supplier_ids: Iterable[int] | None = None
) -> list[Scorecard]:
    """Every supplier with an inspection due in the period: three queries in all."""
    supplier_ids = None if supplier_ids is None else sorted(supplier_ids)
    return build_scorecards(
        inspection_totals(period, supplier_ids),
        evidence_totals(period, supplier_ids),
        stage_stays(period, supplier_ids),
    )


RANKING_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Ranking:
    computed_at: datetime
    cards: list[Scorecard]


def ranking(period: Period, supplier_ids: Iterable[int] | None = None) -> Ranking:
    """Every supplier's scorecard, kept in the cache for 5 minutes per period and scope: each
    click on a column header sorts the same rows again instead of recomputing a year of stays
    (about a second for 50,000 inspections)."""
    key = _ranking_key(period, supplier_ids)
    found = cache.get(key)
    if found is None:
        found = Ranking(timezone.now(), supplier_scorecards(period, supplier_ids))
        cache.set(key, found, RANKING_CACHE_SECONDS)
    return found


def _ranking_key(period: Period, supplier_ids: Iterable[int] | None) -> str:
    scope = "all"
    if supplier_ids is not None:
        scope = hashlib.sha256(",".join(map(str, sorted(supplier_ids))).encode()).hexdigest()
    # The bounds carry the reader's time zone offset: another zone is another period.
    bounds = f"{period.start.isoformat()}/{period.end.isoformat()}"
    return f"scorecards:v1:{period.weeks}:{bounds}:{scope[:20]}"


def failure_groups(period: Period, supplier_id: int) -> list[FailureGroup]:
    """The supplier's failing characteristics in the period by (item, name, code)."""
    rows = (
        Characteristic.objects.filter(
            in_period(period, [supplier_id], via="inspection__"),
            verdict=CharacteristicVerdict.FAIL,
        )
        .order_by()
        .values("inspection__item_id", "name", "recorded_code", "is_quantitative", "value_type")
        .annotate(
            count=Count("pk"),
            item_name=Max("inspection__item_name"),
            text=Max("recorded_text"),
        )
    )
    groups = []
    for row in rows:
        quantitative = is_quantitative(row["is_quantitative"], row["value_type"])
        groups.append(
            FailureGroup(
                item_id=row["inspection__item_id"],
                item_name=row["item_name"] or "",
                name=row["name"],
                code="" if quantitative else row["recorded_code"],
                text="" if quantitative else row["text"] or "",
                quantitative=quantitative,
                count=row["count"],
            )
        )
    return groups


def supplier_summary(supplier_id: int) -> dict[str, Any]:
    """How many inspections (not gone) the supplier has in the cache at all, and the latest due
    date: tells an unknown supplier from one that was quiet in the period."""
    return Inspection.objects.filter(supplier_id=supplier_id, gone_at__isnull=True).aggregate(
        inspections=Count("pk"), latest_due=Max("due_date")
    )
