from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from qualityhub.coupa import CoupaClient
from tests.hostile_coupa import HostileCoupa
from tests.sandbox_process import CLIENT_ID, CLIENT_SECRET, SandboxProcess

DATA_DIR = Path(__file__).parent / "data"


def load_example(name: str) -> Any:
    """One of the spec's example payloads, numbers as exact Decimals."""
    return json.loads((DATA_DIR / name).read_text(), parse_float=Decimal)


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """One sandbox for the session, seeded with 300 inspections (seed 42)."""
    server = SandboxProcess(tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3")
    yield server
    server.stop()


@pytest.fixture
def coupa(sandbox: SandboxProcess) -> Iterator[SandboxProcess]:
    """The shared sandbox with its fault settings and request counters reset for this test."""
    sandbox.reset_config()
    sandbox.reset_request_count()
    yield sandbox
    sandbox.reset_config()


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[Any]:
    """A private sandbox for tests that need their own data set or start-up options."""
    started: list[SandboxProcess] = []

    def start(**options: Any) -> SandboxProcess:
        server = SandboxProcess(tmp_path / f"sandbox-{len(started)}.sqlite3", **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def small_coupa(make_sandbox) -> SandboxProcess:
    """A private sandbox of 120 inspections, for tests that sync it and move it upstream."""
    return make_sandbox(inspections=120)


@pytest.fixture
def hostile() -> Iterator[HostileCoupa]:
    """A Coupa that answers as each test tells it: dripping, padded, or not whole
    (tests/hostile_coupa.py). The security tests' `hostile` is their hostile world instead."""
    server = HostileCoupa()
    yield server
    server.stop()


def client_for(server: SandboxProcess, **options: Any) -> CoupaClient:
    options.setdefault("backoff_base", 0.01)
    options.setdefault("backoff_cap", 0.05)
    return CoupaClient(server.url, CLIENT_ID, CLIENT_SECRET, **options)


@pytest.fixture(params=["seed", "v1"])
def api_style(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def coupa_client(coupa: SandboxProcess, api_style: str) -> Iterator[CoupaClient]:
    coupa_client = client_for(coupa, api_style=api_style)
    yield coupa_client
    coupa_client.close()


def forget_synced_state() -> None:
    """Empty what a module-scoped sync committed outside the per-test transactions, so the
    next module starts from an empty cache (no cursor, lock, runs, audit events, notifications
    or names left over)."""
    from qualityhub.analytics.models import Snapshot, StageStay
    from qualityhub.audit.models import AuditEvent
    from qualityhub.directory.models import Item, Person, Supplier, Unit, Unresolved
    from qualityhub.inspections.models import Inspection
    from qualityhub.notifications.models import Event, OutgoingMail
    from qualityhub.sync.models import SyncCursor, SyncLock, SyncRun

    for model in (Inspection, SyncRun, SyncCursor, SyncLock, AuditEvent, StageStay, Snapshot):
        model.objects.all().delete()
    # The notifications of what the sync saw (their events' rows go with them).
    for model in (Event, OutgoingMail):
        model.objects.all().delete()
    # The names the sync resolved from the sandbox's Core API.
    for model in (Supplier, Person, Unit, Item, Unresolved):
        model.objects.all().delete()


def make_user(username: str, role: str | None, *, password: str | None = None, suppliers=()):
    """A user in one role's group (None: no role at all), optionally limited to suppliers.
    No password unless asked for: force_login needs none, and hashing one costs most of a second
    (the browser and sign-in tests make their own)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from qualityhub.accounts.models import SupplierAssignment

    user = get_user_model().objects.create_user(username, password=password)
    if role:
        user.groups.add(Group.objects.get(name=role))
    for supplier_id in suppliers:
        SupplierAssignment.objects.create(user=user, supplier_id=supplier_id)
    return user


@pytest.fixture
def engineer(db):
    """Priya, the quality engineer: may do everything."""
    return make_user("priya", "Quality engineer")


@pytest.fixture
def buyer(db):
    """Marco, a buyer responsible for every supplier (no assignments)."""
    return make_user("marco", "Buyer")


@pytest.fixture
def manager(db):
    """Grace, the quality manager: reads everything, sees the overview and scorecards."""
    return make_user("grace", "Manager")


@pytest.fixture
def outsider(db):
    """Signed in, but in no role: may see nothing."""
    return make_user("otto", None)


@pytest.fixture
def signed_in(client, engineer):
    """Django's test client, signed in as the engineer."""
    client.force_login(engineer)
    return client
