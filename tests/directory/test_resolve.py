"""A sync resolves the names its pages need: after each page, the ids the directory does not
know, in one request per 50 ids of a kind (never one per row), through the sync's own client;
what Coupa cannot give is recorded once and shown on the sync status page; nothing of it fails
the sync (over real HTTP, from a Coupa that serves exactly what each test gives it)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from qualityhub.coupa.schemas import format_datetime
from qualityhub.directory.models import Item, Person, Supplier, Unit, Unresolved
from qualityhub.directory.refresh import resolve_ids
from qualityhub.inspections.models import Inspection
from qualityhub.sync.models import SyncRun
from qualityhub.sync.pull import run_sync
from tests.conftest import load_example
from tests.hostile_coupa import FixedCoupa, fixed_coupa, json_answer, reference_lists

pytestmark = pytest.mark.django_db

TEMPLATE = load_example("seed_get_response.json")
START = datetime(2025, 11, 1, tzinfo=UTC)


def inspection(coupa_id: int, supplier: int, *, person: int = 10, unit: int = 1) -> dict:
    record = copy.deepcopy(TEMPLATE)
    record |= {
        "id": coupa_id,
        "supplierId": supplier,
        "requestedBy": person,
        "createdBy": person + 1,
        "modifiedBy": person,
        "uom": unit,
        "itemId": 100 + supplier % 3,
        "itemName": f"Item {100 + supplier % 3} & co",
        "modifiedAt": format_datetime(START + timedelta(hours=coupa_id)),
    }
    for line in record["characteristics"]:
        line["id"] = coupa_id * 10 + line["id"] % 10
        line["inspectionId"] = coupa_id
    return record


def supplier(coupa_id: int, name: str | None = None) -> dict:
    return {
        "id": coupa_id,
        "name": name or f"Supplier {coupa_id} Ltd",
        "display-name": name or f"Northwind {coupa_id}",
        "number": f"SUP-{coupa_id:04d}",
        "status": "active",
        "updated-at": "2026-12-01T10:00:00-07:00",
    }


def core(coupa: FixedCoupa, **lists) -> dict[str, list]:
    data = {
        "suppliers": [supplier(i) for i in range(1, 31)],
        "users": [{"id": i, "fullname": f"Person {i}", "login": f"p{i}"} for i in range(10, 20)],
        "uoms": [{"id": 1, "code": "KG", "name": "Kilogram"}],
    } | lists
    for kind, behaviour in reference_lists(data).items():
        coupa.on(kind, behaviour)
    return data


def _sync(coupa: FixedCoupa, mode: str = "full") -> SyncRun:
    run = run_sync(mode, client=coupa.client(), attachments="skip")
    assert run.outcome == "succeeded", run.message
    return run


def test_a_page_with_twenty_unknown_suppliers_costs_one_request_for_suppliers() -> None:
    Supplier.objects.bulk_create(
        [Supplier(coupa_id=i, name=f"Known {i}", fetched_at=START) for i in range(21, 31)]
    )
    records = [inspection(i, supplier=1 + i % 30) for i in range(1, 51)]  # suppliers 1..30
    with fixed_coupa(records) as coupa:
        core(coupa)
        _sync(coupa)
    assert coupa.requests.count("suppliers") == 1
    assert coupa.requests.count("users") == 1
    assert coupa.requests.count("uoms") == 1
    assert Supplier.objects.count() == 30
    assert Inspection.objects.get(coupa_id=1).supplier_name == "Northwind 2"
    assert Inspection.objects.get(coupa_id=20).supplier_name == "Known 21"  # known before
    assert not Inspection.objects.filter(supplier_name="").exists()
    assert set(Person.objects.values_list("coupa_id", flat=True)) == {10, 11}
    assert Unit.objects.get().code == "KG"
    assert Item.objects.get(coupa_id=101).name == "Item 101 & co"


def test_more_than_fifty_unknown_ids_go_fifty_a_request() -> None:
    records = [inspection(i, supplier=i) for i in range(1, 51)]
    with fixed_coupa(records) as coupa:
        core(coupa, suppliers=[supplier(i) for i in range(1, 121)])
        client = coupa.client()
        resolve_ids(client, supplier_ids=range(1, 121))
    assert coupa.requests.count("suppliers") == 3
    assert Supplier.objects.count() == 120


def test_known_ids_cost_no_request_at_all() -> None:
    records = [inspection(i, supplier=1) for i in range(1, 4)]
    with fixed_coupa(records) as coupa:
        core(coupa)
        _sync(coupa)
        coupa.requests.clear()
        coupa.records = [inspection(i, supplier=1) | {"status": "Open"} for i in range(1, 4)]
        _sync(coupa)
    assert coupa.requests.count("suppliers") == coupa.requests.count("users") == 0


def test_ids_coupa_does_not_know_are_recorded_once_and_not_asked_for_again() -> None:
    records = [inspection(1, supplier=7), inspection(2, supplier=999)]
    with fixed_coupa(records) as coupa:
        core(coupa)
        _sync(coupa)
        coupa.records = [r | {"status": "Open"} for r in records]
        _sync(coupa)
    assert coupa.requests.count("suppliers") == 1
    unknown = Unresolved.objects.get(kind="supplier")
    assert (unknown.coupa_id, unknown.reason, unknown.status) == (999, "unknown", 404)
    assert Inspection.objects.get(coupa_id=2).supplier_name == ""


def test_a_missing_scope_is_recorded_once_for_the_kind_and_the_sync_goes_on() -> None:
    records = [inspection(1, supplier=7), inspection(2, supplier=8)]
    with fixed_coupa(records) as coupa:
        core(coupa)
        coupa.on("suppliers", json_answer({"error": "insufficient_scope"}, 403))
        run = _sync(coupa)
        coupa.records = [inspection(3, supplier=9)]
        _sync(coupa, "incremental")
    assert run.created == 2
    assert coupa.requests.count("suppliers") == 1  # the kind is left alone after the 403
    (entry,) = Unresolved.objects.filter(kind="supplier")
    assert (entry.coupa_id, entry.reason, entry.status) == (None, "scope", 403)
    assert "core.supplier.read" in entry.message
    assert Person.objects.exists()  # the other kinds were resolved


def test_coupa_unavailable_for_names_leaves_them_for_next_time() -> None:
    records = [inspection(1, supplier=7)]
    with fixed_coupa(records) as coupa:
        data = core(coupa)
        coupa.on("suppliers", json_answer({"error": "down"}, 502))
        _sync(coupa)
        assert not Unresolved.objects.exists()
        assert Inspection.objects.get().supplier_name == ""
        core(coupa, **data)
        coupa.records = [inspection(1, supplier=7) | {"status": "Open"}]
        _sync(coupa)
    assert Inspection.objects.get().supplier_name == "Northwind 7"


def test_an_xml_answer_is_recorded_clearly_and_asked_again_next_time() -> None:
    xml = b'<?xml version="1.0"?><suppliers type="array"></suppliers>'

    def answer(handler) -> None:
        handler.head(200, {"Content-Type": "application/xml", "Content-Length": str(len(xml))})
        handler.body([xml])

    with fixed_coupa([inspection(1, supplier=7)]) as coupa:
        core(coupa)
        coupa.on("suppliers", answer)
        _sync(coupa)
        coupa.records = [inspection(1, supplier=7) | {"status": "Open"}]
        _sync(coupa)
    assert coupa.requests.count("suppliers") == 2
    (entry,) = Unresolved.objects.filter(kind="supplier")
    assert (entry.coupa_id, entry.reason) == (None, "refused")
    assert "Coupa answered XML" in entry.message and "QualityHub asks for JSON" in entry.message


def test_a_supplier_named_later_names_its_inspections() -> None:
    with fixed_coupa([inspection(1, supplier=7), inspection(2, supplier=7)]) as coupa:
        core(coupa, suppliers=[])
        _sync(coupa)
        assert set(Inspection.objects.values_list("supplier_name", flat=True)) == {""}
        Unresolved.objects.all().delete()
        core(coupa)
        coupa.records = [inspection(1, supplier=7) | {"status": "Open"}, inspection(2, supplier=7)]
        _sync(coupa)
    assert set(Inspection.objects.values_list("supplier_name", flat=True)) == {"Northwind 7"}


def test_names_turned_off_ask_nothing(settings) -> None:
    with fixed_coupa([inspection(1, supplier=7)]) as coupa:
        core(coupa)
        client = coupa.client()
        client.names = False
        run_sync("full", client=client, attachments="skip")
    assert not {"suppliers", "users", "uoms"} & set(coupa.requests)
    token_scopes = coupa.token_forms[0]["scope"][0]
    assert "core." not in token_scopes
    assert Item.objects.exists()  # items come from the inspections themselves
