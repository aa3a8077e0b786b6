"""Large seed for the web benchmark: N synthetic but realistic inspections, loaded fast.

    .venv/bin/python bench/seed_large.py --inspections 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/qualityhub_webbench
    .venv/bin/python bench/seed_large.py --inspections 100000 [--sqlite var/bench/web.sqlite3]
    .venv/bin/python bench/seed_large.py --names-only --database-url …   # an existing database

Migrates the database, empties the inspection tables and loads N inspections with
`--characteristics-per` lines each (numeric lines with their limits, choice lines with their
choice lists), plus inspection 999999999 with 50 lines for the detail-page measurement. Without
`--database-url` the target is a SQLite file (default var/bench/web.sqlite3, never the app's own
var/qualityhub.sqlite3).

The rows come from the sandbox's item catalogue (40 items, 20 suppliers, their inspection plans)
and its value generator; each line's verdict, reason and texts are QualityHub's own rules applied
to those values, and the inspection's verdict, counts and disagreement flag come from the same
rules the sync calls (`inspection_verdict`, `review_contradicts_verdict`).
Dates: due dates spread ±120 days around now, modified_at over the past year. Each inspection's
stage stays (`StageStay`, for the overview's time in stage) follow its dates: Open from creation
until work began, In Progress until the supplier submitted, In Buyer Review until the review;
a few were first seen by the sync already past Open, so their current stay has no known start.
Overview snapshots are deleted: they described the data that was replaced.

Names: the directory gets a supplier (name, display name, number) for each of the catalogue's
suppliers, and the inspection rows their `supplier_name`, set by one UPDATE per supplier as the
sync's name refresh does, then vacuumed. `--names-only` does just that (after migrating) on a
database seeded before the names existed, without reloading the inspections.

PostgreSQL: one transaction (TRUNCATE … CASCADE, secondary indexes and foreign keys dropped,
COPY in chunks, indexes and keys recreated), then VACUUM ANALYZE so the planner knows the data
and the visibility map is set, as on a table autovacuum has seen. SQLite: executemany in large
transactions with the secondary indexes dropped and recreated (no ANALYZE: the app never runs it).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# QualityHub's own rules judge every line and roll the inspection up, exactly as the sync does.
from qualityhub.verdicts import (  # noqa: E402
    CharacteristicInput,
    Choice,
    evaluate_characteristic,
    inspection_verdict,
)
from qualityhub.verdicts import Limit as RuleLimit  # noqa: E402
from qualityhub.verdicts.review import review_contradicts_verdict  # noqa: E402

DEFAULT_SQLITE = ROOT / "var" / "bench" / "web.sqlite3"
APP_SQLITE = ROOT / "var" / "qualityhub.sqlite3"

DETAIL_ID = 999_999_999  # the inspection with 50 lines, for the detail page
DETAIL_LINES = 50
FIRST_INSPECTION_ID = 1_000_001
FIRST_CHARACTERISTIC_ID = 20_000_001
FIRST_PO = 10_000  # PO-10000, PO-10001, …; three inspections (lines 0010-0030) per PO
DAY = 86_400

INSPECTION_COLUMNS = (
    "coupa_id", "type", "status", "review_decision", "resolution_reason_text",
    "resolution_reason_type", "resolution_reason_code", "request_date", "due_date",
    "supplier_id", "item_id", "item_name", "item_description", "warehouse_id",
    "buyer_batch_number", "supplier_part_number", "buyer_part_number", "item_quantity",
    "sample_size", "uom", "requested_by", "ref_document_type", "ref_document_id",
    "ref_document_item", "reviewed_date", "reviewed_by", "submitted_date", "submitted_by",
    "external_inspection_id", "created_at", "created_by", "modified_at", "modified_by",
    "exported", "verdict", "failing_count", "marginal_count", "pending_count",
    "characteristic_count", "disagreement", "content_hash", "synced_at", "gone_at",
    "last_seen_run", "supplier_name",
)  # fmt: skip
CHARACTERISTIC_COLUMNS = (
    "coupa_id", "inspection_id", "line_num", "name", "type", "is_quantitative", "specification",
    "remarks", "value_type", "recording_type", "expected_id", "target", "precision",
    "qualitative_target", "recorded_id", "recorded_numeric", "recorded_code",
    "recorded_qualitative", "recorded_decision", "verdict", "verdict_reason", "recorded_text",
    "expected_text", "rounding_changed_verdict",
)  # fmt: skip
LIMIT_COLUMNS = (
    "id", "characteristic_id", "coupa_id", "limit_type", "operator", "value", "position",
)  # fmt: skip
CHOICE_COLUMNS = ("id", "characteristic_id", "coupa_id", "code", "domain", "value", "position")
STAY_COLUMNS = ("id", "inspection_id", "supplier_id", "stage", "entered_at", "left_at", "due_date")

# Status by due date: past due is mostly closed (the rest is the overdue queue), future mostly open.
PAST_DUE_STATUS = (
    ("Closed", 0.85), ("In Buyer Review", 0.05), ("In Progress", 0.05), ("Open", 0.05),
)  # fmt: skip
FUTURE_STATUS = (
    ("Open", 0.35), ("In Progress", 0.30), ("In Buyer Review", 0.15), ("Closed", 0.20),
)  # fmt: skip
EXPORTED_SHARE = 0.6  # of Closed inspections (as the sandbox)
DISAGREE_SHARE = 0.06  # Closed inspections whose decision contradicts the values (as the sandbox)
OPTIONAL_RECORDED_SHARE = 0.6
REMARK_SHARE = 0.08
GONE_SHARE = 0.002
FIRST_SEEN_LATE_SHARE = 0.03  # first seen already past Open: no earlier stays, no known start
POOL_SIZE = 512  # recorded values drawn per plan line, judged once, then sampled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=0)
    parser.add_argument(
        "--names-only",
        action="store_true",
        help="migrate, then only (re)name the suppliers of the inspections already loaded",
    )
    parser.add_argument("--database-url", default="", help="PostgreSQL; default: SQLite")
    parser.add_argument("--sqlite", type=Path, default=DEFAULT_SQLITE, help="SQLite file")
    parser.add_argument("--characteristics-per", type=int, default=4)
    parser.add_argument("--chunk", type=int, default=20_000, help="inspections per COPY/batch")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    if (args.inspections < 1 and not args.names_only) or args.characteristics_per < 1:
        parser.error("--inspections and --characteristics-per must be positive")
    configure_django(args.database_url, args.sqlite)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database: {describe_database(connection)}; migrated in {lap(started)}")
    if args.names_only:
        name_suppliers(connection)
        print(f"done in {lap(started)}")
        return
    plan = Plan(args.characteristics_per, random.Random(args.seed))
    loader = PostgresLoader() if connection.vendor == "postgresql" else SqliteLoader()
    counts = loader.run(plan, args.inspections, args.chunk)
    from qualityhub.analytics.models import Snapshot

    Snapshot.objects.all().delete()
    name_suppliers(connection)
    total = time.perf_counter() - started
    rows = sum(counts.values())
    detail = ", ".join(f"{n:,} {table}" for table, n in counts.items())
    print(f"loaded {rows:,} rows ({detail}) in {total:.1f} s total = {rows / total:,.0f} rows/s")


# The directory's suppliers: realistic names (an ampersand, non-ASCII letters, quotes, as Coupa
# holds them), a display name for some, a supplier number for each.
SUPPLIER_NAMES = (
    "Northwind Polymers Ltd", "Acme Fasteners GmbH", "Müller & Söhne Präzisionsteile",
    "Contoso Chemicals", "Fabrikam Metals Inc.", "Blue Harbor Castings", "O'Neill Plastics",
    "Société Générale de Visserie", "Tailspin Components", "Wide World Forging",
    "Adatum Coatings & Paints", "Litware Elastomers", "Proseware \"Precision\" Springs",
    "Coho Vineyard Labs", "Lucerne Bearings AG", "Margie's Machining", "Alpine Ski Alloys",
    "Graphic Design Gaskets", "Woodgrove Rubber Co.", "Fourth Coffee Packaging",
)  # fmt: skip


def supplier_name(supplier_id: int) -> str:
    return SUPPLIER_NAMES[(supplier_id - 1) % len(SUPPLIER_NAMES)]


def supplier_display_name(supplier_id: int) -> str:
    return supplier_name(supplier_id).removesuffix(" Ltd") if supplier_id == 1 else ""


def supplier_label(supplier_id: int) -> str:
    """What the directory shows and the row keeps: the display name, else the name."""
    return supplier_display_name(supplier_id) or supplier_name(supplier_id)


def name_suppliers(connection) -> None:
    """Name the catalogue's suppliers in the directory and on the inspection rows that lack
    their name (one UPDATE per supplier; the load writes the names already, so only a database
    loaded before names existed has rows to update), then vacuum what the updates rewrote."""
    from django.utils import timezone

    from qualityhub.directory.models import Supplier
    from qualityhub.inspections.models import Inspection
    from qualityhub.sandbox.catalogue import SUPPLIER_IDS

    started = time.perf_counter()
    now = timezone.now()
    rewritten = 0
    for supplier_id in SUPPLIER_IDS:
        name, display = supplier_name(supplier_id), supplier_display_name(supplier_id)
        Supplier.objects.update_or_create(
            coupa_id=supplier_id,
            defaults={
                "name": name,
                "display_name": display,
                "number": f"SUP-{supplier_id:05d}",
                "status": "active",
                "fetched_at": now,
            },
        )
        updated = (
            Inspection.objects.filter(supplier_id=supplier_id)
            .exclude(supplier_name=display or name)
            .update(supplier_name=display or name)
        )
        rewritten += updated
        if updated:
            print(
                f"  supplier {supplier_id:>3}: {display or name!r} on {updated:,} rows", flush=True
            )
    print(f"named {len(SUPPLIER_IDS)} suppliers ({rewritten:,} rows updated) in {lap(started)}")
    if rewritten and connection.vendor == "postgresql":
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {Inspection._meta.db_table}")
            cursor.execute(f"VACUUM (ANALYZE) {Supplier._meta.db_table}")
        print(f"VACUUM ANALYZE after naming in {lap(began)}")


def configure_django(database_url: str, sqlite: Path) -> None:
    """Environment for settings.py; the SQLite file is set on DATABASES before any connection."""
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["QUALITYHUB_VAR_DIR"] = tempfile.mkdtemp(prefix="qualityhub-webbench-")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "qualityhub.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        return
    os.environ.pop("DATABASE_URL", None)
    path = sqlite.resolve()
    if path == APP_SQLITE.resolve():
        sys.exit(f"refusing to use the app's own database {path}; pick another --sqlite file")
    path.parent.mkdir(parents=True, exist_ok=True)
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = path


def describe_database(connection) -> str:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        return f"PostgreSQL {connection.pg_version // 10000} ({connection.settings_dict['NAME']})"
    return f"SQLite {connection.Database.sqlite_version} ({connection.settings_dict['NAME']})"


def lap(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


# --- the plan: items, lines, value pools ---------------------------------------------------


@dataclass
class Line:
    """One line of an item's inspection plan, with judged recorded values to draw from."""

    head: tuple  # name, type, is_quantitative, specification
    value_type: str
    target: str
    precision: int | None
    required: bool
    limits: tuple[tuple[str, str, str], ...]
    choices: tuple[tuple[str, str, str], ...]
    # (recorded_numeric, recorded_code, recorded_qualitative, recorded_decision, verdict,
    #  verdict_reason, recorded_text, expected_text, rounding_changed_verdict)
    pool: list[tuple]
    pending: tuple


