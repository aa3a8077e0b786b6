"""Sending one request: at most one inspection per external id, whatever goes wrong."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from qualityhub.audit.models import AuditEvent
from qualityhub.celery import app as celery_app
from qualityhub.coupa import CoupaUnavailable, wirejson
from qualityhub.creation.models import CreationRequest
from qualityhub.creation.services import SEND_TASK, claim_queued, deliver
from qualityhub.creation.tasks import create_requested_inspection
from qualityhub.inspections.models import Inspection
from tests.conftest import client_for, load_example

from .conftest import creates

State = CreationRequest.State


def _queued(external_id: str = "QH-000000000001", **fields) -> CreationRequest:
    body = load_example("seed_create_request.json") | {"externalInspectionId": external_id}
    return CreationRequest.objects.create(
        external_id=external_id, key_generated=True, payload=wirejson.dumps(body), **fields
    )


def test_a_retry_after_an_unanswered_create_finds_it_instead_of_sending_again(coupa, db) -> None:
    row = claim_queued(_queued().pk)
    client = client_for(coupa, read_timeout=0.4, max_attempts=1)
    coupa.configure(hang_next_seconds=1.2)  # Coupa creates it but answers after the timeout
    with pytest.raises(CoupaUnavailable):
        deliver(row, client, retry_later=True)
    row.refresh_from_db()
    assert (row.state, row.uncertain, row.attempts) == (State.WAITING, True, 1)

    time.sleep(1.2)
    row = deliver(claim_queued(row.pk), client, retry_later=True)

    assert row.state == State.CREATED
    assert row.attempts == 1
    assert creates(coupa) == 1
    assert client.find_by_external_id(row.external_id).id == row.coupa_id
    outcomes = list(AuditEvent.objects.order_by("pk").values_list("outcome", "summary"))
    assert outcomes[0][0] == "failed" and "will retry" in outcomes[0][1]
    assert outcomes[1][0] == "succeeded" and "after an unanswered attempt" in outcomes[1][1]


def test_an_unanswered_create_is_not_looked_up_before_it_can_have_landed(coupa, db) -> None:
    row = _queued(uncertain=True, sent_at=timezone.now(), attempts=1)
    client = client_for(coupa, read_timeout=5)
    with pytest.raises(CoupaUnavailable) as raised:
        deliver(claim_queued(row.pk), client, retry_later=True)
    assert 9 < raised.value.retry_after <= 10  # twice the read timeout after it was sent
    row.refresh_from_db()
    assert (row.state, row.uncertain, row.attempts) == (State.WAITING, True, 1)
    assert coupa.request_count()["total"] == 0
    assert not AuditEvent.objects.exists()


def test_a_create_turned_away_before_it_ran_is_sent_again_without_a_look_up(coupa, db) -> None:
    row = claim_queued(_queued().pk)
    client = client_for(coupa, max_attempts=1)
    coupa.configure(fail_next=[503])
    with pytest.raises(CoupaUnavailable):
        deliver(row, client, retry_later=True)
    row.refresh_from_db()
    assert (row.state, row.uncertain) == (State.WAITING, False)

    coupa.reset_request_count()
    row = deliver(claim_queued(row.pk), client)
    assert row.state == State.CREATED
    assert coupa.request_count()["by_operation"] == {"create": 1}


def test_a_refused_request_is_recorded_and_not_retried(coupa, db) -> None:
    row = claim_queued(_queued().pk)
    coupa.configure(fail_next=[422])
    row = deliver(row, client_for(coupa))
    assert (row.state, row.uncertain) == (State.REFUSED, False)
    assert row.field_errors == {"base": ["Unprocessable entity"]}
    assert AuditEvent.objects.get().outcome == "failed"
    assert creates(coupa) == 0


def test_a_request_is_claimed_once(db) -> None:
    row = _queued()
    assert claim_queued(row.pk) is not None
    assert claim_queued(row.pk) is None


def test_a_claim_left_by_a_dead_worker_is_taken_over(db) -> None:
    old = timezone.now() - timedelta(minutes=10)
    row = _queued(state=State.SENDING, claimed_at=old)
    assert claim_queued(row.pk).state == State.SENDING
    assert claim_queued(_queued("QH-000000000002", state=State.CREATED).pk) is None


def test_the_task_creates_and_caches_the_inspection(coupa, db) -> None:
    row = _queued()
    result = create_requested_inspection.apply(args=(row.pk,)).get()
    row.refresh_from_db()
    assert result == {
        "request": row.pk,
        "state": "created",
        "coupa_id": row.coupa_id,
        "cached": True,
    }
    assert Inspection.objects.filter(coupa_id=row.coupa_id).exists()
    assert create_requested_inspection.apply(args=(row.pk,)).get()["state"] == "created"
    assert creates(coupa) == 1


def test_the_task_the_services_queue_by_name_is_the_send_task() -> None:
    assert celery_app.tasks[SEND_TASK].name == create_requested_inspection.name == SEND_TASK
