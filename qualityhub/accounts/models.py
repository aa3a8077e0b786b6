from __future__ import annotations

from django.conf import settings
from django.db import models

from qualityhub.accounts.roles import PERMISSIONS


class SupplierAssignment(models.Model):
    """A supplier a buyer is responsible for. A user with none sees every supplier."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplier_assignments"
    )
    supplier_id = models.BigIntegerField()

    class Meta:
        # The app's permissions live here: they belong to no one cache model.
        default_permissions = ()
        permissions = list(PERMISSIONS.items())
        constraints = [
            models.UniqueConstraint(fields=["user", "supplier_id"], name="one_assignment_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} → supplier {self.supplier_id}"
