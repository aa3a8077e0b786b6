"""One log line per request and per task, with their ids, as text or JSON."""

from __future__ import annotations

import json
import logging

import pytest

from qualityhub.celery import app
from qualityhub.ops.logging import ContextFilter, JsonFormatter, TextFormatter

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
