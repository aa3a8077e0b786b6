"""Inspection report benchmark: one report PDF, and a bulk PDF of many (issue 18, point 1).

    .venv/bin/python bench/reports.py [--inspections 500] [--lines 12] [--database-url postgres://...]

Migrates a fresh database (a temporary SQLite file, or the given PostgreSQL database: created
when missing and dropped at the end unless --keep-database), makes --inspections inspections of
--lines characteristics each (limits, an attachment), then times the download's work for one
(`inspection_pdf`) and a bulk job of all of them (`run_job`: each laid out by WeasyPrint, joined
by pypdf), with the process's peak memory (RSS) before and after and the file's size. The bulk
limit (REPORT_BULK_LIMIT) is set from these figures: docs/printing.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from machine import cpu_speed, load_average  # bench/ is the script's folder
from sync import in_scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=500)
    parser.add_argument("--lines", type=int, default=12)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()
    in_scratch_database(args, "reports", _run)


def _run(args) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from qualityhub.inspections.models import Inspection
    from qualityhub.reports import services
    from qualityhub.reports.content import inspection_reports
    from qualityhub.reports.models import ReportJob
    from tests.reports.world import make_inspection

    call_command("migrate", verbosity=0)
    Inspection.objects.filter(coupa_id__gte=10_000).delete()
    print(f"database: {connection.vendor}; {cpu_speed()}")
    started = time.perf_counter()
    ids = [10_000 + n for n in range(args.inspections)]
    for coupa_id in ids:
        make_inspection(coupa_id, supplier_id=1 + coupa_id % 7, lines=args.lines)
    made = time.perf_counter() - started
    print(f"{len(ids)} inspections of {args.lines} lines made in {made:.1f} s")

    (report,) = inspection_reports(Inspection.objects.filter(coupa_id=ids[0]))
    services.inspection_pdf(report)  # the first loads WeasyPrint and the fonts
    rounds = 10
    load_before = load_average()
    started = time.perf_counter()
    for _ in range(rounds):
        (report,) = inspection_reports(Inspection.objects.filter(coupa_id=ids[0]))
        one = services.inspection_pdf(report)
    each = (time.perf_counter() - started) / rounds
    print(
        f"one report ({args.lines} lines): {each * 1000:.0f} ms, {len(one) / 1024:.0f} KB; "
        f"peak RSS {peak_mb():.0f} MB; load average {load_before}"
    )

    owner = get_user_model().objects.create_user(f"bench-{time.time_ns()}", password=None)
    owner.is_superuser = True
    owner.save()
    job = services.start_job(owner, ids, "en")
    rss_before = peak_mb()
    load_before = load_average()
    started = time.perf_counter()
    services.run_job(job.pk)
    elapsed = time.perf_counter() - started
    job = ReportJob.objects.get(pk=job.pk)
    print(
        f"bulk job of {len(ids)}: {job.state} {job.error} in {elapsed:.1f} s "
        f"({elapsed / len(ids) * 1000:.0f} ms each); file {job.file_size / 1024 / 1024:.1f} MB; "
        f"peak RSS {rss_before:.0f} MB before, {peak_mb():.0f} MB after; load average before "
        f"{load_before}, after {load_average()} ({os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
