"""What an import's page shows per inspection: its preview entry and, once sent, its request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualityhub.creation.models import CreationRequest, ImportBatch

State = CreationRequest.State


@dataclass(frozen=True)
class BatchRow:
    entry: dict[str, Any]
    request: CreationRequest | None  # the request with this external id, from any source
    mine: bool  # the request was queued by this import

    @property
    def sendable(self) -> bool:
        """Would be (or was) sent by this import."""
        if self.mine:
            return True
        if self.entry["errors"] or not self.entry["payload"]:
            return False
        return self.request is None or self.request.state in (State.REFUSED, State.FAILED)

    @property
    def note(self) -> str:
        """Why this import leaves it alone, if it does."""
        if self.mine or self.sendable:
            return ""
        if self.entry["errors"]:
            return "Has errors: not sent."
        if self.request is not None and self.request.state == State.CREATED:
            return f"Already created as inspection {self.request.coupa_id}: not sent again."
        return "Already being sent from elsewhere: not sent again."


def batch_rows(batch: ImportBatch) -> list[BatchRow]:
    keys = [entry["external_id"] for entry in batch.entries if entry["external_id"]]
    requests = {r.external_id: r for r in CreationRequest.objects.filter(external_id__in=keys)}
    rows = []
    for entry in batch.entries:
        request = requests.get(entry["external_id"])
        mine = request is not None and request.batch_id == batch.pk
        rows.append(BatchRow(entry, request, mine))
    return rows
