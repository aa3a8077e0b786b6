from __future__ import annotations

import secrets

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


def new_stamp() -> str:
    return secrets.token_hex(8)


class AccessStamp(models.Model):
    """Changes whenever what its user may do changes (roles, permissions, suppliers).

    It is read with the user on every request (`backends.py`) and is part of the key under which
    their access is cached (`access.py`): a change made in any process is seen by every process
    on its next request, whether or not the processes share a cache.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_stamp"
    )
    token = models.CharField(max_length=16, default=new_stamp)

    def __str__(self) -> str:
        return f"{self.user} access {self.token}"


class RequestCount(models.Model):
    """How many requests one identity (a keyed hash, never the address itself) made in one
    window of a throttle (`throttle.py`). Rows of ended windows are deleted as new ones come."""

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.count} until {self.window_ends:%Y-%m-%d %H:%M}"
