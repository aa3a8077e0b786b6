"""A small hostile world for the security tests: inspections synced from Coupa records whose every
text field carries markup and script, plus one row of everything else a page can show.

The records go through the real parser and `write_page` (the path Coupa's text takes into the
cache); the fake Coupa below stands in only for the per-inspection GET, which these records never
need because they carry their lines.
"""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from qualityhub.attachments.models import Attachment
from qualityhub.audit.models import AuditEvent
from qualityhub.coupa import CoupaNotFound
from qualityhub.coupa.schemas import format_datetime
from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.exporting.models import Action, ExportBatch, ExportItem
from qualityhub.inspections.models import Characteristic
from qualityhub.notifications.models import Event, Notification
from qualityhub.notifications.unsubscribe import token_for
from qualityhub.savedviews.models import SavedView
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import write_page
from tests.accounts import test_role_matrix as matrix
from tests.accounts.test_role_matrix import EXPECTED, Row
from tests.conftest import load_example
from tests.reports.world import make_done_job
from tests.sandbox_process import SandboxProcess

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
HOSTILE = SCRIPT + BREAKOUT + TEMPLATE
# What the page must show instead: the same text, escaped.
ESCAPED = {
    SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;",
    BREAKOUT: "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
    TEMPLATE: "{{7*7}}",
}
SUPPLIER, ITEM = 10, 5
HTMX = {"HX-Request": "true"}
# Cells a spreadsheet would run as formulas, as Coupa might send them in text fields.
FORMULAS = {
    "supplierPartNumber": '=HYPERLINK("http://evil.example","x")',
    "buyerPartNumber": "+SUM(1,2)",
    "refDocumentId": "-2+3+cmd|' /C calc'!A0",
    "externalInspectionId": "@SUM(A1:A9)",
}


class _Walk(list):
    truncated = False  # as the real page iterator says when Coupa ignored offsets
    doubt = ""  # and why its pages may not be the whole list


class FakeCoupa:
    """The calls a sync makes, answered from memory: the list's pages, and the detail GET for
    list items without lines (unknown ids are not found). It has no Core API: names are off."""

    names = False

    def __init__(self, details: dict[int, Any] | None = None, pages: list | None = None) -> None:
        self.details = details or {}
        self.pages = pages or []
        self.requests = 0

    def iter_pages(self, filters: dict) -> _Walk:
        return _Walk(copy.deepcopy(self.pages))

    def get_inspection_raw(self, coupa_id: int) -> Any:
        self.requests += 1
        if coupa_id not in self.details:
            raise CoupaNotFound(f"inspection {coupa_id} not found", status=404)
        return copy.deepcopy(self.details[coupa_id])


def hostile_record(coupa_id: int, due: str, *, recorded: str = "0.5") -> dict:
    """The spec's example with markup in every free-text field Coupa fills in."""
    record = load_example("seed_get_response.json")
    record.update(
        id=coupa_id,
        supplierId=SUPPLIER,
        itemId=ITEM,
        dueDate=due,
        requestDate=due,
        createdAt=due,
        modifiedAt=due,
        status="Closed",
        reviewDecision="Rejected",
        type=BREAKOUT,
        itemName=HOSTILE,
        itemDescription=HOSTILE,
        resolutionReasonText=HOSTILE,
        resolutionReasonType=HOSTILE,
        resolutionReasonCode=HOSTILE,
        buyerBatchNumber=HOSTILE,
        supplierPartNumber=HOSTILE,
        buyerPartNumber=HOSTILE,
        refDocumentType=HOSTILE,
        refDocumentId=HOSTILE,
        refDocumentItem=HOSTILE,
        reviewedBy=HOSTILE,
        submittedBy=HOSTILE,
        externalInspectionId=f"{HOSTILE}-{coupa_id}",
    )
    for line in record["characteristics"]:
        # Characteristic ids are Coupa-wide: keep each inspection's apart.
        line["id"] += coupa_id * 100
        line["inspectionId"] = coupa_id
        line["name"] = f"{HOSTILE} {line['lineNum']}"
        line["specification"] = HOSTILE
        line["remarks"] = HOSTILE
        line["recordingType"] = BREAKOUT
        for value in line["characteristicValues"]:
            value["value"] = f"{HOSTILE} {value['code']}"
            value["domain"] = HOSTILE
    # Line 2 (numeric, limits 0 < x < 0.1) fails, so scorecards and Pareto show its name.
    record["characteristics"][1]["recordedCharacteristic"]["numericValue"] = recorded
    return record


