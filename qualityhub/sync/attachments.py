"""Pull the attachment lists of inspections that changed into the cache."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from qualityhub.coupa import CoupaClient, CoupaNotFound
from qualityhub.coupa.schemas import Attachment as CoupaAttachment
from qualityhub.inspections.models import Attachment, Characteristic

logger = logging.getLogger(__name__)


def pull_attachments(client: CoupaClient, inspection_ids: Iterable[int]) -> int:
    """Mirror Coupa's header and line attachment lists for these inspections; returns rows kept."""
    inspection_ids = list(inspection_ids)
    lines: dict[int, list[int]] = {}
    for inspection_id, line_id in Characteristic.objects.filter(
        inspection_id__in=inspection_ids
    ).values_list("inspection_id", "coupa_id"):
        lines.setdefault(inspection_id, []).append(line_id)
    kept = 0
    for inspection_id in inspection_ids:
        listed_at = timezone.now()
        try:
            found = _attachments_of(client, inspection_id, lines.get(inspection_id, []))
        except CoupaNotFound:
            logger.info("inspection %s vanished before its attachments were read", inspection_id)
            continue
        kept += _store(inspection_id, found, listed_at)
    return kept


def _attachments_of(
    client: CoupaClient, inspection_id: int, line_ids: list[int]
) -> list[tuple[int | None, CoupaAttachment]]:
    found = [(None, a) for a in client.list_attachments(inspection_id)]
    for line_id in line_ids:
        found += [(line_id, a) for a in client.list_attachments(inspection_id, line_id)]
    return found


def _store(
    inspection_id: int, found: list[tuple[int | None, CoupaAttachment]], listed_at: datetime
) -> int:
    rows = [
        Attachment(
            coupa_id=attachment.id,
            inspection_id=inspection_id,
            characteristic_id=line_id,
            file_name=(attachment.file_name or "")[:255],
            content_type=(attachment.content_type or "")[:255],
            size=attachment.size,
            intent=(attachment.intent or "")[:40],
            coupa_url=(attachment.url or "")[:500],
            uploaded_at=attachment.created_at,
            uploaded_by=(attachment.created_by or "")[:255],
        )
        for line_id, attachment in found
    ]
    with transaction.atomic():
        # Only rows Coupa knows of are mirrored; a local upload still on its way has no Coupa id.
        # A row being deleted is left to its task (which settles the audit event), and a row
        # linked to Coupa after the list was read is not judged by that older list.
        Attachment.objects.filter(inspection_id=inspection_id, coupa_id__isnull=False).exclude(
            coupa_id__in=[row.coupa_id for row in rows]
        ).exclude(state=Attachment.State.DELETING).exclude(state_changed_at__gte=listed_at).delete()
        if rows:
            Attachment.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["coupa_id"],
                update_fields=[
                    "inspection",
                    "characteristic",
                    "file_name",
                    "content_type",
                    "size",
                    "intent",
                    "coupa_url",
                    "uploaded_at",
                    "uploaded_by",
                ],
            )
    return len(rows)
