"""The supplier review pack: one supplier's period as a buyer takes it to a quarterly review.

`pack_period` reads and bounds the period (default: the last full calendar quarter);
`build_pack` gathers what the PDF shows, with the scorecards', the Pareto's and SPC's own
functions (nothing is counted twice in another way); `pack_pdf` lays it out. Every figure is
the supplier's and the period's only: inspections due from the first day to the last, not gone
upstream (the scorecards' `in_period`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone, translation

from qualityhub.analytics import spc
from qualityhub.analytics.scorecards import (
    Pareto,
    Period,
    Ratio,
    Scorecard,
    failure_groups,
    in_period,
    pareto,
    supplier_scorecards,
)
from qualityhub.analytics.trends import measured
from qualityhub.coupa.vocabulary import Decision
from qualityhub.directory.names import Name, item_names, supplier_name
from qualityhub.inspections.models import Inspection, Limit, trend_time
from qualityhub.inspections.presenters import VERDICT_LABELS
from qualityhub.reports import pack_charts
from qualityhub.reports.pdf import render_pdf
from qualityhub.verdicts import Limit as LimitInput
from qualityhub.verdicts import limit_text

MAX_DAYS = 366  # a pack covers at most a year
SPC_CHARACTERISTICS = 3
SPC_MAX_POINTS = 200  # per characteristic, the newest of the period (as the trends page)
MAX_LISTED = 300  # rejected / contradicting inspections listed; the rest are counted
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class PackPeriod:
    first_day: date
    last_day: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def as_scorecard_period(self) -> Period:
        """The scorecards' `Period`: due from the first day's midnight to the day after the last
        (in the current time zone)."""
        return Period(
            weeks=-(-self.days // 7),
            start=_midnight(self.first_day),
            end=_midnight(self.last_day + timedelta(days=1)),
        )


def _midnight(when: date) -> datetime:
    return timezone.make_aware(datetime.combine(when, datetime.min.time()))


def last_full_quarter(today: date) -> PackPeriod:
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_day = quarter_start - timedelta(days=1)
    first_day = date(last_day.year, last_day.month - 2, 1)
    return PackPeriod(first_day, last_day)


def last_full_month(today: date) -> PackPeriod:
    last_day = today.replace(day=1) - timedelta(days=1)
    return PackPeriod(last_day.replace(day=1), last_day)


# --- what the pack holds --------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    start: date
    inspections: int
    acceptance: Ratio
    failing: Ratio


@dataclass(frozen=True)
class SpcSection:
    item: Name
    name: str
    limits_text: str
    chart: spc.IndividualsChart
    cp: Decimal | None
    cpk: Decimal | None
    mean: Decimal | None
    sigma: Decimal | None
    capped: bool
    drawing: pack_charts.Chart | None


@dataclass(frozen=True)
class Listed:
    rows: list[dict]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class Pack:
    supplier: Name
    period: PackPeriod
    generated_at: datetime
    synced_at: datetime | None
    card: Scorecard | None
    weeks: list[Week]
    trend_chart: pack_charts.Chart | None
    pareto: Pareto
    pareto_chart: pack_charts.Chart | None
    spc: list[SpcSection]
    rejected: Listed
    contradicting: Listed

    @property
    def filename(self) -> str:
        return (
            f"review-pack-supplier-{self.supplier.coupa_id}-"
            f"{self.period.first_day.isoformat()}-{self.period.last_day.isoformat()}.pdf"
        )


def build_pack(supplier_id: int, period: PackPeriod, now: datetime | None = None) -> Pack:
    """Everything the pack shows (the caller has checked that the reader sees the supplier).
    Chart labels are written in the active language."""
    now = now or timezone.now()
    scored = period.as_scorecard_period()
    cards = supplier_scorecards(scored, [supplier_id])
    weeks = weekly(supplier_id, scored)
    failures = pareto(failure_groups(scored, supplier_id))
    return Pack(
        supplier=supplier_name(supplier_id),
        period=period,
        generated_at=now,
        synced_at=Inspection.objects.filter(supplier_id=supplier_id).aggregate(at=Max("synced_at"))[
            "at"
        ],
        card=cards[0] if cards else None,
        weeks=weeks,
        trend_chart=pack_charts.weekly_trend(weeks),
        pareto=failures,
        pareto_chart=pack_charts.pareto(failures),
        spc=spc_sections(supplier_id, scored),
        rejected=_listed(supplier_id, scored, Q(review_decision=Decision.REJECTED)),
        contradicting=_listed(supplier_id, scored, Q(disagreement=True)),
    )


def weekly(supplier_id: int, period: Period) -> list[Week]:
    """Per week (Monday to Sunday, by due date) of the period, the inspections due, their
    acceptance and failing share: one GROUP BY, every week shown even without inspections."""
    zone = timezone.get_current_timezone()
    rows = (
        Inspection.objects.filter(in_period(period, [supplier_id]))
        .annotate(week=TruncWeek("due_date", tzinfo=zone))
        .order_by()
        .values("week")
        .annotate(
            inspections=Count("pk"),
            accepted=Count("pk", filter=Q(review_decision=Decision.ACCEPTED)),
            rejected=Count("pk", filter=Q(review_decision=Decision.REJECTED)),
            characteristics=Sum("characteristic_count"),
            failing=Sum("failing_count"),
        )
    )
    found = {}
    for row in rows:
        start = timezone.localtime(row["week"], zone).date()
        found[start] = Week(
            start,
            row["inspections"],
            Ratio(row["accepted"], row["accepted"] + row["rejected"]),
            Ratio(row["failing"] or 0, row["characteristics"] or 0),
        )
    first = timezone.localtime(period.start, zone).date()
    monday = first - timedelta(days=first.weekday())
    last = timezone.localtime(period.end, zone).date() - timedelta(days=1)
    weeks = []
    while monday <= last:
        weeks.append(found.get(monday) or Week(monday, 0, Ratio(0, 0), Ratio(0, 0)))
        monday += timedelta(days=7)
    return weeks


def spc_sections(supplier_id: int, period: Period) -> list[SpcSection]:
    """SPC of the supplier's SPC_CHARACTERISTICS most-measured item × characteristic pairs in
    the period: the newest SPC_MAX_POINTS values of each, in time order, against the latest
    value's limits (as the trends page does)."""
    lines = measured([supplier_id]).filter(
        in_period(period, via="inspection__"), inspection__item_id__isnull=False
    )
    pairs = list(
        lines.values("inspection__item_id", "name")
        .annotate(points=Count("pk"), item_name=Max("inspection__item_name"))
        .order_by("-points", "inspection__item_id", "name")[:SPC_CHARACTERISTICS]
    )
    names = item_names(pair["inspection__item_id"] for pair in pairs)
    sections = []
    for pair in pairs:
        item_id, name = pair["inspection__item_id"], pair["name"]
        newest = list(
            lines.filter(inspection__item_id=item_id, name=name)
            .annotate(at=trend_time("inspection__"))
            .order_by(F("at").desc(nulls_last=True), "-inspection_id", "-coupa_id")
            .values_list("coupa_id", "recorded_numeric", "precision")[: SPC_MAX_POINTS + 1]
        )
        capped = len(newest) > SPC_MAX_POINTS
        points = newest[:SPC_MAX_POINTS][::-1]
        latest_id, _value, precision = points[-1]
        limits = [
            LimitInput(*row)
            for row in Limit.objects.filter(characteristic_id=latest_id)
            .order_by("position", "pk")
            .values_list("limit_type", "operator", "value")
        ]
        values = [value for _id, value, _precision in points]
        chart = spc.individuals_chart(values, limits)
        # The directory's name, else the one the inspections carried, else "Item 7".
        item = names.get(item_id)
        if item is not None and not item.known and pair["item_name"]:
            item = Name(item_id, pair["item_name"])
        sections.append(
            SpcSection(
                item=item,
                name=name,
                limits_text=limit_text(limits, precision),
                chart=chart,
                cp=_two_places(chart.capability.cp),
                cpk=_two_places(chart.capability.cpk),
                mean=_places(chart.mean, values, precision),
                sigma=_places(chart.limits.sigma if chart.limits else None, values, precision),
                capped=capped,
                drawing=pack_charts.individuals(chart),
            )
        )
    return sections


