from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_RECORDED_ERRORS = 500  # per run: enough to see what went wrong, bounded whatever Coupa sends


class SyncRun(models.Model):
    """One run of the sync, written as it goes so the UI can show progress and failures."""

    class Mode(models.TextChoices):
        INCREMENTAL = "incremental", _("Incremental")
        FULL = "full", _("Full")
        ONE = "one", _("single inspection")

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        REFUSED = "refused", _("refused (another sync was running)")

    mode = models.CharField(max_length=12, choices=Mode.choices)
    target_id = models.BigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=Outcome.choices, default=Outcome.RUNNING, db_index=True
    )
    cursor_from = models.DateTimeField(null=True, blank=True)
    cursor_to = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    gone = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    # [{"coupa_id": 17, "reason": "supplierId is 'ACME', not a whole number"}, ...]
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["outcome", "-finished_at"], name="syncrun_outcome")]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} sync {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def seen(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def succeeded(self) -> bool:
        return self.outcome == self.Outcome.SUCCEEDED

    @property
    def failed(self) -> bool:
        return self.outcome == self.Outcome.FAILED


class SyncCursor(models.Model):
    """Where the next incremental sync starts; moved only by a run that finished cleanly."""

    name = models.CharField(max_length=40, primary_key=True)
    modified_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.modified_since}"


class SyncLock(models.Model):
    """A lease that keeps two syncs from running at once, across processes and machines.

    Taken with a conditional UPDATE (or the INSERT of the row) in the database every worker
    shares; it expires on its own if the worker holding it dies.
    """

    name = models.CharField(max_length=40, primary_key=True)
    owner = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} held by {self.owner or 'nobody'} until {self.expires_at}"
