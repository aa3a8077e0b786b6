"""Pull Coupa's inspections into the cache.

A run walks the list endpoint page by page. Each page is written in one transaction with batched
upserts, so a crash leaves every inspection either as before or as after; records whose content
did not change are detected by hash and not rewritten. The incremental cursor moves only when a
walk finished, so a run that dies half-way is simply repeated by the next one.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from qualityhub.coupa import CoupaClient, CoupaError, CoupaNotFound, CoupaParseError, schemas
from qualityhub.coupa.client import MODIFIED_SINCE, PAGE_SIZE
from qualityhub.coupa.schemas import parse_inspection
from qualityhub.directory.names import supplier_names
from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit
from qualityhub.sync import changes, effects
from qualityhub.sync.claims import merge_errors, refused_moves
from qualityhub.sync.freshness import forget_freshness
from qualityhub.sync.lock import sync_lock
from qualityhub.sync.mapping import InspectionRows, content_hash, rows_for
from qualityhub.sync.models import MAX_RECORDED_ERRORS, SyncCursor, SyncRun
from qualityhub.sync.read_ahead import ReadAhead
from qualityhub.sync.upsert import upsert

logger = logging.getLogger(__name__)

CURSOR_NAME = "inspections"
Progress = Callable[[SyncRun], None]


class SyncInterrupted(Exception):
    """Raised by `stop_after_pages` to stop a run half-way (for tests of crash safety)."""


class SyncTakenOver(Exception):
    """The lease went to another run (which took this one for dead): stop at the page's end."""


@dataclass
class PageResult:
    changed_ids: list[int] = field(default_factory=list)
    max_modified: datetime | None = None
    unidentified: int = 0  # records without a usable id: what they stand for cannot be told


def run_sync(
    mode: str,
    *,
    client: CoupaClient,
    coupa_id: int | None = None,
    attachments: str = "inline",
    tasks: effects.Tasks | None = None,
    progress: Progress | None = None,
    stop_after_pages: int | None = None,
    task_id: str | None = None,
) -> SyncRun:
    """Run one sync under the lock and record it. `attachments`: inline, queue or skip; to
    queue, `tasks` are the Celery tasks to queue (see `effects.py`).

    Returns the finished `SyncRun`; its outcome is `refused` when another sync held the lock.
    Raises what made the run fail after recording it, so a Celery task can retry.
    `task_id`: the Celery task's id, so a redelivery of it inherits the lock its lost worker held.
    """
    if attachments == "queue" and tasks is None:
        raise ValueError("queueing attachment lists needs the tasks to queue")
    run = SyncRun.objects.create(mode=mode, target_id=coupa_id, started_at=timezone.now())
    task = f"task:{task_id} " if task_id else ""
    with sync_lock(f"{task}run-{run.pk}", ttl=_lock_ttl(mode), heir_of=task) as lease:
        if lease is None:
            run.outcome = SyncRun.Outcome.REFUSED
            run.finished_at = timezone.now()
            run.save(update_fields=["outcome", "finished_at"])
            return run
        try:
            if lease.took_over_from:
                _recover_abandoned(lease.took_over_from, run, client, attachments, tasks)
            if mode == SyncRun.Mode.ONE:
                _refresh_one(client, run, coupa_id, attachments)
            else:
                renew = lease.renew
                _walk(client, run, mode, attachments, tasks, progress, renew, stop_after_pages)
        except (CoupaError, SyncInterrupted, SyncTakenOver) as exc:
            _finish(run, SyncRun.Outcome.FAILED, str(exc))
            raise
        except Exception as exc:
            logger.exception("sync run %s crashed", run.pk)
            _finish(run, SyncRun.Outcome.FAILED, f"{type(exc).__name__}: {exc}")
            raise
        _finish(run, SyncRun.Outcome.SUCCEEDED, run.message)  # what the walk had to say
    effects.run_finished(run, attachments, tasks)
    return run


def _lock_ttl(mode: str) -> timedelta:
    # Longer than the task's hard time limit: a live run never loses its lock to the clock.
    limits = settings.SYNC_TIME_LIMITS[mode]
    return timedelta(seconds=limits[1] + 60)


def _recover_abandoned(
    owner: str, run: SyncRun, client: CoupaClient, attachments: str, tasks: effects.Tasks | None
) -> None:
    """Tidy after a run that died holding the lease: record it as failed, and read again the
    attachment lists of what it wrote. It may have died between a page's commit and queueing
    those lists, and its pages now look unchanged, so no later run would read them."""
    abandoned = owner.rpartition("run-")[2]
    if not abandoned.isdigit():
        return
    SyncRun.objects.filter(pk=abandoned, outcome=SyncRun.Outcome.RUNNING).update(
        outcome=SyncRun.Outcome.FAILED,
        message=f"Interrupted: the worker running it was lost; run {run.pk} took over.",
        finished_at=timezone.now(),
    )
    if attachments == "skip":
        return
    written = list(
        Inspection.objects.filter(last_seen_run=abandoned).values_list("coupa_id", flat=True)
    )
    for start in range(0, len(written), PAGE_SIZE):
        effects.page_committed(client, run, written[start : start + PAGE_SIZE], attachments, tasks)


