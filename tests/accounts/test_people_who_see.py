"""`people_who_see` (SQL, for pickers) and `access_for` (per request) are one rule: for every
kind of user, both say the same about every supplier."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from qualityhub.accounts.access import access_for, people_who_see
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SUPPLIERS = (5, 6, 7)


def test_the_sql_rule_and_the_access_rule_agree() -> None:
    people = [
        make_user("engineer", "Quality engineer"),
        make_user("buyer", "Buyer"),
        make_user("limited", "Buyer", suppliers=[5]),
        make_user("two", "Manager", suppliers=[5, 6]),
        make_user("outsider", None),
        make_user("direct", None),
        make_user("direct-limited", None, suppliers=[7]),
    ]
    gone = make_user("gone", "Quality engineer")
    gone.is_active = False
    gone.save()
    boss = make_user("boss", None)
    boss.is_superuser = True
    boss.save()
    browse = Permission.objects.get(codename="browse_inspections")
    for username in ("direct", "direct-limited"):
        next(p for p in people if p.username == username).user_permissions.add(browse)
    everyone = [*people, gone, boss]
    for supplier in SUPPLIERS:
        by_sql = set(people_who_see(supplier).values_list("username", flat=True))
        by_access = {
            user.username
            for user in everyone
            if access_for(user).allows("browse_inspections")
            and access_for(user).sees_supplier(supplier)
        }
        assert by_sql == by_access, supplier
    assert set(people_who_see(6).values_list("username", flat=True)) == {
        "engineer", "buyer", "two", "direct", "boss",
    }  # fmt: skip
