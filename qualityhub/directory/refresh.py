"""Names from Coupa's Core API into the directory: refreshed on a schedule, resolved on demand.

- `refresh_names`: each kind's changes since its last successful refresh (`updated-at[gt]`,
  a `SyncCursor` per kind), or everything (nightly, `full`). A supplier whose label changed
  gets it on its inspections too (`Inspection.supplier_name`, which the list sorts by).
- `resolve_page_names`: after the sync commits a page, the ids it met that the directory does
  not know, asked for in one request per 50 ids of a kind, through the sync's own client (so
  within the same pacing and rate budget). Ids Coupa does not return are recorded as unknown
  and not asked for again; a missing scope is recorded once for the whole kind, which is then
  left alone until the next full refresh. Nothing here fails the sync: other errors are logged
  (and a lasting one shown on the sync status page), and tried again next time.
- Items need no Core call: the inspections carry their item's name.

A page never calls Coupa for a name: pages read the directory through `names.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    CharField,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from qualityhub.coupa import CoupaClient, CoupaError, CoupaUnavailable
from qualityhub.coupa.client import PAGE_SIZE, SCOPE_SETUP
from qualityhub.coupa.errors import CoupaScopeMissing
from qualityhub.coupa.reference import (
    SCOPES,
    RecordList,
    SupplierRecord,
    UnitRecord,
    UserRecord,
)
from qualityhub.directory.models import Item, Person, Supplier, Unit, Unresolved
from qualityhub.inspections.models import Inspection
from qualityhub.sync.models import SyncCursor

logger = logging.getLogger(__name__)

# Coupa's resource for each kind of name, and how the directory calls it.
KINDS: dict[str, str] = {
    "suppliers": Unresolved.Kind.SUPPLIER,
    "users": Unresolved.Kind.PERSON,
    "uoms": Unresolved.Kind.UNIT,
}
MODELS = {"suppliers": Supplier, "users": Person, "uoms": Unit}
FULL_CURSOR = "names:full"
# A walk of more pages than this is a server ignoring `offset` however many ids it shows.
MAX_PAGES = 2000
# Suppliers of unnamed inspections resolved by one refresh (the rest by the next ones).
MAX_UNNAMED = 500


def cursor_name(kind: str) -> str:
    return f"names:{kind}"


@dataclass
class Outcome:
    """What one refresh or resolution did, per kind: names stored, and what went wrong."""

    stored: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    renamed_suppliers: int = 0
    problems: dict[str, str] = field(default_factory=dict)
    requests: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "unknown": self.unknown,
            "renamed_suppliers": self.renamed_suppliers,
            "problems": self.problems,
            "requests": self.requests,
        }


# --- the scheduled refresh -------------------------------------------------------------------


def refresh_names(client: CoupaClient, full: bool = False) -> Outcome:
    """Each kind's changes since its last successful refresh; everything when `full` (which
    also asks again for kinds whose scope was missing). `CoupaUnavailable` is raised (a task
    retries it); any other failure of a kind is recorded for the status page and the other
    kinds go on."""
    outcome = Outcome()
    if not client.names:
        return outcome
    if full:
        client.try_names_again()
        Unresolved.objects.filter(coupa_id__isnull=True).delete()
    blocked = _blocked_kinds()
    for kind in KINDS:
        if KINDS[kind] in blocked:
            continue
        try:
            _refresh_kind(client, kind, full, outcome)
        except CoupaUnavailable:
            raise
        except CoupaError as exc:
            _record_kind_failure(kind, exc, outcome)
    _name_the_unnamed(client, outcome)
    if full:
        SyncCursor.objects.update_or_create(
            name=FULL_CURSOR, defaults={"modified_since": timezone.now()}
        )
    return outcome


def _name_the_unnamed(client: CoupaClient, outcome: Outcome) -> None:
    """Inspections still without their supplier's name (Coupa was unavailable when the sync met
    them, say): their suppliers resolved now, so a page is named within one refresh period.
    Not while the supplier scope is missing: then every inspection is unnamed."""
    if Unresolved.Kind.SUPPLIER in _blocked_kinds():
        return
    ids = list(
        Inspection.objects.filter(supplier_name="")
        .values_list("supplier_id", flat=True)
        .distinct()[:MAX_UNNAMED]
    )
    if not ids:
        return
    resolved = resolve_ids(client, supplier_ids=ids)
    outcome.requests += resolved.requests
    for kind, count in resolved.stored.items():
        outcome.stored[kind] = outcome.stored.get(kind, 0) + count
    name_inspections(ids)  # those the directory knew already, too


def _refresh_kind(client: CoupaClient, kind: str, full: bool, outcome: Outcome) -> None:
    cursor = SyncCursor.objects.filter(name=cursor_name(kind)).first()
    newest = cursor.modified_since if cursor else None
    since = None
    if not full and newest is not None:
        # Overlap as the inspections' cursor does: a record saved in the same second as the
        # newest one seen may come later. Storing a record again changes nothing.
        since = newest - timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)
    for page in _walk(client, kind, since, outcome):
        _store(kind, page, outcome)
        stamps = [r.updated_at for r in page if r.updated_at is not None]
        if stamps and (newest is None or max(stamps) > newest):
            newest = max(stamps)
    # Saved even when nothing came: its `updated_at` is the kind's last successful refresh.
    SyncCursor.objects.update_or_create(name=cursor_name(kind), defaults={"modified_since": newest})
    Unresolved.objects.filter(
        kind=KINDS[kind], coupa_id__isnull=True, reason=Unresolved.Reason.REFUSED
    ).delete()


def _walk(
    client: CoupaClient, kind: str, since: datetime | None, outcome: Outcome
) -> Iterator[RecordList]:
    """Pages of `kind` until a short one; stops on a page of ids already seen (a server that
    ignores `offset`)."""
    offset = 0
    previous: set[int] = set()
    for _ in range(MAX_PAGES):
        page = client.reference_page(kind, offset=offset, limit=PAGE_SIZE, updated_after=since)
        outcome.requests += 1
        ids = {record.coupa_id for record in page}
        if offset and ids and ids <= previous:
            logger.warning(
                "Coupa repeated a page of %s at offset %s: it ignores offset", kind, offset
            )
            return
        previous = ids
        yield page
        if page.received < PAGE_SIZE:
            return
        offset += page.received


# --- resolving what a sync met -------------------------------------------------------------


def resolve_page_names(client: CoupaClient, inspection_ids: Sequence[int]) -> Outcome:
    """The names the inspections of a committed page need: their items recorded, their
    suppliers, people and units the directory does not know asked of Coupa in one batch per
    kind, and the inspections of newly named suppliers given the name."""
    rows = list(
        Inspection.objects.filter(coupa_id__in=inspection_ids).values_list(
            "supplier_id",
            "requested_by",
            "created_by",
            "modified_by",
            "uom",
            "item_id",
            "item_name",
        )
    )
    record_items((row[5], row[6]) for row in rows)
    return resolve_ids(
        client,
        supplier_ids={row[0] for row in rows},
        person_ids={i for row in rows for i in row[1:4]},
        unit_ids={row[4] for row in rows},
    )


def resolve_ids(
    client: CoupaClient,
    *,
    supplier_ids: Iterable[int | None] = (),
    person_ids: Iterable[int | None] = (),
    unit_ids: Iterable[int | None] = (),
) -> Outcome:
    """Ask Coupa for the ids the directory does not know and that are not recorded as
    unresolved: `id[in]`, 50 ids a request. Never raises for Coupa's sake."""
    outcome = Outcome()
    if not client.names:
        return outcome
    wanted = {
        "suppliers": _ids(supplier_ids),
        "users": _ids(person_ids),
        "uoms": _ids(unit_ids),
    }
    wanted = {kind: ids for kind, ids in wanted.items() if ids}
    if not wanted:
        return outcome
    unknown = _not_in_directory(wanted)
    if not any(unknown.values()):
        return outcome
    blocked, recorded = _recorded(unknown)
    for kind, ids in unknown.items():
        ids -= recorded.get(KINDS[kind], set())
        if ids and KINDS[kind] not in blocked:
            _resolve_kind(client, kind, sorted(ids), outcome)
    return outcome


