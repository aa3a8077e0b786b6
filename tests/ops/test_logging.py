"""One log line per request and per task, with their ids, as text or JSON."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest

from qualityhub.celery import app
from qualityhub.ops.logging import ContextFilter, JsonFormatter, TextFormatter
from tests.sandbox_process import PROJECT_ROOT

pytestmark = pytest.mark.django_db


@app.task(name="tests.ops.say_hello")
def say_hello() -> str:
    logging.getLogger("tests.ops").info("hello from the task")
    return "hello"


def _request_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "qualityhub.request"]


def test_each_request_is_one_line_with_its_id(signed_in, caplog) -> None:
    caplog.set_level(logging.INFO, logger="qualityhub.request")
    response = signed_in.get("/inspections/?status=Open")
    [line] = _request_lines(caplog)
    assert (line.method, line.path, line.status) == ("GET", "/inspections/", 200)
    assert line.duration_ms >= 0 and line.user_id is not None
    assert len(response["X-Request-ID"]) == 32


def test_a_proxy_request_id_is_kept_but_only_when_sane(client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="qualityhub.request")
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234abcd"})["X-Request-ID"] == (
        "lb-1234abcd"
    )
    forged = client.get("/healthz", headers={"X-Request-ID": "x\nFAKE LOG LINE"})
    assert forged["X-Request-ID"] != "x\nFAKE LOG LINE" and "\n" not in forged["X-Request-ID"]


def test_lines_logged_during_a_request_carry_its_id(client) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "inside", None, None)
    from qualityhub.ops.logging import request_id

    token = request_id.set("abc123def456")
    try:
        ContextFilter().filter(record)
    finally:
        request_id.reset(token)
    assert record.request_id == "abc123def456"
    assert TextFormatter("%(message)s").format(record) == "inside [request_id=abc123def456]"


def test_json_lines_are_one_object_each_with_the_fields(client) -> None:
    record = logging.LogRecord(
        "qualityhub.request", logging.INFO, __file__, 1, "GET %s", ("/x",), None
    )
    record.status, record.duration_ms = 200, 1.5
    ContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /x" and line["level"] == "INFO"
    assert line["status"] == 200 and line["duration_ms"] == 1.5
    assert "request_id" not in line  # outside a request


def test_each_task_run_is_one_line_and_its_own_lines_carry_its_id(caplog) -> None:
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(ContextFilter())  # as the console handler has it
    result = say_hello.apply()
    assert result.get() == "hello"
    [inside] = [r for r in caplog.records if r.getMessage() == "hello from the task"]
    [summary] = [r for r in caplog.records if r.name == "qualityhub.task"]
    assert inside.task_id == result.id == summary.task_id
    assert summary.task == "tests.ops.say_hello" and summary.state == "SUCCESS"
    assert summary.duration_ms is not None


def _warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_permission_denial_is_one_warning_line_with_user_path_and_permission(
    client, manager, caplog
) -> None:
    client.force_login(manager)
    caplog.set_level(logging.INFO)
    assert client.get("/inspections/new/").status_code == 403
    [denial] = _warnings(caplog)
    assert denial.levelno == logging.WARNING and denial.exc_info is None
    assert (denial.username, denial.path, denial.permission) == (
        "grace",
        "/inspections/new/",
        "create_inspections",
    )
    assert denial.getMessage() == (
        "Permission denied: grace lacks create_inspections for GET /inspections/new/"
    )
    line = json.loads(JsonFormatter().format(denial))
    assert line["permission"] == "create_inspections" and line["user_id"] == manager.pk
    assert "exception" not in line and "Traceback" not in caplog.text


def _console_lines_of(request_403, settings) -> list[str]:
    """What every console handler of the configured logging prints while `request_403` runs,
    as `make demo` runs it (DEBUG on, where Django adds a console handler of its own)."""
    settings.DEBUG = True
    printed = io.StringIO()
    handlers = {
        handler
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        for handler in getattr(logger, "handlers", [])
        if type(handler) is logging.StreamHandler
    }
    previous = {handler: handler.setStream(printed) for handler in handlers}
    try:
        request_403()
    finally:
        for handler, stream in previous.items():
            handler.setStream(stream)
    return printed.getvalue().splitlines()


def test_with_debug_on_a_denial_prints_one_line_and_no_traceback(client, manager, settings) -> None:
    client.force_login(manager)
    lines = _console_lines_of(lambda: client.get("/inspections/new/"), settings)
    denials = [line for line in lines if "Permission denied" in line or "Forbidden" in line]
    assert len(denials) == 1, lines
    assert not any("Traceback" in line for line in lines), lines


def test_the_dev_servers_own_request_line_is_not_printed_on_top_of_ours() -> None:
    """runserver (`make demo`) logs each 4xx on django.server; qualityhub.request has already
    logged that request, so the line must go nowhere, not to Python's last-resort stderr. (In a
    separate process: pytest's own log capture hangs handlers on every logger.)"""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.server').warning('GET /inspections/new/ 403')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 0 and done.stderr == b"", done.stderr
