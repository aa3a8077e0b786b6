"""Assigning inspections to colleagues, taking one, unassigning: plain functions, each one
transaction that replaces the assignment rows, writes the timeline and tells the assignee.

Who may be given an inspection is the notifications' own rule (`audience.Listener`): an active
user who may browse inspections and may see the inspection's supplier. The same people are the
ones the assignee's notification can reach, so an assignment never goes unheard for want of
rights.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityhub.assignment.models import Assignment
from qualityhub.audit.models import AuditEvent
from qualityhub.audit.record import record, record_many
from qualityhub.inspections.models import Inspection
from qualityhub.notifications.audience import Listener, listener, listeners
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.publish import EventDraft, publish

ONLY_HERE = "(in QualityHub only)"


class AssignmentRefused(Exception):
    """The act cannot be done as asked; the message says why, for the person who asked."""


@dataclass(frozen=True)
class Outcome:
    assigned: list[int] = field(default_factory=list)  # inspections now assigned to the assignee
    unchanged: list[int] = field(default_factory=list)  # already theirs: nothing recorded


def may_be_assigned(person: Listener, supplier_ids: Iterable[int]) -> bool:
    """The one rule: `person` may browse inspections and sees every one of these suppliers."""
    return person.access.allows("browse_inspections") and all(
        person.access.sees_supplier(supplier_id) for supplier_id in supplier_ids
    )


def eligible_colleagues(supplier_ids: Iterable[int]) -> list[Listener]:
    """The active users who may be given inspections of all these suppliers, by name (four
    queries whatever their number)."""
    suppliers = set(supplier_ids)
    people = [person for person in listeners() if may_be_assigned(person, suppliers)]
    return sorted(people, key=lambda person: person.username.lower())


def assign(inspection_ids: Iterable[int], assignee_id: int, *, by) -> Outcome:
    """Assign these inspections to `assignee_id` (all or none: a colleague who may not see one
    of them gets none). Those already theirs are left as they are."""
    ids = sorted(set(inspection_ids))
    if not ids:
        raise AssignmentRefused(_("Choose at least one inspection."))
    person = listener(assignee_id)
    if person is None:
        raise AssignmentRefused(_("That colleague is not an active user of QualityHub."))
    with transaction.atomic():
        # The inspections' rows are locked (in id order: no deadlock) so that two people
        # assigning the same inspection at once take turns instead of colliding.
        inspections = list(
            Inspection.objects.select_for_update()
            .filter(coupa_id__in=ids)
            .order_by("coupa_id")
            .only("coupa_id", "supplier_id", "item_id")
        )
        if len(inspections) != len(ids):
            raise AssignmentRefused(_("Some of these inspections are no longer in QualityHub."))
        if not may_be_assigned(person, {i.supplier_id for i in inspections}):
            raise AssignmentRefused(
                (
                    _(
                        "%(name)s may not see this inspection's supplier. "
                        "Choose a colleague who may."
                    )
                    if len(ids) == 1
                    else _("%(name)s may not see all these suppliers. Choose a colleague who may.")
                )
                % {"name": person.username}
            )
        current = dict(
            Assignment.objects.filter(inspection_id__in=ids).values_list(
                "inspection_id", "assignee_id"
            )
        )
        unchanged = [i.coupa_id for i in inspections if current.get(i.coupa_id) == assignee_id]
        changing = [i for i in inspections if current.get(i.coupa_id) != assignee_id]
        if changing:
            _replace(changing, person, by)
    return Outcome(assigned=[i.coupa_id for i in changing], unchanged=unchanged)


def take(inspection_id: int, *, by) -> Outcome:
    """Assign an inspection to oneself (no one is told: the actor is never notified)."""
    return assign([inspection_id], by.pk, by=by)


def unassign(inspection_id: int, *, by) -> bool:
    """Leave the inspection with no one; False if it had no one already."""
    with transaction.atomic():
        current = (
            Assignment.objects.select_related("assignee")
            .filter(inspection_id=inspection_id)
            .first()
        )
        if current is None:
            return False
        current.delete()
        record(
            inspection_id,
            "unassign",
            f"Unassigned from {current.assignee.username} by {_name(by)} {ONLY_HERE}",
            user=by,
            outcome=AuditEvent.Outcome.SUCCEEDED,
        )
    return True


def _replace(inspections: list[Inspection], person: Listener, by) -> None:
    now = timezone.now()
    ids = [i.coupa_id for i in inspections]
    Assignment.objects.filter(inspection_id__in=ids).delete()
    made = Assignment.objects.bulk_create(
        Assignment(inspection_id=i, assignee_id=person.user_id, assigned_by=by, assigned_at=now)
        for i in ids
    )
    if by is not None and by.pk == person.user_id:
        summary = f"Taken by {person.username} {ONLY_HERE}"
    else:
        summary = f"Assigned to {person.username} by {_name(by)} {ONLY_HERE}"
    record_many(ids, "assign", summary, user=by, outcome=AuditEvent.Outcome.SUCCEEDED)
    by_id = {row.inspection_id: row for row in made}
    publish(
        [
            EventDraft(
                # The row's id is new with each act: the same act never notifies twice, a
                # later act (assigned away and back) does.
                key=f"assigned:{i.coupa_id}:{by_id[i.coupa_id].pk}",
                kind=Kind.ASSIGNED,
                line_args={
                    "inspection": i.coupa_id,
                    "person": by.username if by is not None else None,
                },
                inspection_id=i.coupa_id,
                supplier_id=i.supplier_id,
                item_id=i.item_id,
                actor_id=by.pk if by is not None else None,
                person_id=person.user_id,
                at=now,
            )
            for i in inspections
        ],
        audience=[person],
    )


def _name(user) -> str:
    return user.username if user is not None else "QualityHub"
