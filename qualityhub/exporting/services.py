"""Setting and clearing Coupa's exported flag: recording a request, and sending it.

A request becomes rows first (a batch, one item and one audit event per inspection) and only then
goes to Coupa through the worker, so nothing a person asked for is lost when Coupa is slow, down or
refuses: the item stays pending while the task retries, and ends failed with Coupa's reason (and
a way to try again) when it cannot be done. The caller queues a recorded batch
(`tasks.queue_batch`): a service never imports a task.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation

from qualityhub.audit.record import record_many, settle
from qualityhub.coupa import CoupaClient, CoupaError, CoupaNotFound, CoupaUnavailable
from qualityhub.exporting.models import Action, ExportBatch, ExportItem
from qualityhub.exporting.queries import exports_idle
from qualityhub.inspections.models import Inspection
from qualityhub.notifications import lines
from qualityhub.notifications.write_failed import WriteFailures, audit_key

MAX_BULK = 5000
Outcome = ExportItem.Outcome


def start_batch(
    action: str,
    scope: str,
    inspection_ids: Sequence[int],
    *,
    user=None,
    query: str = "",
    retry_of: ExportBatch | None = None,
) -> ExportBatch:
    """Record the request: the batch, its items and their audit events, in one transaction.
    The caller queues it (`tasks.queue_batch`)."""
    if action not in Action.values:
        raise ValueError(f"unknown action {action!r}")
    if not inspection_ids or len(inspection_ids) > MAX_BULK:
        raise ValueError(f"a batch holds 1 to {MAX_BULK} inspections, not {len(inspection_ids)}")
    now = timezone.now()
    with transaction.atomic():
        batch = ExportBatch.objects.create(
            action=action,
            scope=scope,
            created_at=now,
            created_by=user if user is not None and user.is_authenticated else None,
            query=query,
            total=len(inspection_ids),
            retry_of=retry_of,
        )
        events = _record_events(batch, inspection_ids)
        ExportItem.objects.bulk_create(
            (
                ExportItem(batch=batch, inspection_id=iid, event_id=event.pk, updated_at=now)
                for iid, event in zip(inspection_ids, events, strict=True)
            ),
            batch_size=500,
        )
    return batch


def _record_events(batch: ExportBatch, inspection_ids: Sequence[int]) -> list:
    """One pending audit event per inspection, in one INSERT."""
    with translation.override(None):  # the audit trail keeps English, whoever asked
        label = batch.get_action_display()
    summary = f"{label} in Coupa"
    if batch.scope != ExportBatch.Scope.ONE:
        summary += f" (bulk action #{batch.pk}, {batch.total} inspections)"
    return record_many(inspection_ids, batch.action, summary, user=batch.created_by)


def retry_batch(batch: ExportBatch, user=None) -> ExportBatch | None:
    """A new batch for the failed items (and pending ones whose task was lost); None if none."""
    retryable = Q(outcome=Outcome.FAILED)
    if exports_idle():
        retryable |= Q(outcome=Outcome.PENDING)
    ids = list(batch.items.filter(retryable).values_list("inspection_id", flat=True))
    if not ids:
        return None
    return start_batch(
        batch.action, ExportBatch.Scope.RETRY, ids, user=user, query=batch.query, retry_of=batch
    )


# --- sending (the worker's side) ----------------------------------------------------------


def send_items(client: CoupaClient, item_ids: Sequence[int], *, give_up: bool = False) -> dict:
    """Send each still-pending item to Coupa and settle it; returns counts by outcome.

    `CoupaUnavailable` is re-raised (after noting the attempt) so the task retries later; items
    already settled are skipped then. With `give_up` (the task's last try) the item and the
    rest of the chunk fail instead, with the reason, so the person can try again.
    """
    items = list(
        ExportItem.objects.filter(pk__in=item_ids, outcome=Outcome.PENDING)
        .select_related("batch")
        .order_by("pk")
    )
    newest = _newest_item_per_inspection(items)
    counts = dict.fromkeys(Outcome.values, 0)
    unavailable: CoupaUnavailable | None = None
    failures = WriteFailures(item.inspection_id for item in items)
    for item in items:
        if newest[item.inspection_id] > item.pk:
            outcome = _finish(item, Outcome.SUPERSEDED, "Not sent: a later request replaced it.")
        elif unavailable is not None:
            outcome = _finish(item, Outcome.FAILED, _gave_up_reason(unavailable), tell=failures)
        else:
            try:
                outcome = _send(client, item, failures)
            except CoupaUnavailable as exc:
                if not give_up:
                    _note_attempt([i.pk for i in items], exc)
                    raise
                unavailable = exc
                outcome = _finish(item, Outcome.FAILED, _gave_up_reason(exc), tell=failures)
        counts[outcome] += 1
    return counts


def _newest_item_per_inspection(items: list[ExportItem]) -> dict[int, int]:
    """The newest request per inspection: an older one still pending must not undo it."""
    rows = (
        ExportItem.objects.filter(inspection_id__in={item.inspection_id for item in items})
        .values("inspection_id")
        .annotate(newest=Max("pk"))
    )
    return {row["inspection_id"]: row["newest"] for row in rows}


def _send(client: CoupaClient, item: ExportItem, failures: WriteFailures) -> str:
    marking = item.batch.action == Action.MARK
    call = client.mark_exported if marking else client.reset_exported
    try:
        answer = call(item.inspection_id)
    except CoupaNotFound as exc:
        # Coupa no longer has it: the cache says so too, as a refresh would.
        Inspection.objects.filter(coupa_id=item.inspection_id, gone_at__isnull=True).update(
            gone_at=timezone.now()
        )
        return _finish(item, Outcome.FAILED, _error_text(exc), _answer_of_error(exc), tell=failures)
    except CoupaUnavailable:
        raise
    except CoupaError as exc:
        return _finish(item, Outcome.FAILED, _error_text(exc), _answer_of_error(exc), tell=failures)
    exported = marking if answer is None else answer.exported
    Inspection.objects.filter(coupa_id=item.inspection_id).update(exported=exported)
    if answer is None:
        return _finish(item, Outcome.SUCCEEDED, "Coupa accepted it (no record in the answer).")
    said = f"Coupa answered: exported = {'true' if answer.exported else 'false'}"
    if answer.modified_at:
        said += f", modified at {answer.modified_at.isoformat()}"
    if exported != marking:
        return _finish(
            item, Outcome.FAILED, f"Coupa did not change the flag. {said}.", tell=failures
        )
    return _finish(item, Outcome.SUCCEEDED, said + ".")


def _finish(
    item: ExportItem,
    outcome: str,
    reason: str,
    coupa_answer: str = "",
    *,
    tell: WriteFailures | None = None,
) -> str:
    """Settle the item and its audit event; a failure is told (`tell`) in the same transaction."""
    with transaction.atomic():
        ExportItem.objects.filter(pk=item.pk).update(
            outcome=outcome, reason=reason[:4000], updated_at=timezone.now()
        )
        if item.event_id is not None:
            settled = "succeeded" if outcome == Outcome.SUCCEEDED else "failed"
            settle(item.event_id, settled, coupa_answer or reason)
        if outcome == Outcome.FAILED and tell is not None:
            write = lines.MARK_EXPORTED if item.batch.marks else lines.CLEAR_EXPORTED
            tell.tell(
                audit_key(item.event_id, f"export-item-{item.pk}"),
                item.inspection_id,
                write,
                reason,
            )
    return outcome


def _note_attempt(item_ids: list[int], exc: CoupaUnavailable) -> None:
    """The chunk waits for the task's retry together: say why, and that it is not stuck."""
    ExportItem.objects.filter(pk__in=item_ids, outcome=Outcome.PENDING).update(
        attempts=F("attempts") + 1, reason=_error_text(exc)[:4000], updated_at=timezone.now()
    )


def _gave_up_reason(exc: CoupaUnavailable) -> str:
    return f"Coupa stayed unavailable through every retry. {_error_text(exc)}"


def _error_text(exc: CoupaError) -> str:
    text = exc.message or str(exc)
    field_errors = getattr(exc, "field_errors", None) or {}
    details = "; ".join(
        msg if name == "base" else f"{name}: {msg}"
        for name, messages in field_errors.items()
        for msg in messages
        if msg not in text
    )
    text = f"{text} ({details})" if details else text
    if exc.status and str(exc.status) not in text:
        text = f"Coupa answered {exc.status}: {text}"
    return text


def _answer_of_error(exc: CoupaError) -> str:
    return f"HTTP {exc.status}\n{exc.body}" if exc.status else _error_text(exc)
