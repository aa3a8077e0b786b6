"""What writing Coupa's inspections into the cache sets off, besides the cache's own rows.

- In the page's transaction, so that they commit (or roll back) with it: an audit event for each
  status change Coupa shows, the stage stays the analytics keep (opened for an inspection seen
  for the first time, closed and opened for one that moved), and the notifications of what the
  page shows (a rejection, an acceptance our check contradicts, a marginal value:
  `notifications/observe.py`), exactly once however often the page is written.
- Once the page is committed: the names of the suppliers, people and units those inspections
  name that the directory does not know yet, asked of Coupa in one batch per kind through the
  sync's own client (`directory/refresh.py`; never failing the run), and the attachment lists of
  the inspections that changed, read here or queued for a task.
- After a run under Celery that changed the cache: the overview's figures, computed again in the
  background.

A service never imports a task (the tasks import the services), so the tasks to queue come from
the caller: `sync/tasks.py` passes them as `Tasks`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from qualityhub.analytics.stages import observe_stages
from qualityhub.audit.record import record_status_changes
from qualityhub.celery import enqueue_on_commit
from qualityhub.coupa import CoupaClient
from qualityhub.directory.refresh import resolve_page_names
from qualityhub.inspections.models import Inspection
from qualityhub.notifications.observe import Written, observe_written
from qualityhub.sync.attachments import pull_attachments
from qualityhub.sync.models import SyncRun

if TYPE_CHECKING:
    from celery import Task

logger = logging.getLogger(__name__)


class Tasks(NamedTuple):
    """The Celery tasks a run queues when it reads attachment lists in the background."""

    attachment_lists: Task  # (inspection ids, run id)
    overview: Task  # ()


def page_written(
    first_seen: Sequence[Inspection],
    moved: Sequence[tuple[Inspection, str]],
    now: datetime,
    written: Sequence[Written] = (),
) -> None:
    """In the page's transaction: `first_seen` are inspections new to the cache, `moved` the
    cached ones whose status changed, each with its previous status; `written` every inspection
    the page writes, with its characteristics."""
    record_status_changes(
        [(row.coupa_id, previous, row.status, row.modified_by) for row, previous in moved]
    )
    observe_stages(first_seen=first_seen, moved=moved, now=now)
    observe_written(written, now)


def page_committed(
    client: CoupaClient,
    run: SyncRun,
    changed_ids: list[int],
    attachments: str,
    tasks: Tasks | None = None,
) -> None:
    """Resolve the names the inspections a page changed need, then read their attachment lists,
    or queue them (`attachments` is "queue") for `tasks.attachment_lists`, or leave them
    ("skip")."""
    try:
        resolve_page_names(client, changed_ids)
    except Exception:  # names are never worth a failed sync: the next page or refresh tries again
        logger.exception(
            "names for %s inspections of run %s not resolved", len(changed_ids), run.pk
        )
    if attachments == "skip":
        return
    if attachments == "queue":
        # With the broker unreachable the lists are read here: the page is committed and looks
        # unchanged to the next run, so a list not read now would never be.
        enqueue_on_commit(
            tasks.attachment_lists,
            changed_ids,
            run.pk,
            fallback=lambda: pull_attachments(client, changed_ids, run_id=run.pk),
        )
    else:
        pull_attachments(client, changed_ids, run_id=run.pk)


def run_finished(run: SyncRun, attachments: str, tasks: Tasks | None = None) -> None:
    """Under Celery (as for attachments) the overview is recomputed in the background; other
    callers (commands, benchmarks, one-inspection refreshes) leave it to its 5-minute schedule,
    as does a run that finds the broker unreachable."""
    if attachments == "queue" and (run.created or run.updated or run.gone):
        enqueue_on_commit(tasks.overview)
