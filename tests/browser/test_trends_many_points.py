"""Issue 16, point 10: a trend chart of an item measured more often than it shows, as a person
reads it in Chromium: the newest 200 points in time order, the note that older ones are left
out, the suppliers by name, and one supplier's points when one is chosen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qualityhub.directory.models import Supplier
from qualityhub.inspections.models import Characteristic, Inspection
from tests.browser.conftest import sign_in_through_form

pytestmark = pytest.mark.browser

START = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def busy_item(engineer) -> None:
    """Item 7's Diameter on 230 inspections, a day apart, alternately from Northwind (1) and
    "acme" (3); one more of a gone inspection, newest of all, which no one sees."""
    for coupa_id, display_name, name in ((1, "", "Northwind Polymers"), (3, "acme", "Acme Ltd")):
        Supplier.objects.create(
            coupa_id=coupa_id, name=name, display_name=display_name, fetched_at=timezone.now()
        )
    for n in range(1, 232):
        inspection = Inspection.objects.create(
            coupa_id=n,
            supplier_id=1 if n % 2 else 3,
            item_id=7,
            item_name="Bracket",
            due_date=START,
            request_date=START + timedelta(days=n),
            gone_at=START if n == 231 else None,
        )
        Characteristic.objects.create(
            coupa_id=1000 + n,
            inspection=inspection,
            name="Diameter",
            is_quantitative=True,
            value_type="numeric",
            precision=2,
            recorded_numeric=Decimal(10 + n % 3),
        )


def test_the_newest_200_points_of_a_busy_item_in_time_order(page, live_server, busy_item) -> None:
    sign_in_through_form(page, live_server, "/trends/")
    page.goto(f"{live_server.url}/trends/?item=7&characteristic=Diameter")

    expect(page.get_by_test_id("trend-heading")).to_have_text("Bracket · Diameter")
    rows = page.get_by_test_id("points").locator("tbody tr")
    expect(rows).to_have_count(200)
    first, last = rows.first.locator("td"), rows.last.locator("td")
    # Inspections 31 to 230: the oldest shown first, the gone one nowhere.
    expect(first.nth(0)).to_have_text("1")
    expect(first.nth(1)).to_have_text("2025-02-01")
    expect(first.nth(2)).to_have_text("31")
    expect(first.nth(3)).to_have_text("Northwind Polymers")
    expect(last.nth(0)).to_have_text("200")
    expect(last.nth(2)).to_have_text("230")
    expect(last.nth(3)).to_have_text("acme")
    expect(last.nth(4)).to_have_text("12.00")
    expect(page.get_by_test_id("notes")).to_contain_text("Only the latest 200 points are shown")
    supplier = page.locator("#trend-supplier")
    expect(supplier.locator("option")).to_have_text(["All suppliers", "acme", "Northwind Polymers"])

    supplier.select_option(label="acme")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("trend-subject")).to_contain_text("acme")
    expect(rows).to_have_count(115)  # every even inspection from 2 to 230: under the cap
    expect(rows.first.locator("td").nth(2)).to_have_text("2")
    expect(page.get_by_text("Only the latest")).to_have_count(0)
