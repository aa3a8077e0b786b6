"""Changing a filter replaces the earlier choice: in the rows, in the address bar, after a reload.

A filter form whose htmx address was its own page's URL sent the earlier query again with every
change (`?q=&status=Open&…&q=&status=Closed&…`): the list kept showing the earlier choice and a
reload selected it again. Every multi-value filter of both lists is changed twice here.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from qualityhub.coupa.vocabulary import Status
from qualityhub.directory.models import Item, Supplier
from qualityhub.inspections.models import Inspection

pytestmark = pytest.mark.browser

ROWS = "tr[data-inspection-id]"
RESULT_ROWS = "tr[data-characteristic-id]"


def address(page) -> list[tuple[str, str]]:
    """The address bar's query as (name, value) pairs, empty values left out."""
    return [(k, v) for k, v in parse_qsl(urlsplit(page.url).query, keep_blank_values=True) if v]


def assert_no_key_repeated_but(page, *multi: str) -> None:
    """No filter appears twice in the address bar (`multi` ones may, with different values)."""
    names = [k for k, _ in parse_qsl(urlsplit(page.url).query, keep_blank_values=True)]
    repeated = {n for n in names if names.count(n) > 1 and n not in multi}
    assert not repeated, f"the address bar repeats {repeated}: {page.url}"
    pairs = address(page)
    assert len(pairs) == len(set(pairs)), f"the address bar repeats a choice: {page.url}"


def values(page, name: str) -> list[str]:
    return [v for k, v in address(page) if k == name]


def cells(page, rows: str, attribute: str) -> set[str]:
    return set(
        page.locator(f"{rows} [{attribute}], {rows}[{attribute}]").evaluate_all(
            f"found => found.map(e => e.getAttribute('{attribute}'))"
        )
    )


def pick(page, select_id: str, text: str, coupa_id: int) -> None:
    """Type into a name picker and choose the option of `coupa_id`."""
    control = page.locator(f"#{select_id}-ts-control")
    dropdown = page.locator(f"#{select_id} + .ts-wrapper .ts-dropdown")
    option = dropdown.locator(f".option[data-value='{coupa_id}']")
    page.locator("h1").first.click()  # away from a picker still open or focused
    control.fill("")
    control.press_sequentially(text, delay=30)
    expect(control).to_have_value(text)
    if not option.is_visible():  # the dropdown closed by a swap settling: open it again
        page.wait_for_timeout(500)
        control.press("ArrowDown")
    option.click()
    page.keyboard.press("Escape")


def unpick_all(page, select_id: str) -> None:
    wrapper = page.locator(f"#{select_id} + .ts-wrapper")
    while wrapper.locator(".item .remove").count():
        wrapper.locator(".item .remove").first.click()


def pick_one_then_the_other(page, name: str, first, second, rows: str) -> None:
    """Choose `first` in the `name` picker, then swap it for `second`: the address and the rows
    follow the latest choice only."""
    pick(page, f"id_{name}", first.number or first.name, first.coupa_id)
    expect(page).to_have_url(re.compile(rf"{name}={first.coupa_id}(&|$)"))
    unpick_all(page, f"id_{name}")
    pick(page, f"id_{name}", second.number or second.name, second.coupa_id)
    expect(page).to_have_url(re.compile(rf"{name}={second.coupa_id}(&|$)"))
    expect(page.locator(rows).first).to_be_visible()
    assert cells(page, rows, f"data-{name}-id") == {str(second.coupa_id)}


def two_suppliers() -> list[Supplier]:
    ids = sorted(set(Inspection.objects.values_list("supplier_id", flat=True)))
    return list(Supplier.objects.filter(coupa_id__in=ids[:2]).order_by("coupa_id"))


def two_items() -> list[Item]:
    ids = sorted(set(Inspection.objects.exclude(item_id=None).values_list("item_id", flat=True)))
    return list(Item.objects.filter(coupa_id__in=ids[:2]).order_by("coupa_id"))


