"""Malformed records: a share of inspections served damaged in list and GET responses.

The choice hashes (seed, id, modifiedAt), so the same records stay malformed until they change,
and the kind of damage varies between records. The inspection's own `id` is never touched.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

KINDS = (
    "supplier_id_text",
    "due_date_missing",
    "characteristics_not_list",
    "limit_value_text",
    "modified_at_text",
    "characteristic_without_id",
)


def _digest(seed: int, inspection_id: int, modified_key: str) -> bytes:
    text = f"{seed}:{inspection_id}:{modified_key}".encode()
    return hashlib.blake2b(text, digest_size=9).digest()


def is_malformed(seed: int, inspection_id: int, modified_key: str, rate: Decimal | float) -> bool:
    if rate <= 0:
        return False
    fraction = int.from_bytes(_digest(seed, inspection_id, modified_key)[:8]) / 2**64
    return fraction < rate


def damage(doc: dict[str, Any], seed: int, modified_key: str) -> dict[str, Any]:
    """A damaged copy of `doc`; falls back to another kind when one does not apply."""
    start = _digest(seed, doc["id"], modified_key)[8] % len(KINDS)
    for offset in range(len(KINDS)):
        kind = KINDS[(start + offset) % len(KINDS)]
        damaged = _APPLY[kind](dict(doc))
        if damaged is not None:
            return damaged
    return doc


def _supplier_id_text(doc: dict[str, Any]) -> dict[str, Any]:
    doc["supplierId"] = f"SUP-{doc.get('supplierId')}"
    return doc


def _due_date_missing(doc: dict[str, Any]) -> dict[str, Any]:
    doc.pop("dueDate", None)
    return doc


def _characteristics_not_list(doc: dict[str, Any]) -> dict[str, Any]:
    chars = doc.get("characteristics") or []
    doc["characteristics"] = {str(char.get("lineNum", i)): char for i, char in enumerate(chars, 1)}
    return doc


def _limit_value_text(doc: dict[str, Any]) -> dict[str, Any] | None:
    chars = [dict(char) for char in doc.get("characteristics") or []]
    for char in chars:
        if char.get("expectedLimits"):
            limits = [dict(limit) for limit in char["expectedLimits"]]
            limits[-1]["comparisonValue"] = "n/a"
            char["expectedLimits"] = limits
            doc["characteristics"] = chars
            return doc
    return None


def _modified_at_text(doc: dict[str, Any]) -> dict[str, Any]:
    doc["modifiedAt"] = "yesterday"
    return doc


def _characteristic_without_id(doc: dict[str, Any]) -> dict[str, Any] | None:
    chars = [dict(char) for char in doc.get("characteristics") or []]
    if not chars:
        return None
    chars[0].pop("id", None)
    doc["characteristics"] = chars
    return doc


_APPLY = {
    "supplier_id_text": _supplier_id_text,
    "due_date_missing": _due_date_missing,
    "characteristics_not_list": _characteristics_not_list,
    "limit_value_text": _limit_value_text,
    "modified_at_text": _modified_at_text,
    "characteristic_without_id": _characteristic_without_id,
}
