"""Sync benchmark: how fast the cache fills from the sandbox over loopback HTTP.

    .venv/bin/python bench/sync.py [--inspections 10000] [--database-url postgres://...]
    .venv/bin/python bench/sync.py --inspections 100000 --rate-limit 25 \
        --database-url postgres://postgres@127.0.0.1:5432/qh_syncbench

Starts a sandbox seeded with N inspections (`--sandbox-db FILE` keeps its data set for the next
run), migrates a fresh database (a temporary SQLite file, or the given PostgreSQL database:
created when missing and then dropped at the end unless --keep-database, emptied first when it
exists) and reports:
- full sync: inspections per second end to end (list pages over HTTP, parse, judge, upsert);
- incremental sync with nothing changed: seconds;
- full sync with nothing changed: seconds;
- peak resident memory of this process;
- database ingest alone: rows per second written by the page upsert, without HTTP;
- attachment pass: inspections per second whose attachment lists were read (header + each line;
  under Celery a separate task after the sync, so never part of the sync's figures).

With `--rate-limit R` the sandbox refuses more than R requests/s (a token bucket holding R
tokens, answering 429 with Retry-After) and the client paces itself at `--pace` requests/s (by
default R: COUPA_REQUESTS_PER_SECOND, whose production default of 20 leaves headroom for other
processes calling Coupa at once). Each phase then reports the requests it needed, the 429s it
got, and how its time compares with what the limit allows: the requests it needed (429s not
counted) at R per second. Target: the full sync at >= 90% of that pace.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from machine import cpu_speed, load_average  # bench/ is the script's folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SHARE = 0.9  # of the pace the rate limit allows


@dataclass
class Phase:
    name: str
    seconds: float
    requests: int  # as the sandbox counted them: the token request and refused ones included
    throttled: int  # 429s the client was answered

    def allowed_seconds(self, rate: float) -> float:
        """The time the needed requests take at the limit's steady pace (the bucket's burst of
        `rate` requests lets a phase of a few requests finish sooner)."""
        return (self.requests - self.throttled) / rate

    def share(self, rate: float) -> float:
        return self.allowed_seconds(rate) / self.seconds if self.seconds else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--keep-database", action="store_true", help="do not drop what we created")
    parser.add_argument("--rate-limit", type=float, default=0, help="sandbox requests/s (0: off)")
    parser.add_argument(
        "--pace", type=float, default=None, help="client requests/s (default: the rate limit)"
    )
    parser.add_argument("--sandbox-db", type=Path, help="keep the sandbox's data set here")
    parser.add_argument(
        "--attachment-sample", type=int, default=None, help="inspections (default 200; 50 limited)"
    )
    args = parser.parse_args()
    if args.rate_limit < 0 or (args.pace is not None and args.pace < 0):
        parser.error("--rate-limit and --pace must not be negative")
    pace = args.rate_limit if args.pace is None else args.pace
    sample = args.attachment_sample or (50 if args.rate_limit else 200)

    workdir = Path(tempfile.mkdtemp(prefix="qualityhub-bench-"))
    os.environ.update(
        SECRET_KEY="bench-only",
        QUALITYHUB_VAR_DIR=str(workdir),
        LOG_LEVEL="WARNING",
        COUPA_REQUESTS_PER_SECOND=str(pace),
    )
    created = use_database(args.database_url)

    from tests.sandbox_process import CLIENT_ID, CLIENT_SECRET, SandboxProcess

    options = {"inspections": args.inspections, "quiet": True}
    if args.rate_limit:
        options["rate_limit"] = args.rate_limit
    started = time.perf_counter()
    sandbox_db = args.sandbox_db.resolve() if args.sandbox_db else workdir / "sandbox.sqlite3"
    sandbox_db.parent.mkdir(parents=True, exist_ok=True)
    sandbox = SandboxProcess(sandbox_db, **options)
    print(
        f"sandbox with {args.inspections} inspections up in {time.perf_counter() - started:.1f} s"
        f"; load average {load_average()} ({os.cpu_count()} CPUs); {cpu_speed()}"
    )
    try:
        _run(sandbox, CLIENT_ID, CLIENT_SECRET, args, pace, sample)
    finally:
        sandbox.stop()
        if created and not args.keep_database:
            drop_database(args.database_url)


def in_scratch_database(args, name: str, run) -> None:
    """`run(args)` with the bench's own settings (a scratch var folder, quiet logs) on
    `args.database_url`, created when missing and dropped after unless `args.keep_database`."""
    workdir = Path(tempfile.mkdtemp(prefix=f"qualityhub-bench-{name}-"))
    os.environ.update(SECRET_KEY="bench-only", QUALITYHUB_VAR_DIR=str(workdir), LOG_LEVEL="WARNING")
    created = use_database(args.database_url)
    try:
        run(args)
    finally:
        if created and not args.keep_database:
            drop_database(args.database_url)


def use_database(url: str) -> bool:
    """Point Django at `url` (empty: the default, a SQLite file under the var folder) and its
    settings module; True when a PostgreSQL database had to be created for it."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "qualityhub.settings"
    if not url:
        os.environ.pop("DATABASE_URL", None)
        return False
    os.environ["DATABASE_URL"] = url
    return urlsplit(url).scheme.startswith("postgres") and create_database(url)


