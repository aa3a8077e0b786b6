"""One rule for every Coupa id that belongs to a parent (a line to its inspection, an attachment
to its inspection): it never changes hands.

A child already cached stays with its parent, and a newcomer claiming it is refused; a child no
one holds yet, claimed by two parents at once, is refused to both (neither claim is more
credible than the other). Refusals are recorded on the run, naming the child and both parents.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from django.db import models, transaction

from qualityhub.sync.models import MAX_RECORDED_ERRORS, SyncRun

logger = logging.getLogger(__name__)


def refused_moves(
    kind: str, model: type[models.Model], listed: Iterable[tuple[int, Iterable[int]]]
) -> dict[tuple[int, int], str]:
    """`refused_claims` for what the parents list, (parent id, its child ids) each, against the
    parents `model`'s cached rows hold them in (its `coupa_id` and `inspection_id`)."""
    claims: dict[int, list[int]] = defaultdict(list)  # child id -> the parents claiming it
    for parent, children in listed:
        for child in children:
            claims[child].append(parent)
    owners = dict(
        model.objects.filter(coupa_id__in=list(claims)).values_list("coupa_id", "inspection_id")
    )
    return refused_claims(kind, claims, owners)


def refused_claims(
    kind: str, claims: Mapping[int, Sequence[int]], owners: Mapping[int, int]
) -> dict[tuple[int, int], str]:
    """(claiming parent, child id) -> why, for each claim that would move a child.

    `claims`: child id -> the parents claiming it (each once); `owners`: child id -> the parent
    holding it in the cache.
    """
    refused: dict[tuple[int, int], str] = {}
    for child, claimants in claims.items():
        owner = owners.get(child)
        if owner is not None:
            for claimant in claimants:
                if claimant != owner:
                    refused[claimant, child] = _collision(kind, child, owner, claimant, kept=True)
        elif len(claimants) > 1:
            first, second = claimants[:2]
            for claimant in claimants:
                refused[claimant, child] = _collision(kind, child, first, second, kept=False)
    return refused


def _collision(kind: str, child: int, first: int, second: int, *, kept: bool) -> str:
    reason = f"{kind} {child} appears in inspections {first} and {second}"
    return f"{reason}; kept in {first}, which already holds it" if kept else reason


def record_on_run(run_id: int, errors: list[dict]) -> None:
    """Add errors to a run from outside its walk (an attachment task, maybe on another worker).

    Appended to the stored row under its lock; the walk saves its own errors the same way
    (`merge_errors`), so neither overwrites the other's.
    """
    if not errors:
        return
    for error in errors:
        logger.warning("skipped from Coupa, inspection %s: %s", error["coupa_id"], error["reason"])
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().filter(pk=run_id).only("errors").first()
        if run is None:
            return
        run.errors = (run.errors + errors)[:MAX_RECORDED_ERRORS]
        run.save(update_fields=["errors"])


def merge_errors(run: SyncRun, new: list[dict]) -> None:
    """Set `run.errors` to the stored ones plus `new`, locking the row until the transaction
    the caller is in ends (the caller then saves it)."""
    stored = SyncRun.objects.select_for_update().values_list("errors", flat=True).get(pk=run.pk)
    run.errors = (stored + new)[:MAX_RECORDED_ERRORS]
