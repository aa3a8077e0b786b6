from __future__ import annotations

import pytest

from qualityhub.sync.pull import run_sync
from tests.conftest import client_for, forget_synced_state


@pytest.fixture(scope="module")
def synced(django_db_setup, django_db_blocker, tmp_path_factory):
    """A module's worth of cached inspections: a private sandbox (300, seed 42) synced once."""
    from tests.sandbox_process import SandboxProcess

    server = SandboxProcess(tmp_path_factory.mktemp("web-sandbox") / "sandbox.sqlite3")
    with django_db_blocker.unblock():
        run_sync("full", client=client_for(server), attachments="skip")
    yield server
    server.stop()
    with django_db_blocker.unblock():
        forget_synced_state()
