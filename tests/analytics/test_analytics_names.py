"""Names where the analytics pages showed ids: the scorecards' ranking (shown and sorted by name)
and one supplier's card (title, breadcrumb, heading, Pareto items), the trends page (its supplier
select, its points, its subject). The snapshots keep ids only: names are read when a page is shown,
so a supplier renamed in Coupa reads by its new name at once."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from qualityhub.analytics.models import Snapshot
from qualityhub.directory.models import Item, Supplier
from tests.analytics.scorecard_world import NOW  # noqa: F401 (the clock frozen stops at)
from tests.analytics.trend_series import page, series, table_ids
from tests.conftest import make_user

pytestmark = pytest.mark.usefixtures("no_cached_ranking")


def named(coupa_id: int, name: str, number: str = "", display_name: str = "") -> Supplier:
    return Supplier.objects.create(
        coupa_id=coupa_id,
        name=name,
        display_name=display_name,
        number=number,
        fetched_at=timezone.now(),
    )


@pytest.fixture
def names(world) -> None:
    """Supplier 1 is Northwind, 3 is "acme" (lower case, shown by its display name); 2 unknown."""
    named(1, "Northwind Polymers", "SUP-00001")
    named(3, "Acme Metals Ltd", "SUP-00003", display_name="acme")


def _ranking_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/suppliers/\d+/\?weeks=\d+">([^<]*)</a>', html)


# --- scorecards ------------------------------------------------------------------------------


def test_the_ranking_shows_names_with_their_numbers(grace, names) -> None:
    html = grace.get("/suppliers/").content.decode()
    assert _ranking_names(html) == ["Northwind Polymers", "Supplier 2", "acme"]  # most first
    assert '>Northwind Polymers</a> <span class="small text-muted fw-normal text-nowrap"' in html
    assert "SUP-00001</span>" in html and "SUP-00003</span>" in html


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("supplier", ["acme", "Northwind Polymers", "Supplier 2"]),
        ("-supplier", ["Northwind Polymers", "acme", "Supplier 2"]),
    ],
)
def test_the_ranking_sorts_by_name_ignoring_case_with_the_unnamed_last(
    grace, names, sort, order
) -> None:
    response = grace.get("/suppliers/", {"sort": sort})
    assert _ranking_names(response.content.decode()) == order


def test_unnamed_suppliers_sort_by_id_after_the_named_ones(grace, world) -> None:
    named(2, "Zenith Castings")
    response = grace.get("/suppliers/", {"sort": "supplier"})
    assert [card.supplier_id for card in response.context["cards"]] == [2, 1, 3]
    response = grace.get("/suppliers/", {"sort": "-supplier"})
    assert [card.supplier_id for card in response.context["cards"]] == [2, 3, 1]


def test_the_supplier_card_is_titled_with_name_and_number(grace, names) -> None:
    html = grace.get("/suppliers/1/").content.decode()
    assert "<title>Northwind Polymers · SUP-00001 · Scorecards" in html
    assert 'aria-current="page">Northwind Polymers</li>' in html
    assert 'data-testid="supplier-heading">Northwind Polymers · SUP-00001</h1>' in html
    assert "<caption>Scorecard of Northwind Polymers, last 13 weeks</caption>" in html
    assert "Supplier 1" not in html


def test_an_unnamed_supplier_card_reads_as_the_fallback(grace, names) -> None:
    html = grace.get("/suppliers/2/").content.decode()
    assert 'data-testid="supplier-heading">Supplier 2</h1>' in html
    assert "<title>Supplier 2 · Scorecards" in html


def test_the_empty_period_message_names_the_supplier(grace, world) -> None:
    named(4, "Old Mill")
    html = grace.get("/suppliers/4/").content.decode()
    assert 'data-empty="period">Old Mill has no inspection due' in html


def test_the_pareto_names_items_as_the_directory_does(grace, names) -> None:
    Item.objects.create(coupa_id=7, name="Bolt M8", number="ITM-7", fetched_at=timezone.now())
    response = grace.get("/suppliers/1/")
    (_length, links), *_ = response.context["pareto_rows"]
    # Item 7 by the directory's name; item 8 unknown there, by the name its inspections carry.
    assert [(item_id, name) for item_id, name, _url in links] == [(7, "Bolt M8"), (8, "Nut")]
    assert 'title="Item 7">Bolt M8</a>' in response.content.decode()


def test_the_snapshots_keep_ids_and_a_rename_shows_at_once(grace, names) -> None:
    grace.get("/suppliers/")
    grace.get("/suppliers/1/")
    stored = json.dumps([row.data for row in Snapshot.objects.all()])
    assert "Northwind" not in stored and "acme" not in stored
    Supplier.objects.filter(coupa_id=1).update(name="Northwind Polymers GmbH")
    assert "Northwind Polymers GmbH" in _ranking_names(grace.get("/suppliers/").content.decode())


def test_the_ranking_names_every_supplier_in_one_query(
    grace, world, django_assert_max_num_queries
) -> None:
    grace.get("/suppliers/")  # computes and keeps the snapshot
    with django_assert_max_num_queries(3) as before:  # the user, the ranking's row, the names
        grace.get("/suppliers/")
    for coupa_id in (1, 2, 3):
        named(coupa_id, f"Supplier number {coupa_id}")
    with django_assert_max_num_queries(len(before)):
        html = grace.get("/suppliers/").content.decode()
    assert len(_ranking_names(html)) == 3 and "Supplier number 2" in html


# --- trends ----------------------------------------------------------------------------------


@pytest.fixture
def measured(db) -> None:
    series("10 12", supplier=1, first_id=1)
    series("20 22", supplier=2, first_id=11)
    series("30 32", supplier=3, first_id=21)
    named(1, "Zenith Castings", "SUP-00001")
    named(2, "acme", "SUP-00002")


def _options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select[^>]*id="trend-supplier"[^>]*>(.*?)</select>', html, re.S)
    assert select
    return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select.group(1))


def test_the_trend_supplier_select_shows_names_sorted_with_ids_as_values(
    signed_in, measured
) -> None:
    html = page(signed_in, item=7, characteristic="Diameter")
    assert _options(html) == [
        ("", "All suppliers"),
        ("2", "acme"),
        ("1", "Zenith Castings"),
        ("3", "Supplier 3"),
    ]


def test_the_trend_points_and_subject_name_the_supplier(signed_in, measured) -> None:
    html = page(signed_in, item=7, characteristic="Diameter", supplier=1)
    assert table_ids(html) == [1, 2]
    assert "item 7 · Zenith Castings (SUP-00001)" in html
    assert '<option value="1" selected>Zenith Castings</option>' in html
    assert html.count('<td title="SUP-00001">Zenith Castings</td>') == 2
    everyone = page(signed_in, item=7, characteristic="Diameter")
    assert everyone.count('<td title="SUP-00002">acme</td>') == 2
    assert everyone.count("<td>Supplier 3</td>") == 2


def test_no_points_names_the_supplier_asked_for(signed_in, measured) -> None:
    named(9, "Quiet Supplier")
    html = page(signed_in, item=7, characteristic="Diameter", supplier=9)
    assert 'data-testid="no-points"' in html and "from Quiet Supplier." in html


def test_a_limited_user_does_not_learn_the_name_of_a_supplier_not_theirs(client, measured) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[1]))
    html = page(client, item=7, characteristic="Diameter", supplier=2)
    assert "acme" not in html
    assert "from Supplier 2." in html
    assert _options(html) == [("", "All suppliers"), ("1", "Zenith Castings")]


def test_the_trend_form_picks_item_and_supplier_by_name(signed_in, measured) -> None:
    html = page(signed_in)
    assert re.search(r'<select name="item"[^>]* data-picker="/names/items/"', html)
    assert re.search(r'<select name="supplier"[^>]* data-picker="/names/suppliers/"', html)
    assert 'type="number"' not in html
    Item.objects.create(coupa_id=7, name="Bracket M8", fetched_at=timezone.now())
    # Sent back with an error (no characteristic): the choices come back by name.
    html = page(signed_in, item=7, supplier=1)
    assert 'data-testid="error-characteristic"' in html
    assert '<option value="7" selected>Bracket M8</option>' in html
    assert '<option value="1" selected>Zenith Castings</option>' in html
    html = page(signed_in, item=8, supplier=3)
    assert '<option value="8" selected>Item 8</option>' in html
    assert '<option value="3" selected>Supplier 3</option>' in html


def test_the_trend_form_does_not_name_a_supplier_the_user_does_not_see(client, measured) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[1]))
    html = page(client, item=7, supplier=2)
    assert '<option value="2" selected>Supplier 2</option>' in html and "acme" not in html
