"""Events of time passing: overdue, due soon and waiting for review, found by the beat's scan,
once each, within the look-back window, and never for a buyer of other suppliers."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings

from qualityhub.analytics.models import StageStay
from qualityhub.inspections.models import Inspection
from qualityhub.notifications.event_tasks import scan_time_events as scan_task
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.models import Event, Notification, NotificationSettings
from qualityhub.notifications.scan import scan_time_events
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
_ids = itertools.count(1001)


def inspection(status="Open", due=NOW + 30 * DAY, **fields) -> Inspection:
    return Inspection.objects.create(
        coupa_id=next(_ids),
        status=status,
        due_date=due,
        supplier_id=fields.pop("supplier_id", 8),
        supplier_name=fields.pop("supplier_name", "Acme"),
        item_id=70,
        item_name="bolt M8",
        **fields,
    )


def in_review(since: datetime | None, submitted: datetime | None = None, **fields) -> Inspection:
    row = inspection("In Buyer Review", submitted_date=submitted, **fields)
    StageStay.objects.create(
        inspection_id=row.coupa_id,
        supplier_id=row.supplier_id,
        stage="In Buyer Review",
        entered_at=since,
        due_date=row.due_date,
    )
    return row


def keys(kind: str | None = None) -> list[str]:
    events = Event.objects.all() if kind is None else Event.objects.filter(kind=kind)
    return sorted(events.values_list("key", flat=True))


def test_an_open_inspection_past_its_due_date_is_overdue_once(engineer) -> None:
    row = inspection("In Progress", due=NOW - HOUR)
    assert scan_time_events(NOW).notified == 1
    assert keys() == [f"overdue:{row.coupa_id}:2026-12-06T11:00:00+00:00"]
    assert scan_time_events(NOW + HOUR).notified == 0
    event = Event.objects.get()
    assert event.summary == f"Inspection {row.coupa_id} (Acme, bolt M8) is overdue (due 2026-12-06)"
    assert Notification.objects.filter(user=engineer, event=event).count() == 1


def test_a_moved_due_date_is_a_new_event(engineer) -> None:
    row = inspection(due=NOW - HOUR)
    scan_time_events(NOW)
    Inspection.objects.filter(pk=row.pk).update(due_date=NOW - 2 * HOUR)
    scan_time_events(NOW)
    assert len(keys(Kind.OVERDUE)) == 2


def test_due_within_the_setting_is_due_soon(settings) -> None:
    settings.NOTIFY_DUE_SOON_DAYS = 3
    soon = inspection(due=NOW + 3 * DAY - HOUR)
    inspection(due=NOW + 3 * DAY + HOUR)
    scan_time_events(NOW)
    assert keys() == [f"due-soon:{soon.coupa_id}:2026-12-09T11:00:00+00:00"]
    # Later, past due: overdue as well (a second event, a second key).
    scan_time_events(NOW + 3 * DAY)
    assert keys(Kind.OVERDUE) == [f"overdue:{soon.coupa_id}:2026-12-09T11:00:00+00:00"]


def test_closed_and_gone_inspections_are_never_due() -> None:
    inspection("Closed", due=NOW - HOUR)
    inspection("Open", due=NOW - HOUR, gone_at=NOW - DAY)
    assert scan_time_events(NOW).due == 0
    assert keys() == []


def test_overdue_for_longer_than_the_look_back_is_history_not_news(settings) -> None:
    settings.NOTIFY_LOOKBACK_DAYS = 3
    inspection(due=NOW - 3 * DAY - HOUR)
    recent = inspection(due=NOW - 3 * DAY + HOUR)
    scan_time_events(NOW)
    assert keys() == [f"overdue:{recent.coupa_id}:2026-12-03T13:00:00+00:00"]


def test_waiting_for_review_longer_than_the_setting_is_an_event_once(settings, buyer) -> None:
    settings.NOTIFY_REVIEW_WAITING_DAYS = 3
    waiting = in_review(NOW - 3 * DAY - HOUR)
    in_review(NOW - 3 * DAY + HOUR)  # not yet
    assert scan_time_events(NOW).notified == 1  # the buyer's default
    assert keys() == [f"review-waiting:{waiting.coupa_id}:2026-12-03T11:00:00+00:00"]
    assert Event.objects.get().at == NOW - HOUR
    assert scan_time_events(NOW + DAY).notified == 1  # the second crossed the line since
    assert Notification.objects.filter(user=buyer).count() == 2


def test_without_a_stage_start_the_submitted_date_says_since_when() -> None:
    first_seen_in_review = in_review(None, submitted=NOW - 4 * DAY)
    scan_time_events(NOW)
    assert keys() == [f"review-waiting:{first_seen_in_review.coupa_id}:2026-12-02T12:00:00+00:00"]


def test_a_stage_start_wins_over_the_submitted_date() -> None:
    # Sent back and submitted again: the stay the sync saw open is the wait that counts.
    resubmitted = in_review(NOW - HOUR, submitted=NOW - 10 * DAY)
    scan_time_events(NOW)
    assert keys() == []
    StageStay.objects.filter(inspection_id=resubmitted.coupa_id).update(entered_at=NOW - 5 * DAY)
    scan_time_events(NOW)
    assert keys() == [f"review-waiting:{resubmitted.coupa_id}:2026-12-01T12:00:00+00:00"]


def test_a_wait_that_passed_the_line_before_the_look_back_is_history(settings) -> None:
    settings.NOTIFY_LOOKBACK_DAYS = 3
    settings.NOTIFY_REVIEW_WAITING_DAYS = 3
    in_review(NOW - 6 * DAY - HOUR)
    in_review(None, submitted=NOW - 400 * DAY)
    scan_time_events(NOW)
    assert keys() == []


def test_a_buyer_of_other_suppliers_is_told_nothing(settings) -> None:
    elsewhere = make_user("bruno", "Buyer", suppliers=[9])
    mine = make_user("bea", "Buyer", suppliers=[8])
    for user in (elsewhere, mine):
        NotificationSettings.objects.create(user=user, kinds=list(Kind.values))
    inspection(due=NOW - HOUR)
    inspection(due=NOW + DAY)
    in_review(NOW - 4 * DAY)
    scan_time_events(NOW)
    assert Notification.objects.filter(user=mine).count() == 3
    assert not Notification.objects.filter(user=elsewhere).exists()


def test_the_scan_reads_a_constant_number_of_queries(django_assert_max_num_queries) -> None:
    make_user("ana", "Quality engineer")
    for n in range(300):
        inspection(due=NOW - HOUR - n * timedelta(minutes=1))
        in_review(NOW - 4 * DAY - n * timedelta(minutes=1))
    # Two reads, who listens (4), publish's batch (4) and the savepoints: for 600 events.
    with django_assert_max_num_queries(16):
        assert scan_time_events(NOW).notified == 300  # an engineer: the overdue ones


def test_the_beat_runs_the_scan_task_more_often_than_it_expires() -> None:
    entry = django_settings.CELERY_BEAT_SCHEDULE["notifications-scan"]
    assert entry["task"] == scan_task.name
    assert scan_task.name == "qualityhub.notifications.event_tasks.scan_time_events"
    assert entry["options"]["expires"] < entry["schedule"]
    assert "qualityhub.notifications.event_tasks" in django_settings.CELERY_IMPORTS


def test_the_task_scans_now(engineer) -> None:
    inspection(due=datetime.now(UTC) - HOUR)
    assert scan_task.apply().get() == {"due": 1, "waiting": 0, "notified": 1}
