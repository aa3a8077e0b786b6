"""`page_names`: a page's supplier, people and unit named in one query, unknown ids by fallback,
the same names as the one-kind lookups give."""

from __future__ import annotations

import pytest
from django.utils import timezone

from qualityhub.directory.models import Person, Supplier, Unit
from qualityhub.directory.names import page_names, person_names, supplier_names, unit_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory() -> None:
    now = timezone.now()
    Supplier.objects.create(
        coupa_id=8, name="Müller & Söhne GmbH", display_name='Müller "&" Söhne', number="SUP-8",
        fetched_at=now,
    )  # fmt: skip
    Person.objects.create(coupa_id=10, full_name="", login="l.moreau", fetched_at=now)
    Person.objects.create(coupa_id=11, full_name="Daniel Okonkwo", login="d.o", fetched_at=now)
    Unit.objects.create(coupa_id=2, code="KG", name="Kilogram", fetched_at=now)


def test_one_query_names_every_kind_as_the_one_kind_lookups_do(
    directory, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        names = page_names(suppliers=[8, 9], people=[10, 11, 12, None], units=[2, 3])
    assert names.suppliers == supplier_names([8, 9])
    assert names.people == person_names([10, 11, 12])
    assert names.units == unit_names([2, 3])
    assert names.suppliers[8].text == 'Müller "&" Söhne' and names.suppliers[8].detail == "SUP-8"
    assert names.people[10].text == "l.moreau"  # no full name: the login
    assert (names.suppliers[9].text, names.suppliers[9].known) == ("Supplier 9", False)
    assert names.units[3].text == "unit 3"


def test_no_ids_no_query(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        names = page_names(people=[None])
    assert (names.suppliers, names.people, names.units) == ({}, {}, {})


def test_a_kind_without_ids_is_left_out_of_the_query(directory) -> None:
    names = page_names(units=[2])
    assert names.units[2].text == "KG" and names.suppliers == {}
