"""Stage stays kept by the sync: the raw material of time-in-stage on the overview and cards."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from qualityhub.analytics.models import StageStay
from qualityhub.analytics.stages import TRACKED_STAGES
from qualityhub.inspections.models import Inspection
from qualityhub.sync.pull import run_sync
from tests.conftest import client_for


def _sync(server, mode="full"):
    client = client_for(server)
    try:
        return run_sync(mode, client=client, attachments="skip")
    finally:
        client.close()


def test_a_first_sync_opens_one_stay_per_inspection_not_closed(small_coupa, db) -> None:
    _sync(small_coupa)
    inspections = Inspection.objects.filter(status__in=TRACKED_STAGES)
    assert StageStay.objects.count() == inspections.count() > 0
    for inspection in inspections:
        stay = StageStay.objects.get(inspection_id=inspection.coupa_id)
        assert (stay.stage, stay.left_at, stay.supplier_id) == (
            inspection.status,
            None,
            inspection.supplier_id,
        )
        # Open began at creation; for a later stage the moment it began is unknown.
        expected = inspection.created_at if inspection.status == "Open" else None
        assert stay.entered_at == expected
    assert not StageStay.objects.filter(
        inspection_id__in=Inspection.objects.filter(status="Closed").values("coupa_id")
    ).exists()


def test_a_status_change_closes_the_stay_and_opens_the_next(small_coupa, db) -> None:
    _sync(small_coupa)
    before = dict(Inspection.objects.values_list("coupa_id", "status"))
    moved = small_coupa.advance(10)
    _sync(small_coupa, "incremental")
    for coupa_id in moved:
        inspection = Inspection.objects.get(coupa_id=coupa_id)
        stays = list(StageStay.objects.filter(inspection_id=coupa_id).order_by("pk"))
        left = stays[0]
        assert left.stage == before[coupa_id]
        # Dated by Coupa's modifiedAt of the change.
        assert left.left_at == inspection.modified_at
        if inspection.status == "Closed":
            assert len(stays) == 1
        else:
            assert [s.stage for s in stays] == [before[coupa_id], inspection.status]
            assert stays[1].entered_at == inspection.modified_at and stays[1].left_at is None
    assert (
        StageStay.objects.filter(left_at__isnull=True).count()
        == Inspection.objects.filter(status__in=TRACKED_STAGES).count()
    )


def test_a_stay_never_ends_before_it_began(db) -> None:
    from types import SimpleNamespace

    from qualityhub.analytics.stages import observe_stages

    now = timezone.now()
    created = now - timedelta(days=2)
    row = SimpleNamespace(
        coupa_id=1, supplier_id=7, status="Open", created_at=created, request_date=None,
        due_date=now, modified_at=None,
    )  # fmt: skip
    observe_stages([row], [], now)
    # Coupa's clock says the change happened before the inspection was created.
    moved = SimpleNamespace(
        **{**vars(row), "status": "In Progress", "modified_at": created - timedelta(hours=1)}
    )
    observe_stages([], [(moved, "Open")], now)
    first = StageStay.objects.get(stage="Open")
    assert first.left_at == created and first.days == 0


def test_a_change_dated_in_the_future_is_dated_now(db) -> None:
    from types import SimpleNamespace

    from qualityhub.analytics.stages import observe_stages

    now = timezone.now()
    row = SimpleNamespace(
        coupa_id=1, supplier_id=7, status="In Progress", created_at=now, request_date=None,
        due_date=now, modified_at=now + timedelta(days=3),
    )  # fmt: skip
    observe_stages([], [(row, "Open")], now)
    assert StageStay.objects.get().entered_at == now