def _two_places(value: Decimal | None) -> Decimal | None:
    """Cp and Cpk as the trends page shows them: two places, half up."""
    return None if value is None else value.quantize(TWO_PLACES, ROUND_HALF_UP)


def _places(value: Decimal | None, values: list[Decimal], precision: int | None) -> Decimal | None:
    if value is None:
        return None
    places = spc.stat_places(values, precision)
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _listed(supplier_id: int, period: Period, condition: Q) -> Listed:
    rows = (
        Inspection.objects.filter(in_period(period, [supplier_id]))
        .filter(condition)
        .order_by("due_date", "coupa_id")
    )
    total = rows.count()
    shown = list(
        rows.values(
            "coupa_id",
            "due_date",
            "status",
            "review_decision",
            "verdict",
            "failing_count",
            "characteristic_count",
            "item_id",
            "item_name",
            "ref_document_id",
            "reviewed_date",
        )[:MAX_LISTED]
    )
    names = item_names(row["item_id"] for row in shown)
    for row in shown:
        name = names.get(row["item_id"])
        row["item"] = (
            name.text if name and (name.known or not row["item_name"]) else (row["item_name"])
        )
        row["verdict_icon"], row["verdict_label"] = VERDICT_LABELS.get(
            row["verdict"], ("", row["verdict"])
        )
    return Listed(shown, total)


def pack_pdf(
    supplier_id: int, period: PackPeriod, language: str | None = None
) -> tuple[str, bytes]:
    """The pack as (file name, PDF), every word and chart label in `language` (None: the active
    one)."""
    with translation.override(language or translation.get_language()):
        pack = build_pack(supplier_id, period)
        return pack.filename, render_pdf("reports/pack.html", {"pack": pack})
