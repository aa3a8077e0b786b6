"""The name picker in a real browser: type part of a supplier's name in the list's supplier
filter, choose it, apply, and the list shows only that supplier's inspections."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qualityhub.directory.models import Supplier
from qualityhub.inspections.models import Inspection

pytestmark = pytest.mark.browser

ROWS = "tr[data-inspection-id]"


def _name_suppliers() -> tuple[int, int]:
    """Name every supplier the synced inspections carry; return two of them."""
    now = timezone.now()
    ids = sorted(set(Inspection.objects.values_list("supplier_id", flat=True)))
    for index, supplier_id in enumerate(ids):
        name = f"Supplier works {index:02}"
        if index == 1:
            name = "Northwind Polymers & Söhne"
        if index == 2:
            name = "Southwind <Metals>"
        Supplier.objects.create(
            coupa_id=supplier_id, name=name, number=f"SUP-{supplier_id:04}", fetched_at=now
        )
        Inspection.objects.filter(supplier_id=supplier_id).update(supplier_name=name)
    return ids[1], ids[2]


def _supplier_cells(page) -> set[str]:
    return set(
        page.locator(f"{ROWS} td[data-supplier-id]").evaluate_all(
            "cells => cells.map(c => c.dataset.supplierId)"
        )
    )


def test_choosing_a_supplier_by_part_of_its_name_filters_the_list(signed_in) -> None:
    page = signed_in
    northwind, southwind = _name_suppliers()
    page.reload()
    assert len(_supplier_cells(page)) > 1

    picker = page.locator("#id_supplier-ts-control")  # Tom Select's typing box
    picker.click()
    picker.type("wind poly")
    option = page.locator(".ts-dropdown .option", has_text="Northwind Polymers & Söhne")
    expect(option).to_be_visible()
    expect(option).to_contain_text(f"SUP-{northwind:04}")  # the number beside the name
    # Only what matches: Southwind has "wind" but not "poly".
    expect(page.locator(".ts-dropdown .option", has_text="Southwind")).to_have_count(0)
    option.click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(rf"[?&]supplier={northwind}(&|$)"))
    expect(page.locator(ROWS).first).to_be_visible()
    expect(
        page.locator(f"{ROWS} td[data-supplier-id]:not([data-supplier-id='{northwind}'])")
    ).to_have_count(0)
    expected = Inspection.objects.filter(supplier_id=northwind).count()
    expect(page.get_by_test_id("match-count")).to_contain_text(f"{expected} inspection")
    expect(page.locator(f"{ROWS} td[data-supplier-id='{northwind}']").first).to_contain_text(
        "Northwind Polymers & Söhne"
    )

    # A shared link keeps the id, and the picker shows the chosen name again.
    page.goto(page.url)
    expect(page.locator(".ts-control .item")).to_have_text(["Northwind Polymers & Söhne×"])

    # A second supplier, typed as markup-looking text: shown as text, both kept.
    picker.click()
    picker.type("<metals")
    page.locator(".ts-dropdown .option", has_text="Southwind <Metals>").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"supplier={northwind}&supplier={southwind}"))
    expect(page.locator(ROWS).first).to_be_visible()
    assert _supplier_cells(page) == {str(northwind), str(southwind)}
