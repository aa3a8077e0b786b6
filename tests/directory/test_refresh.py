"""The scheduled names refresh: each kind's changes since its last refresh, everything nightly;
a renamed supplier renames its inspections; a missing scope recorded once and asked about again
only by the full refresh (over real HTTP, from a Coupa that serves what each test gives it)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from qualityhub.coupa import CoupaUnavailable
from qualityhub.directory.models import Person, Supplier, Unit, Unresolved
from qualityhub.directory.refresh import FULL_CURSOR, cursor_name, refresh_names
from qualityhub.inspections.models import Inspection
from qualityhub.sync.models import SyncCursor
from qualityhub.sync.pull import run_sync
from tests.directory.test_resolve import START, core, inspection, supplier
from tests.hostile_coupa import fixed_coupa, json_answer, reference_lists

pytestmark = pytest.mark.django_db
LATER = datetime(2027, 1, 1, tzinfo=UTC)  # a cursor past every record: no change to fetch


def _queries(coupa, kind: str) -> list[dict]:
    return [
        parse_qs(urlsplit(path).query)
        for path, operation in zip(coupa.paths, coupa.requests, strict=True)
        if operation == kind
    ]


def test_a_first_refresh_reads_every_page_of_every_kind() -> None:
    with fixed_coupa([]) as coupa:
        core(coupa, suppliers=[supplier(i) for i in range(1, 121)])
        outcome = refresh_names(coupa.client())
    assert Supplier.objects.count() == 120
    assert (Person.objects.count(), Unit.objects.count()) == (10, 1)
    assert [q["offset"] for q in _queries(coupa, "suppliers")] == [["0"], ["50"], ["100"]]
    assert all("updated-at[gt]" not in q for q in _queries(coupa, "suppliers"))
    assert outcome.stored == {"suppliers": 120, "users": 10, "uoms": 1}
    assert SyncCursor.objects.get(name=cursor_name("suppliers")).modified_since is not None


def test_the_next_refresh_asks_only_for_changes_and_renames_the_inspections() -> None:
    with fixed_coupa([inspection(1, supplier=7), inspection(2, supplier=8)]) as coupa:
        data = core(coupa)
        for record in data["suppliers"]:  # a day apart: the overlap takes in only the newest
            record["updated-at"] = f"2026-10-{record['id']:02d}T10:00:00-07:00"
        run_sync("full", client=coupa.client(), attachments="skip")
        refresh_names(coupa.client())
        assert Inspection.objects.get(coupa_id=1).supplier_name == "Northwind 7"
        renamed = supplier(7, "Northwind Polymers & Co <GmbH>")
        renamed["updated-at"] = "2026-12-06T09:00:00+01:00"
        data["suppliers"][6] = renamed
        coupa.paths.clear()
        coupa.requests.clear()
        outcome = refresh_names(coupa.client())
    (query,) = _queries(coupa, "suppliers")
    assert query["updated-at[gt]"][0].startswith(
        "2026-10-30T16:55:00"
    )  # the newest seen, less an overlap
    assert outcome.stored["suppliers"] == 2  # the renamed one, and the newest again
    assert outcome.renamed_suppliers == 1
    assert Inspection.objects.get(coupa_id=1).supplier_name == "Northwind Polymers & Co <GmbH>"
    assert Inspection.objects.get(coupa_id=2).supplier_name == "Northwind 8"
    assert Supplier.objects.get(coupa_id=7).label == "Northwind Polymers & Co <GmbH>"


def test_a_missing_scope_is_skipped_until_the_full_refresh_asks_again() -> None:
    with fixed_coupa([]) as coupa:
        data = core(coupa)
        coupa.on("users", json_answer({"error": "insufficient_scope"}, 403))
        refresh_names(coupa.client())
        assert Unresolved.objects.get(kind="person").reason == "scope"
        refresh_names(coupa.client())
        assert coupa.requests.count("users") == 1  # not asked again by the incremental one
        coupa.on("users", reference_lists(data)["users"])  # granted meanwhile
        refresh_names(coupa.client(), full=True)
    assert coupa.requests.count("users") == 2
    assert not Unresolved.objects.exists()
    assert Person.objects.count() == 10
    assert SyncCursor.objects.filter(name=FULL_CURSOR).exists()


def test_a_full_refresh_resolves_ids_recorded_as_unknown_once_coupa_has_them() -> None:
    with fixed_coupa([inspection(1, supplier=77)]) as coupa:
        data = core(coupa)
        run_sync("full", client=coupa.client(), attachments="skip")
        assert Unresolved.objects.get(kind="supplier").coupa_id == 77
        data["suppliers"].append(supplier(77))
        refresh_names(coupa.client(), full=True)
    assert not Unresolved.objects.exists()
    assert Inspection.objects.get().supplier_name == "Northwind 77"


def test_coupa_unavailable_is_raised_for_the_task_to_retry() -> None:
    with fixed_coupa([]) as coupa:
        core(coupa)
        coupa.on("suppliers", json_answer({"error": "down"}, 503))
        with pytest.raises(CoupaUnavailable):
            refresh_names(coupa.client())
    assert not SyncCursor.objects.filter(name=cursor_name("suppliers")).exists()


def test_a_server_ignoring_offset_ends_the_walk() -> None:
    with fixed_coupa([]) as coupa:
        core(coupa)
        coupa.on("suppliers", json_answer([supplier(i) for i in range(1, 51)]))
        refresh_names(coupa.client())
    assert coupa.requests.count("suppliers") == 2
    assert Supplier.objects.count() == 50


def test_names_turned_off_refresh_nothing() -> None:
    with fixed_coupa([]) as coupa:
        core(coupa)
        client = coupa.client()
        client.names = False
        refresh_names(client, full=True)
    assert coupa.requests == []


def test_inspections_left_unnamed_by_an_outage_are_named_by_the_next_refresh() -> None:
    with fixed_coupa([inspection(1, supplier=7), inspection(2, supplier=8)]) as coupa:
        data = core(coupa)
        coupa.on("suppliers", json_answer({"error": "down"}, 502))
        run_sync("full", client=coupa.client(), attachments="skip")
        assert set(Inspection.objects.values_list("supplier_name", flat=True)) == {""}
        core(coupa, **data)
        Supplier.objects.create(coupa_id=8, name="Known already", fetched_at=START)
        SyncCursor.objects.create(name=cursor_name("suppliers"), modified_since=LATER)
        coupa.requests.clear()
        refresh_names(coupa.client())
    assert coupa.requests.count("suppliers") == 2  # the changes, and supplier 7 by id
    assert dict(Inspection.objects.values_list("coupa_id", "supplier_name")) == {
        1: "Northwind 7",
        2: "Known already",
    }
