"""Pull the attachment lists of inspections that changed into the cache.

An attachment never moves from one inspection to another (`claims.py`): its cached inspection
keeps it and another's claim is skipped, named on the run. Within one inspection, Coupa may
re-file it between the header and a line: the latest placement is taken (the lines' lists are
read after the header's, so a file listed on both ends up on the line).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from qualityhub.attachments.models import Attachment
from qualityhub.coupa import CoupaClient, CoupaNotFound
from qualityhub.coupa.schemas import Attachment as CoupaAttachment
from qualityhub.inspections.models import Characteristic
from qualityhub.sync.claims import record_on_run, refused_moves
from qualityhub.sync.mapping import attachment_row
from qualityhub.sync.upsert import upsert

logger = logging.getLogger(__name__)

# Coupa's fields of a file; the rest of the row (state, local copy, audit link) is QualityHub's.
FROM_COUPA = (
    "characteristic_id",
    "file_name",
    "content_type",
    "size",
    "intent",
    "coupa_url",
    "uploaded_at",
    "uploaded_by",
)


@dataclass
class Listing:
    """What Coupa listed for one inspection: attachment id -> (line id or None, attachment)."""

    listed_at: datetime
    found: dict[int, tuple[int | None, CoupaAttachment]]


def pull_attachments(
    client: CoupaClient, inspection_ids: Iterable[int], run_id: int | None = None
) -> int:
    """Mirror Coupa's header and line attachment lists for these inspections; returns rows kept.

    Attachments that would change inspection are skipped and, given the run's id, named on it.
    """
    inspection_ids = list(inspection_ids)
    lines: dict[int, list[int]] = defaultdict(list)
    for inspection_id, line_id in Characteristic.objects.filter(
        inspection_id__in=inspection_ids
    ).values_list("inspection_id", "coupa_id"):
        lines[inspection_id].append(line_id)
    listings: dict[int, Listing] = {}
    for inspection_id in inspection_ids:
        listed_at = timezone.now()
        try:
            found = _attachments_of(client, inspection_id, lines[inspection_id])
        except CoupaNotFound:
            logger.info("inspection %s vanished before its attachments were read", inspection_id)
            continue
        listings[inspection_id] = Listing(listed_at, found)
    _drop_moves(listings, run_id)
    return sum(_store(inspection_id, listing) for inspection_id, listing in listings.items())


def _attachments_of(
    client: CoupaClient, inspection_id: int, line_ids: list[int]
) -> dict[int, tuple[int | None, CoupaAttachment]]:
    found = {a.id: (None, a) for a in client.list_attachments(inspection_id)}
    for line_id in line_ids:
        found |= {a.id: (line_id, a) for a in client.list_attachments(inspection_id, line_id)}
    return found


def _drop_moves(listings: dict[int, Listing], run_id: int | None) -> None:
    """Take out of the listings every attachment that would change inspection."""
    listed = ((inspection_id, listing.found) for inspection_id, listing in listings.items())
    refused = refused_moves("attachment", Attachment, listed)
    for inspection_id, attachment_id in refused:
        del listings[inspection_id].found[attachment_id]
    if run_id is not None:
        errors = [{"coupa_id": claimant, "reason": why} for (claimant, _), why in refused.items()]
        record_on_run(run_id, errors)


def _store(inspection_id: int, listing: Listing) -> int:
    rows = [attachment_row(inspection_id, line, a) for line, a in listing.found.values()]
    with transaction.atomic():
        # Only rows Coupa knows of are mirrored; a local upload still on its way has no Coupa id.
        # A row being deleted is left to its task (which settles the audit event), and a row
        # linked to Coupa after the list was read is not judged by that older list.
        Attachment.objects.filter(inspection_id=inspection_id, coupa_id__isnull=False).exclude(
            coupa_id__in=[row.coupa_id for row in rows]
        ).exclude(state=Attachment.State.DELETING).exclude(
            state_changed_at__gte=listing.listed_at
        ).delete()
        upsert(Attachment, rows, conflict="coupa_id", owner="inspection_id", update=FROM_COUPA)
    return len(rows)
