"""Sync benchmark: how fast the cache fills from the sandbox over loopback HTTP.

    .venv/bin/python bench/sync.py [--inspections 10000] [--database-url postgres://...]

Starts a sandbox seeded with N inspections, migrates a fresh database (a temporary SQLite file,
or the given PostgreSQL database, which is emptied first) and reports:
- full sync: inspections per second end to end (list pages over HTTP, parse, judge, upsert);
- incremental sync with nothing changed: seconds;
- peak resident memory of this process;
- database ingest alone: rows per second written by the page upsert, without HTTP;
- attachment pass: inspections per second whose attachment lists were read.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--rate-limit", type=int, default=0, help="sandbox requests/s (0: off)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="qualityhub-bench-"))
    os.environ.update(SECRET_KEY="bench-only", QUALITYHUB_VAR_DIR=str(workdir), LOG_LEVEL="WARNING")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qualityhub.settings"

    from tests.sandbox_process import CLIENT_ID, CLIENT_SECRET, SandboxProcess

    options = {"inspections": args.inspections, "quiet": True}
    if args.rate_limit:
        options["rate_limit"] = args.rate_limit
    started = time.perf_counter()
    sandbox = SandboxProcess(workdir / "sandbox.sqlite3", **options)
    print(
        f"sandbox with {args.inspections} inspections up in {time.perf_counter() - started:.1f} s"
    )
    try:
        _run(sandbox, CLIENT_ID, CLIENT_SECRET, args)
    finally:
        sandbox.stop()


def _run(sandbox, client_id: str, client_secret: str, args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from qualityhub.coupa import CoupaClient
    from qualityhub.inspections.models import Characteristic, ChoiceValue, Inspection, Limit
    from qualityhub.sync.pull import run_sync

    call_command("migrate", verbosity=0)
    for model in (Limit, ChoiceValue, Characteristic, Inspection):
        model.objects.all().delete()
    print(f"database: {connection.vendor}")
    client = CoupaClient(sandbox.url, client_id, client_secret)

    started = time.perf_counter()
    run = run_sync("full", client=client, attachments="skip")
    elapsed = time.perf_counter() - started
    rows = _row_count()
    print(
        f"full sync: {run.created} inspections ({rows} rows) in {elapsed:.2f} s"
        f" = {run.created / elapsed:,.0f} inspections/s, outcome {run.outcome}"
    )

    started = time.perf_counter()
    run = run_sync("incremental", client=client, attachments="skip")
    print(
        f"incremental, nothing changed: {time.perf_counter() - started:.3f} s"
        f" ({run.unchanged} unchanged in the overlap window)"
    )

    started = time.perf_counter()
    run = run_sync("full", client=client, attachments="skip")
    print(f"full sync, nothing changed: {time.perf_counter() - started:.2f} s")

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory of the syncing process: {peak_kb / 1024:.0f} MB")

    _ingest_alone(client)

    sample = list(Inspection.objects.values_list("coupa_id", flat=True)[:200])
    from qualityhub.sync.attachments import pull_attachments

    started = time.perf_counter()
    pull_attachments(client, sample)
    elapsed = time.perf_counter() - started
    print(f"attachment pass: {len(sample) / elapsed:,.0f} inspections/s (header + each line)")


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
