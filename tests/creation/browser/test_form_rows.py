"""Characteristic rows are added and removed in place in Chromium, and the form still sends (a
real Celery worker sends it while the page polls)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qualityhub.inspections.models import Inspection

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker]


def choose(page, name: str, value: str, text: str) -> None:
    """Choose in a name picker as a person's pick ends: the option the picker found (by name)
    becomes the select's value. (Typing into the picker is tested with the picker itself.)"""
    page.evaluate(
        """([name, value, text]) => {
          const select = document.querySelector(`select[name="${name}"]`);
          if (select.tomselect) {
            select.tomselect.addOption({value, text});
            select.tomselect.setValue(value);
          } else {
            select.add(new Option(text, value, true, true));
          }
        }""",
        [name, value, text],
    )


def test_rows_are_added_and_removed_in_place_and_the_form_sends_what_is_left(new_form) -> None:
    page = new_form
    rows = page.locator("[data-char-row]")
    expect(rows).to_have_count(1)
    page.evaluate("window.__notReloaded = true")

    page.get_by_test_id("add-row").click()
    expect(rows).to_have_count(2)
    page.get_by_test_id("add-row").click()
    expect(rows).to_have_count(3)
    expect(page.locator("#id_chars-TOTAL_FORMS")).to_have_value("3")
    expect(rows.nth(2).locator("[name=chars-2-kind]")).to_have_value("required")
    expect(rows.nth(2).locator("[name=chars-2-quantitative]")).to_be_checked()

    rows.nth(0).locator("[name=chars-0-name]").fill("Length")
    rows.nth(1).locator("[name=chars-1-name]").fill("Thrown away")
    rows.nth(2).locator("[name=chars-2-name]").fill("Finish")
    rows.nth(1).get_by_role("button", name="Remove").click()
    expect(rows).to_have_count(2)
    expect(page.locator("[name=chars-1-name]")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True, "adding or removing reloaded the page"

    page.fill("#id_due_date", "2025-12-20T10:00")
    choose(page, "supplier_id", "1", "Northwind Polymers")
    page.fill("#id_item_quantity", "50")
    choose(page, "uom", "1", "EA")
    choose(page, "requested_by", "10", "Lucie Moreau")
    page.fill("[name=chars-0-target]", "10")
    page.select_option("[name=chars-0-min_operator]", "gt")
    page.fill("[name=chars-0-min_value]", "9.5")
    page.select_option("[name=chars-0-max_operator]", "lt")
    page.fill("[name=chars-0-max_value]", "10.5")
    page.select_option("[name=chars-2-kind]", "optional")
    page.select_option("[name=chars-2-value_type]", "decision")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.get_by_test_id("create").click()

    # Through the page that follows the request (it polls until the worker has sent it).
    page.wait_for_url(re.compile(r"/inspections/\d+/$"), timeout=30_000)
    assert any(re.search(r"/inspections/new/\d+/$", url) for url in requested), requested
    coupa_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    lines = Inspection.objects.get(coupa_id=coupa_id).characteristics.order_by("line_num")
    assert [(c.name, c.type) for c in lines] == [("Length", "required"), ("Finish", "optional")]
    expect(page.get_by_text(f"Inspection {coupa_id} was created in Coupa.")).to_be_visible()


def test_errors_are_shown_next_to_the_fields_in_the_page(new_form) -> None:
    page = new_form
    page.fill("[name=chars-0-name]", "Length")
    page.select_option("[name=chars-0-min_operator]", "ge")
    page.get_by_test_id("create").click()

    expect(page.locator('[data-error-for="supplier_id"]')).to_have_text("This field is required.")
    expect(page.locator('[data-error-for="chars-0-min_value"]')).to_have_text(
        "Give the limit's value."
    )
    expect(page.locator("#id_supplier_id")).to_have_class(re.compile(r"\bis-invalid\b"))
