"""Assigning, taking and unassigning: who may be given an inspection, the timeline, and the one
notification the assignee gets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qualityhub.accounts.access import Access
from qualityhub.assignment import services
from qualityhub.assignment.models import Assignment
from qualityhub.audit.models import AuditEvent
from qualityhub.inspections.models import Inspection
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.models import Notification
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SUPPLIER, OTHER_SUPPLIER = 5, 6


def inspection(coupa_id: int, supplier_id: int = SUPPLIER) -> Inspection:
    return Inspection.objects.create(
        coupa_id=coupa_id,
        supplier_id=supplier_id,
        item_id=70,
        status="In Buyer Review",
        due_date=timezone.now() + timedelta(days=3),
    )


def told(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(user=user).values_list("event__kind", "event__key"))


def timeline(coupa_id: int) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(inspection_id=coupa_id)
        .order_by("pk")
        .values_list("action", "outcome", "summary")
    )


@pytest.fixture
def ana(db):
    return make_user("ana", "Quality engineer")


def test_assigning_records_the_act_and_tells_the_assignee_once(engineer, ana) -> None:
    inspection(1)
    outcome = services.assign([1], ana.pk, by=engineer)
    assert outcome.assigned == [1]
    row = Assignment.objects.get(inspection_id=1)
    assert (row.assignee, row.assigned_by) == (ana, engineer)
    assert timeline(1) == [("assign", "succeeded", "Assigned to ana by priya (in QualityHub only)")]
    assert told(ana) == [(Kind.ASSIGNED, f"assigned:1:{row.pk}")]
    assert told(engineer) == []  # the one who assigned is never told of their own act


def test_assigning_again_to_the_same_person_does_nothing(engineer, ana) -> None:
    inspection(1)
    services.assign([1], ana.pk, by=engineer)
    outcome = services.assign([1], ana.pk, by=engineer)
    assert (outcome.assigned, outcome.unchanged) == ([], [1])
    assert len(timeline(1)) == 1
    assert len(told(ana)) == 1


def test_reassigning_replaces_the_assignee_and_tells_the_new_one(engineer, ana, buyer) -> None:
    inspection(1)
    services.assign([1], ana.pk, by=engineer)
    services.assign([1], buyer.pk, by=engineer)
    assert Assignment.objects.get(inspection_id=1).assignee == buyer
    assert len(told(buyer)) == 1
    # Assigned back to ana later: a new act, so she is told again.
    services.assign([1], ana.pk, by=engineer)
    assert len(told(ana)) == 2
    assert Assignment.objects.count() == 1


def test_taking_one_assigns_it_to_myself_and_tells_no_one(engineer, ana) -> None:
    inspection(1)
    services.take(1, by=engineer)
    assert Assignment.objects.get(inspection_id=1).assignee == engineer
    assert timeline(1) == [("assign", "succeeded", "Taken by priya (in QualityHub only)")]
    assert Notification.objects.count() == 0


def test_unassigning_leaves_it_with_no_one_and_says_so_in_the_timeline(engineer, ana) -> None:
    inspection(1)
    services.assign([1], ana.pk, by=engineer)
    assert services.unassign(1, by=engineer) is True
    assert not Assignment.objects.exists()
    assert timeline(1)[-1] == (
        "unassign",
        "succeeded",
        "Unassigned from ana by priya (in QualityHub only)",
    )
    assert services.unassign(1, by=engineer) is False


def test_a_buyer_limited_to_other_suppliers_cannot_be_given_the_inspection(engineer) -> None:
    inspection(1, supplier_id=OTHER_SUPPLIER)
    limited = make_user("bea", "Buyer", suppliers=[SUPPLIER])
    with pytest.raises(services.AssignmentRefused, match="bea may not see"):
        services.assign([1], limited.pk, by=engineer)
    assert not Assignment.objects.exists()
    assert AuditEvent.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_limited_buyer_may_be_given_their_own_suppliers_inspection(engineer) -> None:
    inspection(1, supplier_id=SUPPLIER)
    limited = make_user("bea", "Buyer", suppliers=[SUPPLIER])
    services.assign([1], limited.pk, by=engineer)
    assert len(told(limited)) == 1


@pytest.mark.parametrize("who", ["inactive", "no role", "unknown"])
def test_only_an_active_user_who_may_browse_can_be_assigned(engineer, who) -> None:
    inspection(1)
    if who == "unknown":
        assignee_id = 987_654
    else:
        person = make_user("x", None if who == "no role" else "Buyer")
        if who == "inactive":
            person.is_active = False
            person.save()
        assignee_id = person.pk
    with pytest.raises(services.AssignmentRefused):
        services.assign([1], assignee_id, by=engineer)
    assert not Assignment.objects.exists()


def test_a_bulk_assignment_is_all_or_nothing(engineer) -> None:
    inspection(1, SUPPLIER)
    inspection(2, OTHER_SUPPLIER)
    limited = make_user("bea", "Buyer", suppliers=[SUPPLIER])
    with pytest.raises(services.AssignmentRefused, match="all these suppliers"):
        services.assign([1, 2], limited.pk, by=engineer)
    assert not Assignment.objects.exists()


def test_a_bulk_assignment_costs_the_same_queries_for_4_or_40(engineer, ana) -> None:
    for coupa_id in range(1, 45):
        inspection(coupa_id)
    with CaptureQueriesContext(connection) as few:
        services.assign(range(1, 5), ana.pk, by=engineer)
    with CaptureQueriesContext(connection) as many:
        outcome = services.assign(range(5, 45), ana.pk, by=engineer)
    assert len(outcome.assigned) == 40
    assert len(many) == len(few) <= 20
    assert len(told(ana)) == 44
    assert AuditEvent.objects.filter(action="assign").count() == 44


def test_the_colleagues_offered_are_those_who_may_see_the_supplier(engineer, ana) -> None:
    make_user("bea", "Buyer", suppliers=[OTHER_SUPPLIER])
    make_user("otto", None)
    names = [p.username for p in services.eligible_colleagues({SUPPLIER})]
    assert names == ["ana", "priya"]
    names = [p.username for p in services.eligible_colleagues({OTHER_SUPPLIER})]
    assert names == ["ana", "bea", "priya"]


def test_an_assignment_is_seen_by_whoever_sees_its_inspection(engineer, ana) -> None:
    inspection(1, SUPPLIER)
    inspection(2, OTHER_SUPPLIER)
    services.assign([1, 2], ana.pk, by=engineer)
    limited = Access(frozenset({"browse_inspections"}), frozenset({SUPPLIER}))
    seen = Assignment.objects.seen_by(limited).values_list("inspection_id", flat=True)
    assert list(seen) == [1]