def test_choosing_closed_after_open_shows_only_closed(signed_in, live_server) -> None:
    page = signed_in
    page.select_option("#id_status", Status.OPEN)
    expect(page).to_have_url(re.compile(r"status=Open"))
    expect(page.locator(f"{ROWS}:not([data-status='Open'])")).to_have_count(0)

    page.select_option("#id_status", Status.CLOSED)

    expect(page).to_have_url(re.compile(r"status=Closed"))
    expect(page.locator(f"{ROWS}:not([data-status='Closed'])")).to_have_count(0)
    expect(page.locator(ROWS).first).to_be_visible()
    assert values(page, "status") == ["Closed"], page.url
    assert_no_key_repeated_but(page, "status", "supplier", "item")

    page.reload()
    expect(page.locator("#id_status")).to_have_values(["Closed"])
    expect(page.locator(f"{ROWS}:not([data-status='Closed'])")).to_have_count(0)


def test_every_multi_value_filter_of_the_list_keeps_only_the_latest_choice(signed_in) -> None:
    page = signed_in
    first, second = two_suppliers()
    item_a, item_b = two_items()

    page.select_option("#id_status", [Status.OPEN, Status.IN_BUYER_REVIEW])
    page.select_option("#id_status", [Status.CLOSED, Status.IN_BUYER_REVIEW])
    expect(page.locator(f"{ROWS}[data-status='Open']")).to_have_count(0)
    page.select_option("#id_verdict", "fail")
    page.select_option("#id_verdict", "")
    page.select_option("#id_status", [])
    expect(page.locator(f"{ROWS}[data-status='Open']").first).to_be_visible()
    assert values(page, "status") == []

    pick_one_then_the_other(page, "supplier", first, second, ROWS)
    assert values(page, "supplier") == [str(second.coupa_id)]
    unpick_all(page, "id_supplier")

    pick_one_then_the_other(page, "item", item_a, item_b, ROWS)
    assert values(page, "item") == [str(item_b.coupa_id)]
    assert values(page, "supplier") == []
    assert_no_key_repeated_but(page)

    page.reload()
    expect(page.locator("#id_item option:checked")).to_have_count(1)
    expect(page.locator("#id_supplier option:checked")).to_have_count(0)
    assert cells(page, ROWS, "data-item-id") == {str(item_b.coupa_id)}


def test_every_multi_value_filter_of_the_results_keeps_only_the_latest_choice(
    signed_in, live_server
) -> None:
    page = signed_in
    page.goto(f"{live_server.url}/results/")
    first, second = two_suppliers()
    item_a, item_b = two_items()

    pick_one_then_the_other(page, "supplier", first, second, RESULT_ROWS)
    page.select_option("#id_verdict", "fail")
    page.select_option("#id_verdict", "pass")
    expect(page.locator(f"{RESULT_ROWS}:not([data-verdict='pass'])")).to_have_count(0)
    unpick_all(page, "id_supplier")

    pick_one_then_the_other(page, "item", item_a, item_b, RESULT_ROWS)
    assert values(page, "item") == [str(item_b.coupa_id)]
    assert values(page, "supplier") == []
    assert values(page, "verdict") == ["pass"]
    assert_no_key_repeated_but(page)

    page.reload()
    expect(page.locator("#id_item option:checked")).to_have_count(1)
    expect(page.locator("#id_verdict")).to_have_value("pass")
    assert cells(page, RESULT_ROWS, "data-item-id") == {str(item_b.coupa_id)}


def _sort_by_the_second_column(page) -> None:
    page.locator("#results th a").nth(1).click()


def _show_failing_then_passing(page, turn: int) -> None:
    page.select_option("#id_verdict", ["fail", "pass"][turn])


CHANGES = {
    "/inspections/": lambda page, _turn: _sort_by_the_second_column(page),
    "/results/": _show_failing_then_passing,
    "/suppliers/": lambda page, _turn: _sort_by_the_second_column(page),
}


@pytest.mark.parametrize("path", list(CHANGES))
def test_a_changed_list_keeps_one_results_region(signed_in, live_server, path) -> None:
    """htmx swaps the answer into #results: an answer that brought its own #results nested a
    second region (and a second id) inside the first with every change."""
    page = signed_in
    page.goto(f"{live_server.url}{path}")
    for turn in range(2):
        with page.expect_response(lambda response: response.request.headers.get("hx-request")):
            CHANGES[path](page, turn)
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert page.locator("[id=results]").count() == 1
    expect(page.locator("#results[aria-live=polite]")).to_be_visible()
