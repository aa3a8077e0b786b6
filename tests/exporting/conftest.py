"""A small Coupa of our own (its flags change under these tests) and a cache filled from it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qualityhub.coupa import CoupaClient
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for, forget_synced_state
from tests.sandbox_process import SandboxProcess

INSPECTIONS = 40


@pytest.fixture(scope="module")
def coupa_server(tmp_path_factory) -> Iterator[SandboxProcess]:
    server = SandboxProcess(
        tmp_path_factory.mktemp("exporting-sandbox") / "sandbox.sqlite3",
        inspections=INSPECTIONS,
        quiet=True,
    )
    yield server
    server.stop()


@pytest.fixture
def coupa(coupa_server: SandboxProcess) -> Iterator[SandboxProcess]:
    """The module's sandbox with no faults configured, and none left behind."""
    coupa_server.reset_config()
    yield coupa_server
    coupa_server.reset_config()


@pytest.fixture(scope="module")
def cached(django_db_setup, django_db_blocker, coupa_server) -> Iterator[SandboxProcess]:
    """The cache synced once for a module of (rolled back) tests."""
    with django_db_blocker.unblock():
        run_sync("full", client=client_for(coupa_server), attachments="skip")
    yield coupa_server
    with django_db_blocker.unblock():
        forget_synced_state()


@pytest.fixture
def coupa_client(coupa: SandboxProcess) -> Iterator[CoupaClient]:
    client = client_for(coupa, max_attempts=2)
    yield client
    client.close()
