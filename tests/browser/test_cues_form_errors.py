"""The new-inspection form in Chromium: an error goes as soon as its field is fixed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_through_form

pytestmark = pytest.mark.browser
INVALID = re.compile(r"\bis-invalid\b")


@pytest.fixture
def new_form(page, live_server, engineer):
    sign_in_through_form(page, live_server, "/inspections/new/")
    return page


def error(page, name: str):
    return page.locator(f'[data-error-for="{name}"]')


def test_fixing_a_field_takes_its_error_away_and_leaves_the_others(new_form) -> None:
    page = new_form
    page.fill("#id_item_quantity", "lots")
    page.fill("[name=chars-0-name]", "Length")
    page.select_option("[name=chars-0-min_operator]", "ge")
    page.fill("[name=chars-0-min_value]", "20")
    page.select_option("[name=chars-0-max_operator]", "le")
    page.fill("[name=chars-0-max_value]", "10")
    page.get_by_test_id("create").click()

    expect(error(page, "item_quantity")).to_have_text("Enter a number.")
    expect(error(page, "supplier_id")).to_have_text("This field is required.")
    expect(error(page, "chars-0-min_value")).to_have_text("The minimum is above the maximum.")
    expect(page.locator("#id_item_quantity")).to_have_class(INVALID)

    page.fill("#id_item_quantity", "50")
    page.locator("#id_item_quantity").blur()
    expect(error(page, "item_quantity")).to_have_count(0)
    expect(page.locator("#id_item_quantity")).not_to_have_class(INVALID)
    expect(page.locator("#id_item_quantity")).not_to_have_attribute("aria-invalid", "true")
    # A field not fixed keeps its error.
    expect(error(page, "supplier_id")).to_have_text("This field is required.")
    expect(page.locator("#id_supplier_id")).to_have_attribute("aria-invalid", "true")

    # Fixed through another field: the maximum raised, the minimum's error goes.
    page.fill("[name=chars-0-max_value]", "30")
    page.locator("[name=chars-0-max_value]").blur()
    expect(error(page, "chars-0-min_value")).to_have_count(0)
    expect(page.locator("[name=chars-0-min_value]")).not_to_have_class(INVALID)

    # Changed but still wrong: the new reason shows at once.
    page.fill("#id_item_quantity", "-1")
    page.locator("#id_item_quantity").blur()
    expect(error(page, "item_quantity")).to_have_text("The quantity must be above 0.")
    expect(page.locator("#id_item_quantity")).to_have_class(INVALID)
    expect(error(page, "supplier_id")).to_have_text("This field is required.")
