"""The inspection report as a PDF download, and the bulk PDF of the list's selection: a job made
by a task, its page (a progress bar polled by htmx) and its file."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.celery import enqueue
from qualityhub.exporting import selection
from qualityhub.inspections.models import Inspection
from qualityhub.reports import services
from qualityhub.reports.content import inspection_reports
from qualityhub.reports.models import ReportJob
from qualityhub.reports.tasks import render_report_job
from qualityhub.ui import params

MAX_QUERY_LENGTH = 2000


@require_GET
@requires("browse_inspections")
def inspection_report_pdf(request: HttpRequest, coupa_id: int) -> HttpResponse:
    inspection = visible_or_404(request, Inspection.objects, coupa_id=coupa_id)
    (report,) = inspection_reports([inspection])
    response = HttpResponse(services.inspection_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="inspection-{coupa_id}.pdf"'
    return response


@require_POST
@requires("browse_inspections")
def report_bulk_selected(request: HttpRequest) -> HttpResponse:
    """The list's ticked rows, among those the user sees, as one PDF made by a task."""
    visible = Inspection.objects.seen_by(request.access)
    plan = selection.plan_selected(request.POST.getlist("id")[: selection.MAX_BULK + 1], visible)
    limit = settings.REPORT_BULK_LIMIT
    problem = ""
    if plan.too_many or plan.count > limit:
        problem = _("A PDF holds at most %(limit)s inspections; select fewer.") % {"limit": limit}
    elif not plan.count:
        problem = _("No inspection was selected.")
    if problem:
        query = params.text(request.POST.get("query", ""), max_length=MAX_QUERY_LENGTH)
        back = reverse("inspection-list") + (f"?{query}" if query else "")
        return render(
            request, "reports/bulk_refused.html", {"problem": problem, "back": back}, status=400
        )
    job = services.start_job(request.user, plan.ids, translation.get_language() or "")
    if not enqueue(render_report_job, job.pk):
        services.fail_job(job, _("The task queue is unreachable; nothing was started. Try again."))
    return redirect("report-job", job_id=job.pk)


@require_GET
@requires("browse_inspections")
def report_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = visible_or_404(request, ReportJob.objects, pk=job_id)
    template = "reports/job.html#progress" if request.htmx else "reports/job.html"
    return render(request, template, {"job": job, "keep_hours": settings.REPORT_KEEP_HOURS})


@require_GET
@requires("browse_inspections")
def report_job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = visible_or_404(request, ReportJob.objects, pk=job_id)
    path = services.job_file(job)
    if path is None:
        raise Http404("This PDF is not ready, or was removed.")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"inspections-{job.pk}.pdf",
        content_type="application/pdf",
    )
