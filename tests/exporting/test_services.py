"""What a request covers and how it is sent: plain functions over the cache and the sandbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.http import QueryDict
from django.utils import timezone

from qualityhub.audit.models import AuditEvent
from qualityhub.coupa import CoupaUnavailable
from qualityhub.exporting import queries, selection, services, tasks
from qualityhub.exporting.models import Action, ExportBatch, ExportItem
from qualityhub.inspections.models import Inspection
from qualityhub.ui.filters import InspectionFilters

pytestmark = pytest.mark.django_db

Outcome = ExportItem.Outcome


def _batch(action: str, ids: list[int], user=None, scope="selected") -> ExportBatch:
    """A batch recorded and queued, as the views start one."""
    batch = services.start_batch(action, scope, ids, user=user)
    tasks.queue_batch(batch)
    return batch


def _item_ids(batch: ExportBatch) -> list[int]:
    return list(batch.items.values_list("pk", flat=True))


def _outcomes(batch: ExportBatch) -> dict[int, str]:
    return dict(batch.items.values_list("inspection_id", "outcome"))


def test_the_filtered_plan_is_exactly_the_matching_set(cached) -> None:
    query = "status=Closed&exported=no&sort=-due_date&size=25"
    plan = selection.plan_filtered(query)
    expected = InspectionFilters.from_query(QueryDict(query)).apply(Inspection.objects.all())
    assert plan.ids == sorted(expected.values_list("coupa_id", flat=True))
    assert plan.count == expected.count() > 0
    assert not plan.too_many


def test_the_filtered_plan_refuses_more_than_five_thousand(db) -> None:
    due = timezone.now()
    Inspection.objects.bulk_create(
        Inspection(coupa_id=10_000 + n, due_date=due, supplier_id=1, status="Closed")
        for n in range(services.MAX_BULK + 1)
    )
    assert selection.plan_filtered("status=Closed").too_many
    assert not selection.plan_filtered("status=Closed&q=10000").too_many


def test_the_selected_plan_keeps_only_cached_inspections(cached) -> None:
    plan = selection.plan_selected(["3", "2", "3", "999999", "x", ""])
    assert plan.ids == [2, 3]


def test_starting_a_batch_records_items_and_pending_audit_events(
    cached, engineer, django_capture_on_commit_callbacks
) -> None:
    ids = list(Inspection.objects.values_list("coupa_id", flat=True)[:30])
    with django_capture_on_commit_callbacks() as queued:
        batch = _batch(Action.MARK, ids, user=engineer)
    assert len(queued) == 2  # chunks of 25
    assert batch.total == 30 and batch.created_by == engineer
    items = list(batch.items.all())
    assert {i.inspection_id for i in items} == set(ids)
    assert all(i.outcome == Outcome.PENDING for i in items)
    events = AuditEvent.objects.filter(pk__in=[i.event_id for i in items])
    assert events.count() == 30
    event = events.first()
    assert (event.action, event.outcome, event.user) == ("mark-exported", "pending", engineer)
    assert f"bulk action #{batch.pk}, 30 inspections" in event.summary


def test_sending_marks_exported_in_coupa_and_in_the_cache(cached, coupa_client) -> None:
    Inspection.objects.filter(coupa_id__in=[4, 5]).update(exported=False)
    batch = _batch(Action.MARK, [4, 5])
    counts = services.send_items(coupa_client, _item_ids(batch))
    assert counts["succeeded"] == 2
    assert coupa_client.get_inspection(4).exported and coupa_client.get_inspection(5).exported
    assert set(
        Inspection.objects.filter(coupa_id__in=[4, 5]).values_list("exported", flat=True)
    ) == {True}
    item = batch.items.get(inspection_id=4)
    assert item.reason.startswith("Coupa answered: exported = true")
    event = AuditEvent.objects.get(pk=item.event_id)
    assert event.outcome == "succeeded" and "exported = true" in event.coupa_answer


def test_resetting_clears_the_flag(cached, coupa_client) -> None:
    coupa_client.mark_exported(6)
    batch = _batch(Action.RESET, [6])
    services.send_items(coupa_client, _item_ids(batch))
    assert coupa_client.get_inspection(6).exported is False
    assert Inspection.objects.get(coupa_id=6).exported is False
    assert _outcomes(batch) == {6: "succeeded"}


def test_an_inspection_coupa_lost_fails_alone_with_coupas_reason(
    cached, coupa, coupa_client
) -> None:
    coupa.control("DELETE", "inspections/17")
    batch = _batch(Action.MARK, [16, 17, 18])
    counts = services.send_items(coupa_client, _item_ids(batch))
    assert counts["succeeded"] == 2 and counts["failed"] == 1
    lost = batch.items.get(inspection_id=17)
    assert lost.outcome == "failed"
    assert "404" in lost.reason and "17 not found" in lost.reason
    event = AuditEvent.objects.get(pk=lost.event_id)
    assert event.outcome == "failed" and event.coupa_answer.startswith("HTTP 404")
    assert Inspection.objects.get(coupa_id=17).gone_at is not None


def test_while_coupa_is_down_items_stay_pending_for_the_tasks_retry(
    cached, coupa, coupa_client
) -> None:
    batch = _batch(Action.MARK, [20, 21])
    coupa.configure(error_rate=1.0)
    with pytest.raises(CoupaUnavailable):
        services.send_items(coupa_client, _item_ids(batch))
    items = list(batch.items.all())
    assert [i.outcome for i in items] == ["pending", "pending"]
    assert [i.attempts for i in items] == [1, 1]
    assert "503" in items[0].reason
    coupa.configure(error_rate=0)
    assert services.send_items(coupa_client, _item_ids(batch))["succeeded"] == 2
    assert (
        AuditEvent.objects.filter(pk__in=[i.event_id for i in items], outcome="succeeded").count()
        == 2
    )


def test_on_the_last_try_the_rest_of_the_chunk_fails_with_the_reason(
    cached, coupa, coupa_client
) -> None:
    batch = _batch(Action.MARK, [22, 23, 24])
    coupa.reset_request_count()
    coupa.configure(error_rate=1.0)
    counts = services.send_items(coupa_client, _item_ids(batch), give_up=True)
    assert counts["failed"] == 3
    assert coupa.request_count()["by_operation"]["exported"] == 2  # one item's two attempts only
    for item in batch.items.all():
        assert item.reason.startswith("Coupa stayed unavailable through every retry")
        assert AuditEvent.objects.get(pk=item.event_id).outcome == "failed"


def test_an_older_pending_request_never_undoes_a_newer_one(cached, coupa_client) -> None:
    older = _batch(Action.MARK, [25], scope="one")
    newer = _batch(Action.RESET, [25], scope="one")
    services.send_items(coupa_client, _item_ids(newer))
    counts = services.send_items(coupa_client, _item_ids(older))
    assert counts["superseded"] == 1
    assert coupa_client.get_inspection(25).exported is False
    item = older.items.get()
    assert AuditEvent.objects.get(pk=item.event_id).outcome == "failed"
    assert "later request" in item.reason


def test_sending_a_settled_item_again_does_nothing(cached, coupa, coupa_client) -> None:
    batch = _batch(Action.MARK, [26])
    services.send_items(coupa_client, _item_ids(batch))
    coupa.reset_request_count()
    assert services.send_items(coupa_client, _item_ids(batch))["succeeded"] == 0
    assert coupa.request_count()["by_operation"].get("exported", 0) == 0


def test_a_retry_covers_the_failed_items_only(cached, coupa, coupa_client) -> None:
    coupa.control("DELETE", "inspections/27")
    batch = _batch(Action.MARK, [27, 28])
    services.send_items(coupa_client, _item_ids(batch))
    retry = services.retry_batch(batch)
    assert retry.scope == "retry" and retry.retry_of == batch
    assert list(retry.items.values_list("inspection_id", flat=True)) == [27]
    assert queries.progress_of(batch).retryable == 1


def test_a_pending_item_is_stale_only_when_no_export_moved_for_a_quarter_hour(cached) -> None:
    batch = _batch(Action.MARK, [29])
    item = batch.items.get()
    assert not queries.is_stale(item)
    later = timezone.now() + timedelta(minutes=16)
    with time_machine.travel(later):
        assert queries.is_stale(item)
        assert queries.progress_of(batch).stale
        assert queries.stalled_item_ids() == [item.pk]
        other = _batch(Action.MARK, [30])  # another batch moving: the queue is busy, not lost
        assert not queries.is_stale(item)
    assert other.items.get().updated_at > item.updated_at
