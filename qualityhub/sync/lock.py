"""A lease in the shared database that keeps two syncs from running at once.

Taken with one conditional UPDATE (atomic in SQLite and PostgreSQL alike), so it holds across
processes and machines; it expires by itself when the worker holding it dies.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from qualityhub.sync.models import SyncLock

SYNC_LOCK = "sync"


@dataclass(frozen=True)
class Lease:
    name: str
    owner: str
    ttl: timedelta

    def renew(self) -> None:
        SyncLock.objects.filter(name=self.name, owner=self.owner).update(
            expires_at=timezone.now() + self.ttl
        )


def acquire(name: str, owner: str, ttl: timedelta) -> Lease | None:
    now = timezone.now()
    taken = (
        SyncLock.objects.filter(name=name)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lt=now))
        .update(owner=owner, expires_at=now + ttl)
    )
    if not taken:
        try:
            with transaction.atomic():
                SyncLock.objects.create(name=name, owner=owner, expires_at=now + ttl)
        except IntegrityError:
            return None  # somebody else holds it
    return Lease(name, owner, ttl)


def release(lease: Lease) -> None:
    SyncLock.objects.filter(name=lease.name, owner=lease.owner).update(owner="", expires_at=None)


@contextmanager
def sync_lock(owner: str, ttl: timedelta, name: str = SYNC_LOCK) -> Iterator[Lease | None]:
    """Yields the lease, or None when another holder has it (the caller gives up at once)."""
    lease = acquire(name, owner, ttl)
    try:
        yield lease
    finally:
        if lease is not None:
            release(lease)
