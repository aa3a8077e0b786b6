"""Names over real HTTP from the sandbox's Core API: a sync resolves every id its inspections
name, in one batch per kind and page (not per row); a token without the supplier scope falls
back to ids and says on the status page what to grant; an XML answer (a proxy that drops the
Accept header) is reported clearly; an incremental refresh picks up a renamed supplier."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from qualityhub.directory.models import Person, Supplier, Unit, Unresolved
from qualityhub.directory.refresh import refresh_names
from qualityhub.inspections.models import Inspection
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _core_requests(server) -> dict[str, int]:
    counts = server.request_count()["by_operation"]
    return {name: n for name, n in counts.items() if name.startswith("core_")}


def test_a_sync_names_every_supplier_person_and_unit_in_one_batch_per_kind_and_page(
    small_coupa,
) -> None:
    small_coupa.reset_request_count()
    run = run_sync("full", client=client_for(small_coupa), attachments="skip")
    assert run.outcome == "succeeded" and run.pages == 3
    core = _core_requests(small_coupa)
    # No show per row: at most one index request per kind and page, only for ids not yet known.
    assert set(core) <= {"core_suppliers", "core_users", "core_uoms"}
    assert all(1 <= n <= run.pages for n in core.values())
    assert not Inspection.objects.filter(supplier_name="").exists()
    suppliers = set(Inspection.objects.values_list("supplier_id", flat=True))
    assert set(Supplier.objects.values_list("coupa_id", flat=True)) >= suppliers
    people = {
        i
        for row in Inspection.objects.values_list("requested_by", "created_by", "modified_by")
        for i in row
        if i
    }
    assert set(Person.objects.values_list("coupa_id", flat=True)) >= people
    units = set(Inspection.objects.exclude(uom=None).values_list("uom", flat=True))
    assert set(Unit.objects.values_list("coupa_id", flat=True)) >= units
    assert not Unresolved.objects.exists()
    # A second sync of the same data asks for no name at all.
    small_coupa.reset_request_count()
    small_coupa.advance(5)
    run_sync("incremental", client=client_for(small_coupa), attachments="skip")
    assert _core_requests(small_coupa) == {}


def test_a_token_without_the_supplier_scope_falls_back_and_reports(
    small_coupa, client, engineer
) -> None:
    small_coupa.withhold_scopes("core.supplier.read")
    run = run_sync("full", client=client_for(small_coupa), attachments="skip")
    assert run.outcome == "succeeded" and run.created == 120
    assert "core_suppliers" not in _core_requests(small_coupa)  # the token says it was not granted
    assert set(Inspection.objects.values_list("supplier_name", flat=True)) == {""}
    assert Person.objects.exists()  # the other kinds are named all the same
    (entry,) = Unresolved.objects.all()
    assert (entry.kind, entry.coupa_id, entry.reason) == ("supplier", None, "scope")
    client.force_login(engineer)
    html = client.get("/sync/").content.decode()
    assert '<code data-testid="scope-to-grant">core.supplier.read</code>' in html
    assert "Setup → Integrations → OAuth2/OpenID Connect Clients" in html
    detail = client.get(f"/inspections/{Inspection.objects.first().coupa_id}/")
    assert detail.status_code == 200


def test_a_supplier_renamed_in_coupa_is_picked_up_by_the_next_refresh(small_coupa) -> None:
    client = client_for(small_coupa)
    run_sync("full", client=client, attachments="skip")
    refresh_names(client, full=True)
    assert Supplier.objects.count() == 20  # the nightly refresh brings every supplier
    supplier_id = Inspection.objects.values_list("supplier_id", flat=True).first()
    renamed = 'Smith & Wesson "Fasteners" <b>GmbH</b>'
    small_coupa.change_reference("suppliers", supplier_id, display_name=renamed)
    small_coupa.reset_request_count()
    outcome = refresh_names(client)
    assert outcome.renamed_suppliers == 1
    assert _core_requests(small_coupa) == {"core_suppliers": 1, "core_users": 1, "core_uoms": 1}
    names = set(
        Inspection.objects.filter(supplier_id=supplier_id).values_list("supplier_name", flat=True)
    )
    assert names == {renamed}


class _DropAccept(BaseHTTPRequestHandler):
    """A proxy in front of the sandbox that forwards every request without its Accept header."""

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _forward(self, body: bytes | None = None) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("accept", "host")}
        upstream = requests.request(
            self.command,
            self.server.upstream + self.path,  # type: ignore[attr-defined]
            headers=headers | {"Accept": "*/*"},
            data=body,
            timeout=10,
        )
        self.send_response(upstream.status_code)
        self.send_header("Content-Type", upstream.headers.get("Content-Type", ""))
        self.send_header("Content-Length", str(len(upstream.content)))
        self.end_headers()
        self.wfile.write(upstream.content)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def accept_dropping_proxy(small_coupa) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DropAccept)
    server.upstream = small_coupa.url  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_xml_answer_is_reported_clearly_on_the_status_page(
    small_coupa, accept_dropping_proxy, client, engineer
) -> None:
    run_sync("full", client=client_for(small_coupa), attachments="skip")
    Supplier.objects.all().delete()
    proxied = client_for(small_coupa)
    proxied.base_url = accept_dropping_proxy
    refresh_names(proxied, full=True)
    entries = {e.kind: e for e in Unresolved.objects.all()}
    assert set(entries) == {"supplier", "person", "unit"}
    assert all(e.reason == "refused" for e in entries.values())
    assert "Coupa answered XML" in entries["supplier"].message
    client.force_login(engineer)
    html = client.get("/sync/").content.decode()
    assert "Coupa answered XML to a request for suppliers; QualityHub asks for JSON" in html
