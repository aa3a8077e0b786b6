"""Deterministic seed data: the spec's example as inspection 1, then generated inspections.

Everything is drawn from one `random.Random(seed)`, and dates are relative to `today` (UTC), so a
seed, a count and a day always give the same data set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import catalogue as cat
from .documents import Sequences, characteristic_from_spec, item_quantity, ordered_inspection
from .items import ITEMS
from .values import conforms, is_required, record
from .wire import format_datetime, loads

SPEC_EXAMPLE_PATH = Path(__file__).with_name("seed_inspection.json")

STATUS_WEIGHTS = (("Open", 20), ("In Progress", 20), ("In Buyer Review", 15), ("Closed", 45))
EXPORTED_SHARE = 0.6  # of Closed inspections
DISAGREE_SHARE = 0.06  # Closed inspections whose decision contradicts the recorded values
OPTIONAL_RECORDED_SHARE = 0.6
REMARK_SHARE = 0.08
REMARKS = (
    "Measured on 5 samples, mean reported",
    "Calibrated gauge used",
    "See certificate of analysis",
    "Retest after recalibration",
)


@dataclass
class Generated:
    docs: list[dict[str, Any]]
    sequences: Sequences


def load_spec_example() -> dict[str, Any]:
    return loads(SPEC_EXAMPLE_PATH.read_text(encoding="utf-8"))


def generate(seed: int, count: int, today: date | None = None) -> Generated:
    """Inspection 1 (the spec example) plus inspections 2..count."""
    today = today or datetime.now(UTC).date()
    rng = random.Random(seed)
    example = load_spec_example()
    ids = Sequences()
    ids.observe(example)
    docs = [example]
    for inspection_id in range(2, count + 1):
        ids.last["inspection"] = inspection_id
        docs.append(_inspection(rng, inspection_id, ids, today))
    return Generated(docs, ids)


def suppliers_of(item: cat.Item) -> tuple[int, ...]:
    """Each item is bought from two or three fixed suppliers."""
    count = len(cat.SUPPLIER_IDS)
    ids = {(item.id * 7 + k * 5) % count + 1 for k in range(2 + item.id % 2)}
    return tuple(sorted(ids))


def _stamp(value: datetime) -> str:
    return format_datetime(value, fraction=False)


def _inspection(rng: random.Random, inspection_id: int, ids: Sequences, today: date) -> dict:
    item = rng.choice(ITEMS)
    supplier = rng.choice(suppliers_of(item))
    status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
    midnight = datetime.combine(today, time(), UTC)
    modified = midnight - timedelta(seconds=rng.randint(600, 90 * 86400))
    age = rng.randint(60, 3600) if status == "Open" else rng.randint(3600, 20 * 86400)
    created = modified - timedelta(seconds=age)
    requested_by = rng.choice(cat.REQUESTERS)
    chars = [
        characteristic_from_spec(spec, line, inspection_id, ids)
        for line, spec in enumerate(item.chars, 1)
    ]
    _record_for_status(rng, status, chars)
    low, high = item.quantity
    quantity = rng.randint(low, high)
    doc: dict[str, Any] = {
        "id": inspection_id,
        "type": "Inspection",
        "status": status,
        "requestDate": _stamp(created - timedelta(hours=rng.randint(1, 72))),
        "dueDate": _due_date(rng, status, created, today),
        "supplierId": supplier,
        "itemId": item.id,
        "itemName": item.name,
        "itemDescription": item.description,
        "warehouseId": rng.randint(1, 4),
        "buyerBatchNumber": f"B{created:%y%m}-{rng.randint(1000, 9999)}",
        "supplierPartNumber": item.supplier_part,
        "buyerPartNumber": item.buyer_part,
        "itemQuantity": item_quantity(Decimal(quantity)),
        "sampleSize": min(quantity, rng.choice((1, 3, 5, 8, 13, 20, 32))),
        "uom": item.uom,
        "requestedBy": requested_by,
        "refDocumentType": "Purchase Order",
        "refDocumentId": f"EXTPO_{rng.randint(100, 9999):04d}",
        "refDocumentItem": f"{10 * rng.randint(1, 8):04d}",
        "externalInspectionId": f"EXT_QI_{inspection_id:05d}" if rng.random() < 0.9 else None,
        "createdAt": _stamp(created),
        "createdBy": cat.INTEGRATION_USER if rng.random() < 0.7 else requested_by,
        "modifiedAt": _stamp(modified),
        "modifiedBy": requested_by if status == "Open" else cat.supplier_user(supplier),
        "exported": False,
        "characteristics": chars,
    }
    if status in ("In Buyer Review", "Closed"):
        submitted = modified if status == "In Buyer Review" else created + (modified - created) / 2
        doc["submittedDate"] = _stamp(submitted)
        doc["submittedBy"] = cat.supplier_contact(supplier)
    if status == "Closed":
        _close(rng, doc, modified)
    return ordered_inspection(doc)


def _due_date(rng: random.Random, status: str, created: datetime, today: date) -> str:
    hour = rng.choice((10, 12, 16))
    if status == "Closed":
        due = created.date() + timedelta(days=rng.randint(7, 30))
    else:
        roll = rng.random()
        if roll < 0.25:
            due = today - timedelta(days=rng.randint(1, 30))  # overdue
        elif roll < 0.5:
            due = today + timedelta(days=rng.randint(0, 6))  # due this week
        else:
            due = today + timedelta(days=rng.randint(7, 75))
        due = max(due, created.date() + timedelta(days=1))
    return _stamp(datetime.combine(due, time(hour), UTC))


def _record_for_status(rng: random.Random, status: str, chars: list[dict]) -> None:
    if status == "Open":
        return
    if status == "In Progress":
        chosen = rng.sample(chars, rng.randint(1, max(1, len(chars) - 1)))
    else:
        chosen = [
            char for char in chars if is_required(char) or rng.random() < OPTIONAL_RECORDED_SHARE
        ]
    chosen_ids = {char["id"] for char in chosen}
    for char in chars:
        if char["id"] in chosen_ids:
            record(rng, char)
            if rng.random() < REMARK_SHARE:
                char["remarks"] = rng.choice(REMARKS)


def decide(rng: random.Random, chars: list[dict]) -> tuple[str, tuple[str, str, str]]:
    """The buyer's decision: Rejected when a required value is out of limits, rarely not."""
    in_spec = all(conforms(char) for char in chars if is_required(char))
    if rng.random() < DISAGREE_SHARE:
        return ("Rejected", cat.DISAGREE_REJECT) if in_spec else ("Accepted", cat.DISAGREE_ACCEPT)
    if in_spec:
        return "Accepted", rng.choice(cat.ACCEPT_REASONS)
    return "Rejected", rng.choice(cat.REJECT_REASONS)


def _close(rng: random.Random, doc: dict[str, Any], reviewed: datetime) -> None:
    decision, (text, kind, code) = decide(rng, doc["characteristics"])
    buyer = rng.randrange(len(cat.BUYERS))
    doc.update(
        reviewDecision=decision,
        resolutionReasonText=text,
        resolutionReasonType=kind,
        resolutionReasonCode=code,
        reviewedDate=_stamp(reviewed),
        reviewedBy=cat.BUYERS[buyer],
        modifiedBy=20 + buyer,
        exported=rng.random() < EXPORTED_SHARE,
    )