def _resolve_kind(client: CoupaClient, kind: str, ids: list[int], outcome: Outcome) -> None:
    for start in range(0, len(ids), PAGE_SIZE):
        batch = ids[start : start + PAGE_SIZE]
        try:
            page = client.reference_page(kind, ids=batch)
        except CoupaUnavailable as exc:
            logger.warning("names of %s not resolved now, next time: %s", kind, exc)
            outcome.problems[kind] = str(exc)
            return
        except CoupaError as exc:
            _record_kind_failure(kind, exc, outcome)
            return
        finally:
            outcome.requests += 1
        _store(kind, page, outcome)
        returned = {record.coupa_id for record in page} | {
            s.coupa_id for s in page.skipped if s.coupa_id is not None
        }
        missing = [i for i in batch if i not in returned]
        if missing:
            _record_unknown(kind, missing)
            outcome.unknown[kind] = outcome.unknown.get(kind, 0) + len(missing)


def record_items(pairs: Iterable[tuple[int | None, str | None]]) -> None:
    """The items the inspections name, by id: each one's name as the inspections last gave it."""
    named: dict[int, str] = {}
    for coupa_id, name in pairs:
        if isinstance(coupa_id, int) and name:
            named[coupa_id] = name[:255]
    if not named:
        return
    now = timezone.now()
    Item.objects.bulk_create(
        [Item(coupa_id=i, name=n, fetched_at=now) for i, n in sorted(named.items())],
        update_conflicts=True,
        unique_fields=["coupa_id"],
        update_fields=["name", "fetched_at"],
    )


