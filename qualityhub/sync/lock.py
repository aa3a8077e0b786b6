"""A lease in the shared database that keeps two syncs from running at once.

Taken with one conditional UPDATE (atomic in SQLite and PostgreSQL alike), so it holds across
processes and machines; it expires by itself when the worker holding it dies. A task the broker
delivers again after its worker died takes its own lease over at once (see `acquire`).
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
    # The holder whose lease was taken over without being released: a run that died.
    took_over_from: str = ""

    def renew(self) -> bool:
        """Extend the lease; False when it is no longer ours (an heir took it over)."""
        return bool(
            SyncLock.objects.filter(name=self.name, owner=self.owner).update(
                expires_at=timezone.now() + self.ttl
            )
        )


def acquire(name: str, owner: str, ttl: timedelta, *, heir_of: str = "") -> Lease | None:
    """The lease when it is free or expired, else None.

    `heir_of` is an owner prefix naming an earlier delivery of the caller's own Celery task. The
    broker hands a late-acknowledged task out again only once that delivery is gone (its pool
    process died, or its whole worker, after the visibility timeout, which every task's hard time
    limit stays below), so the lease it left is taken over at once instead of refusing the task
    it belongs to for the rest of the lease's time.
    """
    now = timezone.now()
    held = SyncLock.objects.filter(name=name).values_list("owner", flat=True).first()
    if held is None:
        try:
            with transaction.atomic():
                SyncLock.objects.create(name=name, owner=owner, expires_at=now + ttl)
        except IntegrityError:
            return None  # somebody else took it first
        return Lease(name, owner, ttl)
    free = Q(expires_at__isnull=True) | Q(expires_at__lt=now)
    if heir_of and held.startswith(heir_of):
        free |= Q(owner=held)
    # Only from the holder just read (a compare-and-swap), so `took_over_from` is exact.
    taken = (
        SyncLock.objects.filter(name=name, owner=held)
        .filter(free)
        .update(owner=owner, expires_at=now + ttl)
    )
    return Lease(name, owner, ttl, took_over_from=held) if taken else None


def release(lease: Lease) -> None:
    SyncLock.objects.filter(name=lease.name, owner=lease.owner).update(owner="", expires_at=None)


@contextmanager
def sync_lock(
    owner: str, ttl: timedelta, name: str = SYNC_LOCK, *, heir_of: str = ""
) -> Iterator[Lease | None]:
    """Yields the lease, or None when another holder has it (the caller gives up at once)."""
    lease = acquire(name, owner, ttl, heir_of=heir_of)
    try:
        yield lease
    finally:
        if lease is not None:
            release(lease)
