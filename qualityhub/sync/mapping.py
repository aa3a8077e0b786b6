"""From Coupa's parsed records to unsaved cache rows, with QualityHub's verdicts attached."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.db import models

from qualityhub.attachments.models import Attachment
from qualityhub.coupa import schemas
from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit
from qualityhub.verdicts import Limit as RuleLimit
from qualityhub.verdicts import rules
from qualityhub.verdicts.review import review_contradicts_verdict

# Part of every content hash: bump it when the verdict rules or the way records are read
# change, so the next full sync rewrites (and re-judges) every inspection instead of skipping
# it as unchanged. 3: text is stored without invisible characters.
RULES_VERSION = "3"


@dataclass
class InspectionRows:
    """One inspection's rows, ready for `qualityhub.sync.upsert.upsert`.

    Each row is a plain namespace of column values (every field's default filled in), not a
    model instance: building tens of thousands of model instances per sync cost a fifth of its
    time, and the upsert only reads attributes.
    """

    inspection: SimpleNamespace
    characteristics: list[SimpleNamespace] = field(default_factory=list)
    choices: list[SimpleNamespace] = field(default_factory=list)
    limits: list[SimpleNamespace] = field(default_factory=list)


@cache
def _defaults(model: type[models.Model]) -> dict[str, Any]:
    return {f.attname: f.get_default() for f in model._meta.concrete_fields}


@cache
def _text_limits(model: type[models.Model]) -> tuple[tuple[str, int], ...]:
    return tuple(
        (f.attname, f.max_length)
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField) and f.max_length
    )


def _row(model: type[models.Model], **values: Any) -> SimpleNamespace:
    # Coupa's text is cut to its column: one over-long value would fail the page's write on
    # PostgreSQL (and with it every later sync of that page), not just that record.
    get = values.get
    for name, limit in _text_limits(model):
        if len(get(name) or "") > limit:
            values[name] = values[name][:limit]
    return SimpleNamespace(**(_defaults(model) | values))


def content_hash(raw: Any) -> str:
    # Decimals are hashed by their text ("0.320000000"), so a changed digit changes the hash.
    text = json.dumps(raw, default=str, separators=(",", ":"))
    return hashlib.md5((RULES_VERSION + text).encode(), usedforsecurity=False).hexdigest()


def rows_for(parsed: schemas.Inspection, digest: str, now: datetime) -> InspectionRows:
    inspection = _row(
        Inspection,
        coupa_id=parsed.id,
        type=parsed.type or "",
        status=parsed.status or "",
        review_decision=parsed.review_decision or "",
        resolution_reason_text=parsed.resolution_reason_text or "",
        resolution_reason_type=parsed.resolution_reason_type or "",
        resolution_reason_code=parsed.resolution_reason_code or "",
        request_date=parsed.request_date,
        due_date=parsed.due_date,
        supplier_id=parsed.supplier_id,
        item_id=parsed.item_id,
        item_name=parsed.item_name or "",
        item_description=parsed.item_description or "",
        warehouse_id=parsed.warehouse_id,
        buyer_batch_number=parsed.buyer_batch_number or "",
        supplier_part_number=parsed.supplier_part_number or "",
        buyer_part_number=parsed.buyer_part_number or "",
        item_quantity=parsed.item_quantity,
        sample_size=parsed.sample_size,
        uom=parsed.uom,
        requested_by=parsed.requested_by,
        ref_document_type=parsed.ref_document_type or "",
        ref_document_id=parsed.ref_document_id or "",
        ref_document_item=parsed.ref_document_item or "",
        reviewed_date=parsed.reviewed_date,
        reviewed_by=parsed.reviewed_by or "",
        submitted_date=parsed.submitted_date,
        submitted_by=parsed.submitted_by or "",
        external_inspection_id=parsed.external_inspection_id or "",
        created_at=parsed.created_at,
        created_by=parsed.created_by,
        modified_at=parsed.modified_at,
        modified_by=parsed.modified_by,
        exported=parsed.exported,
        content_hash=digest,
        synced_at=now,
        gone_at=None,
    )
    rows = InspectionRows(inspection)
    judged: list[tuple[bool, str]] = []
    for line in parsed.characteristics or ():
        characteristic, verdict = _characteristic_row(parsed.id, line)
        rows.characteristics.append(characteristic)
        judged.append((line.required, verdict))
        rows.choices.extend(
            _row(
                ChoiceValue,
                characteristic_id=line.id,
                coupa_id=value.id,
                code=value.code,
                domain=value.domain or "",
                value=value.value or "",
                position=position,
            )
            for position, value in enumerate(line.values)
        )
        rows.limits.extend(
            _row(
                Limit,
                characteristic_id=line.id,
                coupa_id=limit.id,
                limit_type=limit.limit_type,
                operator=limit.operator,
                value=limit.value,
                position=position,
            )
            for position, limit in enumerate(line.limits)
        )
    _roll_up(inspection, judged)
    return rows


def _characteristic_row(
    inspection_id: int, line: schemas.Characteristic
) -> tuple[SimpleNamespace, str]:
    expected = line.expected
    recorded = line.recorded
    judgement = rules.evaluate_characteristic(
        rules.CharacteristicInput(
            value_type=line.value_type,
            required=line.required,
            target=expected.numeric_value if expected else None,
            precision=expected.value_precision if expected else None,
            limits=[RuleLimit(lim.limit_type, lim.operator, lim.value) for lim in line.limits],
            recorded_numeric=recorded.numeric_value if recorded else None,
            recorded_code=_recorded_code(recorded),
            choices=[rules.Choice(v.code, v.value or "") for v in line.values],
        )
    )
    row = _row(
        Characteristic,
        coupa_id=line.id,
        inspection_id=inspection_id,
        line_num=line.line_num,
        name=line.name,
        type=line.type,
        is_quantitative=line.is_quantitative,
        specification=line.specification or "",
        remarks=line.remarks or "",
        value_type=line.value_type,
        recording_type=line.recording_type or "",
        expected_id=expected.id if expected else None,
        target=expected.numeric_value if expected else None,
        precision=expected.value_precision if expected else None,
        qualitative_target=(expected.qualitative_value or "") if expected else "",
        recorded_id=recorded.id if recorded else None,
        recorded_numeric=recorded.numeric_value if recorded else None,
        recorded_code=(recorded.code or "") if recorded else "",
        recorded_qualitative=(recorded.qualitative_value or "") if recorded else "",
        recorded_decision=recorded.decision_value if recorded else None,
        verdict=str(judgement.verdict),
        verdict_reason=judgement.reason[:255],
        recorded_text=(judgement.chosen_text or "")[:255],
        expected_text=(judgement.expected_text or "")[:255],
        rounding_changed_verdict=judgement.rounding_changed_verdict,
    )
    return row, str(judgement.verdict)


def attachment_row(
    inspection_id: int, line_id: int | None, attachment: schemas.Attachment
) -> SimpleNamespace:
    """A file Coupa lists on an inspection's header (`line_id` None) or on one of its lines."""
    return _row(
        Attachment,
        coupa_id=attachment.id,
        inspection_id=inspection_id,
        characteristic_id=line_id,
        file_name=attachment.file_name or "",
        content_type=attachment.content_type or "",
        size=attachment.size,
        intent=attachment.intent or "",
        coupa_url=attachment.url or "",
        uploaded_at=attachment.created_at,
        uploaded_by=attachment.created_by or "",
    )


def _recorded_code(recorded: schemas.RecordedCharacteristic | None) -> str | None:
    if recorded is None:
        return None
    if recorded.code is None and recorded.decision_value is not None:
        return "true" if recorded.decision_value else "false"  # a yes/no check's answer
    return recorded.code


def _roll_up(inspection: SimpleNamespace, judged: list[tuple[bool, str]]) -> None:
    inspection.verdict = str(rules.inspection_verdict(judged))
    inspection.characteristic_count = len(judged)
    inspection.failing_count = sum(v == rules.FAIL for _, v in judged)
    inspection.marginal_count = sum(v == rules.MARGINAL for _, v in judged)
    inspection.pending_count = sum(v == rules.PENDING for _, v in judged)
    inspection.disagreement = review_contradicts_verdict(
        inspection.status, inspection.review_decision, inspection.verdict
    )