def create_database(url: str) -> bool:
    """Create the PostgreSQL database named in the URL if it is missing; True when created."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"created database {name}")
    return True


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    print(f"dropped database {name}")


def _maintenance_url(url: str) -> str:
    parts = urlsplit(url)
    scheme = "postgresql" if parts.scheme.startswith("postgres") else parts.scheme
    return urlunsplit((scheme, parts.netloc, "/postgres", parts.query, ""))


def _run(sandbox, client_id: str, client_secret: str, args, pace: float, sample: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from qualityhub.coupa import CoupaClient
    from qualityhub.inspections.models import Inspection
    from qualityhub.sync.pull import run_sync

    call_command("migrate", verbosity=0)
    _empty_cache()
    print(f"database: {connection.vendor}")
    client = CoupaClient(sandbox.url, client_id, client_secret, requests_per_second=pace)
    statuses: Counter[int] = Counter()
    # The client's own session: every answer it got, 429s included (it retries those itself).
    client._session.hooks["response"].append(lambda r, *a, **k: statuses.update([r.status_code]))
    phases: list[Phase] = []

    def measured(name: str, work):
        sandbox.reset_request_count()
        throttled_before = statuses[429]
        started = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - started
        requests = sandbox.request_count()["total"]
        phases.append(Phase(name, elapsed, requests, statuses[429] - throttled_before))
        return result, elapsed

    if args.rate_limit:
        print(
            f"rate limit: sandbox {args.rate_limit:g} requests/s (token bucket, burst "
            f"{max(1.0, args.rate_limit):g}); client paced at {pace:g} requests/s"
            + (" (no pacing)" if not pace else "")
        )

    run, elapsed = measured(
        "full sync", lambda: run_sync("full", client=client, attachments="skip")
    )
    rows = _row_count()
    print(
        f"full sync: {run.created} inspections ({rows} rows, {run.pages} pages) in {elapsed:.2f} s"
        f" = {run.created / elapsed:,.0f} inspections/s, outcome {run.outcome}"
    )

    run, elapsed = measured(
        "incremental, nothing changed",
        lambda: run_sync("incremental", client=client, attachments="skip"),
    )
    print(
        f"incremental, nothing changed: {elapsed:.3f} s"
        f" ({run.unchanged} unchanged in the overlap window)"
    )

    run, elapsed = measured(
        "full sync, nothing changed", lambda: run_sync("full", client=client, attachments="skip")
    )
    print(f"full sync, nothing changed: {elapsed:.2f} s")

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory of the syncing process: {peak_kb / 1024:.0f} MB")

    if not args.rate_limit:  # no HTTP in it: the limit changes nothing
        _ingest_alone(client)

    ids = list(Inspection.objects.values_list("coupa_id", flat=True)[:sample])
    from qualityhub.sync.attachments import pull_attachments

    _, elapsed = measured("attachment pass", lambda: pull_attachments(client, ids))
    print(
        f"attachment pass: {len(ids) / elapsed:,.0f} inspections/s (header + each line; "
        f"{len(ids)} inspections, {phases[-1].requests} requests)"
    )
    if args.rate_limit:
        report_limited(phases, args.rate_limit, pace)
    print(f"load average after the run: {load_average()}")


def _empty_cache() -> None:
    """Remove what an earlier run (--keep-database) left. On PostgreSQL one TRUNCATE: the ORM's
    cascading delete of 1.4 M rows held over a GB of this process's memory for the rest of the
    run, which the peak-memory figure then reported as the sync's."""
    from django.db import connection

    from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Inspection._meta.db_table} CASCADE")
        return
    for model in (Limit, ChoiceValue, Characteristic, Inspection):
        model.objects.all().delete()


def report_limited(phases: list[Phase], rate: float, pace: float) -> None:
    print()
    print(
        "| phase | requests | 429s | time | at the limit's pace | requests/s "
        "| share of the allowed pace |"
    )
    print("|---|---|---|---|---|---|---|")
    for phase in phases:
        print(
            f"| {phase.name} | {phase.requests:,} | {phase.throttled} | {phase.seconds:.1f} s "
            f"| {phase.allowed_seconds(rate):.1f} s | {phase.requests / phase.seconds:.1f} "
            f"| {phase.share(rate):.0%} |"
        )
    full = phases[0]
    ok = full.share(rate) >= TARGET_SHARE
    print(
        f"\n{'PASS' if ok else 'FAIL'}  full sync at {full.share(rate):.0%} of the pace "
        f"{rate:g} requests/s allows (target >= {TARGET_SHARE:.0%}); client paced at {pace:g}/s,"
        f" {sum(p.throttled for p in phases)} requests answered 429 in all"
    )


def _row_count() -> int:
    from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit

    return sum(m.objects.count() for m in (Inspection, Characteristic, Limit, ChoiceValue))


def _ingest_alone(client) -> None:
    """Time the page upserts with the records already fetched and parsed."""
    from django.db import transaction
    from django.utils import timezone

    from qualityhub.coupa.schemas import parse_inspection
    from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit
    from qualityhub.sync.mapping import content_hash, rows_for
    from qualityhub.sync.models import SyncRun
    from qualityhub.sync.pull import _upsert

    now = timezone.now()
    run = SyncRun.objects.create(mode="full", started_at=now)
    pages = []
    for records in client.iter_pages():
        pages.append([rows_for(parse_inspection(r), content_hash(r), now) for r in records])
        if len(pages) * 50 >= 2000:
            break
    for model in (Limit, ChoiceValue, Characteristic, Inspection):
        model.objects.all().delete()
    started = time.perf_counter()
    for page in pages:
        with transaction.atomic():
            _upsert(page, run, replaced=[])
    elapsed = time.perf_counter() - started
    rows = _row_count()
    print(f"database ingest alone: {rows} rows in {elapsed:.2f} s = {rows / elapsed:,.0f} rows/s")


if __name__ == "__main__":
    main()