def _finish(run: SyncRun, outcome: str, message: str) -> None:
    run.refresh_from_db()
    run.outcome = outcome
    run.message = message[:2000]
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "message", "finished_at"])
    forget_freshness()


def _walk(
    client: CoupaClient,
    run: SyncRun,
    mode: str,
    attachments: str,
    tasks: effects.Tasks | None,
    progress: Progress | None,
    renew_lock: Callable[[], bool],
    stop_after_pages: int | None,
) -> None:
    full = mode == SyncRun.Mode.FULL
    cursor = SyncCursor.objects.filter(name=CURSOR_NAME).first()
    filters: dict[str, Any] = {}
    if not full and cursor and cursor.modified_since:
        since = cursor.modified_since - timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
        filters[MODIFIED_SINCE] = since
        run.cursor_from = since
    walk = client.iter_pages(filters)
    newest: datetime | None = None
    unidentified = 0
    # A pipeline of three threads: one waits for Coupa's pages, one parses and judges them (pure
    # work, no database), this one writes them. Coupa's time, ours and the database's overlap.
    with (
        ReadAhead(walk) as fetched,
        ReadAhead(read_page(records) for records in fetched) as pages,
    ):
        for read in pages:
            result = write_read_page(client, run, read, full=full)
            unidentified += result.unidentified
            if result.max_modified and (newest is None or result.max_modified > newest):
                newest = result.max_modified
            if result.changed_ids:
                effects.page_committed(client, run, result.changed_ids, attachments, tasks)
            if not renew_lock():
                raise SyncTakenOver("another run took the sync over, taking this one for dead")
            if progress:
                progress(run)
            if stop_after_pages and run.pages >= stop_after_pages:
                raise SyncInterrupted(f"stopped after {run.pages} pages as asked")
    if full:
        _mark_gone_if_whole(run, walk.doubt, unidentified)
    elif walk.truncated:
        run.message = f"{walk.doubt}."
    _move_cursor(run, cursor, newest)


def _mark_gone_if_whole(run: SyncRun, doubt: str, unidentified: int) -> None:
    """Gone means absent from the whole list: never concluded from a list that may not be."""
    if not doubt and unidentified:
        doubt = f"{unidentified} records came without a usable id"
    if doubt:
        run.message = f"{doubt}; nothing was marked gone in this run."
    else:
        run.gone = _mark_gone(run)


def _move_cursor(run: SyncRun, cursor: SyncCursor | None, newest: datetime | None) -> None:
    fields = ["gone", "message"]
    previous = cursor.modified_since if cursor else None
    if newest is not None and (previous is None or newest > previous):
        SyncCursor.objects.update_or_create(name=CURSOR_NAME, defaults={"modified_since": newest})
        run.cursor_to = newest
        fields.append("cursor_to")
    run.save(update_fields=fields + ["cursor_from"])


@dataclass
class ReadRecord:
    """One record of a page, worked out as far as it can be without the cache (so in the
    thread that reads ahead, while the previous page is written)."""

    raw: Any
    parsed: schemas.Inspection | None = None
    error: CoupaParseError | None = None
    digest: str = ""
    rows: InspectionRows | None = None  # when the record came with its lines


def read_page(records: list[Any]) -> list[ReadRecord]:
    """Parse, hash and judge a page of raw records; malformed ones carry their error."""
    now = timezone.now()
    read = []
    for raw in records:
        # Hand the interpreter lock over between records: the writing thread needs it back after
        # each of its ~30 database round trips a page, and a busy thread only gives it up every
        # 5 ms (sys.getswitchinterval) — the writer spent more time waiting for the lock than for
        # the database (a page: 46 ms before, 39–41 ms after).
        time.sleep(0)
        try:
            parsed = parse_inspection(raw)
        except CoupaParseError as exc:
            read.append(ReadRecord(raw, error=exc))
            continue
        record = ReadRecord(raw, parsed)
        if parsed.characteristics is not None:
            record.digest = content_hash(raw)
            record.rows = rows_for(parsed, record.digest, now)
        read.append(record)
    return read


def write_page(
    client: CoupaClient, run: SyncRun, records: list[Any], *, full: bool = False
) -> PageResult:
    """Write one page of raw records in one transaction; malformed ones are recorded, skipped."""
    return write_read_page(client, run, read_page(records), full=full)


