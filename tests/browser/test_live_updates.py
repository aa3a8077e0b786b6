"""Pages that follow the cache, in Chromium: while a page stays open, a sync changes inspections
in the sandbox (its collaboration simulator, `POST /_sandbox/advance`), and the page says so
without being reloaded. Pages ask every second here (LIVE_POLL_SECONDS; 30 in production)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from qualityhub.analytics.overview import refresh_overview_snapshot
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for
from tests.sandbox_process import SandboxProcess

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def moving_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """The module's own sandbox: these tests move its inspections along."""
    server = SandboxProcess(tmp_path_factory.mktemp("live-sandbox") / "sandbox.sqlite3")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def ask_every_second(settings) -> None:
    settings.LIVE_POLL_SECONDS = 1


def _sync(server: SandboxProcess) -> None:
    client = client_for(server)
    try:
        run = run_sync("incremental", client=client, attachments="skip")
    finally:
        client.close()
    assert run.outcome == "succeeded", run.message


def test_the_list_tells_how_many_inspections_a_sync_changed_and_shows_them(
    sign_in, moving_sandbox
) -> None:
    page = sign_in(moving_sandbox)
    expect(page.get_by_test_id("sync-freshness")).to_contain_text("Synced just now")
    page.evaluate("window.__notReloaded = true")

    moved = moving_sandbox.advance(2)
    _sync(moving_sandbox)

    notice = page.get_by_test_id("live-notice")
    expect(notice).to_contain_text("2 inspections changed — show them")
    notice.get_by_role("link", name="show them").click()
    expect(notice).to_have_count(0)
    first_rows = page.locator("#results tbody tr").all_inner_texts()[:2]
    assert all(any(str(coupa_id) in row for row in first_rows) for coupa_id in moved)
    assert page.evaluate("window.__notReloaded") is True


def test_a_detail_page_says_its_inspection_changed_and_offers_to_reload(
    sign_in, moving_sandbox
) -> None:
    page = sign_in(moving_sandbox)
    (coupa_id,) = moving_sandbox.advance(1)  # in Coupa; the cache has it as it was
    page.goto(page.url.replace("/inspections/", f"/inspections/{coupa_id}/"))
    before = page.get_by_test_id("status").inner_text()
    page.evaluate("window.__notReloaded = true")

    _sync(moving_sandbox)

    notice = page.get_by_test_id("live-notice")
    expect(notice).to_contain_text("This inspection changed in Coupa since this page was opened")
    assert page.evaluate("window.__notReloaded") is True
    notice.get_by_role("link", name="Reload").click()
    expect(page.get_by_test_id("status")).not_to_have_text(before)
    expect(page.get_by_test_id("live-notice")).to_have_count(0)


def test_the_overview_draws_its_figures_again_after_a_sync(sign_in, moving_sandbox) -> None:
    page = sign_in(moving_sandbox, landing="/")
    refresh_overview_snapshot()
    page.reload()
    figures = page.locator("[data-live-view=overview]")
    drawn = figures.get_attribute("data-live-figures")
    by_status = page.get_by_test_id("by-status").inner_text()
    page.evaluate("window.__notReloaded = true")

    moving_sandbox.advance(5)
    _sync(moving_sandbox)
    refresh_overview_snapshot()  # what the task does after a sync that changed something

    # A poll, then the content asked again: give a busy machine time for both.
    expect(figures).not_to_have_attribute("data-live-figures", drawn, timeout=20_000)
    expect(page.get_by_test_id("by-status")).not_to_have_text(by_status, timeout=20_000)
    assert page.evaluate("window.__notReloaded") is True


def test_the_freshness_cue_keeps_time_by_itself(sign_in, moving_sandbox) -> None:
    page = sign_in(moving_sandbox)
    cue = page.get_by_test_id("sync-freshness")
    expect(cue).to_contain_text("Synced just now")
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=True):
        expect(cue).to_contain_text(re.compile(r"Synced 3\xa0minutes ago"))
        with time_machine.travel(timezone.now() + timedelta(hours=1), tick=True):
            expect(cue).to_contain_text("⚠ Stale: synced 1\xa0hour")