def _ids(values: Iterable[int | None]) -> set[int]:
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool) and v > 0}


def _not_in_directory(wanted: dict[str, set[int]]) -> dict[str, set[int]]:
    unknown = {}
    for kind, ids in wanted.items():
        known = set(
            MODELS[kind].objects.filter(coupa_id__in=ids).values_list("coupa_id", flat=True)
        )
        unknown[kind] = ids - known
    return unknown


def _recorded(unknown: dict[str, set[int]]) -> tuple[set[str], dict[str, set[int]]]:
    """The kinds whose scope is missing, and the ids already recorded as unresolved, in one
    query."""
    condition = Q(coupa_id__isnull=True, reason=Unresolved.Reason.SCOPE)
    for kind, ids in unknown.items():
        if ids:
            condition |= Q(kind=KINDS[kind], coupa_id__in=ids)
    blocked: set[str] = set()
    recorded: dict[str, set[int]] = {}
    for kind, coupa_id, reason in Unresolved.objects.filter(condition).values_list(
        "kind", "coupa_id", "reason"
    ):
        if coupa_id is None:
            if reason == Unresolved.Reason.SCOPE:
                blocked.add(kind)
        else:
            recorded.setdefault(kind, set()).add(coupa_id)
    return blocked, recorded


def _blocked_kinds() -> set[str]:
    return set(
        Unresolved.objects.filter(
            coupa_id__isnull=True, reason=Unresolved.Reason.SCOPE
        ).values_list("kind", flat=True)
    )


# --- writing the directory -----------------------------------------------------------------


def _store(kind: str, page: RecordList, outcome: Outcome) -> None:
    """Upsert a page's records (the last copy of an id wins), forget them as unresolved, and
    record the unreadable ones; suppliers whose label changed rename their inspections."""
    for skipped in page.skipped:
        logger.warning("a record of Coupa's %s was skipped: %s", kind, skipped.reason)
    unreadable = [s for s in page.skipped if s.coupa_id is not None]
    for problem in page.problems[:20]:
        logger.info("Coupa's %s: %s", kind, problem)
    records = {record.coupa_id: record for record in page}
    if unreadable:
        _record_ids(
            kind,
            {s.coupa_id: s.reason for s in unreadable if s.coupa_id not in records},
            Unresolved.Reason.REFUSED,
            status=None,
        )
    if not records:
        return
    now = timezone.now()
    ids = sorted(records)
    if kind == "suppliers":
        before = {
            row.coupa_id: row.label
            for row in Supplier.objects.filter(coupa_id__in=ids).only(
                "coupa_id", "name", "display_name"
            )
        }
        _upsert(Supplier, [_supplier(records[i], now) for i in ids])
        renamed = [i for i in ids if before.get(i) != records[i].label]
        name_inspections(renamed)
        outcome.renamed_suppliers += sum(i in before for i in renamed)
    elif kind == "users":
        _upsert(Person, [_person(records[i], now) for i in ids])
    else:
        _upsert(Unit, [_unit(records[i], now) for i in ids])
    Unresolved.objects.filter(kind=KINDS[kind], coupa_id__in=ids).delete()
    outcome.stored[kind] = outcome.stored.get(kind, 0) + len(ids)