def sync_records(records: list[Any], client: FakeCoupa | None = None) -> SyncRun:
    run = SyncRun.objects.create(mode="full", started_at=timezone.now())
    write_page(client or FakeCoupa(), run, records, full=True)
    run.refresh_from_db()
    return run


@pytest.fixture
def hostile(db, engineer) -> dict:
    """Three hostile inspections of one supplier and item (a trend of three points), one with
    formula-leading cells, and a row of every other kind a page shows; returns URL kwargs."""
    now = timezone.now()
    records = [
        hostile_record(coupa_id, format_datetime(now - timedelta(days=day)), recorded=value)
        for coupa_id, day, value in ((1, 3, "0.5"), (2, 2, "0.07"), (3, 1, "0.2"))
    ]
    records[2].update(FORMULAS, itemName="\t=1+1")
    run = sync_records(records)
    assert run.skipped == 0, run.errors
    SyncRun.objects.filter(pk=run.pk).update(
        outcome="failed",
        finished_at=now,
        message=HOSTILE,
        errors=[{"coupa_id": 99, "reason": HOSTILE}],
    )
    line = Characteristic.objects.get(coupa_id=102)
    attachment = Attachment.objects.create(
        inspection_id=1,
        characteristic=line,
        file_name=f"{HOSTILE}.pdf",
        uploaded_by=HOSTILE,
        state=Attachment.State.FAILED,
        error=HOSTILE,
        local_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="coa.pdf"),
    )
    Attachment.objects.create(
        inspection_id=1, coupa_id=7001, file_name=f"{HOSTILE}.png", uploaded_by=HOSTILE
    )
    AuditEvent.objects.create(
        inspection_id=1,
        at=now,
        action="mark-exported",
        summary=HOSTILE,
        outcome="failed",
        coupa_answer=HOSTILE,
    )
    export = ExportBatch.objects.create(
        action=Action.MARK, scope=ExportBatch.Scope.ONE, created_at=now, created_by=engineer
    )
    ExportItem.objects.create(
        batch=export, inspection_id=1, outcome="failed", reason=HOSTILE, updated_at=now
    )
    imported = ImportBatch.objects.create(
        user=engineer, file_name=f"{HOSTILE}.csv", file_format="csv"
    )
    sending = CreationRequest.objects.create(
        external_id=HOSTILE, payload="{}", form={"external_id": HOSTILE}, user=engineer
    )
    # A view named and filtered with markup, shown in the list's queue bar and on /views/.
    saved_view = SavedView.objects.create(
        owner=engineer, name=HOSTILE, query=urlencode({"q": HOSTILE}), shared=True
    )
    # A notification whose summary carries markup, on the bell's page.
    event = Event.objects.create(
        key="rejected:1", kind="rejected", at=now, summary=HOSTILE, inspection_id=1,
        supplier_id=SUPPLIER,
    )  # fmt: skip
    notification = Notification.objects.create(event=event, user=engineer, created_at=now)
    return {
        "job_id": make_done_job(engineer).pk,
        "notification_id": notification.pk,
        "view_id": saved_view.pk,
        "coupa_id": 1,
        "line_id": line.coupa_id,
        "pk": attachment.pk,
        "supplier_id": SUPPLIER,
        "batch_id": imported.pk,
        "request_id": sending.pk,
        "export_batch_id": export.pk,
        "uidb64": "MQ",
        "token": "set-password",
        "signed": token_for(engineer.pk),
    }


world = matrix.world  # the role matrix's users and objects (plain text, one of each row)


@pytest.fixture(scope="package")
def private_sandbox(tmp_path_factory):
    # The URL-parameter tests' own: their valid forms create inspections the shared sandbox must
    # not gain.
    server = SandboxProcess(tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3")
    yield server
    server.stop()


@pytest.fixture
def pointed_at_sandbox(private_sandbox, settings):
    # Views that reach Coupa (creating an inspection, a download) meet a real server.
    settings.COUPA_BASE_URL = private_sandbox.url
    settings.COUPA_TOKEN_URL = f"{private_sandbox.url}/oauth2/token"
    settings.COUPA_MAX_ATTEMPTS = 1
    return private_sandbox


def url_for(name: str, world: dict, row: Row | None = None) -> str:
    """The URL of `name` with the world's ids (the role matrix row names the kwargs)."""
    return matrix._url(name, row or EXPECTED[name], world)


def body_text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def csrf_token_of(html: str) -> str:
    """The token as htmx sends it: from the body's hx-headers attribute."""
    found = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", html)
    assert found, "the page hands no CSRF token to htmx"
    return found.group(1)
