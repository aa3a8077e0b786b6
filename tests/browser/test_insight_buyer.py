"""A buyer follows their suppliers in Chromium: the navigation leads to the scorecards, the
ranking, a supplier's card with its Pareto chart and the trends show only the suppliers they are
responsible for, another supplier's card is not found, and a buyer with no assignment sees every
supplier."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qualityhub.analytics.scorecards import Period
from qualityhub.inspections.models import Inspection
from tests.browser.conftest import PASSWORD
from tests.conftest import make_user

pytestmark = pytest.mark.browser

WEEKS = 52
NAVIGATION = ["Inspections", "Results", "Suppliers", "Trends", "Sync status"]


def suppliers_due_in_period(failing: bool = False) -> list[int]:
    """Suppliers with an inspection due in the last WEEKS weeks, as the ranking counts them
    (`failing`: with a failing characteristic among them)."""
    period = Period.last_weeks(WEEKS, timezone.localdate())
    due = Inspection.objects.filter(
        gone_at__isnull=True, due_date__gte=period.start, due_date__lt=period.end
    )
    if failing:
        due = due.filter(characteristics__verdict="fail")
    return list(due.order_by("supplier_id").values_list("supplier_id", flat=True).distinct())


def ranked(page) -> list[int]:
    rows = page.locator("tr[data-supplier-id]")
    return sorted(int(row.get_attribute("data-supplier-id")) for row in rows.all())


def test_a_buyer_follows_only_the_suppliers_they_are_responsible_for(
    sign_in, browser_sandbox, live_server
) -> None:
    buyer = make_user("lena", "Buyer", password=PASSWORD)
    page = sign_in(browser_sandbox, username="lena", landing="/inspections/")
    every = suppliers_due_in_period()
    assert len(every) >= 3, "the sandbox has suppliers to choose from"
    failing = suppliers_due_in_period(failing=True)[0]
    theirs = sorted({failing, next(s for s in every if s != failing)})
    other = next(s for s in every if s not in theirs)
    for supplier_id in theirs:
        buyer.supplier_assignments.create(supplier_id=supplier_id)

    expect(page.get_by_test_id("main-nav").get_by_role("link")).to_have_text(NAVIGATION)
    page.get_by_test_id("main-nav").get_by_role("link", name="Suppliers").click()
    expect(page).to_have_url(f"{live_server.url}/suppliers/")
    page.get_by_role("link", name=f"{WEEKS} weeks").click()
    expect(page.locator("caption").first).to_contain_text("2 of your suppliers")
    assert ranked(page) == theirs

    page.locator(f'tr[data-supplier-id="{failing}"] th a').click()
    expect(page).to_have_url(re.compile(rf"/suppliers/{failing}/\?weeks={WEEKS}$"))
    expect(page.get_by_test_id("scorecard")).to_be_visible()
    expect(page.locator('#pareto-chart[data-ready="true"]')).to_be_visible()
    rows = page.get_by_test_id("pareto").locator("tbody tr")
    bars = page.evaluate(
        "() => Chart.getChart(document.getElementById('pareto-chart')).data.datasets[0].data"
    )
    assert bars == [int(row.locator("td").first.inner_text()) for row in rows.all()]

    response = page.goto(f"{live_server.url}/suppliers/{other}/?weeks={WEEKS}")
    assert response.status == 404
    expect(page.locator("main")).to_contain_text("among the suppliers you are responsible for")

    page.goto(f"{live_server.url}/trends/")
    expect(page.get_by_test_id("pairs-as-of")).to_contain_text("for your suppliers only")
    page.get_by_test_id("pairs").locator("tbody a").first.click()
    expect(page.locator('#spc-chart[data-ready="true"]')).to_be_visible()
    options = page.locator("#trend-supplier option")
    shown = {int(value) for value in options.evaluate_all("os => os.map((o) => o.value)") if value}
    assert shown and shown <= set(theirs)


def test_a_buyer_without_assignments_sees_every_supplier(
    sign_in, browser_sandbox, live_server
) -> None:
    make_user("marco", "Buyer", password=PASSWORD)
    page = sign_in(browser_sandbox, username="marco", landing="/inspections/")
    page.goto(f"{live_server.url}/suppliers/?weeks={WEEKS}")
    expect(page.locator("caption").first).not_to_contain_text("your")
    assert ranked(page) == suppliers_due_in_period()