def _upsert(model, rows: list) -> None:
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    model.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["coupa_id"], update_fields=fields
    )


def _supplier(record: SupplierRecord, now: datetime) -> Supplier:
    return Supplier(
        coupa_id=record.coupa_id,
        name=record.name or record.display_name,
        display_name=record.display_name,
        number=record.number,
        status=record.status,
        updated_at=record.updated_at,
        fetched_at=now,
    )


def _person(record: UserRecord, now: datetime) -> Person:
    return Person(
        coupa_id=record.coupa_id,
        full_name=record.full_name,
        login=record.login,
        email=record.email,
        active=record.active,
        updated_at=record.updated_at,
        fetched_at=now,
    )


def _unit(record: UnitRecord, now: datetime) -> Unit:
    return Unit(
        coupa_id=record.coupa_id,
        code=record.code,
        name=record.name,
        updated_at=record.updated_at,
        fetched_at=now,
    )


def name_inspections(supplier_ids: Sequence[int]) -> int:
    """Give the inspections of these suppliers their supplier's label (one UPDATE for them
    all, only rows whose name differs); returns how many rows changed."""
    # Only suppliers the directory knows: for another the label would be NULL.
    supplier_ids = list(
        Supplier.objects.filter(coupa_id__in=supplier_ids).values_list("coupa_id", flat=True)
    )
    if not supplier_ids:
        return 0
    label = Subquery(
        Supplier.objects.filter(coupa_id=OuterRef("supplier_id"))
        .annotate(
            label=Coalesce(NullIf("display_name", Value("")), "name", output_field=CharField())
        )
        .values("label")[:1]
    )
    return (
        Inspection.objects.filter(supplier_id__in=supplier_ids)
        .exclude(supplier_name=label)
        .update(supplier_name=label)
    )


# --- what could not be resolved ------------------------------------------------------------


def _record_unknown(kind: str, ids: Sequence[int]) -> None:
    message = f"Coupa returned no {kind[:-1] if kind != 'uoms' else 'unit'} with this id"
    _record_ids(kind, dict.fromkeys(ids, message), Unresolved.Reason.UNKNOWN, status=404)


def _record_ids(kind: str, messages: dict[int, str], reason: str, status: int | None) -> None:
    """Record ids once (their unique index is partial, which ON CONFLICT cannot name: those
    recorded already are updated, the others inserted, a concurrent insert ignored)."""
    if not messages:
        return
    now = timezone.now()
    existing = Unresolved.objects.filter(kind=KINDS[kind], coupa_id__in=list(messages))
    seen = set(existing.values_list("coupa_id", flat=True))
    if seen:
        existing.update(reason=reason, status=status, last_seen=now)
    Unresolved.objects.bulk_create(
        [
            Unresolved(
                kind=KINDS[kind],
                coupa_id=coupa_id,
                reason=reason,
                status=status,
                message=message[:2000],
                first_seen=now,
                last_seen=now,
            )
            for coupa_id, message in sorted(messages.items())
            if coupa_id not in seen
        ],
        ignore_conflicts=True,
    )


