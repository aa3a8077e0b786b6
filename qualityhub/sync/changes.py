"""What a refresh changed in one cached inspection: a snapshot before and after, compared.

`compare` and `describe` are pure (plain data in, a sentence out); `snapshot` reads the cache.
Only what Coupa sends counts: QualityHub's own columns (verdicts, counts, sync bookkeeping)
follow from it, and Coupa's modification time alone moving is no change anyone can see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit

# QualityHub's own columns, or ones that move with every edit without saying what changed.
NOT_COMPARED = {
    "inspection": {
        "verdict", "failing_count", "marginal_count", "pending_count", "characteristic_count",
        "disagreement", "content_hash", "synced_at", "gone_at", "last_seen_run",
        "supplier_name", "modified_at", "modified_by",
    },
    "line": {
        "inspection_id", "verdict", "verdict_reason", "recorded_text", "expected_text",
        "rounding_changed_verdict",
    },
}  # fmt: skip


@dataclass(frozen=True)
class Snapshot:
    """An inspection as cached: its header fields, and each line's fields with its limits and
    choices, by the line's Coupa id."""

    header: Mapping[str, Any]
    lines: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Changes:
    fields: tuple[str, ...] = ()  # header fields that changed, in the model's order
    changed: int = 0  # lines in both, with a different content
    added: int = 0
    removed: int = 0

    def __bool__(self) -> bool:
        return bool(self.fields or self.changed or self.added or self.removed)


#: The inspection was not cached before (or is not any more).
WHOLE = Changes(fields=("inspection",))


def compare(before: Snapshot | None, after: Snapshot | None) -> Changes:
    """What differs between two snapshots of one inspection (None: not cached)."""
    if before is None or after is None:
        return WHOLE if before is not after else Changes()
    fields = tuple(
        name for name in after.header if before.header.get(name) != after.header.get(name)
    )
    both = before.lines.keys() & after.lines.keys()
    return Changes(
        fields=fields,
        changed=sum(before.lines[line] != after.lines[line] for line in both),
        added=len(after.lines.keys() - before.lines.keys()),
        removed=len(before.lines.keys() - after.lines.keys()),
    )


def describe(changes: Changes) -> str:
    """The sentence the detail page shows after a refresh: "Updated: 2 lines changed."."""
    if not changes:
        return "No change in Coupa."
    if changes == WHOLE:
        return "Updated: the inspection is now in the cache."
    parts = []
    if changes.fields:
        names = [name.replace("_", " ") for name in changes.fields]
        parts.append(f"{_joined(names)} changed")
    for count, what in (
        (changes.changed, "changed"),
        (changes.added, "added"),
        (changes.removed, "removed"),
    ):
        if count:
            parts.append(f"{count} line{'s' if count != 1 else ''} {what}")
    return f"Updated: {'; '.join(parts)}."


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def snapshot(coupa_id: int) -> Snapshot | None:
    """The cached inspection as `compare` reads it (three queries), or None."""
    header_fields = _compared(Inspection, "inspection")
    header = Inspection.objects.filter(coupa_id=coupa_id).values(*header_fields).first()
    if header is None:
        return None
    lines: dict[int, dict[str, Any]] = {
        row["coupa_id"]: dict(row, limits=[], choices=[])
        for row in Characteristic.objects.filter(inspection_id=coupa_id).values(
            *_compared(Characteristic, "line")
        )
    }
    for model, key in ((Limit, "limits"), (ChoiceValue, "choices")):
        names = [f for f in _compared(model, "") if f not in {"id", "characteristic_id"}]
        rows = model.objects.filter(characteristic__inspection_id=coupa_id).order_by(
            "characteristic_id", "position"
        )
        for line_id, *values in rows.values_list("characteristic_id", *names):
            if line_id in lines:
                lines[line_id][key].append(tuple(values))
    return Snapshot(header, lines)


def _compared(model, kind: str) -> list[str]:
    skipped = NOT_COMPARED.get(kind, set())
    return [f.attname for f in model._meta.concrete_fields if f.attname not in skipped]
