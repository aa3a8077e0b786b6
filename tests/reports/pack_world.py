"""The review pack's hand-built world: supplier 10's second quarter of 2025 with known answers,
beside what must stay out of its pack (another supplier, the quarter before)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from qualityhub.analytics import spc
from qualityhub.inspections.models import Characteristic, Inspection, Limit
from qualityhub.verdicts import Limit as LimitInput

NOW = datetime(2025, 7, 15, 9, 0, tzinfo=UTC)  # the last full quarter: 2025-04-01 … 06-30
OURS, OTHER = 10, 20
BAND = [("min", "ge", "9.90"), ("max", "le", "10.10")]
# Bore diameter of item 7, supplier 10, in time order (one inspection a day from 2 May).
BORE = [
    "10.01",
    "9.98",
    "10.03",
    "10.00",
    "9.97",
    "10.02",
    "10.04",
    "9.99",
    "10.01",
    "10.00",
    "9.96",
    "10.02",
]
WALL = ["2.51", "2.49", "2.50", "2.52", "2.48", "2.50"]
FLANGE = ["40.1", "40.3", "39.9", "40.0"]
HIDDEN = ["7.77", "7.71", "7.74"]  # a fourth characteristic, less measured: not in the pack
START = datetime(2025, 5, 2, 8, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def inspection(coupa_id: int, supplier: int, due: str, **fields) -> Inspection:
    return Inspection.objects.create(
        coupa_id=coupa_id, supplier_id=supplier, due_date=at(due), **fields
    )


_ids = iter(range(50_000, 60_000))


def measure(of: Inspection, name: str, value: str, limits=BAND, precision: int = 2):
    line = Characteristic.objects.create(
        coupa_id=next(_ids),
        inspection=of,
        name=name,
        is_quantitative=True,
        value_type="numeric",
        precision=precision,
        recorded_numeric=D(value),
        verdict="pass",
    )
    Limit.objects.bulk_create(
        Limit(characteristic=line, limit_type=kind, operator=op, value=D(bound), position=i)
        for i, (kind, op, bound) in enumerate(limits)
    )


def series(first_id: int, supplier: int, name: str, values: list[str], limits=BAND) -> None:
    for offset, value in enumerate(values):
        day = START + timedelta(days=offset)
        of = inspection(
            first_id + offset,
            supplier,
            day.date().isoformat(),
            item_id=7,
            item_name="Pump housing",
            request_date=day,
            status="Closed",
            review_decision="Accepted",
            characteristic_count=1,
            synced_at=NOW - timedelta(minutes=5),
        )
        measure(of, name, value, limits)


def expected_capability(values: list[str], limits) -> tuple[str, str]:
    chart = spc.individuals_chart([D(v) for v in values], [LimitInput(*lim) for lim in limits])
    return spc.capability_text(chart.capability.cp), spc.capability_text(chart.capability.cpk)


def failing(of: Inspection, name: str, code: str) -> None:
    Characteristic.objects.create(
        coupa_id=next(_ids),
        inspection=of,
        name=name,
        is_quantitative=False,
        value_type="choice",
        recorded_code=code,
        verdict="fail",
    )


def build() -> None:
    # Supplier 10, in the quarter.
    rejected = inspection(
        101,
        OURS,
        "2025-04-10",
        status="Closed",
        review_decision="Rejected",
        verdict="fail",
        failing_count=2,
        characteristic_count=3,
        ref_document_id="PO-REJ-101",
    )
    contradicted = inspection(
        102,
        OURS,
        "2025-05-20",
        status="Closed",
        review_decision="Accepted",
        verdict="fail",
        failing_count=1,
        characteristic_count=2,
        disagreement=True,
        ref_document_id="PO-CON-102",
    )
    inspection(
        103,
        OURS,
        "2025-06-30",
        status="Closed",
        review_decision="Rejected",
        verdict="pass",
        failing_count=0,
        characteristic_count=2,
        disagreement=True,
        ref_document_id="PO-REJCON-103",
    )
    failing(rejected, "Surface finish", "SCRATCH")
    failing(rejected, "Marking", "MISSING")
    failing(contradicted, "Surface finish", "SCRATCH")
    series(1000, OURS, "Bore diameter", BORE)
    series(1100, OURS, "Wall thickness", WALL, [("min", "ge", "2.40"), ("max", "le", "2.60")])
    series(1200, OURS, "Flange width", FLANGE, [("min", "ge", "39.5"), ("max", "le", "40.5")])
    series(1300, OURS, "Hidden depth", HIDDEN, [("min", "ge", "7"), ("max", "le", "8")])
    # Supplier 10 before the quarter, and supplier 20 in it: never in 10's pack.
    inspection(
        901,
        OURS,
        "2025-03-31",
        status="Closed",
        review_decision="Rejected",
        disagreement=True,
        ref_document_id="PO-EARLY-901",
    )
    inspection(
        902,
        OTHER,
        "2025-05-05",
        status="Closed",
        review_decision="Rejected",
        disagreement=True,
        ref_document_id="PO-OTHER-902",
    )
    series(
        2000,
        OTHER,
        "Other gauge",
        [
            "1.1",
            "1.2",
            "1.3",
            "1.2",
            "1.1",
            "1.0",
            "1.2",
            "1.3",
            "1.1",
            "1.2",
            "1.3",
            "1.2",
            "1.1",
            "1.2",
        ],
    )
