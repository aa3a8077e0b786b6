"""The bulk flow and the detail page's button in Chromium, sent by a real worker."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from qualityhub.inspections.models import Inspection
from tests.sandbox_process import SandboxProcess
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker]


@pytest.fixture
def worker(transactional_db, coupa: SandboxProcess) -> Iterator[WorkerProcess]:
    settings_module = {"DJANGO_SETTINGS_MODULE": "tests.exporting.worker_settings"}
    process = WorkerProcess(coupa.url, extra_env=settings_module)
    yield process
    process.stop()


def test_a_person_marks_the_selected_rows_then_resets_one(
    sign_in, coupa, worker, live_server
) -> None:
    page = sign_in(coupa)
    page.goto(f"{live_server.url}/inspections/?status=Closed&exported=no")
    rows = page.locator("input[data-bulk-row]")
    count = rows.count()
    assert count >= 2
    expect(page.get_by_test_id("bulk-mark-selected")).to_be_disabled()

    page.get_by_label("Select all on this page").check()
    expect(page.locator("[data-bulk-count]")).to_have_text(f"Selected: {count}")
    rows.first.uncheck()
    expect(page.locator("[data-bulk-count]")).to_have_text(f"Selected: {count - 1}")
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_test_id("bulk-mark-selected").click()

    expect(page).to_have_url(re.compile(r"/exporting/batches/\d+/$"))
    assert questions == [f"Mark {count - 1} selected inspection(s) exported in Coupa?"]
    # The worker's work: generous timeouts, since the machine's two cores are shared.
    expect(page.get_by_test_id("count-succeeded")).to_have_text(f"{count - 1} done", timeout=30_000)
    expect(page.get_by_test_id("batch-progress")).to_have_attribute("data-done", "yes")

    done = Inspection.objects.filter(status="Closed", exported=True).order_by("pk").first()
    page.goto(f"{live_server.url}/inspections/{done.pk}/")
    expect(page.get_by_test_id("export-flag")).to_have_text("Exported")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("export-toggle").click()
    expect(page.get_by_test_id("export-flag")).to_have_text("Not exported", timeout=30_000)
    expect(page.get_by_test_id("exported")).to_have_text("no")
    expect(page.locator('#timeline li[data-action="reset-exported"]')).to_have_attribute(
        "data-outcome", "succeeded"
    )
