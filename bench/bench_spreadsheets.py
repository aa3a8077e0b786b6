"""Download benchmark: the lists' CSV and .xlsx of 100,000 rows (issue 18, §2).

    .venv/bin/python bench/bench_spreadsheets.py [--rows 100000] [--database-url postgres://...]

Migrates a database (a temporary SQLite file, or the given PostgreSQL database: created when
missing and dropped at the end unless --keep-database; its inspections are replaced), loads
--rows inspections of one characteristic each (Decimal quantities and values at precisions 0..6,
every verdict), then downloads each list as CSV and as .xlsx in a fresh Python process of its own
(Django's test client, signed in as an engineer, the whole streamed body read and counted):
the time to the first byte and to the last, the size, and the process's peak resident memory
(ru_maxrss) after a first download of no rows and at the end, and its CPU time (the
database's own is not counted). Targets: 100,000 rows within
60 s and under 200 MB. The load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from machine import cpu_speed, load_average  # bench/ is the script's folder
from sync import in_scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 60
TARGET_MB = 200
DOWNLOADS = (
    ("inspections .xlsx", "/inspections/download.xlsx"),
    ("inspections .csv", "/inspections/export.csv"),
    ("results .xlsx", "/results/download.xlsx"),
    ("results .csv", "/results/download.csv"),
)
USERNAME = "bench-downloads"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--only", default="", help="one download's path (default: all four)")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _download(args.child)
        return
    in_scratch_database(args, "downloads", _run)


def _run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {cpu_speed()}")
    started = time.perf_counter()
    if _seeded(args.rows):
        print(f"{args.rows} inspections and lines already loaded (--keep-database)")
    else:
        _seed(args.rows)
        print(f"{args.rows} inspections and lines loaded in {time.perf_counter() - started:.1f} s")
    connection.close()
    for name, path in DOWNLOADS:
        if args.only and path != args.only:
            continue
        load_before = load_average()
        answer = subprocess.run(
            [sys.executable, __file__, "--child", path],
            capture_output=True,
            text=True,
            env=os.environ,
            check=False,
        )
        if answer.returncode:
            sys.exit(f"{name}: the download failed\n{answer.stderr}")
        figures = json.loads(answer.stdout.strip().splitlines()[-1])
        met = figures["seconds"] < TARGET_SECONDS and figures["peak_mb"] < TARGET_MB
        print(
            f"{name}: {figures['rows']} rows, {figures['bytes'] / 1e6:.1f} MB in "
            f"{figures['seconds']:.1f} s (first byte {figures['first_byte']:.2f} s; this process's "
            f"CPU {figures['cpu']:.1f} s); peak RSS "
            f"{figures['peak_mb']:.0f} MB (after a first, empty download: "
            f"{figures['started_mb']:.0f} MB); "
            f"target < {TARGET_SECONDS} s and < {TARGET_MB} MB {'met' if met else 'MISSED'}; "
            f"load average before {load_before}, after {load_average()} ({os.cpu_count()} CPUs)"
        )


def _seeded(rows: int) -> bool:
    from django.contrib.auth import get_user_model

    from qualityhub.inspections.models import Characteristic, Inspection

    return (
        Inspection.objects.count() == rows
        and Characteristic.objects.count() == rows
        and get_user_model().objects.filter(username=USERNAME).exists()
    )


def _seed(rows: int) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from qualityhub.inspections.models import Characteristic, Inspection
    from tests.conftest import make_user  # the test suite's one way of making a user

    Inspection.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username=USERNAME).delete()
    make_user(USERNAME, "Quality engineer")
    now = timezone.now()
    verdicts = ("pass", "fail", "incomplete")
    line_verdicts = ("pass", "marginal", "fail", "pending", "none", "invalid")
    batch = 5000
    for start in range(1, rows + 1, batch):
        numbers = range(start, min(start + batch, rows + 1))
        Inspection.objects.bulk_create(
            Inspection(
                coupa_id=n,
                supplier_id=1 + n % 40,
                supplier_name=f"Supplier {1 + n % 40}",
                item_id=1 + n % 500,
                item_name=f"Item {n % 500} with a name of some length",
                status="Closed",
                review_decision="Accepted",
                verdict=verdicts[n % 3],
                supplier_part_number=f"SP-{n}",
                buyer_part_number=f"BP-{n}",
                ref_document_id=f"PO{n // 3}",
                ref_document_item=str(n % 9),
                item_quantity=Decimal(6011 + n % 17),
                sample_size=Decimal(n % 50) / 4,
                due_date=now + timedelta(days=n % 30),
                modified_at=now - timedelta(minutes=n),
                exported=n % 2 == 0,
                failing_count=n % 3,
            )
            for n in numbers
        )
        Characteristic.objects.bulk_create(
            Characteristic(
                coupa_id=n,
                inspection_id=n,
                line_num=1,
                name=f"Length {n % 20}",
                specification="10 ± 0.05 mm",
                recorded_numeric=Decimal(n % 100000).scaleb(-(n % 7)),
                precision=n % 7,
                verdict=line_verdicts[n % 6],
            )
            for n in numbers
        )


def _download(path: str) -> None:
    """In a fresh process: one download, read to the end, measured."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=USERNAME))
    # A first request of no rows: the imports and caches of a process's first request.
    b"".join(client.get(f"{path}?supplier=999999", secure=True).streaming_content)
    started_mb = _peak_mb()
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    response = client.get(path, secure=True)  # production settings: HTTPS only
    size = 0
    first_byte = None
    lines = 0
    for chunk in response.streaming_content:
        if first_byte is None and chunk:
            first_byte = time.perf_counter() - started
        size += len(chunk)
        if path.endswith(".csv"):
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    rows = lines - 1 if path.endswith(".csv") else _listed(path)
    print(
        json.dumps(
            {
                "rows": rows,
                "bytes": size,
                "seconds": seconds,
                "first_byte": first_byte or seconds,
                "peak_mb": _peak_mb(),
                "cpu": _cpu_seconds() - cpu_before,
                "started_mb": started_mb,
            }
        )
    )


def _listed(path: str) -> int:
    """The rows an unfiltered .xlsx holds (reading 100,000 rows back would time openpyxl)."""
    from qualityhub.inspections.models import Characteristic, Inspection

    return (Inspection if path.startswith("/inspections/") else Characteristic).objects.count()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


if __name__ == "__main__":
    main()
