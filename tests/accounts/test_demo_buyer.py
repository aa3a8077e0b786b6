"""The demo's buyer is responsible for a handful of suppliers, so the demo shows a buyer's world.

`manage.py demo` runs `create_demo_users` without `--buyer-suppliers`: its default is what the
demo gets. The suppliers chosen must have plenty of inspections in the demo's data set.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from qualityhub.accounts.demo_users import DEMO_BUYER_SUPPLIERS
from qualityhub.accounts.models import SupplierAssignment
from qualityhub.demo.management.commands.demo import Command as DemoCommand
from qualityhub.sandbox.catalogue import SUPPLIER_IDS
from qualityhub.sandbox.cli import SandboxOptions
from qualityhub.sandbox.seeding import generate
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for, forget_synced_state


def demo_inspections() -> int:
    """How many inspections `manage.py demo` seeds its sandbox with."""
    return DemoCommand().create_parser("manage.py", "demo").parse_args([]).inspections


def assigned() -> list[int]:
    return sorted(
        SupplierAssignment.objects.filter(user__username="buyer").values_list(
            "supplier_id", flat=True
        )
    )


def create(*args: str) -> str:
    out = StringIO()
    call_command("create_demo_users", *args, force=True, stdout=out)
    return out.getvalue()


def test_the_demo_buyer_has_a_handful_of_sandbox_suppliers() -> None:
    assert 3 <= len(DEMO_BUYER_SUPPLIERS) <= 4
    assert len(set(DEMO_BUYER_SUPPLIERS)) == len(DEMO_BUYER_SUPPLIERS)
    assert set(DEMO_BUYER_SUPPLIERS) <= set(SUPPLIER_IDS)


def test_they_have_plenty_of_inspections_in_the_demo_data_set() -> None:
    count = demo_inspections()
    docs = generate(SandboxOptions().seed, count, date(2026, 12, 6)).docs
    per_supplier = Counter(doc["supplierId"] for doc in docs)
    average = count / len(SUPPLIER_IDS)
    for supplier in DEMO_BUYER_SUPPLIERS:
        assert per_supplier[supplier] >= average, supplier
    statuses = Counter(doc["status"] for doc in docs if doc["supplierId"] in DEMO_BUYER_SUPPLIERS)
    assert statuses["In Buyer Review"] >= 10  # the buyer's queue has work in it
    assert statuses["Closed"] >= 10


def test_create_demo_users_gives_the_buyer_the_demos_suppliers_by_default(db) -> None:
    printed = create()
    assert assigned() == sorted(DEMO_BUYER_SUPPLIERS)
    shown = ", ".join(map(str, DEMO_BUYER_SUPPLIERS))
    assert f"The buyer sees suppliers {shown} only." in printed
    create()  # again: the same, not twice
    assert assigned() == sorted(DEMO_BUYER_SUPPLIERS)


def test_other_suppliers_or_every_supplier_on_request(db) -> None:
    create("--buyer-suppliers", "3,8,3")
    assert assigned() == [3, 8]
    assert "The buyer sees every supplier." in create("--buyer-suppliers", "all")
    assert assigned() == []
    create()  # back to the demo's
    assert assigned() == sorted(DEMO_BUYER_SUPPLIERS)


@pytest.mark.parametrize("text", ["", "six", "6,x", "0", "-4", " , "])
def test_supplier_ids_that_are_not_ids_are_refused(db, text: str) -> None:
    with pytest.raises(CommandError, match="supplier ids"):
        create("--buyer-suppliers", text)
    assert not SupplierAssignment.objects.exists()


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's data set (seed 42, as many inspections as the demo starts with), synced."""
    from tests.sandbox_process import SandboxProcess

    server = SandboxProcess(
        tmp_path_factory.mktemp("demo-sandbox") / "sandbox.sqlite3",
        inspections=demo_inspections(),
    )
    with django_db_blocker.unblock():
        run_sync("full", client=client_for(server), attachments="skip")
    yield server
    server.stop()
    with django_db_blocker.unblock():
        forget_synced_state()


@override_settings(DEBUG=True)
def test_the_demo_buyer_sees_only_their_suppliers_inspections(client, db, demo_data) -> None:
    call_command("create_demo_users", stdout=StringIO())  # as `manage.py demo` does
    signed_in = client.post(
        "/accounts/login/", {"username": "buyer", "password": "buyer-demo-password"}
    )
    assert signed_in.status_code == 302
    content = b"".join(client.get("/inspections/export.csv").streaming_content).decode()
    rows = list(csv.DictReader(StringIO(content)))
    suppliers = Counter(int(row["supplier_id"]) for row in rows)
    assert set(suppliers) == set(DEMO_BUYER_SUPPLIERS)
    assert min(suppliers.values()) >= demo_inspections() / len(SUPPLIER_IDS)
    queue = client.get("/inspections/?status=In+Buyer+Review")
    assert queue.status_code == 200 and "data-inspection-id=" in queue.content.decode()
