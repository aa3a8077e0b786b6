"""A bulk PDF of the list's selection, made by a real Celery worker: one section per
inspection, only those the buyer may see, downloaded by its owner alone."""

from __future__ import annotations

import io
import re
import time

import pypdf
import pytest
from django.urls import reverse

from qualityhub.reports.models import ReportJob
from tests.conftest import make_user
from tests.reports.world import make_inspection
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def test_a_worker_makes_one_pdf_of_the_buyers_inspections_only(client) -> None:
    for coupa_id in (601, 602, 603):
        make_inspection(coupa_id, supplier_id=5, lines=4)
    make_inspection(604, supplier_id=6)  # another supplier's: ticked by a forged form
    buyer = make_user("lena", "Buyer", suppliers=[5])
    client.force_login(buyer)
    worker = WorkerProcess("http://127.0.0.1:9", purge=True)
    try:
        response = client.post(
            reverse("report-bulk-selected"), {"id": ["603", "601", "604", "602"]}
        )
        job = ReportJob.objects.get(owner=buyer)
        assert response.status_code == 302
        assert response["Location"] == reverse("report-job", args=[job.pk])
        assert job.inspection_ids == [601, 602, 603] and job.total == 3
        _wait_until(lambda: ReportJob.objects.get(pk=job.pk).finished, worker)
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE, job.error
    assert job.done == job.total == 3

    page = client.get(reverse("report-job", args=[job.pk]), headers={"HX-Request": "true"})
    assert 'data-state="done"' in page.content.decode()
    assert reverse("report-job-download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("report-job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    reader = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    # One top-level bookmark per inspection (its headings nested below), each at the page where
    # its section starts.
    sections = [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]
    assert [title for title, _ in sections] == [
        "Inspection 601",
        "Inspection 602",
        "Inspection 603",
    ]
    for title, page_number in sections:
        text = reader.pages[page_number].extract_text()
        assert title in text and "Page 1 of" in text
    everything = " ".join(page.extract_text() for page in reader.pages)
    assert "604" not in re.sub(r"Inspection 60[123]", "", everything)

    # Nobody else gets the file, not even an engineer who sees every supplier.
    client.force_login(make_user("priya2", "Quality engineer"))
    assert client.get(reverse("report-job-download", args=[job.pk])).status_code == 404
    assert client.get(reverse("report-job", args=[job.pk])).status_code == 404


def _wait_until(condition, process: WorkerProcess, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"not done after {timeout} s; worker log:\n{process.output()}")