@dataclass
class PlanItem:
    id: int
    name: str
    description: str
    supplier_part: str
    buyer_part: str
    uom: int
    quantity: tuple[int, int]
    suppliers: tuple[int, ...]
    lines: list[Line]


class Plan:
    """The sandbox catalogue turned into row templates, and the generator of chunks of rows."""

    def __init__(self, per: int, rng: random.Random) -> None:
        from qualityhub.sandbox import catalogue as cat
        from qualityhub.sandbox.items import ITEMS
        from qualityhub.sandbox.seeding import suppliers_of

        self.per = per
        self.rng = rng
        self.cat = cat
        self._lines: dict[object, Line] = {}
        self.items = [
            PlanItem(
                item.id, item.name, item.description, item.supplier_part, item.buyer_part,
                item.uom, item.quantity, suppliers_of(item),
                [self._line(item.chars[j % len(item.chars)], j // len(item.chars))
                 for j in range(per)],
            )
            for item in ITEMS
        ]  # fmt: skip
        specs = list({spec.name: spec for item in ITEMS for spec in item.chars}.values())
        self.detail_item = self.items[1]  # a hex bolt: a busy supplier/item pair for history
        self.detail_lines = [
            self._line(specs[j % len(specs)], j // len(specs)) for j in range(DETAIL_LINES)
        ]
        now = int(time.time())
        self.now = now
        self.first_day = now // DAY - 420
        self.days = [
            datetime.fromtimestamp((self.first_day + d) * DAY, UTC).strftime("%Y-%m-%d ")
            for d in range(700)
        ]
        self.times = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]
        self.zone = "+00"  # UTC; the SQLite loader sets "" (Django keeps naive UTC text there)
        # (required, verdict) of each line → roll_up(): a few dozen distinct plans in all.
        self.rolled_up: dict[tuple, tuple[str, int, int, int]] = {}

    def _line(self, spec, repeat: int) -> Line:
        key = (spec, repeat)
        if key not in self._lines:
            self._lines[key] = judged_line(spec, repeat, self.rng)
        return self._lines[key]

    def stamp(self, seconds: int) -> str:
        return self.days[seconds // DAY - self.first_day] + self.times[seconds % DAY] + self.zone

    def chunk(
        self, start: int, stop: int, ids: dict[str, int]
    ) -> tuple[list, list, list, list, list]:
        """Rows for inspections start..stop-1 (0-based), consuming ids from `ids`."""
        rnd = self.rng.random
        bits = self.rng.getrandbits
        cat = self.cat
        stamp = self.stamp
        items = self.items
        n_items = len(items)
        now = self.now
        inspections: list[tuple] = []
        characteristics: list[tuple] = []
        limits: list[tuple] = []
        choices: list[tuple] = []
        stays: list[tuple] = []
        char_id, limit_id, choice_id = ids["characteristic"], ids["limit"], ids["choice"]
        synced = stamp(now)
        rolled_up = self.rolled_up
        for i in range(start, stop):
            iid = FIRST_INSPECTION_ID + i
            item = items[int(rnd() * n_items)]
            supplier = item.suppliers[int(rnd() * len(item.suppliers))]
            due = now + int((rnd() * 240 - 120) * DAY)
            due = due - due % DAY + (36_000, 43_200, 57_600)[int(rnd() * 3)]
            status = _pick(PAST_DUE_STATUS if due < now else FUTURE_STATUS, rnd())
            if status == "Closed":
                modified = now - 600 - int(rnd() * 365 * DAY)
            else:
                modified = now - 600 - int(rnd() * 60 * DAY)
            age = 60 + int(rnd() * 3540) if status == "Open" else 3600 + int(rnd() * 19 * DAY)
            created = modified - age
            requested = created - 3600 * (1 + int(rnd() * 72))
            requested_by = cat.REQUESTERS[int(rnd() * len(cat.REQUESTERS))]

            lines = item.lines
            count = len(lines)
            if status == "Open":
                recorded = 0
            elif status == "In Progress":
                # 1..count-1 lines recorded, starting anywhere (a bitmask over the lines).
                size = 1 + int(rnd() * max(1, count - 1))
                first = int(rnd() * count)
                recorded = sum(1 << ((first + k) % count) for k in range(size))
            else:
                recorded = -1  # every required line, optional ones sometimes
            judged = []
            for j, line in enumerate(lines):
                if recorded == -1:
                    is_recorded = line.required or rnd() < OPTIONAL_RECORDED_SHARE
                else:
                    is_recorded = bool(recorded >> j & 1)
                if is_recorded:
                    value = line.pool[int(rnd() * POOL_SIZE)]
                    remarks = _remark(rnd) if rnd() < REMARK_SHARE else ""
                else:
                    value = line.pending
                    remarks = ""
                judged.append((line.required, value[4]))
                characteristics.append(
                    (char_id, iid, j + 1, *line.head, remarks, line.value_type, "", char_id,
                     line.target, line.precision, "", char_id, *value)
                )  # fmt: skip
                for position, (kind, operator, limit) in enumerate(line.limits):
                    limits.append((limit_id, char_id, limit_id, kind, operator, limit, position))
                    limit_id += 1
                for position, (code, domain, text) in enumerate(line.choices):
                    choices.append((choice_id, char_id, choice_id, code, domain, text, position))
                    choice_id += 1
                char_id += 1
            key = tuple(judged)
            rolled = rolled_up.get(key) or rolled_up.setdefault(key, roll_up(key))
            verdict, failing, marginal, pending = rolled

            decision = reason_text = reason_type = reason_code = reviewed_by = ""
            reviewed = submitted = submitted_by = None
            exported = False
            modified_by = requested_by if status == "Open" else cat.supplier_user(supplier)
            if status in ("In Buyer Review", "Closed"):
                submitted = modified if status != "Closed" else created + (modified - created) // 2
                submitted_by = cat.supplier_contact(supplier)
            if status == "Closed":
                in_spec = verdict != "fail"
                if rnd() < DISAGREE_SHARE:
                    decision = "Rejected" if in_spec else "Accepted"
                    reason = cat.DISAGREE_REJECT if in_spec else cat.DISAGREE_ACCEPT
                else:
                    decision = "Accepted" if in_spec else "Rejected"
                    reasons = cat.ACCEPT_REASONS if in_spec else cat.REJECT_REASONS
                    reason = reasons[int(rnd() * len(reasons))]
                reason_text, reason_type, reason_code = reason
                buyer = int(rnd() * len(cat.BUYERS))
                reviewed, reviewed_by, modified_by = modified, cat.BUYERS[buyer], 20 + buyer
                exported = rnd() < EXPORTED_SHARE
            disagreement = review_contradicts_verdict(status, decision, verdict)
            for stage, entered, left in stage_stays(
                status, created, submitted, reviewed, modified, rnd
            ):
                stays.append(
                    (ids["stay"], iid, supplier, stage, None if entered is None else stamp(entered),
                     None if left is None else stamp(left), stamp(due))
                )  # fmt: skip
                ids["stay"] += 1
            low, high = item.quantity
            quantity = low + int(rnd() * (high - low + 1))
            sample = min(quantity, (1, 3, 5, 8, 13, 20, 32)[int(rnd() * 7)])
            created_text = stamp(created)
            yymm = created_text[2:4] + created_text[5:7]
            inspections.append(
                (
                    iid, "Inspection", status, decision, reason_text, reason_type, reason_code,
                    stamp(requested), stamp(due), supplier, item.id, item.name, item.description,
                    1 + int(rnd() * 4), f"B{yymm}-{1000 + int(rnd() * 9000)}",
                    item.supplier_part, item.buyer_part, f"{quantity}.000000000", str(sample),
                    item.uom, requested_by, "Purchase Order", f"PO-{FIRST_PO + i // 3}",
                    f"{10 * (1 + i % 3):04d}", None if reviewed is None else stamp(reviewed),
                    reviewed_by, None if submitted is None else stamp(submitted),
                    submitted_by or "", f"EXT_QI_{iid:07d}" if rnd() < 0.9 else "",
                    created_text, cat.INTEGRATION_USER if rnd() < 0.7 else requested_by,
                    stamp(modified), modified_by, exported, verdict, failing, marginal, pending,
                    count, disagreement,
                    f"{bits(128):032x}", synced,
                    stamp(now - int(rnd() * 30 * DAY)) if rnd() < GONE_SHARE else None, None,
                    supplier_label(supplier),
                )
            )  # fmt: skip
        ids.update(characteristic=char_id, limit=limit_id, choice=choice_id)
        return inspections, characteristics, limits, choices, stays

    def detail(self, ids: dict[str, int]) -> tuple[tuple, list, list, list, list, list]:
        """Inspection DETAIL_ID: closed and rejected, 50 lines, a few failing, 3 attachments."""
        rnd = self.rng.random
        item = self.detail_item
        lines = self.detail_lines
        characteristics, limits, choices = [], [], []
        char_id, limit_id, choice_id = ids["characteristic"], ids["limit"], ids["choice"]
        judged = []
        for j, line in enumerate(lines):
            passing = [v for v in line.pool if v[4] == "pass"] or line.pool
            failing = [v for v in line.pool if v[4] == "fail"]
            value = failing[0] if j % 12 == 5 and failing else passing[int(rnd() * len(passing))]
            judged.append((line.required, value[4]))
            remarks = "Retest after recalibration" if value[4] == "fail" else ""
            characteristics.append(
                (char_id, DETAIL_ID, j + 1, *line.head, remarks, line.value_type, "", char_id,
                 line.target, line.precision, "", char_id, *value)
            )  # fmt: skip
            for position, (kind, operator, limit) in enumerate(line.limits):
                limits.append((limit_id, char_id, limit_id, kind, operator, limit, position))
                limit_id += 1
            for position, (code, domain, text) in enumerate(line.choices):
                choices.append((choice_id, char_id, choice_id, code, domain, text, position))
                choice_id += 1
            char_id += 1
        ids.update(characteristic=char_id, limit=limit_id, choice=choice_id)
        verdict, failing, marginal, pending = roll_up(judged)
        now = self.now
        stamp = self.stamp
        row = (
            DETAIL_ID, "Inspection", "Closed", "Rejected", "Out of specification", "REJECT", "R01",
            stamp(now - 10 * DAY), stamp(now - 3 * DAY), item.suppliers[0], item.id, item.name,
            item.description, 1, "B2406-4711", item.supplier_part, item.buyer_part,
            "1200.000000000", "32", item.uom, 10, "Purchase Order", "PO-99999", "0010",
            stamp(now - 3600), self.cat.BUYERS[0], stamp(now - 2 * DAY),
            self.cat.supplier_contact(item.suppliers[0]), "EXT_QI_BENCH50",
            stamp(now - 9 * DAY), self.cat.INTEGRATION_USER, stamp(now - 3600), 20, False,
            verdict, failing, marginal, pending,
            len(lines), review_contradicts_verdict("Closed", "Rejected", verdict), "0" * 32,
            stamp(now), None, None, supplier_label(item.suppliers[0]),
        )  # fmt: skip
        stays = []
        for stage, entered, left in (
            ("Open", now - 9 * DAY, now - 8 * DAY),
            ("In Progress", now - 8 * DAY, now - 2 * DAY),
            ("In Buyer Review", now - 2 * DAY, now - 3600),
        ):
            stays.append(
                (ids["stay"], DETAIL_ID, item.suppliers[0], stage, stamp(entered), stamp(left),
                 stamp(now - 3 * DAY))
            )  # fmt: skip
            ids["stay"] += 1
        first_char = characteristics[0][0]
        attachments = [
            (9_000_001, DETAIL_ID, None, "certificate-of-analysis.pdf", "application/pdf",
             184_320, "Supplier", "/api/attachments/9000001", stamp(now - 2 * DAY), "supplier"),
            (9_000_002, DETAIL_ID, first_char, "gauge-photo.jpg", "image/jpeg", 1_048_576,
             "Supplier", "/api/attachments/9000002", stamp(now - 2 * DAY), "supplier"),
            (9_000_003, DETAIL_ID, first_char + 5, "measurement-report.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 52_224,
             "Internal", "/api/attachments/9000003", stamp(now - DAY), "buyer"),
        ]  # fmt: skip
        return row, characteristics, limits, choices, stays, attachments


def stage_stays(
    status: str, created: int, submitted: int | None, reviewed: int | None, modified: int, rnd
) -> list[tuple[str, int | None, int | None]]:
    """(stage, entered, left) of one inspection as the sync would have observed them."""
    if status == "Open":
        return [("Open", created, None)]
    if rnd() < FIRST_SEEN_LATE_SHARE:
        return [] if status == "Closed" else [(status, None, None)]
    # Work began some way between creation and submission (or the last change, if not yet).
    submitted_or_now = submitted if submitted is not None else modified
    began = created + int((submitted_or_now - created) * (0.05 + 0.6 * rnd()))
    stays = [("Open", created, began), ("In Progress", began, submitted)]
    if status in ("In Buyer Review", "Closed"):
        stays.append(("In Buyer Review", submitted, reviewed))
    return stays


ATTACHMENT_COLUMNS = (
    "coupa_id", "inspection_id", "characteristic_id", "file_name", "content_type", "size",
    "intent", "coupa_url", "uploaded_at", "uploaded_by",
)  # fmt: skip


def roll_up(judged) -> tuple[str, int, int, int]:
    """An inspection's verdict and its failing, marginal and pending counts, from the
    (required, verdict) pairs of its lines, as the sync's mapping rolls them up."""
    verdicts = [verdict for _, verdict in judged]
    return (
        str(inspection_verdict(judged)),
        verdicts.count("fail"),
        verdicts.count("marginal"),
        verdicts.count("pending"),
    )


def _pick(weights: tuple[tuple[str, float], ...], roll: float) -> str:
    for value, weight in weights:
        if roll < weight:
            return value
        roll -= weight
    return weights[-1][0]


def _remark(rnd) -> str:
    from qualityhub.sandbox.seeding import REMARKS

    return REMARKS[int(rnd() * len(REMARKS))]


def judged_line(spec, repeat: int, rng: random.Random) -> Line:
    """The sandbox's recorded-value generator for this plan line, judged by QualityHub's rules."""
    from qualityhub.sandbox.documents import Sequences, characteristic_from_spec
    from qualityhub.sandbox.values import record

    name = spec.name if repeat == 0 else f"{spec.name} ({repeat + 1})"
    rule_limits = [RuleLimit(kind, op, value) for kind, op, value in spec.limits]
    choice_list = [Choice(code, text) for code, _, text in spec.options]

    def judged(numeric: Decimal | None, code: str | None) -> tuple:
        verdict = evaluate_characteristic(
            CharacteristicInput(
                value_type=spec.value_type,
                required=not spec.optional,
                target=spec.target,
                precision=spec.precision,
                limits=rule_limits,
                recorded_numeric=numeric,
                recorded_code=code,
                choices=choice_list,
            )
        )
        return (
            None if numeric is None else str(numeric), code or "", "", None,
            str(verdict.verdict), verdict.reason[:255], (verdict.chosen_text or "")[:255],
            (verdict.expected_text or "")[:255], verdict.rounding_changed_verdict,
        )  # fmt: skip

    pool = []
    for _ in range(POOL_SIZE):
        char = characteristic_from_spec(spec, 1, 1, Sequences())
        record(rng, char)
        recorded = char["recordedCharacteristic"]
        numeric = recorded.get("numericValue")
        code = recorded.get("code")
        pool.append(judged(None if numeric is None else Decimal(numeric), code))
    return Line(
        head=(name, "optional" if spec.optional else "required", spec.value_type == "numeric",
              spec.specification),
        value_type=spec.value_type,
        target=str(spec.target),
        precision=spec.precision,
        required=not spec.optional,
        limits=tuple((kind, op, str(value)) for kind, op, value in spec.limits),
        choices=tuple(spec.options),
        pool=pool,
        pending=judged(None, None),
    )  # fmt: skip


# --- loaders -------------------------------------------------------------------------------


def _models():
    from qualityhub.analytics.models import StageStay
    from qualityhub.attachments.models import Attachment
    from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit

    # Parents first (load order); children first for deleting.
    return Inspection, Characteristic, Limit, ChoiceValue, Attachment, StageStay


@dataclass
class Table:
    """Where one generator output goes: the columns the plan fills, then constant defaults."""

    name: str
    columns: tuple[str, ...]
    tail: tuple  # values of the model's other columns (their defaults), appended to each row

    def rows(self, rows: list[tuple]) -> list[tuple]:
        return [row + self.tail for row in rows] if self.tail else rows


def table_of(model, columns: tuple[str, ...]) -> Table:
    """The plan's columns plus every other column the model would fill with its default.

    Columns added to the models after this script was written get their defaults; a new NOT
    NULL column without a default stops the load with a clear message.
    """
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    fields = {f.column: f for f in model._meta.concrete_fields}
    unknown = set(columns) - set(fields)
    extra, tail, missing = [], [], []
    for name, f in fields.items():
        if name in columns or f.primary_key or f.db_default is not NOT_PROVIDED:
            continue
        if f.has_default():
            extra.append(name)
            tail.append(f.get_db_prep_save(f.get_default(), connection))
        elif not f.null:
            if f.empty_strings_allowed:  # CharField, TextField, FileField: '' as Django would
                extra.append(name)
                tail.append("")
            else:
                missing.append(name)
    if unknown or missing:
        sys.exit(
            f"{model.__name__}: the seed is out of date with the model "
            f"(unknown columns {sorted(unknown)}, unfilled NOT NULL columns {missing})"
        )
    return Table(model._meta.db_table, (*columns, *extra), tuple(tail))


class Loader:
    zone = "+00"

    def run(self, plan: Plan, total: int, chunk: int) -> dict[str, int]:
        plan.zone = self.zone
        inspection, characteristic, limit, choice, attachment, stay = _models()
        tables = [
            table_of(inspection, INSPECTION_COLUMNS),
            table_of(characteristic, CHARACTERISTIC_COLUMNS),
            table_of(limit, LIMIT_COLUMNS),
            table_of(choice, CHOICE_COLUMNS),
            table_of(stay, STAY_COLUMNS),
        ]
        attachments_table = table_of(attachment, ATTACHMENT_COLUMNS)
        names = [t.name for t in (*tables, attachments_table)]
        counts = dict.fromkeys(names, 0)
        ids = {"characteristic": FIRST_CHARACTERISTIC_ID, "limit": 1, "choice": 1, "stay": 1}
        self.begin(names)
        started = time.perf_counter()
        generating = 0.0
        reported = 0
        for start in range(0, total, chunk):
            stop = min(total, start + chunk)
            began = time.perf_counter()
            batches = plan.chunk(start, stop, ids)
            generating += time.perf_counter() - began
            for table, rows in zip(tables, batches, strict=True):
                self.insert(table.name, table.columns, table.rows(rows))
                counts[table.name] += len(rows)
            if stop * 10 // total > reported or stop == total:
                reported = stop * 10 // total
                elapsed = time.perf_counter() - started
                print(
                    f"  {stop:>10,} inspections  {elapsed:6.1f} s  "
                    f"({stop / elapsed:,.0f}/s; generating rows {generating:.1f} s)",
                    flush=True,
                )
        row, lines, limits, choices, stays, attachments = plan.detail(ids)
        for table, rows in zip(tables, ([row], lines, limits, choices, stays), strict=True):
            self.insert(table.name, table.columns, table.rows(rows))
            counts[table.name] += len(rows)
        self.insert(
            attachments_table.name, attachments_table.columns, attachments_table.rows(attachments)
        )
        counts[attachments_table.name] = len(attachments)
        loaded = time.perf_counter() - started
        print(f"rows written in {loaded:.1f} s (of which generating {generating:.1f} s)")
        began = time.perf_counter()
        self.finish(names)
        print(f"indexes and keys rebuilt, committed in {lap(began)}")
        began = time.perf_counter()
        if self.analyze(names):
            print(f"VACUUM ANALYZE in {lap(began)}")
        print(f"detail-page inspection: {DETAIL_ID} ({DETAIL_LINES} lines)")
        return counts

    def begin(self, tables: list[str]) -> None:
        raise NotImplementedError

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        raise NotImplementedError

    def finish(self, tables: list[str]) -> None:
        raise NotImplementedError

    def analyze(self, tables: list[str]) -> bool:
        return False


class PostgresLoader(Loader):
    """One transaction: nothing is lost if the load fails half-way."""

    def begin(self, tables: list[str]) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.conn = connection.connection  # psycopg 3
        self.conn.autocommit = False
        self.cursor = self.conn.cursor()
        cur = self.cursor
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cur.execute("SET LOCAL synchronous_commit = off")
        started = time.perf_counter()
        cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cur.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
            " FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        self.foreign_keys = cur.fetchall()
        cur.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        self.indexes = cur.fetchall()
        for table, name, _ in self.foreign_keys:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in self.indexes:
            cur.execute(f"DROP INDEX {name}")
        print(
            f"emptied {len(tables)} tables, dropped {len(self.indexes)} indexes and "
            f"{len(self.foreign_keys)} foreign keys for the load in {lap(started)}"
        )

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        with self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)

    def finish(self, tables: list[str]) -> None:
        from django.core.management.color import no_style
        from django.db import connection

        cur = self.cursor
        for _, definition in self.indexes:
            cur.execute(definition)
        for table, name, definition in self.foreign_keys:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for sql in connection.ops.sequence_reset_sql(no_style(), list(_models())):
            cur.execute(sql)
        self.conn.commit()
        self.conn.autocommit = True

    def analyze(self, tables: list[str]) -> bool:
        for table in tables:
            self.cursor.execute(f"VACUUM (ANALYZE) {table}")
        return True


class SqliteLoader(Loader):
    zone = ""

    def begin(self, tables: list[str]) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.conn = connection.connection  # sqlite3
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-262144")  # 256 MB
        started = time.perf_counter()
        placeholders = ", ".join("?" * len(tables))
        self.indexes = self.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({placeholders})",
            tables,
        ).fetchall()
        self.conn.execute("BEGIN IMMEDIATE")
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')
        for table in reversed(tables):  # children first
            self.conn.execute(f"DELETE FROM {table}")
        self.conn.execute("COMMIT")
        print(
            f"emptied {len(tables)} tables, dropped {len(self.indexes)} indexes for the load"
            f" in {lap(started)}"
        )
        self.conn.execute("BEGIN IMMEDIATE")
        self.pending = 0

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        self.conn.executemany(sql, rows)
        self.pending += len(rows)
        if self.pending > 500_000:  # large transactions, but not one for the whole load
            self.conn.execute("COMMIT")
            self.conn.execute("BEGIN IMMEDIATE")
            self.pending = 0

    def finish(self, tables: list[str]) -> None:
        for _, sql in self.indexes:
            self.conn.execute(sql)
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA synchronous=NORMAL")


if __name__ == "__main__":
    main()
