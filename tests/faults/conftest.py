"""The fault tests' toolbox: waiting for a condition with a deadline, a snapshot of the cache to
compare a disturbed run with an undisturbed one, and a private Redis server that a test may stop
and start again (the CI's shared Redis is never disturbed)."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kombu.pools
import pytest
from celery.signals import before_task_publish
from django.conf import settings

from qualityhub.analytics.models import StageStay
from qualityhub.attachments.models import Attachment
from qualityhub.celery import app
from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit
from qualityhub.sync.models import SyncCursor, SyncRun
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for, forget_synced_state
from tests.sandbox_process import SandboxProcess, stop_process

# Written by us on every run, not by Coupa: left out when two runs are compared.
VOLATILE = {"synced_at", "last_seen_run"}


def wait_until(
    condition: Callable[[], Any], timeout: float, what: str, log: Callable[[], str] | None = None
) -> Any:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            detail = f"; worker log:\n{log()[-6000:]}" if log else ""
            raise AssertionError(f"{what} did not happen within {timeout} s{detail}")
        time.sleep(0.2)


def cache_snapshot() -> dict[str, list]:
    """Everything a sync writes, as comparable lists (rows without identity as sorted tuples,
    so a duplicate limit or choice shows)."""

    def rows(model, order: str) -> list[dict]:
        return [
            {k: v for k, v in row.items() if k not in VOLATILE}
            for row in model.objects.order_by(order).values()
        ]

    def keyless(model) -> list[tuple]:
        return sorted(
            tuple((k, str(v)) for k, v in sorted(row.items()) if k != "id")
            for row in model.objects.values()
        )

    return {
        "inspections": rows(Inspection, "coupa_id"),
        "characteristics": rows(Characteristic, "coupa_id"),
        "limits": keyless(Limit),
        "choices": keyless(ChoiceValue),
        "attachments": keyless(Attachment),
        "stage_stays": keyless(StageStay),
        "cursor": list(SyncCursor.objects.values_list("name", "modified_since")),
    }


def attach_files(server: SandboxProcess, inspection_ids: list[int]) -> None:
    """Put a header and a line attachment on each inspection in Coupa."""
    client = client_for(server)
    try:
        for inspection_id in inspection_ids:
            line = client.get_inspection(inspection_id).characteristics[0]
            for characteristic_id in (None, line.id):
                client.upload_attachment(
                    inspection_id,
                    io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
                    f"CoA-{inspection_id}-{characteristic_id}.pdf",
                    "application/pdf",
                    characteristic_id=characteristic_id,
                )
    finally:
        client.close()


# --- a world to sync: 150 inspections (three full pages), files on some --------------------

INSPECTIONS = 150
SLOW_MS = 400  # per sandbox request while a run is to be disturbed: its pages take seconds


@pytest.fixture
def coupa_with_files(make_sandbox) -> SandboxProcess:
    server = make_sandbox(inspections=INSPECTIONS)
    attach_files(server, [2, 75, 140])  # one inspection on each page
    return server


@pytest.fixture
def undisturbed(coupa_with_files) -> dict:
    """What an uninterrupted full sync leaves in the cache; the cache is emptied again."""
    client = client_for(coupa_with_files)
    try:
        run = run_sync("full", client=client, attachments="inline")
    finally:
        client.close()
    assert run.outcome == "succeeded" and Attachment.objects.count() == 6
    snapshot = cache_snapshot()
    forget_synced_state()  # attachments go with their inspections
    return snapshot


def running_sync(pages: int) -> SyncRun | None:
    """The sync under way once it has committed `pages` pages."""
    return SyncRun.objects.filter(outcome="running", pages__gte=pages).first()


def purge_queue() -> None:
    """Drop tasks another test left queued on the configured broker, so this test's worker
    runs only what this test sends."""
    app.control.purge()


@pytest.fixture(autouse=True)
def _leave_no_tasks_behind(request: pytest.FixtureRequest) -> Iterator[None]:
    """A stopped worker gives its unfinished tasks back to the queue: drop them, so no later
    test's worker runs them against its own data."""
    yield
    if request.node.get_closest_marker("celery_worker"):
        purge_queue()


def settled_like(undisturbed: dict) -> Callable[[], bool]:
    """A cheap check first (every file is in), the full comparison only then."""
    files = len(undisturbed["attachments"])
    return lambda: Attachment.objects.count() >= files and cache_snapshot() == undisturbed


# --- a Redis server of our own --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """`redis-server` on a free loopback port, stopped and started again by the test.

    `persistent`: an append-only file fsynced on every write (what a broker must have to keep
    its queues across a restart); otherwise a restart empties it, as the CI's Redis would.
    """

    def __init__(self, directory: Path, *, persistent: bool) -> None:
        self.directory = directory
        self.persistent = persistent
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = directory / "redis.log"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else []
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
            + (persistence or ["--appendonly", "no"])
            + ["--dir", str(self.directory), "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.answers, 10, f"redis-server on port {self.port}", self.read_log)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """A clean shutdown (SIGTERM: Redis flushes its append-only file and exits)."""
        if self.process:
            stop_process(self.process)

    def read_log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[Callable[..., RedisServer]]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (apt-get install redis-server) for a Redis of its own")
    started: list[RedisServer] = []

    def start(*, persistent: bool) -> RedisServer:
        directory = tmp_path / f"redis-{len(started)}"
        directory.mkdir()
        server = RedisServer(directory, persistent=persistent)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@contextmanager
def publishing_to(url: str, **transport_options: Any) -> Iterator[None]:
    """This process's Celery app sends tasks to `url` until the block ends (the pools it keeps
    are dropped on the way in and out, so no connection to the other broker is reused)."""
    # Celery reads $CELERY_BROKER_URL before its own setting, so both are switched.
    saved = os.environ.get("CELERY_BROKER_URL"), app.conf.broker_transport_options
    os.environ["CELERY_BROKER_URL"] = app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options
    _drop_pools()
    try:
        yield
    finally:
        if saved[0] is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved[0]
        app.conf.broker_url = settings.CELERY_BROKER_URL
        app.conf.broker_transport_options = saved[1]
        _drop_pools()


def _drop_pools() -> None:
    # Celery takes its connection and producer pools from kombu's registry (one per broker):
    # empty it, so the next task sent connects to the broker configured now.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def published():
    """The names of the tasks this process hands to the broker (Celery's own signal)."""
    names: list[str] = []

    def note(sender=None, headers=None, **_):
        names.append(headers["task"])

    before_task_publish.connect(note, weak=False)
    yield names
    before_task_publish.disconnect(note)


def synced_sandbox(make_sandbox, inspections: int) -> SandboxProcess:
    """A sandbox with `inspections`, all of them already synced into the cache."""
    server = make_sandbox(inspections=inspections)
    client = client_for(server)
    assert run_sync("full", client=client, attachments="skip").outcome == "succeeded"
    client.close()
    return server
