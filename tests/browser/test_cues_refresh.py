"""Refresh from Coupa says what happened, in Chromium, through a real worker and sandbox."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from qualityhub.coupa.vocabulary import Status
from qualityhub.inspections.models import Inspection
from tests.conftest import client_for
from tests.worker_process import WorkerProcess

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker]
WAIT_MS = 20_000


@pytest.fixture
def worker_sandbox(make_sandbox):
    """A private sandbox: the test moves inspections upstream."""
    return make_sandbox(inspections=60)


@pytest.fixture
def worker(worker_sandbox, transactional_db):
    process = WorkerProcess(worker_sandbox.url)
    yield process
    process.stop()


def lines_upstream(server, coupa_id: int) -> dict[int, str]:
    client = client_for(server)
    try:
        raw = client.get_inspection_raw(coupa_id)
    finally:
        client.close()
    return {c["id"]: json.dumps(c, sort_keys=True, default=str) for c in raw["characteristics"]}


def refresh(page, worker):
    page.get_by_test_id("refresh").click()
    said = page.get_by_test_id("refresh-result").or_(page.get_by_test_id("refresh-failed"))
    try:
        expect(said).to_be_visible(timeout=WAIT_MS)
    except AssertionError as error:
        raise AssertionError(f"{error}\nworker log:\n{worker.output()}") from error
    return said


def test_refresh_says_how_many_lines_changed_then_that_nothing_did_then_what_failed(
    sign_in, worker_sandbox, worker, live_server
) -> None:
    page = sign_in(worker_sandbox)
    inspection = Inspection.objects.filter(status=Status.OPEN).order_by("coupa_id").first()
    assert inspection is not None, "no Open inspection in the sandbox"
    before = lines_upstream(worker_sandbox, inspection.coupa_id)
    worker_sandbox.advance(60)  # every inspection not yet Closed moves one step
    after = lines_upstream(worker_sandbox, inspection.coupa_id)
    changed = sum(before[key] != after[key] for key in before)
    assert changed >= 1

    page.goto(f"{live_server.url}/inspections/{inspection.coupa_id}/")
    said = refresh(page, worker)
    lines = f"{changed} line{'s' if changed > 1 else ''}"
    expect(said).to_have_text(f"Updated: status changed; {lines} changed.")
    expect(page.get_by_test_id("status")).to_have_text(Status.IN_PROGRESS)

    said = refresh(page, worker)
    expect(said).to_have_text("No change in Coupa.")

    worker_sandbox.configure(fail_next=[403, 403, 403])
    said = refresh(page, worker)
    expect(said).to_have_attribute("data-testid", "refresh-failed")
    expect(said).to_contain_text("Refresh failed:")
    expect(said).to_contain_text("Refresh failed: Coupa refused access: Forbidden. Showing")
    expect(page.get_by_test_id("refresh-result")).to_have_count(0)
