"""The sync engine against the sandbox over HTTP, into the real test database."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from qualityhub.attachments.models import Attachment
from qualityhub.coupa import CoupaUnavailable
from qualityhub.inspections.models import Characteristic, Inspection, Limit
from qualityhub.sync.lock import acquire
from qualityhub.sync.models import SyncCursor, SyncRun
from qualityhub.sync.pull import SyncInterrupted, run_sync, write_page
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _sync(server, mode="full", **options):
    return run_sync(mode, client=client_for(server), **options)


def _operations(server) -> dict[str, int]:
    return server.request_count()["by_operation"]


def _snapshot() -> dict:
    volatile = {"synced_at", "last_seen_run"}
    inspections = {
        row["coupa_id"]: {k: v for k, v in row.items() if k not in volatile}
        for row in Inspection.objects.values()
    }
    lines = list(Characteristic.objects.order_by("coupa_id").values())
    limits = sorted(
        Limit.objects.values_list(
            "characteristic_id", "position", "limit_type", "operator", "value"
        )
    )
    return {"inspections": inspections, "characteristics": lines, "limits": limits}


def test_a_full_sync_caches_every_inspection_with_its_verdicts(small_coupa) -> None:
    run = _sync(small_coupa)
    assert run.outcome == "succeeded"
    assert (run.created, run.updated, run.skipped) == (120, 0, 0)
    assert Inspection.objects.count() == 120
    example = Inspection.objects.get(coupa_id=1)
    assert example.verdict == "fail"
    verdicts = dict(example.characteristics.values_list("name", "verdict"))
    assert verdicts == {
        "Color": "fail",
        "Non-volatile residue": "pass",
        "Reducing substances": "marginal",
    }
    residue = example.characteristics.get(name="Non-volatile residue")
    assert residue.target == Decimal("0.32")
    assert residue.recorded_numeric == Decimal("0.05")
    assert [lim.value for lim in residue.limits.all()] == [Decimal("0"), Decimal("0.1")]


def test_every_status_arrives_in_the_cache(small_coupa) -> None:
    _sync(small_coupa)
    statuses = set(Inspection.objects.values_list("status", flat=True))
    assert statuses == {"Open", "In Progress", "In Buyer Review", "Closed"}


def test_list_items_with_lines_need_no_per_inspection_get(small_coupa) -> None:
    small_coupa.reset_request_count()
    _sync(small_coupa, attachments="skip")
    operations = _operations(small_coupa)
    assert operations.get("get", 0) == 0
    assert operations["list"] == 3


def test_a_second_full_sync_rewrites_nothing(small_coupa) -> None:
    _sync(small_coupa)
    before = _snapshot()
    run = _sync(small_coupa)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 120)
    assert _snapshot() == before


def test_an_incremental_sync_picks_up_what_the_simulator_moved(small_coupa) -> None:
    _sync(small_coupa)
    moved = small_coupa.advance(7)
    small_coupa.reset_request_count()
    run = _sync(small_coupa, "incremental", attachments="skip")
    assert run.outcome == "succeeded"
    assert run.updated == len(moved) == 7
    assert run.created == 0
    client = client_for(small_coupa)
    for coupa_id in moved:
        upstream = client.get_inspection(coupa_id)
        cached = Inspection.objects.get(coupa_id=coupa_id)
        assert (cached.status, cached.modified_at) == (upstream.status, upstream.modified_at)
    # It asked only for recent changes: one short page, not the whole data set.
    assert _operations(small_coupa)["list"] == 1
    assert run.cursor_from is not None


def test_the_cursor_moves_to_the_newest_change_seen(small_coupa) -> None:
    _sync(small_coupa, "incremental")
    newest = Inspection.objects.order_by("-modified_at").first().modified_at
    assert SyncCursor.objects.get().modified_since == newest


def test_an_incremental_sync_is_right_when_coupa_ignores_the_filter(small_coupa) -> None:
    _sync(small_coupa)
    small_coupa.configure(ignore_filters=True)
    moved = small_coupa.advance(4)
    run = _sync(small_coupa, "incremental", attachments="skip")
    assert run.updated == 4
    assert run.unchanged == 116
    for coupa_id in moved:
        assert Inspection.objects.get(coupa_id=coupa_id).modified_at > timezone.now() - timedelta(
            minutes=1
        )


def test_malformed_records_are_skipped_and_reported_while_the_rest_syncs(make_sandbox) -> None:
    server = make_sandbox(inspections=200, malformed_rate=0.1)
    bad = set(server.control("GET", "malformed")["ids"])
    assert 5 < len(bad) < 40
    run = _sync(server, attachments="skip")
    assert run.outcome == "succeeded"
    assert run.skipped == len(bad)
    assert {error["coupa_id"] for error in run.errors} == bad
    assert all(error["reason"] for error in run.errors)
    assert set(Inspection.objects.values_list("coupa_id", flat=True)) == set(range(1, 201)) - bad


def test_an_interrupted_run_converges_when_run_again(small_coupa) -> None:
    with pytest.raises(SyncInterrupted):
        _sync(small_coupa, stop_after_pages=1)
    interrupted = SyncRun.objects.get()
    assert interrupted.outcome == "failed"
    assert Inspection.objects.count() == 50  # the first page committed, nothing of the second
    assert not SyncCursor.objects.exists()
    _sync(small_coupa)
    converged = _snapshot()
    Inspection.objects.all().delete()
    _sync(small_coupa)
    assert _snapshot() == converged


def test_an_inspection_gone_upstream_is_marked_not_deleted(small_coupa) -> None:
    _sync(small_coupa)
    small_coupa.control("DELETE", "inspections/17")
    run = _sync(small_coupa)
    assert run.gone == 1
    gone = Inspection.objects.get(coupa_id=17)
    assert gone.is_gone
    assert gone.characteristics.exists()
    assert Inspection.objects.filter(gone_at__isnull=True).count() == 119


def test_a_second_sync_is_refused_while_one_runs(small_coupa) -> None:
    lease = acquire("sync", "someone-else", timedelta(minutes=5))
    assert lease is not None
    run = _sync(small_coupa)
    assert run.outcome == "refused"
    assert not Inspection.objects.exists()


def test_a_dead_holders_lock_expires(small_coupa) -> None:
    assert acquire("sync", "a-dead-worker", timedelta(seconds=-1)) is not None
    assert _sync(small_coupa).outcome == "succeeded"


def test_coupa_being_down_fails_the_run_with_the_reason(small_coupa) -> None:
    small_coupa.configure(error_rate=1.0)
    with pytest.raises(CoupaUnavailable):
        _sync(small_coupa)
    run = SyncRun.objects.get()
    assert run.outcome == "failed"
    assert "unavailable" in run.message.lower()


def test_refreshing_one_inspection_rewrites_it(small_coupa) -> None:
    _sync(small_coupa)
    Inspection.objects.filter(coupa_id=5).update(status="Tampered", verdict="pass")
    run = _sync(small_coupa, "one", coupa_id=5)
    assert run.outcome == "succeeded"
    assert Inspection.objects.get(coupa_id=5).status != "Tampered"


def test_refreshing_an_inspection_gone_upstream_marks_it_gone(small_coupa) -> None:
    _sync(small_coupa)
    small_coupa.control("DELETE", "inspections/9")
    _sync(small_coupa, "one", coupa_id=9)
    assert Inspection.objects.get(coupa_id=9).is_gone


def test_attachments_of_changed_inspections_are_pulled(small_coupa) -> None:
    client = client_for(small_coupa)
    line = client.get_inspection(3).characteristics[0]
    client.upload_attachment(3, io.BytesIO(b"%PDF-1.4 coa"), "coa.pdf", "application/pdf")
    client.upload_attachment(
        3, io.BytesIO(b"\x89PNG\r\n\x1a\n"), "p.png", "image/png", characteristic_id=line.id
    )
    _sync(small_coupa)
    stored = {(a.file_name, a.characteristic_id) for a in Attachment.objects.all()}
    assert stored == {("coa.pdf", None), ("p.png", line.id)}


def test_a_page_is_written_with_a_bounded_number_of_queries(
    small_coupa, django_assert_max_num_queries
) -> None:
    client = client_for(small_coupa)
    page = client.list_page(limit=50)
    run = SyncRun.objects.create(mode="full", started_at=timezone.now())
    # 12 on SQLite before names (its savepoint pair included); one more: the page's supplier
    # names, read once for all its rows (`Inspection.supplier_name`).
    with django_assert_max_num_queries(13):
        result = write_page(client, run, page, full=True)
    assert len(result.changed_ids) == 50
