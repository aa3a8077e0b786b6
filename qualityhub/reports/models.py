from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access


class ReportJobQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> ReportJobQuerySet:
        """A bulk PDF is its owner's alone (it may hold suppliers another user may not see)."""
        if access.user_id is None:
            return self.none()
        return self.filter(owner_id=access.user_id)


class ReportJob(models.Model):
    """One PDF of many inspections, made by a task (`reports.tasks.render_report_job`): who
    asked, for which inspections, how far it got, and the file once made. The file lives under
    VAR_DIR/reports until `reports.services.clean_old_jobs` removes the job and it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Making the PDF")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs"
    )
    inspection_ids = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=10, blank=True)
    file_name = models.CharField(max_length=100, blank=True)  # under VAR_DIR/reports
    file_size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report job {self.pk} ({self.state}, {self.done}/{self.total})"

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class PackSubscription(models.Model):
    """A person asked for a supplier's review pack by mail on the 1st of each month."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pack_subscriptions"
    )
    supplier_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "supplier_id"], name="one_pack_subscription")
        ]

    def __str__(self) -> str:
        return f"review pack of supplier {self.supplier_id} for user {self.user_id}"
