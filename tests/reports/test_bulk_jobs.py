"""The bulk PDF's rules without a worker: what may be asked for, how a job fails, when its file
goes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qualityhub.reports import services
from qualityhub.reports.models import ReportJob
from tests.conftest import make_user
from tests.reports.world import make_done_job, make_inspection

pytestmark = pytest.mark.django_db


def test_more_than_the_bulk_limit_is_refused_with_the_limit(signed_in, engineer, settings):
    settings.REPORT_BULK_LIMIT = 2
    for coupa_id in (701, 702, 703):
        make_inspection(coupa_id, lines=1)

    response = signed_in.post(reverse("report-bulk-selected"), {"id": ["701", "702", "703"]})

    assert response.status_code == 400
    assert "at most 2 inspections" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_nothing_selected_or_only_hostile_ids_is_refused(signed_in):
    for ids in ([], ["x"], ["-1"], ["9" * 40], ["1e3"]):
        response = signed_in.post(reverse("report-bulk-selected"), {"id": ids})
        assert response.status_code == 400
        assert "No inspection was selected." in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_job_whose_inspections_are_no_longer_visible_fails_with_the_reason(db):
    make_inspection(711, supplier_id=6, lines=1)
    buyer = make_user("lena", "Buyer", suppliers=[5])  # lost supplier 6 since asking
    job = services.start_job(buyer, [711], "en")

    services.run_job(job.pk)

    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED and job.finished_at is not None
    assert job.error == "None of the selected inspections is visible to you any more."
    assert services.job_file(job) is None


def test_a_rendering_error_ends_the_job_with_a_reason(db, engineer, settings):
    make_inspection(712, lines=1)
    settings.REPORTS_DIR = settings.REPORTS_DIR / "missing" / "\0bad"  # cannot be written
    job = services.start_job(engineer, [712], "en")

    services.run_job(job.pk)

    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert job.error.startswith("The PDF could not be made (")


def test_the_job_page_polls_until_finished_and_then_offers_the_file(signed_in, engineer):
    job = services.start_job(engineer, [1], "en")
    page = signed_in.get(reverse("report-job", args=[job.pk])).content.decode()
    assert 'hx-trigger="load delay:1s"' in page and "Download the PDF" not in page
    done = make_done_job(engineer)
    page = signed_in.get(reverse("report-job", args=[done.pk])).content.decode()
    assert "hx-trigger" not in page.split('id="report-job"')[1].split(">")[0]
    assert "Download the PDF" in page


def test_old_jobs_and_their_files_are_removed(engineer, settings):
    old, fresh = make_done_job(engineer), make_done_job(engineer)
    ReportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.REPORT_KEEP_HOURS, minutes=1)
    )
    old_file = settings.REPORTS_DIR / old.file_name

    assert services.clean_old_jobs() == 1

    assert not old_file.exists() and not ReportJob.objects.filter(pk=old.pk).exists()
    assert services.job_file(fresh) is not None


def test_the_clean_up_ends_a_job_whose_worker_was_lost(engineer):
    job = services.start_job(engineer, [1], "en")
    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJob.State.RUNNING,
        created_at=timezone.now() - timedelta(minutes=services.STALLED_MINUTES + 1),
    )
    services.clean_old_jobs()
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED and "worker stopped" in job.error


def test_the_clean_up_runs_every_hour():
    entry = settings_entry()
    assert entry["task"] == "qualityhub.reports.tasks.clean_old_report_jobs"


def settings_entry():
    from django.conf import settings

    return settings.CELERY_BEAT_SCHEDULE["reports-clean-old"]
