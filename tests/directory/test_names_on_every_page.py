"""End to end over real HTTP: after a sync from the sandbox (which resolves names from its Core
API), every page that names a supplier, a person or a unit shows the sandbox's names, not ids."""

from __future__ import annotations

from html import escape

import pytest

from qualityhub.audit.models import AuditEvent
from qualityhub.directory.models import Person, Supplier, Unit
from qualityhub.inspections.models import Inspection
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(small_coupa) -> Inspection:
    run_sync("full", client=client_for(small_coupa), attachments="skip")
    small_coupa.advance(5)  # status changes the timeline shows, with their last editor
    run_sync("incremental", client=client_for(small_coupa), attachments="skip")
    event = AuditEvent.objects.filter(action="status", coupa_user_id__isnull=False).first()
    assert event is not None
    return Inspection.objects.get(coupa_id=event.inspection_id)


def test_every_page_names_what_the_sandbox_names(signed_in, named) -> None:
    supplier = Supplier.objects.get(coupa_id=named.supplier_id)
    shown = escape(supplier.label)
    assert named.supplier_name == supplier.label
    requester = Person.objects.get(coupa_id=named.requested_by).full_name
    editor = Person.objects.get(coupa_id=named.modified_by).full_name
    unit = Unit.objects.get(coupa_id=named.uom).code
    pages = {
        "list": f"/inspections/?supplier={named.supplier_id}",
        "list searched by name": f"/inspections/?q={supplier.label[:6]}",
        "detail": f"/inspections/{named.coupa_id}/",
        "results": f"/results/?supplier={named.supplier_id}",
        "scorecards": "/suppliers/?weeks=52",
        "supplier card": f"/suppliers/{named.supplier_id}/?weeks=52",
    }
    for page, path in pages.items():
        response = signed_in.get(path)
        assert response.status_code == 200, page
        assert shown in response.content.decode(), f"the {page} page does not name the supplier"
    detail = signed_in.get(pages["detail"]).content.decode()
    for name in (requester, escape(unit), supplier.number):
        assert name in detail
    timeline = signed_in.get(
        f"/inspections/{named.coupa_id}/timeline/", headers={"HX-Request": "true"}
    ).content.decode()
    assert escape(editor) in timeline
    export = signed_in.get(f"/inspections/export.csv?supplier={named.supplier_id}")
    assert supplier.label in b"".join(export.streaming_content).decode()
