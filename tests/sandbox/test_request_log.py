"""The sandbox's line per request: in a file under var/ when the demo starts it (so the demo's
console keeps the product's own warnings readable), on stderr when run on its own."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

from qualityhub.demo.management.commands.demo import Command as Demo
from qualityhub.demo.management.commands.demo import sandbox_command, sandbox_request_log
from qualityhub.sandbox.server import request_logger

from .helpers import SEED, Client

ROOT = Path(__file__).resolve().parents[2]
REQUEST_LINE = re.compile(r'"(GET|POST) /(oauth2/token|api/quality_inspections)')


def _console_and_requests(argv: list[str]) -> str:
    """Run the sandbox as `argv`, send a few API requests, stop it; its console (stdout and
    stderr together)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        first = process.stdout.readline()
        assert "listening on" in first, first
        client = Client(first.rsplit(" ", 1)[-1].strip())
        for coupa_id in (1, 2, 3):
            assert client.get(f"{SEED}/{coupa_id}").status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        # Through the same text reader as the first line (it may hold the next ones already);
        # the end of output comes when the sandbox exits (pytest-timeout bounds a hang).
        rest = process.stdout.read()
        process.wait(timeout=10)
    return first + rest


def test_the_demo_sandbox_logs_requests_to_a_file_and_not_to_the_console(tmp_path) -> None:
    argv = sandbox_command(port=0, inspections=5, advance_every=0, var_dir=tmp_path)
    console = _console_and_requests(argv)
    assert not REQUEST_LINE.search(console), console
    logged = sandbox_request_log(tmp_path).read_text()
    assert sandbox_request_log(tmp_path).parent == tmp_path
    assert len(REQUEST_LINE.findall(logged)) == 4, logged  # one token, three inspections
    assert str(sandbox_request_log(tmp_path)) in console  # the sandbox says where


def test_run_on_its_own_the_sandbox_logs_requests_to_stderr(tmp_path) -> None:
    argv = [sys.executable, "-m", "qualityhub.sandbox", "--port", "0", "--inspections", "5"]
    console = _console_and_requests([*argv, "--db", str(tmp_path / "s.sqlite3")])
    assert len(REQUEST_LINE.findall(console)) == 4, console


def test_manage_py_coupa_sandbox_takes_a_request_log_too(tmp_path) -> None:
    log = tmp_path / "requests.log"
    argv = [sys.executable, "manage.py", "coupa_sandbox", "--port", "0", "--inspections", "5"]
    argv += ["--db", str(tmp_path / "m.sqlite3"), "--request-log", str(log)]
    console = _console_and_requests(argv)
    assert not REQUEST_LINE.search(console)
    assert len(REQUEST_LINE.findall(log.read_text())) == 4


def test_the_request_log_file_is_capped(tmp_path) -> None:
    log = tmp_path / "requests.log"
    logger = request_logger(str(log), quiet=False, max_bytes=10_000)
    for number in range(100):  # 100 kB written
        logger.info("%04d %s", number, "x" * 994)
    for handler in logger.handlers:
        handler.close()
    files = sorted(tmp_path.glob("requests.log*"))
    assert [f.name for f in files] == ["requests.log", "requests.log.1"]
    assert all(f.stat().st_size <= 10_000 for f in files)
    assert log.read_text().splitlines()[-1].startswith("0099 ")  # the newest lines are kept


def test_the_demo_says_where_the_sandbox_logs_its_requests(tmp_path) -> None:
    out = StringIO()
    Demo(stdout=out)._announce(8000, "http://127.0.0.1:8001", [], sandbox_request_log(tmp_path))
    assert f"requests logged to {sandbox_request_log(tmp_path)}" in out.getvalue()


def test_a_request_path_cannot_forge_a_line_in_the_request_log(tmp_path) -> None:
    log = tmp_path / "requests.log"
    argv = [sys.executable, "-m", "qualityhub.sandbox", "--port", "0", "--inspections", "5"]
    argv += ["--db", str(tmp_path / "s.sqlite3"), "--request-log", str(log)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline().rsplit(":", 1)[-1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"GET /x\x1b[2J\x0bFORGED HTTP/1.1\r\nConnection: close\r\n\r\n")
            raw.recv(4096)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    logged = log.read_text()
    assert "/x\\x1b[2J\\x0bFORGED" in logged
    assert [c for c in logged if c != "\n" and not c.isprintable()] == []


def test_an_unwritable_request_log_stops_the_start_with_its_reason(tmp_path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    argv = [sys.executable, "-m", "qualityhub.sandbox", "--port", "0", "--inspections", "5"]
    argv += ["--db", str(tmp_path / "s.sqlite3"), "--request-log", str(blocked / "r.log")]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1 and "coupa sandbox:" in done.stderr
