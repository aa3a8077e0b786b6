"""The files on inspections and their characteristics: mirrored from Coupa by the sync, or
uploaded here and sent to Coupa by a task (see `services.py` and `push.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityhub.attachments.storage import upload_storage
from qualityhub.inspections.models import Characteristic, Inspection

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access


class AttachmentQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> AttachmentQuerySet:
        """An attachment is seen by whoever sees its inspection."""
        return access.scope(self, "inspection__supplier_id")


class Attachment(models.Model):
    """A file on an inspection (characteristic is None) or on one of its characteristics."""

    coupa_id = models.BigIntegerField(null=True, blank=True, unique=True)
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="attachments")
    characteristic = models.ForeignKey(
        Characteristic,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=255, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    intent = models.CharField(max_length=40, blank=True)
    coupa_url = models.CharField(max_length=500, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.CharField(max_length=255, blank=True)

    class State(models.TextChoices):
        SYNCED = "synced", _("in Coupa")  # mirrored by the sync
        PENDING = "pending", _("waiting to send")
        UPLOADING = "uploading", _("sending")
        UPLOADED = "uploaded", _("in Coupa")  # sent by QualityHub and confirmed
        FAILED = "failed", _("not sent")
        DELETING = "deleting", _("deleting")

    # The write path (qualityhub/attachments): an upload is kept here first, then sent by a task.
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.SYNCED, db_index=True
    )
    local_file = models.FileField(storage=upload_storage, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)  # set only on QualityHub's uploads
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # A send may have reached Coupa without an answer: list Coupa's files before sending again.
    may_have_landed = models.BooleanField(default=False)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    audit_event_id = models.BigIntegerField(null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        # Created as the inspections app's model; the table kept its name when it moved here.
        db_table = "inspections_attachment"
        ordering = ["inspection_id", "characteristic_id", "coupa_id"]

    def __str__(self) -> str:
        return self.file_name or f"attachment {self.coupa_id}"

    @property
    def in_flight(self) -> bool:
        """A task still has work to do on this row (the page polls while any row is)."""
        return self.state in (self.State.PENDING, self.State.UPLOADING, self.State.DELETING)

    @property
    def in_coupa(self) -> bool:
        return self.coupa_id is not None and self.state in (self.State.SYNCED, self.State.UPLOADED)

    @property
    def can_retry(self) -> bool:
        return self.state == self.State.FAILED and self.coupa_id is None

    @property
    def can_delete(self) -> bool:
        """Files in Coupa are deleted there; a failed upload is discarded here."""
        return self.in_coupa or self.can_retry

    @property
    def has_local_copy(self) -> bool:
        return bool(self.local_file.name)
