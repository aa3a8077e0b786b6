"""Suppliers by name in the inspection list: the column, the sort, the search, the supplier and
item filters (several at once, chosen by name), the CSV, and the names on the detail page."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qualityhub.directory.models import Item, Person, Supplier, Unit
from qualityhub.inspections.models import Inspection
from qualityhub.ui import paging

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [row.coupa_id for row in response.context["page"].rows]


def _all_rows(client, query: str) -> list:
    rows: list = []
    url = f"/inspections/?{query}"
    while url:
        response = client.get(url)
        rows += response.context["page"].rows
        cursor = response.context["page"].next_cursor
        base = response.context["query_without_paging"]
        url = f"/inspections/?{base}&after={cursor}" if cursor else ""
    return rows


def _forget_names() -> None:
    """The sync has named what the sandbox names: these tests set their own names."""
    for model in (Supplier, Person, Unit, Item):
        model.objects.all().delete()
    Inspection.objects.update(supplier_name="")


@pytest.fixture
def named(synced) -> dict[int, str]:
    """Every supplier of the synced inspections named in the directory but the last one, in an
    order unlike their ids (names run Z→A as ids go up); the rows carry the name as the sync
    keeps it."""
    _forget_names()
    now = timezone.now()
    ids = sorted(set(Inspection.objects.values_list("supplier_id", flat=True)))
    assert len(ids) >= 4
    names = {}
    for index, supplier_id in enumerate(ids[:-1]):
        name = f"{chr(ord('Z') - index)}-Werke Supplier"
        Supplier.objects.create(
            coupa_id=supplier_id, name=name, number=f"SUP-{supplier_id:04}", fetched_at=now
        )
        Inspection.objects.filter(supplier_id=supplier_id).update(supplier_name=name)
        names[supplier_id] = name
    return names


def _supplier_ids(named) -> list[int]:
    return sorted(named)


def test_the_list_shows_each_suppliers_name_with_its_number(signed_in, named) -> None:
    first = _supplier_ids(named)[0]
    html = signed_in.get(f"/inspections/?supplier={first}").content.decode()
    assert f'{named[first]} <span class="small text-muted">SUP-{first:04}</span></td>' in html
    assert f'title="{named[first]} · SUP-{first:04} · Coupa id {first}"' in html


def test_a_supplier_without_a_name_reads_as_its_id(signed_in, named) -> None:
    unknown = max(Inspection.objects.values_list("supplier_id", flat=True))
    assert unknown not in named
    html = signed_in.get(f"/inspections/?supplier={unknown}").content.decode()
    assert f"data-unnamed>Supplier {unknown}</td>" in html


@pytest.mark.parametrize("direction", ["", "-"])
def test_sorting_by_supplier_name_pages_through_every_row_once_in_name_order(
    signed_in, named, direction
) -> None:
    rows = _all_rows(signed_in, f"sort={direction}supplier&size=25")
    assert sorted(r.coupa_id for r in rows) == sorted(
        Inspection.objects.values_list("coupa_id", flat=True)
    )
    keys = [(r.supplier_name, r.coupa_id) for r in rows]
    assert keys == sorted(keys, reverse=bool(direction))
    # The names (not the ids) set the order: Z-Werke (the smallest id) comes last going up.
    order = list(dict.fromkeys(r.supplier_id for r in rows if r.supplier_name))
    assert order == sorted(named, key=named.get, reverse=bool(direction))


def test_previous_goes_back_to_the_same_rows_sorted_by_name(signed_in, named) -> None:
    first = signed_in.get("/inspections/?sort=supplier&size=25")
    second = signed_in.get(
        f"/inspections/?sort=supplier&size=25&after={first.context['page'].next_cursor}"
    )
    back = signed_in.get(
        f"/inspections/?sort=supplier&size=25&before={second.context['page'].previous_cursor}"
    )
    assert _ids(back) == _ids(first)


@pytest.mark.parametrize("text", ["x-werke", "X-WERKE SUP", "SUP-", "sup-00"])
def test_the_search_finds_a_suppliers_name_and_number(signed_in, named, text) -> None:
    found = {r.supplier_id for r in _all_rows(signed_in, f"q={text}&size=200")}
    expected = {i for i, name in named.items() if text.lower() in name.lower()}
    expected |= {i for i in named if text.lower() in f"sup-{i:04}"}
    assert found == expected and found


def test_the_search_by_supplier_number_finds_exactly_its_inspections(signed_in, named) -> None:
    supplier_id = _supplier_ids(named)[1]
    rows = _all_rows(signed_in, f"q=SUP-{supplier_id:04}&size=200")
    assert sorted(r.coupa_id for r in rows) == sorted(
        Inspection.objects.filter(supplier_id=supplier_id).values_list("coupa_id", flat=True)
    )


def test_several_suppliers_at_once(signed_in, named) -> None:
    a, b = _supplier_ids(named)[:2]
    response = signed_in.get(f"/inspections/?supplier={a}&supplier={b}&size=200")
    rows = _all_rows(signed_in, f"supplier={a}&supplier={b}&size=200")
    assert sorted(r.coupa_id for r in rows) == sorted(
        Inspection.objects.filter(supplier_id__in=[a, b]).values_list("coupa_id", flat=True)
    )
    html = response.content.decode()
    # The picker's chosen options, by name (the picker asks /names/suppliers/ for the rest).
    assert f'<option value="{a}" selected>{named[a]}</option>' in html
    assert f'<option value="{b}" selected>{named[b]}</option>' in html
    assert 'data-picker="/names/suppliers/"' in html and 'data-picker="/names/items/"' in html


def test_an_old_single_supplier_link_still_works(signed_in, named) -> None:
    a = _supplier_ids(named)[0]
    rows = _all_rows(signed_in, f"supplier={a}&size=200")
    assert {r.supplier_id for r in rows} == {a}


def test_several_items_at_once_chosen_by_name(signed_in, named) -> None:
    first, second = list(
        Inspection.objects.exclude(item_id=None).values_list("item_id", flat=True).distinct()
    )[:2]
    Item.objects.create(coupa_id=first, name="Bolt M8 & nut", fetched_at=timezone.now())
    response = signed_in.get(f"/inspections/?item={first}&item={second}&size=200")
    assert {r.item_id for r in response.context["page"].rows} == {first, second}
    html = response.content.decode()
    assert f'<option value="{first}" selected>Bolt M8 &amp; nut</option>' in html
    assert f'<option value="{second}" selected>Item {second}</option>' in html


def test_a_bad_supplier_among_several_says_what_is_wrong(signed_in, named) -> None:
    a = _supplier_ids(named)[0]
    response = signed_in.get(f"/inspections/?supplier={a}&supplier=acme")
    assert "“acme” is not a number." in response.content.decode()
    assert {r.supplier_id for r in response.context["page"].rows} == {a}


def test_too_many_suppliers_are_cut_to_fifty_and_said(signed_in, named) -> None:
    query = "&".join(f"supplier={n}" for n in range(1, 80))
    response = signed_in.get(f"/inspections/?{query}")
    assert response.status_code == 200
    assert response.context["filters"].suppliers == list(range(1, 51))
    assert "Choose at most 50 at once" in response.content.decode()


def test_the_list_costs_the_same_queries_with_names_as_without(
    signed_in, synced, django_assert_max_num_queries
) -> None:
    _forget_names()
    signed_in.get("/inspections/")  # warm the session and freshness caches

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            signed_in.get("/inspections/?size=200&sort=supplier")
        return len(captured)

    without = count()
    now = timezone.now()
    for supplier_id in set(Inspection.objects.values_list("supplier_id", flat=True)):
        Supplier.objects.create(coupa_id=supplier_id, name=f"S{supplier_id}", fetched_at=now)
    assert count() == without
    with django_assert_max_num_queries(7):  # with the saved views' bar and the assignees
        signed_in.get("/inspections/?size=200&sort=supplier")


def test_the_csv_has_the_supplier_name_beside_its_id(signed_in, named) -> None:
    unknown = max(Inspection.objects.values_list("supplier_id", flat=True))
    Supplier.objects.filter(coupa_id=_supplier_ids(named)[0]).update(name="=cmd|' /C calc'!A0")
    Inspection.objects.filter(supplier_id=_supplier_ids(named)[0]).update(
        supplier_name="=cmd|' /C calc'!A0"
    )
    response = signed_in.get("/inspections/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = list(rows[0])
    assert header[header.index("supplier_id") + 1] == "supplier_name"
    by_supplier = {int(r["supplier_id"]): r["supplier_name"] for r in rows}
    assert by_supplier[_supplier_ids(named)[1]] == named[_supplier_ids(named)[1]]
    assert by_supplier[_supplier_ids(named)[0]] == "'=cmd|' /C calc'!A0"  # no formula
    assert by_supplier[unknown] == ""  # the id column says which; no made-up name


# --- the detail page ---------------------------------------------------------------------------


def test_the_detail_page_shows_names_people_and_the_units_code(signed_in, synced) -> None:
    _forget_names()
    now = timezone.now()
    inspection = Inspection.objects.get(coupa_id=1)
    Supplier.objects.create(
        coupa_id=inspection.supplier_id,
        name="Northwind Polymers Ltd",
        display_name="Northwind Polymers",
        number="SUP-0008",
        fetched_at=now,
    )
    Person.objects.create(coupa_id=10, full_name="Ada Okoro", login="aokoro", fetched_at=now)
    Person.objects.create(coupa_id=20, full_name="Bo Li", login="boli", fetched_at=now)
    Unit.objects.create(coupa_id=4, code="kg", name="Kilogram", fetched_at=now)
    Inspection.objects.filter(coupa_id=1).update(
        requested_by=10,
        created_by=20,
        modified_by=508,
        uom=4,
        item_quantity="1516.000000",
        reviewed_by="j.doe@example.com",
        submitted_by="Supplier portal <Hana>",
    )
    html = signed_in.get("/inspections/1/").content.decode()
    assert 'Northwind Polymers <span class="text-muted">SUP-0008</span>' in html
    assert '<span data-testid="quantity">1516 <abbr title="Kilogram">kg</abbr></span>' in html
    assert 'data-testid="requester" title="aokoro · Coupa id 10">Ada Okoro</span>' in html
    assert 'data-testid="creator" title="boli · Coupa id 20">Bo Li</span>' in html
    assert 'data-testid="editor" title="Coupa id 508">User 508</span>' in html
    # Free strings from Coupa: shown as they are.
    assert '<span data-testid="reviewed-by">j.doe@example.com</span>' in html
    assert '<span data-testid="submitted-by">Supplier portal &lt;Hana&gt;</span>' in html


def test_the_detail_page_falls_back_to_ids_it_has_no_name_for(signed_in, synced) -> None:
    _forget_names()
    inspection = Inspection.objects.get(coupa_id=1)
    Inspection.objects.filter(coupa_id=1).update(uom=4, item_quantity="1516", requested_by=None)
    html = signed_in.get("/inspections/1/").content.decode()
    assert f">Supplier {inspection.supplier_id}</dd>" in html
    assert '<span data-testid="quantity">1516 (unit 4)</span>' in html
    assert 'data-testid="requester"' not in html


def test_a_quantity_without_a_unit_is_just_the_number(signed_in, synced) -> None:
    Inspection.objects.filter(coupa_id=1).update(uom=None, item_quantity="12")
    html = signed_in.get("/inspections/1/").content.decode()
    assert '<span data-testid="quantity">12</span>' in html


def test_a_name_search_costs_at_most_two_queries_more_than_the_list(
    signed_in, named, django_assert_max_num_queries
) -> None:
    """The directory lookup that turns the text into supplier ids (the rows then come through
    the supplier index as for `supplier=`), and the count of those suppliers' rows first."""
    signed_in.get("/inspections/")
    with django_assert_max_num_queries(9):  # with the saved views' bar and the assignees
        response = signed_in.get("/inspections/?q=werke&size=200")
    assert response.context["page"].rows