def write_read_page(
    client: CoupaClient, run: SyncRun, read: list[ReadRecord], *, full: bool = False
) -> PageResult:
    """`write_page` for a page `read_page` has worked out."""
    now = timezone.now()
    # Malformed records exist upstream too: with a usable id they count as seen, never as gone.
    page_ids = {r.raw["id"] for r in read if _has_usable_id(r.raw)}
    page_ids.update(r.parsed.id for r in read if r.parsed)  # also when sent as "123" or 123.0
    cached = {
        row[0]: row[1:]
        for row in Inspection.objects.filter(coupa_id__in=page_ids).values_list(
            "coupa_id", "content_hash", "modified_at", "status"
        )
    }
    errors_before = len(run.errors)
    result = PageResult()
    changed: list[InspectionRows] = []
    unchanged: list[datetime | None] = []  # their modifiedAt
    for record in _without_repeated_inspections(run, read):
        if record.error:
            _record_error(run, record.raw, record.error)
            continue
        try:
            rows = _rows_if_changed(client, record, cached, now)
        except (CoupaParseError, CoupaNotFound) as exc:
            _record_error(run, record.raw, exc)
            continue
        if rows is None:
            unchanged.append(cached[record.parsed.id][1])
        else:
            changed.append(rows)
    changed = _without_line_collisions(run, changed)
    modified = [m for m in unchanged + [r.inspection.modified_at for r in changed] if m]
    result.max_modified = max(modified, default=None)
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        replaced = [r.inspection for r in changed if r.inspection.coupa_id in cached]
        _name_suppliers(changed)  # before the effects: a notification names the supplier
        effects.page_written(
            first_seen=[r.inspection for r in changed if r.inspection.coupa_id not in cached],
            moved=[
                (i, cached[i.coupa_id][2]) for i in replaced if cached[i.coupa_id][2] != i.status
            ],
            now=now,
            written=[(r.inspection, r.characteristics) for r in changed],
        )
        _upsert(changed, run, replaced=[i.coupa_id for i in replaced])
        if full and page_ids:
            # Malformed records exist upstream too: they count as seen, never as gone.
            Inspection.objects.filter(coupa_id__in=page_ids).exclude(
                coupa_id__in=[r.inspection.coupa_id for r in changed]
            ).update(last_seen_run=run.pk, gone_at=None)
        run.pages += 1
        run.created += sum(r.inspection.coupa_id not in cached for r in changed)
        run.updated += sum(r.inspection.coupa_id in cached for r in changed)
        run.unchanged += len(unchanged)
        # An attachment task of this run may have added errors to the row meanwhile.
        merge_errors(run, run.errors[errors_before:])
        run.save(update_fields=["pages", "created", "updated", "unchanged", "skipped", "errors"])
    result.changed_ids = [r.inspection.coupa_id for r in changed]
    result.unidentified = sum(not r.parsed and not _has_usable_id(r.raw) for r in read)
    return result


def _name_suppliers(changed: list[InspectionRows]) -> None:
    """Each inspection written carries its supplier's name as the directory knows it now (the
    list sorts by it); a supplier the directory does not know yet is named once resolved."""
    names = supplier_names({rows.inspection.supplier_id for rows in changed})
    for rows in changed:
        name = names[rows.inspection.supplier_id]
        rows.inspection.supplier_name = name.text if name.known else ""


def _has_usable_id(raw: Any) -> bool:
    return isinstance(raw, Mapping) and _is_id(raw.get("id"))


def _commit_without_waiting_for_disk() -> None:
    # The cache is Coupa's copy: a page lost to a database crash in the last moments before it
    # is only read again by the next run, so its commit need not wait for the disk flush
    # (PostgreSQL stays consistent either way; the wait was a tenth of a page's time).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _is_id(value: Any) -> bool:
    # Out of the database's range, an id would fail the page's lookup, not just miss.
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


def _rows_if_changed(
    client: CoupaClient, record: ReadRecord, cached: dict[int, tuple], now: datetime
) -> InspectionRows | None:
    parsed = record.parsed
    previous = cached.get(parsed.id)
    if record.rows is None:
        # The list left the lines out: fetch the detail only when the record moved on.
        if previous and previous[1] == parsed.modified_at:
            return None
        raw = client.get_inspection_raw(parsed.id)
        parsed = parse_inspection(raw)
        digest = content_hash(raw)
        if previous and previous[0] == digest:
            return None
        return rows_for(parsed, digest, now)
    if previous and previous[0] == record.digest:
        return None
    return record.rows


def _record_error(run: SyncRun, raw: Any, exc: CoupaError) -> None:
    record_id = getattr(exc, "record_id", None)
    if record_id is None and isinstance(raw, Mapping):
        record_id = raw.get("id")
    if record_id is not None and not _is_id(record_id):
        record_id = str(record_id)[:40]  # as sent, but as text: the errors are stored as JSON
    _record_skip(run, record_id, str(exc))


