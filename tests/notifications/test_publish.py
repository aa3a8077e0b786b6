"""The one door for events: who is told, told once, in a bounded number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.models import Event, Notification, NotificationSettings
from qualityhub.notifications.publish import EventDraft, publish
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def rejected(inspection_id: int, supplier_id: int = 5, item_id: int = 70) -> EventDraft:
    return EventDraft(
        key=f"rejected:{inspection_id}",
        kind=Kind.REJECTED,
        summary=f"Inspection {inspection_id} was rejected",
        inspection_id=inspection_id,
        supplier_id=supplier_id,
        item_id=item_id,
    )


def told(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("event__key", flat=True))


def test_each_person_is_told_once_however_often_the_event_is_published(engineer) -> None:
    assert publish([rejected(1), rejected(1)]) == 1
    assert publish([rejected(1)]) == 0
    assert told(engineer) == ["rejected:1"]
    assert Event.objects.count() == 1


def test_defaults_follow_the_role(engineer, buyer, manager) -> None:
    publish([rejected(1)])
    assert told(engineer) == ["rejected:1"]
    assert told(buyer) == []  # buyers hear of results waiting for review, not rejections
    assert told(manager) == []


def test_a_buyer_is_never_told_of_a_supplier_outside_their_assignment() -> None:
    mine = make_user("bea", "Buyer", suppliers=[5])
    NotificationSettings.objects.create(user=mine, kinds=list(Kind.values))
    publish([rejected(1, supplier_id=5), rejected(2, supplier_id=6)])
    assert told(mine) == ["rejected:1"]


def test_personal_events_reach_their_person_only_and_never_the_actor(engineer) -> None:
    colleague = make_user("ana", "Quality engineer")
    publish(
        [
            EventDraft(
                key="assigned:1:1",
                kind=Kind.ASSIGNED,
                summary="assigned",
                inspection_id=1,
                supplier_id=5,
                actor_id=engineer.pk,
                person_id=colleague.pk,
            ),
            EventDraft(
                key="assigned:2:2",
                kind=Kind.ASSIGNED,
                summary="took it",
                inspection_id=2,
                supplier_id=5,
                actor_id=engineer.pk,
                person_id=engineer.pk,
            ),
        ]
    )
    assert told(colleague) == ["assigned:1:1"]
    assert told(engineer) == []


def test_supplier_and_item_choices_narrow_what_a_person_hears(engineer) -> None:
    NotificationSettings.objects.create(
        user=engineer, kinds=[Kind.REJECTED], supplier_ids=[5], item_ids=[70]
    )
    publish([rejected(1), rejected(2, supplier_id=6), rejected(3, item_id=71)])
    assert told(engineer) == ["rejected:1"]


def test_people_without_rights_or_inactive_hear_nothing(outsider) -> None:
    gone = make_user("left", "Quality engineer")
    gone.is_active = False
    gone.save()
    publish([rejected(1)])
    assert Notification.objects.count() == 0


def test_ten_thousand_events_cost_a_few_queries_per_thousand() -> None:
    for index in range(20):
        make_user(f"engineer{index}", "Quality engineer")
    with CaptureQueriesContext(connection) as queries:
        made = publish([rejected(index) for index in range(10_000)])
    assert made == 200_000
    # Per thousand events: the known keys, the insert, the read back, the notifications'
    # inserts (200 rows each); and the audience once.
    assert len(queries) <= 10 * (3 + 200) + 10
