"""The attachments' small world: one sandbox of 5 inspections for the package, sample files of
every allowed kind, and a multipart body builder that keeps names exactly as given (Django's test
client would cut `../../x.pdf` down to `x.pdf` before sending)."""

from __future__ import annotations

import io
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for, forget_synced_state
from tests.sandbox_process import SandboxProcess
from tests.worker_process import WorkerProcess

INSPECTION = 1  # the spec's example: three characteristics


@pytest.fixture(scope="package")
def attachment_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    server = SandboxProcess(
        tmp_path_factory.mktemp("attachments") / "sandbox.sqlite3", inspections=5
    )
    yield server
    server.stop()


@pytest.fixture
def coupa(attachment_sandbox: SandboxProcess, settings) -> Iterator[SandboxProcess]:
    """The package's sandbox, faults and counters reset, and this process's client pointed at it."""
    attachment_sandbox.reset_config()
    attachment_sandbox.reset_request_count()
    settings.COUPA_BASE_URL = attachment_sandbox.url
    settings.COUPA_TOKEN_URL = f"{attachment_sandbox.url}/oauth2/token"
    settings.COUPA_MAX_ATTEMPTS = 1
    yield attachment_sandbox
    attachment_sandbox.reset_config()


def fill_cache(server: SandboxProcess) -> Inspection:
    client = client_for(server)
    try:
        run = run_sync("full", client=client, attachments="skip")
    finally:
        client.close()
    assert run.outcome == "succeeded", run.message
    return Inspection.objects.get(coupa_id=INSPECTION)


@pytest.fixture(scope="module")
def cached_once(django_db_setup, django_db_blocker, attachment_sandbox) -> Iterator[None]:
    """The sandbox's inspections in the cache for a whole module of rolled-back tests."""
    with django_db_blocker.unblock():
        fill_cache(attachment_sandbox)
    yield
    with django_db_blocker.unblock():
        forget_synced_state()


@pytest.fixture
def inspection(db, coupa, cached_once) -> Inspection:
    """Inspection 1 from the cache (tests on a transactional database sync their own)."""
    return Inspection.objects.get(coupa_id=INSPECTION)


@pytest.fixture
def line(inspection) -> Characteristic:
    return Characteristic.objects.filter(inspection=inspection).order_by("line_num").first()


def uploads_dir() -> Path:
    return Path(settings.VAR_DIR) / "uploads"


def stored_files() -> set[Path]:
    root = uploads_dir()
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def unique(name: str) -> str:
    """A file name no other test uses, so counts in the shared sandbox stay readable."""
    stem, _, extension = name.rpartition(".")
    return f"{stem}-{uuid.uuid4().hex[:8]}.{extension}"


# --- sample files -------------------------------------------------------------------------


def pdf(size: int = 300) -> bytes:
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
    return body + b"%" * max(0, size - len(body) - 6) + b"\n%%EOF"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 40
GIF = b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 20
TIFF = b"II*\x00" + b"\x08\x00\x00\x00" + b"\x00" * 20
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
    + b"\x00" * 100
    + b"This program cannot be run in DOS mode"
)


def office(kind: str, *, macros: bool = False) -> bytes:
    member = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr(member, '<?xml version="1.0"?><document/>')
        if macros:
            package.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def multipart(files: list[tuple[str, bytes]], field: str = "file") -> tuple[bytes, str]:
    """A multipart/form-data body with each file name sent exactly as given."""
    boundary = "qualityhub-test-" + uuid.uuid4().hex
    parts = []
    for name, content in files:
        quoted = name.replace('"', "%22")
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{quoted}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# --- a real worker ------------------------------------------------------------------------

WORKER_ENV = {
    "COUPA_MAX_ATTEMPTS": "1",  # each task attempt is one request: the task's retries are tested
    "COUPA_READ_TIMEOUT": "1",
    "ATTACHMENT_RETRY_BACKOFF": "1",
    "ATTACHMENT_RETRY_BACKOFF_MAX": "2",
    # Longer than the longest hang a test sets (2.5 s) plus the worker's own delays: a shorter
    # settle re-sends a file the sandbox is still storing, and the test sees two (a race, not
    # the behaviour under test).
    "ATTACHMENT_SETTLE_SECONDS": "5",
    "ATTACHMENT_MAX_RETRIES": "30",
}


@pytest.fixture(scope="package")
def worker(django_db_setup, attachment_sandbox) -> Iterator[WorkerProcess]:
    """One Celery worker on the test database for the package's worker and browser tests."""
    process = WorkerProcess(attachment_sandbox.url, extra_env=WORKER_ENV)
    yield process
    process.stop()


def wait_for(condition, process: WorkerProcess, what: str, timeout: float = 30):
    """Poll the database until `condition()` returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(
        f"{what} did not happen within {timeout} s; worker log:\n{process.output()[-4000:]}"
    )
