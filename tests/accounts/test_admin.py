"""The administrator assigns suppliers to buyers by name, through Django's admin as a superuser;
with no names in the directory, by Coupa's id."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from qualityhub.accounts.access import access_for
from qualityhub.accounts.models import SupplierAssignment
from qualityhub.directory.models import Supplier
from tests.conftest import make_user

ADD = "/admin/accounts/supplierassignment/add/"
LIST = "/admin/accounts/supplierassignment/"


@pytest.fixture
def suppliers(db) -> None:
    now = timezone.now()
    Supplier.objects.bulk_create(
        [
            Supplier(coupa_id=1, name="Northwind Polymers Ltd", display_name="Northwind Polymers",
                     number="SUP-00001", fetched_at=now),
            Supplier(coupa_id=4, name="Zhejiang Hengda Packaging Co., Ltd.",
                     display_name="Hengda Packaging (Zhejiang)", number="SUP-00004",
                     fetched_at=now),
            Supplier(coupa_id=9, name="Nordic Seals AB", fetched_at=now),
        ]
    )  # fmt: skip


def _options(page: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select named {name}"
    return re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select[1])


def _errors(page: str) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', page)


def test_the_administrator_picks_a_buyers_supplier_by_name(admin_client, suppliers) -> None:
    marco = make_user("marco", "Buyer")
    page = admin_client.get(ADD).content.decode()
    assert _options(page, "supplier") == [
        ("", "---------"),
        ("9", "Nordic Seals AB"),
        ("1", "Northwind Polymers (SUP-00001)"),
        ("4", "Hengda Packaging (Zhejiang) (SUP-00004)"),
    ]

    response = admin_client.post(ADD, {"user": marco.pk, "supplier": "4", "coupa_id": ""})

    assert response.status_code == 302, _errors(response.content.decode())
    assert list(SupplierAssignment.objects.values_list("user", "supplier_id")) == [(marco.pk, 4)]
    marco.refresh_from_db()
    assert access_for(marco).supplier_ids == frozenset({4})


def test_the_list_shows_suppliers_by_name_and_finds_them_by_name(admin_client, suppliers):
    marco, ines = make_user("marco", "Buyer"), make_user("ines", "Buyer")
    for user, supplier_id in ((marco, 4), (ines, 1), (ines, 77)):
        SupplierAssignment.objects.create(user=user, supplier_id=supplier_id)

    page = admin_client.get(LIST).content.decode()
    assert "Hengda Packaging (Zhejiang) (SUP-00004)" in page
    assert "Northwind Polymers (SUP-00001)" in page
    assert "Supplier 77" in page  # the directory has no name for it

    found = admin_client.get(LIST, {"q": "hengda"}).content.decode()
    assert "Hengda Packaging" in found and "Northwind" not in found
    by_number = admin_client.get(LIST, {"q": "sup-00001"}).content.decode()
    assert "Northwind" in by_number and "Hengda" not in by_number
    by_user = admin_client.get(LIST, {"q": "ines"}).content.decode()
    assert "Northwind" in by_user and "Supplier 77" in by_user and "Hengda" not in by_user
    sorted_page = admin_client.get(LIST, {"o": "2"}).content.decode()
    assert sorted_page.index("Hengda") < sorted_page.index("Northwind")


def test_a_supplier_without_a_name_is_assigned_by_its_id(admin_client, suppliers) -> None:
    marco = make_user("marco", "Buyer")
    response = admin_client.post(ADD, {"user": marco.pk, "supplier": "", "coupa_id": "77"})
    assert response.status_code == 302, _errors(response.content.decode())
    assignment = SupplierAssignment.objects.get()
    assert assignment.supplier_id == 77

    page = admin_client.get(f"{LIST}{assignment.pk}/change/").content.decode()
    assert ("77", "Supplier 77") in _options(page, "supplier")
    assert re.search(r'<option value="77" selected>Supplier 77</option>', page)


def test_the_admin_works_with_an_empty_directory(admin_client, db) -> None:
    marco = make_user("marco", "Buyer")
    page = admin_client.get(ADD).content.decode()
    assert '<select name="supplier"' not in page
    assert "QualityHub knows no supplier names yet" in page

    response = admin_client.post(ADD, {"user": marco.pk, "coupa_id": "8"})
    assert response.status_code == 302, _errors(response.content.decode())
    assert SupplierAssignment.objects.get().supplier_id == 8
    assert "Supplier 8" in admin_client.get(LIST).content.decode()
    change = admin_client.get(f"{LIST}{SupplierAssignment.objects.get().pk}/change/")
    assert re.search(r'name="coupa_id" value="8"', change.content.decode())


@pytest.mark.parametrize(
    ("supplier", "coupa_id", "error"),
    [
        ("", "", "Choose a supplier."),
        ("1", "4", "Choose a supplier by name or type its id, not both."),
        ("1", "", "marco is already responsible for Northwind Polymers."),
        ("", "1", "marco is already responsible for Northwind Polymers."),
        ("555", "", "Select a valid choice. 555 is not one of the available choices."),
        ("", "0", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_a_supplier_that_cannot_be_assigned_is_refused_with_a_reason(
    admin_client, suppliers, supplier, coupa_id, error
) -> None:
    marco = make_user("marco", "Buyer", suppliers=[1])
    response = admin_client.post(
        ADD, {"user": marco.pk, "supplier": supplier, "coupa_id": coupa_id}
    )
    assert response.status_code == 200
    assert _errors(response.content.decode()) == [error]
    assert SupplierAssignment.objects.count() == 1


def test_hostile_supplier_names_are_escaped_in_the_admin(admin_client, db) -> None:
    name = 'Müller & "Söhne" <script>alert(1)</script>'
    Supplier.objects.create(coupa_id=3, name=name, number="<b>3</b>", fetched_at=timezone.now())
    SupplierAssignment.objects.create(user=make_user("marco", "Buyer"), supplier_id=3)
    for url in (ADD, LIST, f"{LIST}{SupplierAssignment.objects.get().pk}/change/"):
        page = admin_client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<b>3</b>" not in page, url
        assert "Müller &amp; &quot;Söhne&quot; &lt;script&gt;alert(1)&lt;/script&gt;" in page, url
