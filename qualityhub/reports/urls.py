from django.urls import path

from qualityhub.reports import views
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path(
        "inspections/<id:coupa_id>/report.pdf",
        views.inspection_report_pdf,
        name="inspection-report-pdf",
    ),
    path("reports/bulk/selected/", views.report_bulk_selected, name="report-bulk-selected"),
    path("reports/jobs/<id:job_id>/", views.report_job, name="report-job"),
    path(
        "reports/jobs/<id:job_id>/inspections.pdf",
        views.report_job_download,
        name="report-job-download",
    ),
]
