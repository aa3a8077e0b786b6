"""Celery's doors to the reports: a bulk PDF, and the hourly clean-up of old ones."""

from __future__ import annotations

from celery import shared_task

from qualityhub.reports import services


# A bulk PDF of REPORT_BULK_LIMIT inspections takes about a minute; 15 means something hangs.
@shared_task(acks_late=True, soft_time_limit=900, time_limit=960)
def render_report_job(job_id: int) -> None:
    services.run_job(job_id)


@shared_task(soft_time_limit=300, time_limit=330)
def clean_old_report_jobs() -> int:
    return services.clean_old_jobs()
