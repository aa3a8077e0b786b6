"""Fixtures: one shared sandbox for read-mostly tests, fresh small ones for destructive tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .helpers import Client, running_server


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("sandbox") / "shared.sqlite3"
    with running_server(db, inspections=300) as server:
        yield server.url


@pytest.fixture
def api(shared_server: str) -> Iterator[Client]:
    """A client of the shared sandbox; runtime config and counters are restored afterwards."""
    api = Client(shared_server)
    yield api
    api.control("POST", "config/reset")
    api.control("POST", "requests/reset")


@pytest.fixture
def fresh(tmp_path) -> Iterator[Client]:
    """A client of a private, small sandbox (for tests that change data wholesale)."""
    with running_server(tmp_path / "fresh.sqlite3", inspections=40) as server:
        yield Client(server.url)
