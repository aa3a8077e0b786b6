"""Events of our own writes that failed for good: an attachment upload, an exported flag
(issue 17, point 1), after the task's last retry or at Coupa's refusal.

The write services call `WriteFailures.tell` in the transaction that settles the write as failed,
so the event commits with that outcome or not at all. The key is the write's audit event (one
per request; a person's retry records a new one), so a redelivered task that settles the same
write again tells nobody twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from qualityhub.inspections.models import Inspection
from qualityhub.notifications import lines
from qualityhub.notifications.audience import Listener, listeners
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.publish import EventDraft, publish

REASON_SHOWN = 120  # characters of Coupa's reason in the line; the page shows it whole


class WriteFailures:
    """Tells of the failed writes of one task run: who may hear and the inspections' suppliers
    are read once, at the first failure, whatever the number of failures."""

    def __init__(self, inspection_ids: Iterable[int]) -> None:
        self.inspection_ids = set(inspection_ids)
        self._facts: dict[int, tuple] | None = None
        self._audience: list[Listener] | None = None

    def tell(
        self, key: str, inspection_id: int | None, write: str, reason: str, *, file_name: str = ""
    ) -> int:
        """Publish "<inspection>: <what> failed: <reason>"; returns the notifications made.
        `key` names the write (`audit_key`); `write` what failed (`lines.UPLOAD` of `file_name`,
        `lines.MARK_EXPORTED`, `lines.CLEAR_EXPORTED`). No actor: the person who asked is told
        too (the failure is not their act)."""
        if self._facts is None:
            self._facts = _facts(self.inspection_ids | {inspection_id} - {None})
            self._audience = listeners()
        supplier_id, supplier_name, item_id, item_name = self._facts.get(
            inspection_id, (None, "", None, "")
        )
        args: lines.Args = (
            lines.inspection_args(inspection_id, supplier_name, supplier_id, item_name)
            if inspection_id is not None
            else {}
        )
        reason = " ".join(reason.split())
        if len(reason) > REASON_SHOWN:
            reason = reason[: REASON_SHOWN - 1] + "…"
        args |= {"write": write, "reason": reason}  # Coupa's reason, shown as Coupa gave it
        if file_name:
            args["file"] = file_name
        draft = EventDraft(
            key=key,
            kind=Kind.WRITE_FAILED,
            line_args=args,
            inspection_id=inspection_id,
            supplier_id=supplier_id,
            item_id=item_id,
        )
        return publish([draft], audience=self._audience)


def audit_key(audit_event_id: int | None, fallback: str) -> str:
    """The event key of a failed write: its audit event's, else `fallback` (a row's own id)."""
    if audit_event_id is not None:
        return f"{Kind.WRITE_FAILED}:audit-{audit_event_id}"
    return f"{Kind.WRITE_FAILED}:{fallback}"


def _facts(inspection_ids: set[int]) -> dict[int, tuple]:
    rows = Inspection.objects.filter(coupa_id__in=inspection_ids).values_list(
        "coupa_id", "supplier_id", "supplier_name", "item_id", "item_name"
    )
    return {coupa_id: facts for coupa_id, *facts in rows}
