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
    Supplier.objects.all().delete()  # the sync named them as the sandbox does: ours instead
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
    dropdown = page.locator("#id_supplier + .ts-wrapper .ts-dropdown")
    picker.click()
    expect(dropdown.locator(".option").first).to_be_visible()  # the first names, on opening
    picker.type("wind poly", delay=30)
    expect(picker).to_have_value("wind poly")
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
    picker.type("<metals", delay=30)
    page.locator(".ts-dropdown .option", has_text="Southwind <Metals>").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"supplier={northwind}&supplier={southwind}"))
    expect(page.locator(ROWS).first).to_be_visible()
    assert _supplier_cells(page) == {str(northwind), str(southwind)}


def test_a_single_picker_swapped_in_by_htmx_chooses_one_person(signed_in) -> None:
    """The form rows other pages swap in (one requester, one unit) get their picker on
    `htmx:load`, and a single select keeps one id."""
    from qualityhub.directory.models import Person

    page = signed_in
    now = timezone.now()
    Person.objects.all().delete()
    Person.objects.create(coupa_id=10, full_name="Ada Okoro", login="aokoro", fetched_at=now)
    Person.objects.create(coupa_id=11, full_name="Karl Ada", login="kada", fetched_at=now)
    page.evaluate(
        """() => {
            const form = document.createElement("form");
            form.id = "swapped";
            form.innerHTML = '<label for="id_requested_by">Requester</label>'
              + '<select id="id_requested_by" name="requested_by" data-picker="/names/people/">'
              + '<option value="">–</option></select>';
            document.querySelector("main").append(form);
            document.dispatchEvent(new CustomEvent("htmx:load", {detail: {elt: form}}));
        }"""
    )
    dropdown = page.locator("#swapped .ts-dropdown")
    page.locator("#swapped .ts-control").click()
    # Opening asks for the first names (an empty query); then typing narrows them.
    expect(dropdown.locator(".option", has_text="Karl Ada")).to_be_visible()
    page.keyboard.type("okoro", delay=50)
    expect(page.locator("#id_requested_by-ts-control")).to_have_value("okoro")
    expect(dropdown.locator(".option", has_text="Karl Ada")).to_have_count(0)
    option = dropdown.locator(".option", has_text="Ada Okoro")
    expect(option).to_contain_text("aokoro")
    option.click()
    assert page.eval_on_selector(
        "#id_requested_by", "s => [...s.selectedOptions].map(o => o.value)"
    ) == ["10"]
