"""A user's named filters and sort of a list ("My overdue"), shown in that list's queue bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from qualityhub.accounts.access import Access

MAX_NAME_LENGTH = 80
# A list's address with 50 suppliers chosen is about 600 characters; a view is never near this.
MAX_QUERY_LENGTH = 4000
MAX_SORT_LENGTH = 40


class Page(models.TextChoices):
    """The lists a view can be saved from."""

    INSPECTIONS = "inspections", _("Inspections")
    RESULTS = "results", _("Results")


class SavedViewQuerySet(models.QuerySet):
    def seen_by(self, access: Access) -> SavedViewQuerySet:
        """A user's own views and the views shared with everyone (by an active user)."""
        if access.user_id is None:
            return self.none()
        return self.filter(
            models.Q(owner_id=access.user_id) | models.Q(shared=True, owner__is_active=True)
        )


class SavedView(models.Model):
    """The filters are kept as the list's querystring under their current names (`query`,
    normalised: only the parameters the list's parser reads, in a stable order), and read back
    through the same parser when the view is opened (`reading.py`), so a filter renamed or gone
    since is reported, never an error."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    page = models.CharField(max_length=20, choices=Page.choices, default=Page.INSPECTIONS)
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    query = models.TextField(blank=True, max_length=MAX_QUERY_LENGTH)
    sort = models.CharField(max_length=MAX_SORT_LENGTH, blank=True)
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "owner", "page", Lower("name"), name="one_view_name_per_owner_and_page"
            )
        ]
        indexes = [
            models.Index(
                fields=["page"], condition=models.Q(shared=True), name="savedview_shared_by_page"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_page_display()}, {self.owner})"

    def editable_by(self, access: Access) -> bool:
        """Only the owner renames, deletes, shares or stops sharing a view."""
        return access.user_id == self.owner_id
