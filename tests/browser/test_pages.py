"""What people see and do in the browser: filters, search, verdict colours, refresh, keyboard."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from qualityhub.coupa.vocabulary import Status
from qualityhub.inspections.models import Inspection
from tests.conftest import client_for
from tests.worker_process import WorkerProcess

pytestmark = pytest.mark.browser

ROWS = "tr[data-inspection-id]"
FAIL_RED = "rgb(248, 215, 218)"
PASS_GREEN = "rgb(209, 231, 221)"
MARGINAL_AMBER = "rgb(255, 243, 205)"
SCREENSHOT = "/tmp/qualityhub-detail.png"


def row_ids(page) -> list[str]:
    return page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.inspectionId)")


def test_choosing_a_verdict_filters_the_list_in_place(signed_in, live_server) -> None:
    page = signed_in
    unfiltered = row_ids(page)
    assert unfiltered, "the list shows no inspection after a sync"
    assert page.locator(f'{ROWS}:not([data-verdict="fail"])').count() > 0
    page.evaluate("window.__notReloaded = true")

    page.select_option("#id_verdict", "fail")

    expect(page).to_have_url(re.compile(r"[?&]verdict=fail(&|$)"))
    expect(page.locator(f'{ROWS}:not([data-verdict="fail"])')).to_have_count(0)
    expect(page.locator(ROWS).first).to_be_visible()
    expect(page.get_by_test_id("match-count")).to_contain_text("match")
    assert page.evaluate("window.__notReloaded") is True, "the filter reloaded the whole page"
    filtered = row_ids(page)
    filtered_url = page.url

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/inspections/")
    expect(page.locator(f'{ROWS}:not([data-verdict="fail"])').first).to_be_visible()
    assert row_ids(page) == unfiltered
    expect(page.locator("#id_verdict")).to_have_value("")

    page.goto(filtered_url)
    expect(page.locator("#id_verdict")).to_have_value("fail")
    assert row_ids(page) == filtered


def test_a_text_search_narrows_the_rows(signed_in) -> None:
    page = signed_in
    first = page.locator(ROWS).first
    first_id = first.get_attribute("data-inspection-id")
    po = first.locator("td").nth(8).inner_text().split("/")[0].strip()
    assert po, "the first row shows no PO number"
    count_before = page.locator(ROWS).count()
    total_before = page.get_by_test_id("match-count").inner_text()

    page.locator("#id_q").press_sequentially(po)

    expect(page).to_have_url(re.compile(r"[?&]q=" + re.escape(po) + r"(&|$)"))
    expect(page.get_by_test_id("match-count")).not_to_have_text(total_before)
    expect(page.locator(f'{ROWS}[data-inspection-id="{first_id}"]')).to_be_visible()
    assert page.locator(ROWS).count() < count_before
    expected = Inspection.objects.filter(ref_document_id__istartswith=po).count()
    assert page.locator(ROWS).count() >= min(expected, 50)


def test_verdict_colours_on_the_detail_page(signed_in, live_server) -> None:
    page = signed_in
    page.goto(f"{live_server.url}/inspections/?sort=id")
    page.locator(f'{ROWS}[data-inspection-id="1"] a[href$="/inspections/1/"]').click()
    page.wait_for_url(f"{live_server.url}/inspections/1/")

    main = page.locator("#inspection-main")
    expect(main).to_have_attribute("data-inspection-id", "1")
    expect(main).to_have_attribute("data-verdict", "fail")
    expected = {
        "1": (FAIL_RED, "Fail"),
        "2": (PASS_GREEN, "Pass"),
        "3": (MARGINAL_AMBER, "Marginal"),
    }
    for line_id, (colour, word) in expected.items():
        row = page.locator(f'tr[data-characteristic-id="{line_id}"]')
        expect(row).to_be_visible()
        background = row.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
        assert background == colour, f"characteristic {line_id}"
        # Colour is never the only signal: the row says the verdict in words too.
        expect(row.locator("td").last).to_contain_text(word)
    page.screenshot(path=SCREENSHOT, full_page=True)


@pytest.fixture
def worker_sandbox(make_sandbox):
    """A private sandbox: the refresh test moves inspections upstream."""
    return make_sandbox()


@pytest.fixture
def worker(worker_sandbox, transactional_db):
    process = WorkerProcess(worker_sandbox.url)
    yield process
    process.stop()


@pytest.mark.celery_worker
def test_refresh_shows_the_status_changed_upstream(sign_in, worker_sandbox, worker, live_server):
    page = sign_in(worker_sandbox)
    inspection = Inspection.objects.exclude(status=Status.CLOSED).order_by("coupa_id").first()
    assert inspection is not None, "every synced inspection is Closed"
    old_status = inspection.status
    worker_sandbox.advance(300)  # every inspection not yet Closed moves one step
    client = client_for(worker_sandbox)
    try:
        new_status = client.get_inspection(inspection.coupa_id).status
    finally:
        client.close()
    assert new_status != old_status

    page.goto(f"{live_server.url}/inspections/{inspection.coupa_id}/")
    status = page.get_by_test_id("status")
    expect(status).to_have_text(old_status)

    started = time.monotonic()
    page.get_by_test_id("refresh").click()
    expect(page.get_by_test_id("refreshing")).to_be_visible()
    try:
        expect(status).to_have_text(new_status, timeout=20_000)
        expect(page.get_by_test_id("refreshing")).to_have_count(0)
    except AssertionError as error:
        raise AssertionError(f"{error}\nworker log:\n{worker.output()}") from error
    main = page.locator("#inspection-main")
    expect(main).to_have_attribute("data-inspection-id", str(inspection.coupa_id))
    expect(main).to_have_attribute("data-verdict", re.compile(r".+"))
    expect(page.get_by_test_id("refresh-failed")).to_have_count(0)
    assert time.monotonic() - started < 20


def test_title_user_name_and_skip_link(signed_in) -> None:
    page = signed_in
    expect(page).to_have_title("Inspections · QualityHub")
    expect(page.get_by_test_id("signed-in-user")).to_have_text("priya")
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to content")
    expect(focused).to_have_attribute("href", "#content")
    expect(focused).to_be_visible()


def test_a_page_loads_its_icon_and_no_request_fails(page, live_server, db) -> None:
    """The console shows no failed request (it once showed a 404 for /favicon.ico on every
    page), and the icon the page links is what the tab shows."""
    failed: list[str] = []
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    with page.expect_response(re.compile(r"/favicon\.(ico|svg)")) as icon:
        page.goto(f"{live_server.url}/accounts/login/")
    assert icon.value.ok, icon.value.url
    page.wait_for_load_state("networkidle")
    assert failed == []
    fallback = page.request.get(f"{live_server.url}/favicon.ico")
    assert fallback.ok and fallback.headers["content-type"].startswith("image/svg+xml")