def test_chosen_suppliers_cost_no_query_of_their_own(
    signed_in, named, django_assert_max_num_queries
) -> None:
    """The chosen suppliers' names come with the page's, in the one names query."""
    a, b = _supplier_ids(named)[:2]
    signed_in.get("/inspections/")
    with django_assert_max_num_queries(7):  # with the saved views' bar and the assignees
        response = signed_in.get(f"/inspections/?supplier={a}&supplier={b}&size=200")
    assert [n.text for n in response.context["chosen_suppliers"]] == [named[a], named[b]]


def _counts(client, url: str) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return [q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT")], response


def test_a_name_search_that_fills_the_cap_from_its_suppliers_counts_no_further(
    signed_in, named, monkeypatch
) -> None:
    """Counted through the supplier index first: PostgreSQL's plan for the whole search (a
    sequential scan stopping at the cap) reads far when those suppliers' rows sit together."""
    monkeypatch.setattr(paging, "COUNT_LIMIT", 10)
    counts, response = _counts(signed_in, "/inspections/?q=x-werke")
    assert len(counts) == 1 and '"supplier_id" IN' in counts[0]
    assert response.context["page"].count_text == "10+"


def test_a_name_search_below_the_cap_is_counted_whole(signed_in, named) -> None:
    supplier_id = _supplier_ids(named)[0]
    text = named[supplier_id][:7]  # "Z-Werke"
    Inspection.objects.filter(coupa_id=1).update(ref_document_id=f"{text}-PO")  # by its PO
    counts, response = _counts(signed_in, f"/inspections/?q={text}")
    assert len(counts) == 2  # their rows (below the cap), then the whole search
    expected = Inspection.objects.filter(supplier_id=supplier_id).exclude(coupa_id=1).count() + 1
    assert response.context["page"].count == expected


def test_a_search_matching_no_supplier_counts_once(signed_in, named) -> None:
    counts, _ = _counts(signed_in, "/inspections/?q=PO-")
    assert len(counts) == 1
