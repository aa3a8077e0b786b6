"""Requests to create inspections in Coupa, remembered so that none is ever created twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access


class ImportBatchQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> ImportBatchQuerySet:
        """An import is seen by the user who uploaded it, and by nobody else."""
        if access.user_id is None:
            return self.none()
        return self.filter(user_id=access.user_id)


class ImportBatch(models.Model):
    """One uploaded CSV or JSON file: its preview, then (once confirmed) its requests."""

    class State(models.TextChoices):
        PREVIEWED = "previewed"
        CONFIRMED = "confirmed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)  # csv | json
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The preview, one entry per inspection: see `importing.ImportEntry.as_json`.
    entries = models.JSONField(default=list, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.file_name} ({self.state})"


class CreationRequestQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> CreationRequestQuerySet:
        """A request is seen by the user who made it, and by nobody else."""
        if access.user_id is None:
            return self.none()
        return self.filter(user_id=access.user_id)


class CreationRequest(models.Model):
    """One inspection to create, keyed by the external id it is sent with (the idempotency key).

    `uncertain` is set before the request goes out and cleared only by a definite answer, so
    whoever sends next asks Coupa for the external id first instead of creating a second one.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("queued")
        SENDING = "sending", _("sending")
        WAITING = "waiting", _("waiting to retry")
        CREATED = "created", _("created")
        REFUSED = "refused", _("refused by Coupa")
        FAILED = "failed", _("failed")

    external_id = models.CharField(max_length=255, unique=True)
    key_generated = models.BooleanField(default=False)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    uncertain = models.BooleanField(default=False)
    payload = models.TextField()  # the request body exactly as sent (Decimals kept as typed)
    # What the person typed into the form, to show it again if Coupa refuses; None for an import.
    form = models.JSONField(null=True, blank=True)
    coupa_id = models.BigIntegerField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    position = models.PositiveIntegerField(default=0)  # its place in the batch
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Coupa's refusal as it answered it (its path -> messages); `coupa.field_errors` reads it.
    field_errors = models.JSONField(default=dict, blank=True)
    # Once created: read into the cache (True), or left to the next sync (False).
    cached = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)  # the last create that went out
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CreationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["batch_id", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.state})"

    @property
    def settled(self) -> bool:
        """True when nothing more will happen to it without somebody asking again."""
        return self.state in (self.State.CREATED, self.State.REFUSED, self.State.FAILED)
