"""A request to set or clear Coupa's exported flag, and each inspection's outcome in it.

A click on the detail page is a batch of one; a bulk action is a batch of up to `MAX_BULK`.
The rows are what the pages read while the worker sends: nobody asks Celery what happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from qualityhub.inspections.models import Inspection

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access


class Action(models.TextChoices):
    # The values are the audit trail's action names.
    MARK = "mark-exported", _("Mark exported")
    RESET = "reset-exported", _("Reset exported")


class ExportBatchQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> ExportBatchQuerySet:
        """Every batch, or for a user limited to some suppliers those whose every inspection is
        one they see. A batch that touches any other inspection (or one gone from the cache,
        whose supplier nobody can tell) is withheld whole: its counts, items and reasons tell
        about it."""
        if not access.is_limited:
            return self
        seen = Inspection.objects.filter(coupa_id=OuterRef("inspection_id")).seen_by(access)
        unseen_items = ExportItem.objects.filter(batch=OuterRef("pk")).exclude(Exists(seen))
        return self.exclude(Exists(unseen_items))


class ExportBatch(models.Model):
    class Scope(models.TextChoices):
        ONE = "one", _("one inspection")
        SELECTED = "selected", _("selected rows")
        FILTERED = "filtered", _("every inspection matching the filters")
        RETRY = "retry", _("retry of an earlier batch")

    action = models.CharField(max_length=20, choices=Action.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    query = models.TextField(blank=True)  # the list's querystring, for a filtered batch
    total = models.PositiveIntegerField(default=0)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)

    objects = ExportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} × {self.total} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def marks(self) -> bool:
        return self.action == Action.MARK


class ExportItem(models.Model):
    """One inspection in a batch: pending until Coupa answered for good."""

    class Outcome(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        SUPERSEDED = "superseded", "not sent: a later request replaced it"

    batch = models.ForeignKey(ExportBatch, on_delete=models.CASCADE, related_name="items")
    inspection_id = models.BigIntegerField()  # a Coupa id, as in the audit trail
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, default=Outcome.PENDING, db_index=True
    )
    # Coupa's answer once settled; while pending, the last temporary problem (503, timeout).
    reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    event_id = models.BigIntegerField(null=True, blank=True)  # its AuditEvent
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "inspection_id"], name="export_item_once")
        ]
        indexes = [models.Index(fields=["inspection_id", "-id"], name="export_item_latest")]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.outcome}"

    @property
    def is_pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING
