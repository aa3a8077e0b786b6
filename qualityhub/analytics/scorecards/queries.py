"""The scorecards' queries: each costs one statement however many suppliers there are (GROUP BY
supplier_id, never a query per supplier), in SQL that SQLite and PostgreSQL both run: medians
are computed in Python (`figures.stage_times`) from the stay durations of the period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, F, FloatField, Func, Max, OuterRef, Q, Sum

from qualityhub.analytics.models import StageStay
from qualityhub.analytics.scorecards.figures import Period, Scorecard, build_scorecards
from qualityhub.analytics.scorecards.pareto import FailureGroup, is_quantitative
from qualityhub.analytics.stages import TRACKED_STAGES
from qualityhub.attachments.models import Attachment
from qualityhub.coupa.vocabulary import Decision, Status
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.verdicts.choices import Verdict

# Evidence is a file in Coupa or on its way there: a queued upload is the user's evidence and
# QualityHub's job to deliver. A failed upload is not evidence until someone retries it, and a
# file being deleted is going away.
EVIDENCE_STATES = (
    Attachment.State.SYNCED,
    Attachment.State.UPLOADED,
    Attachment.State.UPLOADING,
    Attachment.State.PENDING,
)


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
            verdict=Verdict.FAIL,
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


def failure_groups(period: Period, supplier_id: int) -> list[FailureGroup]:
    """The supplier's failing characteristics in the period by (item, name, code)."""
    return failure_groups_by_supplier(period, [supplier_id]).get(supplier_id, [])


def failure_groups_by_supplier(
    period: Period, supplier_ids: Iterable[int] | None = None
) -> dict[int, list[FailureGroup]]:
    """Per supplier (of these; None: all), its failing characteristics in the period by (item,
    name, code): one GROUP BY."""
    rows = (
        Characteristic.objects.filter(
            in_period(period, supplier_ids, via="inspection__"),
            verdict=Verdict.FAIL,
        )
        .order_by()
        .values(
            "inspection__supplier_id",
            "inspection__item_id",
            "name",
            "recorded_code",
            "is_quantitative",
            "value_type",
        )
        .annotate(
            count=Count("pk"),
            item_name=Max("inspection__item_name"),
            text=Max("recorded_text"),
        )
    )
    groups: dict[int, list[FailureGroup]] = defaultdict(list)
    for row in rows:
        quantitative = is_quantitative(row["is_quantitative"], row["value_type"])
        groups[row["inspection__supplier_id"]].append(
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
    return dict(groups)


def supplier_summary(supplier_id: int) -> dict[str, Any]:
    """How many inspections (not gone) the supplier has in the cache at all, and the latest due
    date: tells an unknown supplier from one that was quiet in the period."""
    return Inspection.objects.filter(supplier_id=supplier_id, gone_at__isnull=True).aggregate(
        inspections=Count("pk"), latest_due=Max("due_date")
    )


def supplier_summaries() -> dict[int, dict[str, Any]]:
    """`supplier_summary` of every supplier with an inspection not gone: one GROUP BY."""
    rows = (
        Inspection.objects.filter(gone_at__isnull=True)
        .order_by()
        .values("supplier_id")
        .annotate(inspections=Count("pk"), latest_due=Max("due_date"))
    )
    return {
        row["supplier_id"]: {"inspections": row["inspections"], "latest_due": row["latest_due"]}
        for row in rows
    }
