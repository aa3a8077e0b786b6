"""Reading creation requests: an import's rows, a person's request, the requests left stalled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.inspections.models import Inspection

State = CreationRequest.State
# Longer than a create task's hard time limit, so a claim this old belongs to a worker that died.
STALE_AFTER = timedelta(minutes=5)
# A created request whose worker died before it read the inspection back: after this long the
# person stops waiting for it and the inspection is left to the next sync.
CACHING_GIVEN_UP_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class BatchRow:
    entry: dict[str, Any]
    request: CreationRequest | None  # the request with this external id, from any source
    mine: bool  # the request was queued by this import

    @property
    def sendable(self) -> bool:
        """Would be (or was) sent by this import."""
        if self.mine:
            return True
        if self.entry["errors"] or not self.entry["payload"]:
            return False
        return self.request is None or self.request.state in (State.REFUSED, State.FAILED)

    @property
    def note(self) -> str:
        """Why this import leaves it alone, if it does."""
        if self.mine or self.sendable:
            return ""
        if self.entry["errors"]:
            return _("Has errors: not sent.")
        if self.request is not None and self.request.state == State.CREATED:
            return _("Already created as inspection %(id)s: not sent again.") % {
                "id": self.request.coupa_id
            }
        return _("Already being sent from elsewhere: not sent again.")


def batch_rows(batch: ImportBatch) -> list[BatchRow]:
    keys = [entry["external_id"] for entry in batch.entries if entry["external_id"]]
    requests = {r.external_id: r for r in CreationRequest.objects.filter(external_id__in=keys)}
    rows = []
    for entry in batch.entries:
        request = requests.get(entry["external_id"])
        mine = request is not None and request.batch_id == batch.pk
        rows.append(BatchRow(entry, request, mine))
    return rows


def stalled_request_ids(now=None, limit: int = 5000) -> list[int]:
    """Queued requests that no task is working on, for the sweeper to queue again.

    That is nothing claimed by anyone for CREATION_STALLED_MINUTES (a worker going through
    a long import, or retrying while Coupa is down, claims a request every few minutes at most,
    so its queued tasks are left alone), and then:
    - pending, confirmed (or sent from the form) before then: its task was never queued (the
      broker was out of reach at the commit) or was lost (a broker that forgot its queue, a
      worker killed after fetching it from the demo's filesystem broker);
    - waiting to retry: the retry was lost (not queued while the broker was down, or held by a
      worker that died); a retry waits less than the threshold (backoff at most 5 min), unless
      Coupa's Retry-After asks for longer: then the early task finds Coupa still unavailable
      and waits again, at worst one more attempt;
    - sending, for an import: its worker died mid-send (`claim_queued` takes such a claim over
      once it is STALE_AFTER old, and `deliver` asks Coupa for the external id first).
    A form's request whose worker died is left to the person who sent it: submitting the form
    again takes it over.

    Queuing one again whose task is still in the queue is harmless: whichever runs first claims
    it (`claim_queued`), the other finds it settled or claimed and sends nothing.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.CREATION_STALLED_MINUTES)
    if CreationRequest.objects.filter(claimed_at__gte=cutoff).exists():
        return []
    pending = Q(state=State.PENDING) & (
        Q(batch__confirmed_at__lt=cutoff) | Q(batch__isnull=True, created_at__lt=cutoff)
    )
    waiting = Q(state=State.WAITING)
    dead = stale_claims(now) & Q(batch__isnull=False)
    rows = CreationRequest.objects.filter(pending | waiting | dead).order_by("pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def outcome_known(row: CreationRequest, now=None) -> bool:
    """Nothing more to wait for: refused, failed, created and read back into the cache (or left
    to the next sync), or claimed by a worker that died (submitting again takes it over)."""
    now = now or timezone.now()
    if row.state == State.CREATED:
        return (
            row.cached is not None
            or Inspection.objects.filter(coupa_id=row.coupa_id).exists()
            or row.finished_at is None
            or row.finished_at < now - CACHING_GIVEN_UP_AFTER
        )
    if row.state == State.SENDING:
        return row.claimed_at is not None and row.claimed_at < now - STALE_AFTER
    return row.settled


def stale_claims(now) -> Q:
    """Requests claimed by a worker so long ago that it has died."""
    return Q(state=State.SENDING, claimed_at__lt=now - STALE_AFTER)
