"""What each role sees and may do, beyond the status codes of the role matrix."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from qualityhub.accounts.models import SupplierAssignment
from qualityhub.accounts.roles import ROLE_PERMISSIONS
from qualityhub.inspections.models import Characteristic, Inspection
from tests.conftest import make_user


@pytest.fixture
def inspections(db):
    due = timezone.now() + timedelta(days=3)
    for coupa_id, supplier in ((1, 10), (2, 10), (3, 20)):
        inspection = Inspection.objects.create(
            coupa_id=coupa_id, supplier_id=supplier, status="Closed", due_date=due
        )
        Characteristic.objects.create(
            coupa_id=coupa_id * 10, inspection=inspection, name=f"Length {coupa_id}"
        )


def test_the_migration_makes_the_three_roles_with_their_permissions(db) -> None:
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        assert set(group.permissions.values_list("codename", flat=True)) == set(codenames)


def test_taking_a_role_away_applies_to_the_next_request(client, db, inspections) -> None:
    user = make_user("marco", "Buyer")
    client.force_login(user)
    assert client.get("/inspections/1/").status_code == 200
    user.groups.clear()
    assert client.get("/inspections/1/").status_code == 403


def test_changing_a_groups_permissions_applies_to_its_members(client, db, inspections) -> None:
    user = make_user("grace", "Manager")
    client.force_login(user)
    assert client.get("/suppliers/").status_code == 200
    Group.objects.get(name="Manager").permissions.clear()
    assert client.get("/suppliers/").status_code == 403


def test_deleting_a_role_applies_to_its_members_at_once(client, db, inspections) -> None:
    user = make_user("jonas", "Buyer")
    client.force_login(user)
    assert client.get("/inspections/1/").status_code == 200
    Group.objects.get(name="Buyer").delete()  # removes the memberships without m2m signals
    assert client.get("/inspections/1/").status_code == 403


def test_a_buyer_limited_to_suppliers_sees_only_theirs(client, db, inspections) -> None:
    client.force_login(make_user("lena", "Buyer", suppliers=[20]))
    listed = client.get("/inspections/").content.decode()
    assert 'data-inspection-id="3"' in listed and 'data-inspection-id="1"' not in listed
    csv = b"".join(client.get("/inspections/export.csv").streaming_content).decode()
    assert [line.split(",")[0] for line in csv.splitlines()[1:]] == ["3"]
    results = client.get("/results/").content.decode()
    assert "Length 3" in results and "Length 1" not in results
    assert client.get("/inspections/1/").status_code == 404
    assert client.get("/inspections/3/").status_code == 200


def test_assigning_a_supplier_limits_a_buyer_at_once(client, db, inspections) -> None:
    user = make_user("marco", "Buyer")
    client.force_login(user)
    assert client.get("/inspections/1/").status_code == 200
    SupplierAssignment.objects.create(user=user, supplier_id=20)
    assert client.get("/inspections/1/").status_code == 404


def _buttons(page: str) -> set[str]:
    testids = (
        "refresh", "export-toggle", "attachment-upload", "new-inspection", "import-inspections",
        "bulk-bar", "sync-now",
    )  # fmt: skip
    return {testid for testid in testids if f'data-testid="{testid}"' in page}


def _pages(client) -> str:
    detail = client.get("/inspections/1/").content.decode()
    listed = client.get("/inspections/").content.decode()
    sync = client.get("/sync/").content.decode()
    # The exported controls load themselves by htmx: ask for them as the page would.
    exported = client.get("/inspections/1/exported/", headers={"HX-Request": "true"})
    return detail + listed + sync + exported.content.decode()


@pytest.mark.parametrize(
    ("role", "buttons"),
    [
        (
            "Quality engineer",
            {
                "refresh", "export-toggle", "attachment-upload", "new-inspection",
                "import-inspections", "bulk-bar", "sync-now",
            },
        ),
        # Every reader has the bulk bar: a PDF of the ticked inspections.
        ("Buyer", {"refresh", "attachment-upload", "bulk-bar"}),
        ("Manager", {"bulk-bar"}),
    ],
)  # fmt: skip
def test_each_role_sees_only_the_buttons_it_may_use(client, db, inspections, role, buttons):
    client.force_login(make_user("someone", role))
    assert _buttons(_pages(client)) == buttons


EVERY_LINK = ["Overview", "Inspections", "Results", "Suppliers", "Trends", "Sync status"]


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("Quality engineer", EVERY_LINK),
        ("Buyer", ["Inspections", "Results", "Suppliers", "Trends", "Sync status"]),
        ("Manager", EVERY_LINK),
    ],
)  # fmt: skip
def test_the_navigation_offers_what_the_role_may_open(client, db, inspections, role, links):
    client.force_login(make_user("someone", role))
    page = client.get("/inspections/").content.decode()
    nav = page[page.index('data-testid="main-nav"') : page.index("</ul>", page.index("main-nav"))]
    assert [text.split("<")[0] for text in nav.split('">')[1:] if "</a>" in text] == links


def test_someone_without_a_role_is_told_so(client, db) -> None:
    client.force_login(make_user("otto", None))
    response = client.get("/inspections/")
    assert response.status_code == 403
    assert "no role in QualityHub" in response.content.decode()


def test_a_buyer_opening_the_overview_lands_in_their_review_queue(client, db) -> None:
    client.force_login(make_user("marco", "Buyer"))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/inspections/?status=In+Buyer+Review&sort=due_date"


@override_settings(DEBUG=True)
def test_create_demo_users_makes_one_user_per_role_and_prints_them(client, db) -> None:
    out = StringIO()
    call_command("create_demo_users", "--buyer-suppliers", "20", stdout=out)
    call_command("create_demo_users", "--buyer-suppliers", "20", stdout=StringIO())  # again: fine
    printed = out.getvalue()
    for username, role in (
        ("engineer", "Quality engineer"),
        ("buyer", "Buyer"),
        ("manager", "Manager"),
    ):
        assert f"{username}-demo-password" in printed and role in printed
        signed_in = client.post(
            "/accounts/login/", {"username": username, "password": f"{username}-demo-password"}
        )
        assert signed_in.status_code == 302
        assert list(
            Group.objects.filter(user__username=username).values_list("name", flat=True)
        ) == [role]
    assert list(SupplierAssignment.objects.values_list("user__username", "supplier_id")) == [
        ("buyer", 20)
    ]


def test_create_demo_users_refuses_without_debug(db) -> None:
    with pytest.raises(CommandError, match="--force"):
        call_command("create_demo_users", stdout=StringIO())
