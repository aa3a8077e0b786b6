"""Migration 0005 gives every role the supplier scorecards (`view_supplier_performance`), and a
user signed in before it gets them on their next request: a migration sends no signals, so it
renews the access stamps itself."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from qualityhub.accounts.models import AccessStamp
from tests.conftest import make_user

BEFORE = [("accounts", "0004_request_count")]


def migrate(target=None) -> None:
    """To `target`, or (None) forward to every app's latest migration: going back to 0004 also
    unapplied what depends on it (0006, savedviews), which the tests after this one need."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def holders() -> set[str]:
    return set(
        Group.objects.filter(permissions__codename="view_supplier_performance").values_list(
            "name", flat=True
        )
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_role_the_scorecards_and_renews_access(client) -> None:
    buyer = make_user("marco", "Buyer")
    client.force_login(buyer)
    try:
        migrate(BEFORE)
        assert holders() == set()
        assert Permission.objects.get(codename="view_insight").name == (
            "See the overview and the supplier scorecards"
        )
        assert client.get("/suppliers/").status_code == 403
        stamp = AccessStamp.objects.get(user=buyer).token
    finally:
        migrate()
    assert holders() == {"Quality engineer", "Buyer", "Manager"}
    assert Permission.objects.get(codename="view_insight").name == "See the overview"
    assert AccessStamp.objects.get(user=buyer).token != stamp
    assert client.get("/suppliers/").status_code == 200
