"""Notifications benchmark: the events and notifications of 10,000 changes the sync observes.

    .venv/bin/python bench/notify_sync.py [--changes 10000] [--people 20] \
        [--database-url postgres://postgres@127.0.0.1:5432/qh_notifybench]

Migrates a fresh database (a temporary SQLite file, or the given PostgreSQL database: created
when missing and dropped at the end unless --keep-database, emptied first when it exists), makes
`--people` users (half engineers told of every supplier, a quarter buyers of one supplier each
who chose every event, a quarter managers) and reports, each on an empty event table:
- the sync's way: `observe_written` once per page of 50 inspections, each page in its own
  transaction, as `sync.effects.page_written` calls it (who listens is read once per page);
- all at once: one `observe_written` call over the 10,000 changes;
- the hot path when nothing is news: 10,000 written rows from before the look-back window (a
  full sync of an old tenant), which make no event and touch no table;
and with each the queries, the events, the notifications, and the load average.

Each changed inspection makes one event: six in ten are rejected, two accepted while failing,
two carry a marginal line.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from machine import cpu_speed, load_average  # bench/ is the script's folder
from sync import drop_database, use_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = 50  # Coupa's page size: one sync transaction
SUPPLIERS = 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--keep-database", action="store_true", help="do not drop what we created")
    args = parser.parse_args()
    if args.changes < 1 or args.people < 4:
        parser.error("--changes must be at least 1 and --people at least 4")
    workdir = Path(tempfile.mkdtemp(prefix="qualityhub-bench-"))
    os.environ.update(SECRET_KEY="bench-only", QUALITYHUB_VAR_DIR=str(workdir), LOG_LEVEL="WARNING")
    created = use_database(args.database_url)
    print(f"load average {load_average()} ({os.cpu_count()} CPUs); {cpu_speed()}")
    try:
        _run(args)
    finally:
        if created and not args.keep_database:
            drop_database(args.database_url)


def _run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from qualityhub.notifications.models import Event, Notification
    from qualityhub.notifications.observe import observe_written

    call_command("migrate", verbosity=0)
    _empty()
    _people(args.people)
    print(f"database: {connection.vendor}; {args.people} people; {args.changes} changes")
    now = timezone.now()

    def measured(name: str, written: list, per_page: bool, atomic=transaction.atomic) -> None:
        Event.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            if per_page:
                for start in range(0, len(written), PAGE):
                    with atomic():
                        observe_written(written[start : start + PAGE], now)
            else:
                with transaction.atomic():
                    observe_written(written, now)
            elapsed = time.perf_counter() - started
        events, told = Event.objects.count(), Notification.objects.count()
        print(
            f"{name}: {elapsed:.3f} s, {len(queries)} queries, {events} events, "
            f"{told} notifications ({told / elapsed:,.0f}/s); "
            f"load average {load_average()}"
        )

    recent = [_changed(n, now - timedelta(minutes=5)) for n in range(args.changes)]
    measured("the sync's way, a page at a time", recent, per_page=True)
    measured("all at once", recent, per_page=False)
    old = [_changed(n, now - timedelta(days=400)) for n in range(args.changes)]
    # The page's transaction is the sync's anyway: only what observing adds is counted.
    measured("nothing is news (before the look-back)", old, per_page=True, atomic=nullcontext)
    print(f"load average after the run: {load_average()}")


def _changed(n: int, at) -> tuple[SimpleNamespace, list[SimpleNamespace]]:
    share = n % 10
    decision, verdict = ("Rejected", "fail") if share < 6 else ("Accepted", "fail")
    lines = []
    if share >= 8:
        decision, verdict = "", "pass"
        lines.append(
            SimpleNamespace(
                coupa_id=10_000_000 + n,
                name="Diameter",
                verdict="marginal",
                recorded_numeric=Decimal("10.02"),
                recorded_text="",
                recorded_code="",
                recorded_qualitative="",
                recorded_decision=None,
            )
        )
    row = SimpleNamespace(
        coupa_id=1_000_000 + n,
        status="Closed" if decision else "In Buyer Review",
        review_decision=decision,
        verdict=verdict,
        reviewed_date=at if decision else None,
        modified_at=at,
        supplier_id=1 + n % SUPPLIERS,
        supplier_name=f"Supplier {1 + n % SUPPLIERS}",
        item_id=500 + n % 300,
        item_name="bolt M8",
    )
    return row, lines


def _people(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from qualityhub.accounts.models import SupplierAssignment
    from qualityhub.notifications.kinds import Kind
    from qualityhub.notifications.models import NotificationSettings

    users = get_user_model().objects
    buyers, managers = count // 4, count // 4
    engineers = count - buyers - managers
    roles = [("Quality engineer", engineers), ("Buyer", buyers), ("Manager", managers)]
    for role, number in roles:
        group = Group.objects.get(name=role)
        for n in range(number):
            user = users.create_user(f"{role.split()[-1].lower()}{n}")
            user.groups.add(group)
            if role == "Buyer":
                SupplierAssignment.objects.create(user=user, supplier_id=1 + n % SUPPLIERS)
                NotificationSettings.objects.create(user=user, kinds=list(Kind.values))


def _empty() -> None:
    from django.contrib.auth import get_user_model

    from qualityhub.notifications.models import Event

    Event.objects.all().delete()
    get_user_model().objects.all().delete()


if __name__ == "__main__":
    main()
