"""Internal notes on an inspection or one of its characteristics: QualityHub's own words, never
sent to Coupa (Coupa's API has no place for them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from qualityhub.inspections.models import Inspection

if TYPE_CHECKING:
    from datetime import datetime

    from qualityhub.accounts.access import Access

MAX_LENGTH = 4000


class NoteQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> NoteQuerySet:
        """A note is seen by whoever sees its inspection."""
        return access.scope(self, "inspection__supplier_id")


class Note(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="notes")
    # The characteristic by Coupa id, with its line and name as they were when the note was
    # written: a line Coupa removes later (the sync deletes it) must not take the note with it.
    characteristic_id = models.BigIntegerField(null=True, blank=True)
    characteristic_label = models.CharField(max_length=300, blank=True)
    # A removed account keeps its notes (shown without a name).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    # The usernames the note mentioned when written (each was told): the timeline marks these.
    mentions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["inspection", "-created_at"], name="note_inspection_at")]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), MAX_LENGTH), name="note_text_bounded"
            )
        ]

    def __str__(self) -> str:
        return f"Note {self.pk} on inspection {self.inspection_id}"

    # The timeline lists notes among audit events, newest first, by `at`.
    is_note = True

    @property
    def at(self) -> datetime:
        return self.created_at
