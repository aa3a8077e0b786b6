"""The name pickers' answers (`/names/<kind>/?q=`): what matches, in what order, how many, and
for whom."""

from __future__ import annotations

import pytest
from django.utils import timezone

from qualityhub.directory.models import Item, Person, Supplier, Unit
from qualityhub.inspections.models import Inspection
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _answer(client, kind: str, q: str) -> list[dict]:
    response = client.get(f"/names/{kind}/", {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


@pytest.fixture
def directory(db) -> None:
    now = timezone.now()
    for coupa_id, name, display, number in (
        (8, "Northwind Polymers Ltd", "Northwind Polymers", "SUP-0008"),
        (3, "Acme Fasteners", "", "SUP-0003"),
        (12, "Southnorth Metals", "", "NORTH-1"),
        (15, "Zeta Coatings", "", "SUP-0015"),
    ):
        Supplier.objects.create(
            coupa_id=coupa_id, name=name, display_name=display, number=number, fetched_at=now
        )
    Person.objects.create(coupa_id=10, full_name="Ada Okoro", login="aokoro", fetched_at=now)
    Person.objects.create(coupa_id=11, full_name="Karl Ada", login="kada", fetched_at=now)
    Unit.objects.create(coupa_id=4, code="kg", name="Kilogram", fetched_at=now)
    Unit.objects.create(coupa_id=5, code="g", name="Gram", fetched_at=now)
    Item.objects.create(coupa_id=40, name="Bolt M8", number="IT-40", fetched_at=now)
    Item.objects.create(coupa_id=41, name="Nut M8", number="IT-41", fetched_at=now)
    for coupa_id, supplier_id, item_id in ((1, 8, 40), (2, 3, 41)):
        Inspection.objects.create(
            coupa_id=coupa_id, supplier_id=supplier_id, item_id=item_id, due_date=now
        )


def test_suppliers_match_name_display_name_and_number_prefix_first(signed_in, directory) -> None:
    results = _answer(signed_in, "suppliers", "north")
    # Names starting with the text first, then names or numbers containing it.
    assert results == [
        {"value": 8, "text": "Northwind Polymers", "detail": "SUP-0008"},
        {"value": 12, "text": "Southnorth Metals", "detail": "NORTH-1"},
    ]


def test_an_exact_supplier_number_comes_first(signed_in, directory) -> None:
    assert [r["value"] for r in _answer(signed_in, "suppliers", "sup-0015")] == [15]
    assert [r["value"] for r in _answer(signed_in, "suppliers", "SUP-00")] == [3, 8, 15]


def test_an_empty_query_lists_suppliers_alphabetically(signed_in, directory) -> None:
    assert [r["text"] for r in _answer(signed_in, "suppliers", "")] == [
        "Acme Fasteners",
        "Northwind Polymers",
        "Southnorth Metals",
        "Zeta Coatings",
    ]


def test_at_most_twenty_answers(signed_in, directory) -> None:
    now = timezone.now()
    Supplier.objects.bulk_create(
        Supplier(coupa_id=100 + n, name=f"Many {n:02}", fetched_at=now) for n in range(30)
    )
    assert len(_answer(signed_in, "suppliers", "many")) == 20


def test_an_id_without_a_name_is_still_found_when_inspections_carry_it(
    signed_in, directory
) -> None:
    Inspection.objects.create(coupa_id=3, supplier_id=77, item_id=99, due_date=timezone.now())
    assert _answer(signed_in, "suppliers", "77") == [
        {"value": 77, "text": "Supplier 77", "detail": ""}
    ]
    assert _answer(signed_in, "items", "99") == [{"value": 99, "text": "Item 99", "detail": ""}]


def test_a_typed_id_without_a_name_can_be_chosen(signed_in, directory) -> None:
    """Without names (a missing scope, COUPA_NAMES off, a young cache) a new inspection still
    needs a supplier, item, unit and requester: a typed id is offered as itself."""
    assert _answer(signed_in, "suppliers", "78") == [
        {"value": 78, "text": "Supplier 78", "detail": ""}
    ]
    assert _answer(signed_in, "items", "98") == [{"value": 98, "text": "Item 98", "detail": ""}]
    assert _answer(signed_in, "people", "508") == [{"value": 508, "text": "User 508", "detail": ""}]
    assert _answer(signed_in, "units", "9") == [{"value": 9, "text": "unit 9", "detail": ""}]
    # A known id is offered once, by its name.
    assert [r["text"] for r in _answer(signed_in, "units", "4")] == ["kg"]


def test_items_people_and_units(signed_in, directory) -> None:
    assert [r["value"] for r in _answer(signed_in, "items", "m8")] == [40, 41]
    assert [r["value"] for r in _answer(signed_in, "items", "IT-41")] == [41]
    assert [r["text"] for r in _answer(signed_in, "people", "ada")] == ["Ada Okoro", "Karl Ada"]
    assert _answer(signed_in, "people", "kada") == [
        {"value": 11, "text": "Karl Ada", "detail": "kada"}
    ]
    assert _answer(signed_in, "units", "g") == [
        {"value": 5, "text": "g", "detail": "Gram"},
        {"value": 4, "text": "kg", "detail": "Kilogram"},
    ]


@pytest.mark.parametrize(
    "q", ["x" * 10_000, "\x00north", "%", "_", "\\", "' OR 1=1 --", "٣", "9" * 40, "  north  "]
)
def test_any_text_is_an_answer_never_an_error(signed_in, directory, q) -> None:
    results = _answer(signed_in, "suppliers", q)
    assert isinstance(results, list)
    if q.strip(" \x00") == "north":
        assert [r["value"] for r in results] == [8, 12]
    if q in ("%", "_"):
        assert results == []  # a wildcard is a character, not a pattern


def test_a_limited_buyer_finds_only_their_suppliers_and_items(client, directory) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[3]))
    assert [r["value"] for r in _answer(client, "suppliers", "")] == [3]
    assert [r["value"] for r in _answer(client, "items", "m8")] == [41]
    assert _answer(client, "suppliers", "8") == []
    assert _answer(client, "suppliers", "78") == []  # not one of theirs, named or not
    assert _answer(client, "items", "98") == []  # no inspection of theirs has it


def test_the_pickers_need_a_signed_in_user(client, db) -> None:
    response = client.get("/names/suppliers/?q=a")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_someone_without_a_role_gets_nothing(client, directory) -> None:
    client.force_login(make_user("otto", None))
    assert client.get("/names/suppliers/?q=north").status_code == 403
