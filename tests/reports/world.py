"""Inspections with characteristics and limits in the cache, as the sync leaves them, for the
report tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from qualityhub.attachments.models import Attachment
from qualityhub.inspections.models import Characteristic, Inspection, Limit

SYNCED_AT = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)


def make_inspection(coupa_id: int, supplier_id: int = 5, *, lines: int = 3, **fields) -> Inspection:
    """Line 1 passes within "≥ 9.95" and "< 10.05" (the cache holds 9.9500000000); line 2 fails
    "≤ 0.2"; line 3 is marginal with a reason; further lines pass "> 1"."""
    inspection = Inspection.objects.create(
        coupa_id=coupa_id,
        supplier_id=supplier_id,
        item_id=70,
        item_name=f"Bracket {coupa_id}",
        status="In Buyer Review",
        ref_document_type="PO",
        ref_document_id=f"PO-{coupa_id}",
        ref_document_item="3",
        due_date=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
        verdict="fail",
        characteristic_count=lines,
        failing_count=1,
        synced_at=SYNCED_AT,
        **fields,
    )
    for n in range(1, lines + 1):
        line_id = coupa_id * 1000 + n
        if n == 1:
            spec = ("Bore diameter", "10.0000000000", "10.0120000000", 3, "pass", "")
            limits = [("min", "ge", "9.9500000000"), ("max", "lt", "10.0500000000")]
        elif n == 2:
            spec = ("Flatness", "0.1000000000", "0.3100000000", 2, "fail", "")
            limits = [("max", "le", "0.2000000000")]
        elif n == 3:
            spec = ("Hardness", "60", "60.9000000000", 1, "marginal", "Within 2% of a limit")
            limits = [("min", "gt", "55"), ("max", "lt", "61")]
        else:
            spec = (f"Length {n}", "2", "2.5000000000", 1, "pass", "")
            limits = [("min", "gt", "1")]
        name, target, recorded, precision, verdict, reason = spec
        line = Characteristic.objects.create(
            coupa_id=line_id,
            inspection=inspection,
            line_num=n,
            name=name,
            value_type="numeric",
            target=Decimal(target),
            precision=precision,
            recorded_numeric=Decimal(recorded),
            verdict=verdict,
            verdict_reason=reason,
        )
        for position, (limit_type, operator, value) in enumerate(limits):
            Limit.objects.create(
                characteristic=line,
                limit_type=limit_type,
                operator=operator,
                value=Decimal(value),
                position=position,
            )
    Attachment.objects.create(inspection=inspection, file_name=f"certificate-{coupa_id}.pdf")
    return inspection


def make_done_job(owner, inspection_ids=(1,)):
    """A finished bulk PDF of `owner`'s, with its file under REPORTS_DIR (a minimal PDF)."""
    from django.conf import settings
    from django.utils import timezone

    from qualityhub.reports.models import ReportJob

    job = ReportJob.objects.create(
        owner=owner,
        inspection_ids=list(inspection_ids),
        total=len(inspection_ids),
        done=len(inspection_ids),
        state=ReportJob.State.DONE,
        finished_at=timezone.now(),
    )
    settings.REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    job.file_name = f"{job.pk}-world.pdf"
    (settings.REPORTS_DIR / job.file_name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    job.save(update_fields=["file_name"])
    return job
