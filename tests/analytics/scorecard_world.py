"""The scorecards' hand-built world with known answers: its clock, and builders of its rows.
The world itself is the `world` fixture of tests/analytics/conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime

from qualityhub.analytics.models import StageStay
from qualityhub.analytics.scorecards import Scorecard
from qualityhub.attachments.models import Attachment
from qualityhub.inspections.models import Characteristic, Inspection

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
# The default period (13 weeks) with the clock at NOW: 2025-03-20 00:00 up to 2025-06-19 00:00.
START = datetime(2025, 3, 20, tzinfo=UTC)
END = datetime(2025, 6, 19, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def inspection(coupa_id: int, supplier_id: int, due: str, **fields) -> Inspection:
    return Inspection.objects.create(
        coupa_id=coupa_id, supplier_id=supplier_id, due_date=at(due), **fields
    )


def line(coupa_id: int, of: Inspection, name: str, verdict: str = "pass", **fields):
    fields.setdefault("is_quantitative", not fields.get("recorded_code"))
    return Characteristic.objects.create(
        coupa_id=coupa_id, inspection=of, name=name, verdict=verdict, **fields
    )


def attach(of: Inspection, state: str, characteristic: Characteristic | None = None) -> None:
    Attachment.objects.create(inspection=of, characteristic=characteristic, state=state)


def stay(inspection_id: int, supplier_id: int, stage: str, entered: str | None, left: str | None):
    StageStay.objects.create(
        inspection_id=inspection_id,
        supplier_id=supplier_id,
        stage=stage,
        entered_at=at(entered) if entered else None,
        left_at=at(left) if left else None,
    )


def closed(
    coupa_id: int,
    supplier_id: int,
    due: str,
    decision: str,
    reviewed: str | None,
    failing: int = 0,
    of: int = 0,
    **fields,
) -> Inspection:
    return inspection(
        coupa_id,
        supplier_id,
        due,
        status="Closed",
        review_decision=decision,
        reviewed_date=at(reviewed) if reviewed else None,
        failing_count=failing,
        characteristic_count=of,
        **fields,
    )


def _cards(response) -> dict[int, Scorecard]:
    return {card.supplier_id: card for card in response.context["cards"]}
