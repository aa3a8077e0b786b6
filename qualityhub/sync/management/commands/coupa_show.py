"""`manage.py coupa_show ID [--json]`: one cached inspection with its verdicts."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.management.base import BaseCommand

from qualityhub.coupa.vocabulary import ValueType
from qualityhub.coupa.wire_keys import LINE_NUMBER_KEY
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.verdicts import Limit, format_value, limit_text


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def recorded_text(line: Characteristic) -> str:
    if line.recorded_numeric is not None:
        return _plain(line.recorded_numeric)
    if line.recorded_code:
        return line.recorded_code
    if line.recorded_decision is not None:
        return "yes" if line.recorded_decision else "no"
    return line.recorded_qualitative or ""


class Command(BaseCommand):
    help = "Print one cached inspection: header, and each characteristic with its verdict."

    def add_arguments(self, parser):
        parser.add_argument("coupa_id", type=int)
        parser.add_argument("--json", action="store_true", help="print a JSON object")

    def handle(self, *args, **options):
        inspection = (
            Inspection.objects.filter(coupa_id=options["coupa_id"])
            .prefetch_related("characteristics__limits", "characteristics__choices")
            .first()
        )
        if inspection is None:
            self.stderr.write(f"Inspection {options['coupa_id']} is not in the cache.")
            raise SystemExit(1)
        lines = list(inspection.characteristics.all())
        if options["json"]:
            self.stdout.write(json.dumps(self._as_json(inspection, lines), indent=2))
        else:
            self._print_table(inspection, lines)

    def _as_json(self, inspection: Inspection, lines: list[Characteristic]) -> dict:
        return {
            "id": inspection.coupa_id,
            "status": inspection.status,
            "verdict": inspection.verdict,
            "characteristics": [
                {
                    "id": line.coupa_id,
                    LINE_NUMBER_KEY: line.line_num,
                    "name": line.name,
                    "recorded": recorded_text(line) or None,
                    "verdict": line.verdict,
                    "reason": line.verdict_reason,
                }
                for line in lines
            ],
        }

    def _print_table(self, inspection: Inspection, lines: list[Characteristic]) -> None:
        write = self.stdout.write
        write(f"Inspection {inspection.coupa_id}  {inspection.status or '-'}", ending="")
        write(f"  decision {inspection.review_decision or '-'}  verdict {inspection.verdict}")
        write(
            f"Supplier {inspection.supplier_id}  item {inspection.item_id} {inspection.item_name}"
            f"  PO {inspection.ref_document_id} {inspection.ref_document_item}"
        )
        write(f"Due {inspection.due_date:%Y-%m-%d %H:%M} UTC  exported {inspection.exported}")
        header = ("#", "Characteristic", "Expected", "Limits", "Recorded", "Verdict")
        rows = [header] + [self._row(line) for line in lines]
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
        for index, row in enumerate(rows):
            cells = zip(row, widths, strict=True)
            write("  ".join(str(cell).ljust(width) for cell, width in cells))
            if index == 0:
                write("  ".join("-" * width for width in widths))
        for line in lines:
            if line.verdict_reason:
                write(f"  line {line.line_num}: {line.verdict_reason}")

    def _row(self, line: Characteristic) -> tuple[str, ...]:
        limits = [Limit(lim.limit_type, lim.operator, lim.value) for lim in line.limits.all()]
        choices = {choice.code: choice.value for choice in line.choices.all()}
        if line.value_type == ValueType.CHOICE:
            expected_code = _plain(line.target) if line.target is not None else ""
            expected = f"{expected_code} {choices.get(expected_code, '')}".strip()
            recorded = f"{line.recorded_code} {choices.get(line.recorded_code, '')}".strip()
        else:
            expected = format_value(line.target, line.precision)
            recorded = format_value(line.recorded_numeric, line.precision)
        return (
            str(line.line_num or ""),
            line.name,
            expected,
            limit_text(limits) if limits else "",
            recorded,
            line.verdict,
        )
