"""Figures the sync keeps up to date for the overview and the scorecards."""

from __future__ import annotations

from django.db import models


class StageStay(models.Model):
    """One stay of an inspection in one status (Open, In Progress, In Buyer Review), as the sync
    observed it: opened when the inspection is first seen or moves into the status, closed when
    it moves on. Closed is the end of the road and gets no stay."""

    inspection_id = models.BigIntegerField()  # a Coupa id, like the audit trail's
    supplier_id = models.BigIntegerField()
    stage = models.CharField(max_length=40)
    # None when the inspection was first seen already in this status: when it entered is unknown,
    # so the stay has no duration. Open stays start at Coupa's createdAt.
    entered_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)  # None while it is still there
    due_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["inspection_id", "left_at"], name="stay_inspection"),
            models.Index(fields=["left_at", "stage"], name="stay_left_stage"),
            models.Index(fields=["supplier_id", "left_at"], name="stay_supplier_left"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} in {self.stage}"

    @property
    def days(self) -> float | None:
        if self.entered_at is None or self.left_at is None:
            return None
        return (self.left_at - self.entered_at).total_seconds() / 86400


class Snapshot(models.Model):
    """A set of figures computed in the background (the overview), read by a page in one query."""

    name = models.CharField(max_length=60, primary_key=True)
    computed_at = models.DateTimeField()
    data = models.JSONField()

    def __str__(self) -> str:
        return f"{self.name} at {self.computed_at:%Y-%m-%d %H:%M}"
