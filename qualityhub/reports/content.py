"""What an inspection report holds, read from the cache: the same characteristic rows as the
detail page (`inspections.presenters.characteristic_row`), the attachments by name, the names of
the supplier and the unit, and when the data was synced. One report or many: the queries are per
batch of inspections, not per inspection."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from qualityhub.attachments.models import Attachment
from qualityhub.directory.names import Name, page_names
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.inspections.presenters import (
    CharacteristicRow,
    characteristic_row,
    limits_by_line,
)


@dataclass
class InspectionReport:
    inspection: Inspection
    supplier: Name
    unit: Name | None
    rows: list[CharacteristicRow]
    attachments: list[Attachment] = field(default_factory=list)  # the inspection's and its lines'

    @property
    def attachment_names(self) -> list[tuple[str, str]]:
        """(file name, the line it belongs to or "") for each attachment, in upload order."""
        lines = {
            row.line.coupa_id: f"{row.line.line_num or ''} {row.line.name}".strip()
            for row in self.rows
        }
        return [(a.file_name, lines.get(a.characteristic_id, "")) for a in self.attachments]

    @property
    def synced_at(self) -> datetime | None:
        return self.inspection.synced_at

    @property
    def rounding_warnings(self) -> list[CharacteristicRow]:
        return [row for row in self.rows if row.line.rounding_changed_verdict]


def inspection_reports(inspections: Iterable[Inspection]) -> list[InspectionReport]:
    """A report for each of `inspections`, in their order, from four queries whatever their
    number (the caller bounds it: a bulk job passes a chunk)."""
    inspections = list(inspections)
    ids = [inspection.coupa_id for inspection in inspections]
    limits = limits_by_line(ids)
    lines: dict[int, list[Characteristic]] = {}
    for line in Characteristic.objects.filter(inspection_id__in=ids).order_by(
        "inspection_id", "line_num", "coupa_id"
    ):
        lines.setdefault(line.inspection_id, []).append(line)
    attachments: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(inspection_id__in=ids).order_by("pk"):
        attachments.setdefault(attachment.inspection_id, []).append(attachment)
    names = page_names(
        suppliers=[inspection.supplier_id for inspection in inspections],
        units=[inspection.uom for inspection in inspections],
    )
    return [
        InspectionReport(
            inspection=inspection,
            supplier=names.suppliers[inspection.supplier_id],
            unit=names.units.get(inspection.uom),
            rows=[
                characteristic_row(line, limits.get(line.coupa_id, []))
                for line in lines.get(inspection.coupa_id, [])
            ],
            attachments=attachments.get(inspection.coupa_id, []),
        )
        for inspection in inspections
    ]
