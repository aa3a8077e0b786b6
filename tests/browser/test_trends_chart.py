"""The SPC chart in Chromium: it draws from the page's data and a point opens its inspection."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from qualityhub.inspections.models import Characteristic, Inspection, Limit
from tests.browser.conftest import PASSWORD, USERNAME

pytestmark = pytest.mark.browser

START = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
# x̄ = 11.4, MR̄ = 2, UCL = 16.72: the last value is beyond the UCL (see tests/analytics).
VALUES = "10 11 10 11 10 11 10 11 10 20"


@pytest.fixture
def jump(engineer) -> None:
    for n, value in enumerate(VALUES.split(), start=1):
        inspection = Inspection.objects.create(
            coupa_id=n,
            supplier_id=1,
            item_id=7,
            item_name="Bracket",
            due_date=START,
            request_date=START + timedelta(days=n),
        )
        line = Characteristic.objects.create(
            coupa_id=n,
            inspection=inspection,
            name="Diameter",
            is_quantitative=True,
            value_type="numeric",
            precision=2,
            recorded_numeric=Decimal(value),
        )
        Limit.objects.create(characteristic=line, limit_type="max", operator="le", value=30)


# What the coming Content-Security-Policy will allow: no inline script, no inline style.
STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


def with_strict_csp(route) -> None:
    """Serve the trends page under the strict policy; a violation shows as a console error."""
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": STRICT_CSP}
    route.fulfill(response=response, headers=headers)


def test_the_chart_draws_and_a_click_on_a_point_opens_its_inspection(
    page, live_server, jump
) -> None:
    problems: list[str] = []

    def console(message) -> None:
        if message.type == "error" and "favicon" not in message.location.get("url", ""):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    trend_url = f"{live_server.url}/trends/?item=7&characteristic=Diameter"
    page.route(re.compile(r"/trends/\?"), with_strict_csp)
    page.goto(f"{live_server.url}/accounts/login/?next=/trends/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/trends/")
    page.goto(trend_url)  # not after a redirect: Playwright routes only the first request

    canvas = page.locator('#spc-chart[data-ready="true"]')
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    drawn = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.getElementById("spc-chart"));
            const points = chart.getDatasetMeta(0).data;
            return {
                labels: chart.data.datasets.map((dataset) => dataset.label),
                styles: points.map((point) => point.options.pointStyle),
                last: {x: points[9].x, y: points[9].y},
                first: {x: points[0].x, y: points[0].y},
            };
        }"""
    )
    assert drawn["labels"][:6] == [
        "Recorded value",
        "Centre x̄ 11.4000",
        "UCL 16.7200",
        "LCL 6.0800",
        "USL ≤ 30.00",
        "Beyond a control limit",
    ]
    assert drawn["styles"] == ["circle"] * 9 + ["triangle"]
    assert problems == []

    canvas.click(position=drawn["last"])
    page.wait_for_url(f"{live_server.url}/inspections/10/")

    page.goto(trend_url)
    page.locator('#spc-chart[data-ready="true"]').click(position=drawn["first"])
    page.wait_for_url(f"{live_server.url}/inspections/1/")
