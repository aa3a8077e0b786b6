"""Both entry points as real processes: `python -m qualityhub.sandbox` and `manage.py`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qualityhub.sandbox.cli import SandboxOptions, build_parser
from qualityhub.sandbox.management.commands.coupa_sandbox import Command

from .helpers import SEED, Client

ROOT = Path(__file__).resolve().parents[2]
FIRST_LINE = re.compile(r"Coupa sandbox listening on http://127\.0\.0\.1:(\d+)\n\Z")


@contextmanager
def sandbox_process(*args: str, manage: bool = False) -> Iterator[tuple[Client, list[str]]]:
    entry = ["manage.py", "coupa_sandbox"] if manage else ["-m", "qualityhub.sandbox"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, *entry, "--port", "0", "--quiet", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        first = process.stdout.readline()
        found = FIRST_LINE.match(first)
        assert found, repr(first)
        lines = [first] + [process.stdout.readline() for _ in range(3)]
        yield Client(f"http://127.0.0.1:{found[1]}"), lines
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        process.stdout.close()


def test_module_entry_point_reuses_state_across_restarts(tmp_path: Path) -> None:
    db = tmp_path / "var" / "sandbox.sqlite3"
    with sandbox_process("--db", str(db), "--inspections", "25", "--seed", "3") as (client, lines):
        assert "generated" in lines[1]
        assert client.control("GET", "health").json() == {"ok": True, "inspections": 25}
        client.post(f"{SEED}/7/exported")
    with sandbox_process("--db", str(db), "--inspections", "25", "--seed", "3") as (client, lines):
        assert "reused" in lines[1]
        assert client.get(f"{SEED}/7").json()["exported"] is True
    with sandbox_process("--db", str(db), "--inspections", "25", "--seed", "3", "--reset") as (
        client,
        lines,
    ):
        assert "generated" in lines[1]
    with sandbox_process("--db", str(db), "--inspections", "26", "--seed", "3") as (client, lines):
        assert "generated" in lines[1]
        assert client.control("GET", "health").json()["inspections"] == 26


def test_background_simulator(tmp_path: Path) -> None:
    args = ("--db", str(tmp_path / "a.sqlite3"), "--inspections", "30", "--advance-every", "0.1")
    with sandbox_process(*args, "--advance-count", "2") as (client, _):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            docs = client.get(f"{SEED}?modifiedAt[gt]=2026-01-01T00:00:00Z&limit=50").json()
            recent = [d for d in docs if d["modifiedAt"].endswith("Z") and "." in d["modifiedAt"]]
            if len(recent) >= 4:
                break
            time.sleep(0.1)
        assert len(recent) >= 4


def test_management_command(tmp_path: Path) -> None:
    with sandbox_process("--db", str(tmp_path / "m.sqlite3"), "--inspections", "5",
                         manage=True) as (client, _):  # fmt: skip
        assert client.get(f"{SEED}/1").status == 200


def test_both_entry_points_share_the_parser() -> None:
    argv = ["--port", "0", "--error-rate", "0.25", "--rate-limit", "25", "--advance-every", "15",
            "--client-id", "me", "--token-ttl", "60", "--reset"]  # fmt: skip
    direct = SandboxOptions.from_mapping(vars(build_parser().parse_args(argv)))
    django = SandboxOptions.from_mapping(vars(Command().create_parser("manage.py", "coupa_sandbox")
                                              .parse_args(argv)))  # fmt: skip
    assert direct == django
    assert (direct.port, direct.client_id, direct.token_ttl, direct.reset) == (0, "me", 60, True)
    assert str(direct.error_rate) == "0.25" and direct.advance_every == 15
    defaults = SandboxOptions.from_mapping(vars(build_parser().parse_args([])))
    assert defaults == SandboxOptions()
    assert (defaults.port, defaults.db, defaults.seed, defaults.inspections) == (
        8001, "var/sandbox.sqlite3", 42, 300,
    )  # fmt: skip
