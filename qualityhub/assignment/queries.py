"""Reading assignments for the pages: the list's assignees in one query per page."""

from __future__ import annotations

from collections.abc import Iterable

from qualityhub.assignment.models import Assignment
from qualityhub.inspections.models import Inspection


def assignees_of(inspection_ids: Iterable[int]) -> dict[int, str]:
    """{inspection id: assignee's username} for those of `inspection_ids` assigned to someone:
    one query for a list page (none for an empty one)."""
    ids = list(inspection_ids)
    if not ids:
        return {}
    rows = Assignment.objects.filter(inspection_id__in=ids).values_list(
        "inspection_id", "assignee__username"
    )
    return dict(rows)


def assignment_of(inspection: Inspection) -> Assignment | None:
    """The inspection's current assignment: read with the inspection when the caller joined it
    (`select_related("assignment__assignee")`), else one query."""
    if Inspection.assignment.is_cached(inspection):
        try:
            return inspection.assignment
        except Assignment.DoesNotExist:
            return None
    return (
        Assignment.objects.select_related("assignee", "assigned_by")
        .filter(inspection_id=inspection.coupa_id)
        .first()
    )
