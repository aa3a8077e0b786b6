from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One thing that happened to an inspection: who, when, what, outcome, Coupa's answer."""

    class Outcome(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        OBSERVED = "observed"  # seen by the sync, not done by QualityHub

    # A Coupa id; may precede the cache row. None: no inspection (a create Coupa refused).
    inspection_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Who in Coupa, as Coupa's user id, for what the sync observed: the inspection's last editor
    # (modifiedBy) when the change was seen. The timeline shows the person's name.
    coupa_user_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=40)  # e.g. upload-attachment, mark-exported, status
    summary = models.CharField(max_length=300)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    coupa_answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["inspection_id", "-at"], name="audit_inspection_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.outcome}"

    @property
    def pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING

    @property
    def failed(self) -> bool:
        return self.outcome == self.Outcome.FAILED
