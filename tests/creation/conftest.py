"""The world of the creation tests: a small private sandbox, a signed-in engineer, the seed form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

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