def _record_skip(run: SyncRun, record_id: int | str | None, reason: str, records: int = 1) -> None:
    logger.warning("skipped Coupa inspection %s: %s", record_id, reason)
    run.skipped += records
    if len(run.errors) < MAX_RECORDED_ERRORS:
        run.errors.append({"coupa_id": record_id, "reason": reason})


def _without_repeated_inspections(run: SyncRun, read: list[ReadRecord]) -> list[ReadRecord]:
    """The page without an inspection listed more than once: which copy is Coupa's is anyone's
    guess, so none is written (a cached one keeps its rows and, seen, is not marked gone)."""
    times = Counter(record.parsed.id for record in read if record.parsed)
    repeated = {coupa_id: n for coupa_id, n in times.items() if n > 1}
    for coupa_id, n in repeated.items():
        _record_skip(run, coupa_id, f"inspection {coupa_id} appears {n} times in one page", n)
    return [r for r in read if not (r.parsed and r.parsed.id in repeated)]


def _without_line_collisions(run: SyncRun, changed: list[InspectionRows]) -> list[InspectionRows]:
    """The changed inspections whose lines belong to no other inspection (`claims.py`'s rule: a
    newcomer claiming a cached line, or both of two claiming a new one, are skipped whole)."""
    listed = (
        (rows.inspection.coupa_id, [line.coupa_id for line in rows.characteristics])
        for rows in changed
    )
    refused: dict[int, str] = {}
    for (claimant, _), reason in refused_moves("characteristic", Characteristic, listed).items():
        refused.setdefault(claimant, reason)
    for coupa_id, reason in refused.items():
        _record_skip(run, coupa_id, reason)
    return [rows for rows in changed if rows.inspection.coupa_id not in refused]


def _upsert(changed: list[InspectionRows], run: SyncRun, replaced: list[int]) -> None:
    """Write changed inspections; `replaced` are those already cached, whose old lines go."""
    if not changed:
        return
    inspections = [rows.inspection for rows in changed]
    for inspection in inspections:
        inspection.last_seen_run = run.pk
    upsert(Inspection, inspections, conflict="coupa_id")
    characteristics = [c for rows in changed for c in rows.characteristics]
    if replaced:
        kept = [c.coupa_id for c in characteristics]
        vanished = list(
            Characteristic.objects.filter(inspection_id__in=replaced)
            .exclude(coupa_id__in=kept)
            .values_list("coupa_id", flat=True)
        )
        if vanished:
            Characteristic.objects.filter(coupa_id__in=vanished).delete()
        # Limits and choices have no identity anyone refers to: replace them wholesale.
        Limit.objects.filter(characteristic__inspection_id__in=replaced).delete()
        ChoiceValue.objects.filter(characteristic__inspection_id__in=replaced).delete()
    upsert(Characteristic, characteristics, conflict="coupa_id", owner="inspection_id")
    upsert(Limit, [limit for rows in changed for limit in rows.limits], conflict=None)
    upsert(ChoiceValue, [choice for rows in changed for choice in rows.choices], conflict=None)


def _mark_gone(run: SyncRun) -> int:
    return (
        Inspection.objects.filter(gone_at__isnull=True)
        .exclude(last_seen_run=run.pk)
        .update(gone_at=timezone.now())
    )


def _refresh_one(client: CoupaClient, run: SyncRun, coupa_id: int | None, attachments: str) -> None:
    if coupa_id is None:
        raise ValueError("a single-inspection sync needs a Coupa id")
    try:
        raw = client.get_inspection_raw(coupa_id)
    except CoupaNotFound:
        run.gone = Inspection.objects.filter(coupa_id=coupa_id, gone_at__isnull=True).update(
            gone_at=timezone.now()
        )
        run.message = "No longer in Coupa." if run.gone else "Not found in Coupa."
        run.save(update_fields=["gone", "message"])
        return
    before = changes.snapshot(coupa_id)
    # Forget the stored hash so an explicit refresh always rewrites and re-judges the record.
    Inspection.objects.filter(coupa_id=coupa_id).update(content_hash="")
    result = write_page(client, run, [raw])
    # What the person who asked is told (a skipped record keeps its own reason in the errors).
    if run.skipped:
        reasons = "; ".join(str(error.get("reason", "")) for error in run.errors)
        run.message = f"Not updated: Coupa's record could not be read ({reasons})."
    elif before is None:  # first cached (a new inspection read back): nothing to compare
        run.message = changes.describe(changes.WHOLE)
    else:
        run.message = changes.describe(changes.compare(before, changes.snapshot(coupa_id)))
    if result.changed_ids:
        # One inspection's lists are read here, unless skipped: it is one request.
        mode = "skip" if attachments == "skip" else "inline"
        effects.page_committed(client, run, result.changed_ids, mode)
