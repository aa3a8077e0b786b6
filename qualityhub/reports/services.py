"""Inspection reports as PDFs: one for a download, many joined for a bulk job.

Each inspection is laid out on its own (WeasyPrint), so its pages say "Page 1 of 2" of that
inspection and a bulk job holds one laid-out inspection in memory at a time; pypdf joins them,
each with a bookmark, into the job's file."""

from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityhub.accounts.access import access_for
from qualityhub.inspections.models import Inspection
from qualityhub.reports.content import InspectionReport, inspection_reports
from qualityhub.reports.models import ReportJob
from qualityhub.reports.pdf import render_pdf

logger = logging.getLogger(__name__)

TEMPLATE = "reports/inspection.html"
STALLED_MINUTES = 30  # over the task's hard time limit (16 minutes) and a queue's wait
CHUNK_SIZE = 20  # inspections read from the cache at once; progress is saved after each chunk


def inspection_pdf(report: InspectionReport, *, language: str | None = None) -> bytes:
    """One inspection's report, as the detail page prints it."""
    return render_pdf(
        TEMPLATE, {"report": report, "generated_at": timezone.now()}, language=language
    )


def start_job(owner, inspection_ids: Iterable[int], language: str) -> ReportJob:
    ids = list(dict.fromkeys(inspection_ids))
    return ReportJob.objects.create(
        owner=owner, inspection_ids=ids, total=len(ids), language=language
    )


def fail_job(job: ReportJob, reason: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJob.State.FAILED, error=reason, finished_at=timezone.now()
    )


class JobFailed(Exception):
    """The job cannot be made; the message says why, to its owner."""


def run_job(job_id: int) -> None:
    """Makes the job's PDF (queued or interrupted: a redelivered task starts it over). Any
    failure ends the job with its reason; the job page shows it."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().select_related("owner").get(pk=job_id)
        if job.finished:
            return
        job.state, job.done = ReportJob.State.RUNNING, 0
        job.save(update_fields=["state", "done"])
    try:
        path = _write_pdf(job)
    except Exception as exc:  # the job ends with its reason, whatever happened
        if not isinstance(exc, JobFailed):
            logger.exception("report job %s failed", job.pk)
        fail_job(job, _why(exc))
        return
    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJob.State.DONE,
        file_name=path.name,
        file_size=path.stat().st_size,
        done=job.total,
        finished_at=timezone.now(),
    )


def _why(exc: Exception) -> str:
    if isinstance(exc, JobFailed):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return _("Making the PDF took too long; select fewer inspections and try again.")
    return _("The PDF could not be made (%(error)s); try again, or select fewer inspections.") % {
        "error": type(exc).__name__
    }


def _write_pdf(job: ReportJob) -> Path:
    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415 - only the worker joins PDFs

    # The owner's rights now, not when they asked: a supplier taken from a buyer meanwhile is
    # left out, as the list would leave it out.
    visible = Inspection.objects.seen_by(access_for(job.owner))
    ids = [int(coupa_id) for coupa_id in job.inspection_ids]
    writer = PdfWriter()
    done = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        found = {i.coupa_id: i for i in visible.filter(coupa_id__in=chunk)}
        for report in inspection_reports(found[i] for i in chunk if i in found):
            pdf = inspection_pdf(report, language=job.language or None)
            writer.append(
                PdfReader(io.BytesIO(pdf)),
                outline_item=_("Inspection %(id)s") % {"id": report.inspection.coupa_id},
            )
        done += len(chunk)
        ReportJob.objects.filter(pk=job.pk).update(done=done)
    if not len(writer.pages):
        raise JobFailed(_("None of the selected inspections is visible to you any more."))
    directory = Path(settings.REPORTS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{job.pk}-{secrets.token_hex(8)}.pdf"
    partial = path.with_suffix(".part")
    with partial.open("wb") as out:
        writer.write(out)
    partial.replace(path)
    return path


def job_file(job: ReportJob) -> Path | None:
    if job.state != ReportJob.State.DONE or not job.file_name:
        return None
    path = Path(settings.REPORTS_DIR) / Path(job.file_name).name
    return path if path.is_file() else None


def clean_old_jobs(now=None) -> int:
    """Removes jobs (and their files) made more than REPORT_KEEP_HOURS ago, and any file under
    REPORTS_DIR that no job names (a job deleted with its user, a worker killed mid-write)."""
    now = now or timezone.now()
    # Past the task's hard time limit, a job still queued or running lost its worker (killed,
    # or the broker lost the task): it ends, so its page stops waiting.
    ReportJob.objects.filter(
        state__in=(ReportJob.State.QUEUED, ReportJob.State.RUNNING),
        created_at__lt=now - timedelta(minutes=STALLED_MINUTES),
    ).update(
        state=ReportJob.State.FAILED,
        error=_("The worker stopped before the PDF was made; try again."),
        finished_at=now,
    )
    cutoff = now - timedelta(hours=settings.REPORT_KEEP_HOURS)
    old = ReportJob.objects.filter(created_at__lt=cutoff)
    removed = 0
    for job in old:
        _unlink(job.file_name)
        removed += 1
    old.delete()
    directory = Path(settings.REPORTS_DIR)
    if directory.is_dir():
        named = set(ReportJob.objects.exclude(file_name="").values_list("file_name", flat=True))
        for path in directory.iterdir():
            stale = path.stat().st_mtime < cutoff.timestamp()
            if path.name not in named and stale:
                path.unlink(missing_ok=True)
    return removed


def _unlink(file_name: str) -> None:
    if file_name:
        (Path(settings.REPORTS_DIR) / Path(file_name).name).unlink(missing_ok=True)