def _record_kind_failure(kind: str, exc: CoupaError, outcome: Outcome) -> None:
    """A whole kind refused: a missing scope (the kind is then left alone until the next full
    refresh) or an answer QualityHub cannot read (XML, say: tried again next time)."""
    outcome.problems[kind] = str(exc)
    if isinstance(exc, CoupaScopeMissing):
        reason = Unresolved.Reason.SCOPE
        message = (
            f"QualityHub's OAuth client lacks the {exc.scope} scope. Grant {exc.scope} to it "
            f"in Coupa ({SCOPE_SETUP}); names of this kind are asked for again at the next "
            "full names refresh (nightly)."
        )
        logger.warning("names of %s unavailable: %s", kind, message)
    else:
        reason = Unresolved.Reason.REFUSED
        message = str(exc)
        logger.warning("names of %s not read: %s", kind, message)
    now = timezone.now()
    existing = Unresolved.objects.filter(kind=KINDS[kind], coupa_id__isnull=True).first()
    if existing is None:
        Unresolved.objects.create(
            kind=KINDS[kind],
            coupa_id=None,
            reason=reason,
            status=exc.status,
            message=message[:2000],
            first_seen=now,
            last_seen=now,
        )
    else:
        existing.reason, existing.status, existing.message = reason, exc.status, message[:2000]
        existing.last_seen = now
        existing.save(update_fields=["reason", "status", "message", "last_seen"])


# --- what the sync status page shows -------------------------------------------------------


@dataclass(frozen=True)
class KindStatus:
    label: str  # "Suppliers"
    count: int
    last_refresh: datetime | None


@dataclass(frozen=True)
class UnresolvedEntry:
    kind: str  # "Supplier"
    whole_kind: str  # "Every supplier": its own sentence in each language
    coupa_id: int | None  # None: the whole kind
    reason: str
    reason_label: str
    status: int | None
    message: str
    first_seen: datetime
    scope: str  # what to grant, for a missing scope


@dataclass(frozen=True)
class NamesStatus:
    enabled: bool
    kinds: list[KindStatus]
    items: int
    last_full_refresh: datetime | None
    unresolved: list[UnresolvedEntry]
    unresolved_total: int


def names_status(limit: int = 200) -> NamesStatus:
    """Counts per kind, when each was last refreshed, and what could not be resolved (the
    first `limit` entries, whole-kind ones first)."""
    cursors = {
        c.name: c.updated_at
        for c in SyncCursor.objects.filter(name__in=[cursor_name(k) for k in KINDS] + [FULL_CURSOR])
    }
    kinds = [
        KindStatus(label, MODELS[kind].objects.count(), cursors.get(cursor_name(kind)))
        for kind, label in (
            ("suppliers", gettext("Suppliers")),
            ("users", gettext("People")),
            ("uoms", gettext("Units")),
        )
    ]
    whole_kind_first = Unresolved.objects.annotate(
        whole=ExpressionWrapper(Q(coupa_id__isnull=True), output_field=BooleanField())
    ).order_by("-whole", "kind", "coupa_id")
    return NamesStatus(
        enabled=settings.COUPA_NAMES,
        kinds=kinds,
        items=Item.objects.count(),
        last_full_refresh=cursors.get(FULL_CURSOR),
        unresolved=[_entry(row) for row in whole_kind_first[:limit]],
        unresolved_total=Unresolved.objects.count(),
    )


_EVERY = {
    Unresolved.Kind.SUPPLIER: gettext_lazy("Every supplier"),
    Unresolved.Kind.PERSON: gettext_lazy("Every person"),
    Unresolved.Kind.UNIT: gettext_lazy("Every unit"),
    Unresolved.Kind.ITEM: gettext_lazy("Every item"),
}


def _entry(row: Unresolved) -> UnresolvedEntry:
    coupa_kind = next(kind for kind, name in KINDS.items() if name == row.kind)
    return UnresolvedEntry(
        kind=row.get_kind_display(),
        whole_kind=str(_EVERY.get(row.kind, row.get_kind_display())),
        coupa_id=row.coupa_id,
        reason=row.reason,
        reason_label=row.get_reason_display(),
        status=row.status,
        message=row.message,
        first_seen=row.first_seen,
        scope=SCOPES[coupa_kind] if row.reason == Unresolved.Reason.SCOPE else "",
    )
