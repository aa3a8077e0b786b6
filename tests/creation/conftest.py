"""The world of the creation tests: a small private sandbox, a signed-in engineer, the seed form."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone

from qualityhub.celery import app as celery_app
from qualityhub.creation import tasks  # noqa: F401 (registers the task queued by name)
from qualityhub.directory.models import Item, Person, Supplier, Unit
from qualityhub.sandbox import reference
from tests.sandbox_process import SandboxProcess

SEED_HEADER = {
    "due_date": "2025-12-20T10:00",
    "supplier_id": "1",
    "item_id": "1",
    "supplier_part_number": "SLNG-123",
    "buyer_part_number": "BLNG-123",
    "buyer_batch_number": "MPNBATCHNO-LNG456",
    "item_quantity": "50.0",
    "sample_size": "1",
    "uom": "1",
    "requested_by": "10",
    "po_number": "EXTPO_004",
    "po_line": "0010",
    "external_id": "EXT_QI_004",
    "idempotency_key": "QH-0123456789ab",
}
SEED_ROWS = [
    {
        "name": "Color",
        "kind": "required",
        "value_type": "choice",
        "requirement": "Clear colourless ",
        "choices": "1 | COLOR | Yellow\n2 | COLOR | light yellow\n3 | COLOR | No colour",
        "target": "3",
    },
    {
        "name": "Non-volatile residue",
        "kind": "required",
        "value_type": "numeric",
        "quantitative": "on",
        "requirement": "Not more than 0.1%",
        "target": ".32",
        "precision": "2",
        "min_operator": "gt",
        "min_value": "0",
        "max_operator": "lt",
        "max_value": "0.1",
    },
    {
        "name": "Reducing substances",
        "kind": "required",
        "value_type": "numeric",
        "quantitative": "on",
        "requirement": "Not more than 70 mg/kg as sulfur dioxide",
        "target": "55",
        "precision": "2",
        "min_operator": "gt",
        "min_value": "0",
        "max_operator": "lt",
        "max_value": "70",
    },
]


def form_data(
    header: dict[str, str] | None = None, rows: list[dict[str, str] | None] | None = None
) -> dict[str, Any]:
    """POST data of the new-inspection form; a None row is a gap (a row removed in the page)."""
    rows = SEED_ROWS if rows is None else rows
    data: dict[str, Any] = dict(SEED_HEADER if header is None else header)
    for index, row in enumerate(rows):
        for name, value in (row or {}).items():
            data[f"chars-{index}-{name}"] = value
    data["chars-TOTAL_FORMS"] = str(len(rows))
    data["chars-INITIAL_FORMS"] = "0"
    return data


SEEDED = 3


def fill_directory() -> None:
    """The directory as a refresh from the sandbox leaves it: every supplier, person, unit and
    item of the sandbox's Core API reference data (`qualityhub.sandbox.reference`), so the
    examples' ids and the names the tests type agree with what the sandbox serves."""
    data = reference.build()
    now = timezone.now()
    Supplier.objects.bulk_create(
        Supplier(coupa_id=i, name=r["name"], display_name=r["display-name"] or "",
                 number=r["number"] or "", status=r["status"], fetched_at=now)
        for i, r in data["suppliers"].items()
    )  # fmt: skip
    Person.objects.bulk_create(
        Person(coupa_id=i, full_name=r["fullname"], login=r["login"], email=r["email"],
               active=r["active"], fetched_at=now)
        for i, r in data["users"].items()
    )  # fmt: skip
    Unit.objects.bulk_create(
        Unit(coupa_id=i, code=r["code"], name=r["name"], fetched_at=now)
        for i, r in data["uoms"].items()
    )
    Item.objects.bulk_create(
        Item(coupa_id=i, name=r["name"], number=r["item-number"] or "", fetched_at=now)
        for i, r in data["items"].items()
    )


@pytest.fixture
def directory(db) -> None:
    fill_directory()


@pytest.fixture(scope="package")
def creation_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    server = SandboxProcess(
        tmp_path_factory.mktemp("creation-sandbox") / "sandbox.sqlite3",
        inspections=SEEDED,
        quiet=True,
    )
    yield server
    server.stop()


@pytest.fixture
def coupa(creation_sandbox: SandboxProcess, settings) -> Iterator[SandboxProcess]:
    """The sandbox, its data set regenerated, with QualityHub's settings pointing at it."""
    creation_sandbox.control("POST", "reset", {})
    settings.COUPA_BASE_URL = creation_sandbox.url
    settings.COUPA_TOKEN_URL = f"{creation_sandbox.url}/oauth2/token"
    settings.COUPA_MAX_ATTEMPTS = 2
    yield creation_sandbox
    creation_sandbox.reset_config()


def creates(server: SandboxProcess) -> int:
    """How many inspections the sandbox holds beyond its 3 seeded ones (request counts would
    include a create answered 401 for a token the reset expired, and sent again)."""
    return server.control("GET", "health")["inspections"] - SEEDED


SENDING = re.compile(r"/inspections/new/\d+/")


@pytest.fixture
def eager_celery(monkeypatch) -> None:
    """Tasks run in this process when they are sent (Celery's own switch), as the queued create
    would run in a worker. (Importing the conftest imported the task module, as a worker does:
    a task queued by name runs here only when this process knows it.)"""
    celery_app.finalize()
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def follow_to_outcome(client, response, timeout: float = 60):
    """Where a submit of the form leads, as the browser gets there: from the page that follows
    the request, poll its progress until htmx is told to stop, then load the page again (the
    outcome: the new inspection, or the form with what went wrong). Other answers as they are."""
    if response.status_code != 302 or not SENDING.fullmatch(response["Location"]):
        return response
    url = response["Location"]
    deadline = time.monotonic() + timeout
    while True:
        progress = client.get(url + "progress/", HTTP_HX_REQUEST="true")
        if progress.status_code == 286:  # htmx stops polling and loads the page again
            assert progress["HX-Redirect"] == url
            return client.get(url)
        assert progress.status_code == 200, progress.content.decode()[:2000]
        assert time.monotonic() < deadline, "the request was not settled in time"
        time.sleep(0.2)


@pytest.fixture
def send_form(signed_in, eager_celery) -> Callable[[dict[str, Any]], Any]:
    """POST the form as the signed-in engineer; its queued create runs when the request commits;
    the answer is the outcome the person is led to (see `follow_to_outcome`)."""

    def send(data: dict[str, Any]):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = signed_in.post("/inspections/new/", data)
        return follow_to_outcome(signed_in, response)

    return send
