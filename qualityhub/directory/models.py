"""Who and what Coupa's ids name: suppliers, people and units from Coupa's Core API, and the
items the inspections themselves name. Keyed by Coupa's ids, like the inspection cache.

The pages read names from here only (`names.py`); `refresh.py` fills these tables from Coupa.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class Supplier(models.Model):
    coupa_id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=255)
    display_name = models.CharField(max_length=255, blank=True)
    number = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)  # Coupa's updated-at
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "coupa_id"]
        indexes = [
            models.Index(Upper("name"), name="supplier_name_upper"),
            models.Index(Upper("number"), name="supplier_number_upper"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What a person reads: Coupa's display name where it has one, else the name."""
        return self.display_name or self.name


class Person(models.Model):
    """A Coupa user: a requester, a creator or the last editor of an inspection."""

    coupa_id = models.BigIntegerField(primary_key=True)
    full_name = models.CharField(max_length=255, blank=True)
    login = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=255, blank=True)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["full_name", "coupa_id"]
        indexes = [models.Index(Upper("full_name"), name="person_full_name_upper")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.full_name or self.login or f"User {self.coupa_id}"


class Unit(models.Model):
    """A unit of measure: an inspection's quantity is counted in one ("1516 kg")."""

    coupa_id = models.BigIntegerField(primary_key=True)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["code", "coupa_id"]

    def __str__(self) -> str:
        return self.code


class Item(models.Model):
    """An item as the inspections name it (Coupa's QC records carry the item's name)."""

    coupa_id = models.BigIntegerField(primary_key=True)
    name = models.CharField(max_length=255, blank=True)
    number = models.CharField(max_length=255, blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "coupa_id"]
        indexes = [models.Index(Upper("name"), name="item_name_upper")]

    def __str__(self) -> str:
        return self.name or f"Item {self.coupa_id}"


class Unresolved(models.Model):
    """A name Coupa would not give, recorded once: a missing scope (the whole kind, `coupa_id`
    None) or an id Coupa does not know (404). The sync status page lists them; the pages fall
    back to "Supplier 8"."""

    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("Supplier")
        PERSON = "person", _("Person")
        UNIT = "unit", _("Unit")
        ITEM = "item", _("Item")

    class Reason(models.TextChoices):
        SCOPE = "scope", _("scope not granted")
        UNKNOWN = "unknown", _("unknown to Coupa")
        REFUSED = "refused", _("refused by Coupa")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    coupa_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # Coupa's HTTP status
    message = models.TextField(blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()

    class Meta:
        ordering = ["kind", "coupa_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "coupa_id"],
                name="unresolved_once_per_id",
                condition=Q(coupa_id__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["kind"], name="unresolved_once_per_kind", condition=Q(coupa_id__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        what = self.kind if self.coupa_id is None else f"{self.kind} {self.coupa_id}"
        return f"{what}: {self.get_reason_display()}"
