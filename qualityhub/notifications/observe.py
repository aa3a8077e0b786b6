"""Events from what the sync wrote: a rejection, an acceptance our check contradicts, a marginal
value (issue 17, point 1).

Called by `sync.effects.page_written` inside the page's transaction with the rows the page is
writing, so it reads nothing of its own: the events commit with the page or roll back with it
(and the page is read again by the next run). Keys are deterministic, so a page written twice
(a run repeated, a redelivered task, a worker killed before its commit) finds its events known
and tells nobody twice. `docs/notifications-events.md` lists each event and its key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from qualityhub.coupa.vocabulary import Decision
from qualityhub.notifications import lines
from qualityhub.notifications.kinds import Kind
from qualityhub.notifications.publish import EventDraft, publish
from qualityhub.verdicts.choices import InspectionVerdict, Verdict

#: An inspection row and its characteristic rows, as the sync writes them (plain namespaces or
#: model instances: only attributes are read).
Written = tuple[Any, Sequence[Any]]


def lookback_start(now: datetime) -> datetime:
    """The oldest moment whose happenings still make an event: a first sync of a big tenant (or
    one after a long outage) does not tell everyone of years of history."""
    return now - timedelta(days=settings.NOTIFY_LOOKBACK_DAYS)


def stamp(moment: datetime) -> str:
    """A moment as a key writes it: in UTC, whatever offset Coupa or the database gave."""
    return moment.astimezone(UTC).isoformat()


def observe_written(written: Iterable[Written], now: datetime) -> int:
    """Publish the events of a page the sync is writing (in its transaction); returns the
    notifications made."""
    drafts = drafts_for_written(written, now)
    return publish(drafts) if drafts else 0


def drafts_for_written(written: Iterable[Written], now: datetime) -> list[EventDraft]:
    """The events the rows show, for what happened within the look-back window. Pure: no
    database, no clock."""
    since = lookback_start(now)
    drafts: list[EventDraft] = []
    for inspection, characteristics in written:
        drafts.extend(_decision_events(inspection, since, now))
        drafts.extend(_marginal_events(inspection, characteristics, since, now))
    return drafts


def _decision_events(row: Any, since: datetime, now: datetime) -> list[EventDraft]:
    decision = row.review_decision
    if decision == Decision.REJECTED:
        kind = Kind.REJECTED
    elif decision == Decision.ACCEPTED and row.verdict == InspectionVerdict.FAIL:
        # The verdict is `fail` exactly when a required characteristic fails our check.
        kind = Kind.ACCEPTED_FAILING
    else:
        return []
    # The decision's own time when Coupa gives it; a new review (another date) is a new event.
    at = row.reviewed_date or row.modified_at
    if at is None or at < since:
        return []
    reviewed = stamp(row.reviewed_date) if row.reviewed_date else "-"
    return [
        EventDraft(
            key=f"{kind}:{row.coupa_id}:{reviewed}",
            kind=kind,
            line_args=_inspection_args(row),
            inspection_id=row.coupa_id,
            supplier_id=row.supplier_id,
            item_id=row.item_id,
            at=min(at, now),
        )
    ]


def _marginal_events(
    row: Any, characteristics: Sequence[Any], since: datetime, now: datetime
) -> list[EventDraft]:
    # Coupa dates no line: a value is as recent as the record that carries it.
    at = row.modified_at
    if at is None or at < since:
        return []
    drafts = []
    for line in characteristics:
        if line.verdict != Verdict.MARGINAL:
            continue
        shown, fingerprint = _recorded(line)
        args = _inspection_args(row) | {"line": line.name or "", "value": shown}
        if line.recorded_numeric is not None:
            args["number"] = True  # shown with the reader's decimal mark
        drafts.append(
            EventDraft(
                # One event per line and recorded value: the same value seen again is the same.
                key=f"{Kind.MARGINAL}:{line.coupa_id}:{fingerprint}",
                kind=Kind.MARGINAL,
                line_args=args,
                inspection_id=row.coupa_id,
                characteristic_id=line.coupa_id,
                supplier_id=row.supplier_id,
                item_id=row.item_id,
                at=min(at, now),
            )
        )
    return drafts


def _recorded(line: Any) -> tuple[str, str]:
    """The recorded value as shown, and as put in a key (short, and the same for the same
    value however many trailing zeros Coupa prints)."""
    numeric = line.recorded_numeric
    if numeric is not None:
        text = format(Decimal(numeric).normalize(), "f")
        return text, text[:60]
    shown = line.recorded_text or line.recorded_code or line.recorded_qualitative or ""
    parts = (line.recorded_code, line.recorded_qualitative, line.recorded_decision)
    digest = hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()[:16]
    return shown[:80], digest


def _inspection_args(row: Any) -> lines.Args:
    return lines.inspection_args(row.coupa_id, row.supplier_name, row.supplier_id, row.item_name)
