"""The results page names suppliers (and items) where it showed ids: the table, and the supplier
and item filters, which keep ids in the URL (`?supplier=3&supplier=8`) and render the chosen ones
by name for the picker."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.utils import timezone

from qualityhub.directory.models import Item, Supplier
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.ui.filters import MAX_CHOSEN
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NORTHWIND, ACME, UNKNOWN = 8, 3, 12
_ids = itertools.count(1)


@pytest.fixture
def world() -> None:
    """Northwind (8) and Acme (3) are in the directory; supplier 12 is not (yet)."""
    now = timezone.now()
    Supplier.objects.create(
        coupa_id=NORTHWIND, name="Northwind Polymers", number="SUP-00008", fetched_at=now
    )
    Supplier.objects.create(
        coupa_id=ACME, name="Acme Metals", display_name="ACME", number="SUP-00003", fetched_at=now
    )
    Item.objects.create(coupa_id=7, name="Bracket", number="ITM-7", fetched_at=now)
    for supplier in (NORTHWIND, ACME, UNKNOWN):
        for item in (7, 9):
            inspection = Inspection.objects.create(
                coupa_id=next(_ids) + 1000,
                supplier_id=supplier,
                item_id=item,
                item_name=f"item {item}",
                due_date=datetime(2025, 1, 1, tzinfo=UTC),
                modified_at=datetime(2025, 1, 2, tzinfo=UTC),
            )
            Characteristic.objects.create(
                coupa_id=next(_ids) + 5000, inspection=inspection, name="Length", verdict="fail"
            )


def _suppliers_shown(html: str) -> set[str]:
    return set(re.findall(r'<td data-supplier-id="\d+"[^>]*>([^<]*)</td>', html))


def _chosen(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]* name="{name}" multiple[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no {name} picker"
    return re.findall(r'<option value="(\d+)" selected>([^<]*)</option>', select.group(1))


def _supplier_ids(response) -> set[int]:
    return {row.inspection.supplier_id for row in response.context["page"].rows}


def test_the_table_shows_each_suppliers_name_with_its_number_on_hover(signed_in, world) -> None:
    html = signed_in.get("/results/").content.decode()
    assert _suppliers_shown(html) == {"Northwind Polymers", "ACME", "Supplier 12"}
    assert (
        '<td data-supplier-id="8" title="SUP-00008" class="col-supplier col-p2">Northwind Polymers'
        in html
    )


def test_an_unknown_supplier_reads_as_the_fallback(signed_in, world) -> None:
    html = signed_in.get("/results/", {"supplier": UNKNOWN}).content.decode()
    assert _suppliers_shown(html) == {"Supplier 12"}
    assert _chosen(html, "supplier") == [("12", "Supplier 12")]


def test_the_supplier_filter_is_a_name_picker_that_keeps_ids(signed_in, world) -> None:
    html = signed_in.get("/results/").content.decode()
    assert 'name="supplier" multiple data-picker="/names/suppliers/"' in html
    assert 'name="item" multiple data-picker="/names/items/"' in html
    assert _chosen(html, "supplier") == []  # nothing chosen: no option at all
    assert 'type="number"' not in html and "Supplier id" not in html


def test_several_suppliers_are_chosen_by_repeating_the_parameter(signed_in, world) -> None:
    response = signed_in.get(f"/results/?supplier={ACME}&supplier={NORTHWIND}")
    assert _supplier_ids(response) == {ACME, NORTHWIND}
    html = response.content.decode()
    assert _chosen(html, "supplier") == [("3", "ACME"), ("8", "Northwind Polymers")]


def test_an_old_single_supplier_link_keeps_working(signed_in, world) -> None:
    response = signed_in.get("/results/", {"supplier": str(NORTHWIND)})
    assert _supplier_ids(response) == {NORTHWIND}
    assert _chosen(response.content.decode(), "supplier") == [("8", "Northwind Polymers")]


def test_several_items_are_chosen_and_shown_by_name(signed_in, world) -> None:
    response = signed_in.get("/results/?item=7&item=9&supplier=8")
    assert {row.inspection.item_id for row in response.context["page"].rows} == {7, 9}
    assert _chosen(response.content.decode(), "item") == [("7", "Bracket"), ("9", "Item 9")]


@pytest.mark.parametrize("bad", ["abc", "-3", "0", "1.5", "9" * 40, "٣"])
def test_a_value_that_is_not_an_id_is_said_and_left_out(signed_in, world, bad) -> None:
    response = signed_in.get(f"/results/?supplier={NORTHWIND}&supplier={bad}")
    assert response.status_code == 200
    assert _supplier_ids(response) == {NORTHWIND}
    assert "supplier" in response.context["filters"].errors
    assert 'role="alert"' in response.content.decode()


def test_an_empty_picker_filters_nothing(signed_in, world) -> None:
    response = signed_in.get("/results/?supplier=&item=")
    assert _supplier_ids(response) == {NORTHWIND, ACME, UNKNOWN}
    assert response.context["filters"].errors == {}


def test_a_repeated_supplier_counts_once_and_the_choice_is_bounded(signed_in, world) -> None:
    response = signed_in.get("/results/?supplier=8&supplier=8&supplier=3")
    assert response.context["filters"].suppliers == [NORTHWIND, ACME]
    many = "&".join(f"supplier={n}" for n in range(1, MAX_CHOSEN + 20))
    response = signed_in.get(f"/results/?{many}")
    assert response.status_code == 200
    assert response.context["filters"].suppliers == list(range(1, MAX_CHOSEN + 1))
    assert f"Choose at most {MAX_CHOSEN} at once" in response.content.decode()


def test_a_limited_buyer_does_not_learn_the_name_of_a_supplier_not_theirs(client, world) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[ACME]))
    response = client.get(f"/results/?supplier={NORTHWIND}&supplier={ACME}")
    assert _supplier_ids(response) == {ACME}
    html = response.content.decode()
    assert _chosen(html, "supplier") == [("8", "Supplier 8"), ("3", "ACME")]
    assert "Northwind" not in html


def test_the_names_cost_one_query_whatever_the_rows(
    signed_in, world, django_assert_max_num_queries
) -> None:
    signed_in.get("/results/")  # warm the session, access and freshness caches
    # The user, the rows (their count comes with them when short), the suppliers' names; on
    # PostgreSQL the SET LOCAL that keeps the rows' plan serial (inspections/plans.py).
    serial = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(4 + serial) as few:
        signed_in.get("/results/")
    for n in range(40):
        inspection = Inspection.objects.create(
            coupa_id=9000 + n, supplier_id=100 + n, due_date=datetime(2025, 1, 1, tzinfo=UTC)
        )
        Characteristic.objects.create(coupa_id=90000 + n, inspection=inspection, name="Width")
    with django_assert_max_num_queries(len(few)):
        html = signed_in.get("/results/").content.decode()
    assert "Supplier 139" in html
    # Chosen suppliers are named in the same query; chosen items cost one more.
    with django_assert_max_num_queries(len(few) + 1):
        signed_in.get("/results/?supplier=8&supplier=3&item=7")
