"""The collaboration simulator: suppliers record and submit, buyers review and close.

`advance(count)` moves up to `count` non-Closed inspections one step each, the least recently
modified first. Each step draws from a `Random` seeded with (seed, id, step), so a step is
reproducible whatever else happened.
"""

from __future__ import annotations

import random
from typing import Any

from . import catalogue as cat
from .documents import ordered_inspection
from .seeding import REMARK_SHARE, REMARKS, decide
from .store import Store
from .values import is_recorded, is_required, record
from .wire import format_datetime

NEXT_STATUS = {"open": "In Progress", "in progress": "In Buyer Review", "in buyer review": "Closed"}


def advance(store: Store, seed: int, count: int) -> list[int]:
    """Move up to `count` inspections one step; returns their ids in the order moved."""
    moved: list[int] = []
    with store.transaction():
        for doc in store.oldest_unclosed(max(0, count)):
            current = str(doc.get("status", "")).strip().lower()
            target = NEXT_STATUS.get(current)
            if target is None:
                continue
            rng = random.Random(f"{seed}:{doc['id']}:{target}")
            stamp = format_datetime(store.stamp(), fraction=True)
            _STEPS[target](rng, doc, stamp)
            doc["status"] = target
            doc["modifiedAt"] = stamp
            store.save(ordered_inspection(doc))
            moved.append(doc["id"])
    return moved


def _chars(doc: dict[str, Any]) -> list[dict[str, Any]]:
    chars = doc.get("characteristics")
    return chars if isinstance(chars, list) else []


def _record(rng: random.Random, char: dict[str, Any]) -> None:
    record(rng, char)
    if rng.random() < REMARK_SHARE:
        char["remarks"] = rng.choice(REMARKS)


def _start(rng: random.Random, doc: dict[str, Any], stamp: str) -> None:
    """Open → In Progress: the supplier records about half of the lines."""
    pending = [char for char in _chars(doc) if not is_recorded(char)]
    if pending:
        for char in rng.sample(pending, max(1, len(pending) // 2)):
            _record(rng, char)
    doc["modifiedBy"] = cat.supplier_user(_supplier(doc))


def _submit(rng: random.Random, doc: dict[str, Any], stamp: str) -> None:
    """In Progress → In Buyer Review: every required line recorded, then submitted."""
    for char in _chars(doc):
        if is_recorded(char):
            continue
        if is_required(char) or rng.random() < 0.5:
            _record(rng, char)
    supplier = _supplier(doc)
    doc["submittedDate"] = stamp
    doc["submittedBy"] = cat.supplier_contact(supplier)
    doc["modifiedBy"] = cat.supplier_user(supplier)


def _close(rng: random.Random, doc: dict[str, Any], stamp: str) -> None:
    """In Buyer Review → Closed: the buyer accepts or rejects."""
    decision, (text, kind, code) = decide(rng, _chars(doc))
    buyer = rng.randrange(len(cat.BUYERS))
    doc.update(
        reviewDecision=decision,
        resolutionReasonText=text,
        resolutionReasonType=kind,
        resolutionReasonCode=code,
        reviewedDate=stamp,
        reviewedBy=cat.BUYERS[buyer],
        modifiedBy=20 + buyer,
    )


def _supplier(doc: dict[str, Any]) -> int:
    supplier = doc.get("supplierId")
    return supplier if isinstance(supplier, int) else 0


_STEPS = {"In Progress": _start, "In Buyer Review": _submit, "Closed": _close}
