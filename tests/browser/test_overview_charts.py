"""The overview's charts in Chromium: drawn from the page's JSON by static scripts, beside tables
with the same figures, and drawn again when the period is switched in place."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qualityhub.analytics.models import StageStay
from qualityhub.analytics.overview import refresh_overview_snapshot

pytestmark = pytest.mark.browser

CHARTS_DRAWN = (
    "() => typeof Chart !== 'undefined' && [...document.querySelectorAll('canvas[data-chart]')]"
    ".every((canvas) => Chart.getChart(canvas) !== undefined)"
)


def test_the_overview_draws_its_charts_beside_their_tables(sign_in, browser_sandbox) -> None:
    problems: list[str] = []
    page = sign_in(browser_sandbox, landing="/")
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    # A first sync has seen no inspection move yet: give the stage chart some finished stays.
    now = timezone.now()
    for days, stage in enumerate(["Open", "Open", "In Progress", "In Buyer Review"], start=1):
        StageStay.objects.create(
            inspection_id=1,
            supplier_id=1,
            stage=stage,
            entered_at=now - timedelta(days=days, hours=days),
            left_at=now - timedelta(hours=days),
            due_date=now,
        )
    refresh_overview_snapshot()
    page.reload()

    charts = page.locator("canvas[data-chart]")
    expect(charts).to_have_count(2)
    page.wait_for_function(CHARTS_DRAWN)
    for index in range(2):
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100, box
    expect(page.get_by_test_id("stage-table")).to_be_visible()
    expect(page.get_by_test_id("stage-table").locator("caption")).to_contain_text(
        "Stays that ended"
    )
    trend = page.get_by_test_id("trend-table")
    expect(trend).to_be_hidden()  # folded under the chart until asked for
    page.get_by_test_id("trend-details").locator("summary").click()
    expect(trend).to_be_visible()
    expect(trend.locator("tbody tr")).to_have_count(13)

    page.evaluate("window.__notReloaded = true")
    page.locator('a[data-weeks="52"]').click()

    expect(page).to_have_url(re.compile(r"/\?weeks=52$"))
    expect(page.locator("#overview-period tr[data-week]")).to_have_count(52)
    expect(page.locator('a[data-weeks="52"]')).to_have_attribute("aria-current", "page")
    page.wait_for_function(CHARTS_DRAWN)
    assert page.evaluate("window.__notReloaded") is True, "the period switch reloaded the page"
    assert not problems, problems
