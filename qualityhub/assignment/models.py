"""Who works on an inspection: QualityHub's own record (Coupa's API has no such field), never
sent to Coupa."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from qualityhub.inspections.models import Inspection

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access


class AssignmentQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> AssignmentQuerySet:
        """An assignment is seen by whoever sees its inspection."""
        return access.scope(self, "inspection__supplier_id")


class Assignment(models.Model):
    """The one current assignment of an inspection. Each act of assigning replaces the row (a
    new id), so the id names the act: the notification's key is built from it."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="assignment"
    )
    # Indexed with the inspection below (the "assigned to me" semi-join reads the index alone).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        db_index=False,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments_made",
    )
    assigned_at = models.DateTimeField()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        # "Assigned to me": the user's inspections, by the assignee.
        indexes = [models.Index(fields=["assignee", "inspection"], name="assignment_assignee")]

    def __str__(self) -> str:
        return f"Inspection {self.inspection_id} → user {self.assignee_id}"
