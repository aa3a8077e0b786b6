"""What each user chose for their own screens, kept in the database so it follows them from
browser to browser and sign-in to sign-in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ListColumns(models.Model):
    """The columns one user hid in one list. The hidden ones are kept, not the shown ones, so
    a column added to a list later is shown to everyone at first."""

    class List(models.TextChoices):
        INSPECTIONS = "inspections", _("Inspections")
        RESULTS = "results", _("Results")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(max_length=20, choices=List.choices)
    hidden = models.JSONField(default=list)  # column keys (`columns.py`); unknown ones ignored
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "list_name"], name="list_columns_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.list_name}: hides {', '.join(self.hidden) or 'nothing'}"


class ChosenLanguage(models.Model):
    """The UI language one user picked (`settings.LANGUAGES`). Without one, the browser's
    Accept-Language decides. Mails, digests and PDFs sent to the user use it too."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chosen_language"
    )
    code = models.CharField(max_length=8, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.code}"
