"""The new-inspection form's name pickers in Chromium: a supplier, unit and requester chosen by
typing part of a name; the inspection Coupa creates carries their ids."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qualityhub.inspections.models import Inspection

from ..conftest import fill_directory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
]


@pytest.fixture
def named_form(new_form):
    """The form, with the sandbox's names in the directory for the pickers to find."""
    fill_directory()
    return new_form


def _control(page, field: str):
    """Tom Select's box standing in for the select (a single choice hides its typing field in
    the box until it is opened)."""
    return page.locator(f".ts-wrapper:has(#id_{field}-ts-control) .ts-control")


def _pick(page, field: str, typed: str, shown: str) -> None:
    _control(page, field).click()
    page.keyboard.type(typed)
    option = page.locator(f"#id_{field}-ts-dropdown .option", has_text=shown)
    expect(option).to_be_visible()
    option.click()


def test_supplier_unit_and_requester_are_chosen_by_typing_their_names(named_form) -> None:
    page = named_form
    page.fill("#id_due_date", "2025-12-20T10:00")
    _pick(page, "supplier_id", "hengda", "Hengda Packaging (Zhejiang)")
    page.fill("#id_item_quantity", "50")
    _pick(page, "uom", "kilo", "KG")
    _pick(page, "requested_by", "moreau", "Lucie Moreau")
    page.fill("[name=chars-0-name]", "Length")
    expect(page.locator("select[name=supplier_id]")).to_have_value("4")

    page.get_by_test_id("create").click()

    page.wait_for_url(re.compile(r"/inspections/\d+/$"), timeout=30_000)
    coupa_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    created = Inspection.objects.get(coupa_id=coupa_id)
    assert (created.supplier_id, created.uom, created.requested_by) == (4, 2, 10)


def test_a_form_shown_again_keeps_the_chosen_names(named_form) -> None:
    page = named_form
    _pick(page, "supplier_id", "northwind", "Northwind Polymers")
    page.get_by_test_id("create").click()  # refused: the due date and more are missing
    expect(page.locator('[data-error-for="due_date"]')).to_be_visible()
    expect(_control(page, "supplier_id").locator(".item")).to_have_text("Northwind Polymers")
    expect(page.locator("select[name=supplier_id]")).to_have_value("1")
