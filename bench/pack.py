"""How long one supplier's review pack takes: the queries, the SVG charts and WeasyPrint.

    .venv/bin/python bench/seed_large.py --inspections 100000 \
        --database-url postgres://postgres@127.0.0.1:5432/qualityhub_packbench
    .venv/bin/python bench/pack.py --database-url postgres://postgres@127.0.0.1:5432/qualityhub_packbench

Picks the supplier with the most inspections due in the last full quarter (or `--supplier`),
makes its pack `--runs` times (the first run warms Django's templates and WeasyPrint's fonts,
and is reported apart) and prints the time of each part, the PDF's size and pages, the peak
resident memory and the machine's load average.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_speed, load_average  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--supplier", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["QUALITYHUB_VAR_DIR"] = tempfile.mkdtemp(prefix="qualityhub-packbench-")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "qualityhub.settings"
    os.environ["DATABASE_URL"] = args.database_url

    import django

    django.setup()
    import pypdf
    from django.db.models import Count
    from django.utils import timezone

    from qualityhub.analytics.scorecards import in_period
    from qualityhub.inspections.models import Inspection
    from qualityhub.reports.pack import build_pack, last_full_quarter
    from qualityhub.reports.pdf import render_pdf

    period = last_full_quarter(timezone.localdate())
    scored = period.as_scorecard_period()
    supplier = args.supplier or (
        Inspection.objects.filter(in_period(scored))
        .values("supplier_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("supplier_id", flat=True)
        .first()
    )
    due = Inspection.objects.filter(in_period(scored, [supplier])).count()
    print(f"supplier {supplier}, {period.first_day} to {period.last_day}: {due} inspections due")
    print(f"cache: {Inspection.objects.count()} inspections")

    gather, layout, cpu = [], [], []
    for run in range(args.runs + 1):
        started, cpu_started = time.perf_counter(), time.process_time()
        pack = build_pack(supplier, period)
        built = time.perf_counter()
        pdf = render_pdf("reports/pack.html", {"pack": pack}, language="en")
        done = time.perf_counter()
        if run == 0:
            print(f"first (cold) run: data {built - started:.2f} s, PDF {done - built:.2f} s")
            continue
        gather.append(built - started)
        layout.append(done - built)
        # On a shared machine the wall clock waits for other processes: this process's own CPU
        # (all of WeasyPrint's work; the database's is in "data") says what a pack costs.
        cpu.append(time.process_time() - cpu_started)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    total = [g + lay for g, lay in zip(gather, layout, strict=True)]
    print(
        f"warm runs ({args.runs}): data median {statistics.median(gather):.2f} s, "
        f"PDF median {statistics.median(layout):.2f} s, "
        f"total median {statistics.median(total):.2f} s (max {max(total):.2f} s); "
        f"this process's CPU median {statistics.median(cpu):.2f} s"
    )
    print(
        f"PDF: {len(pdf) / 1024:.0f} KiB, {pages} pages; rejected listed "
        f"{len(pack.rejected.rows)} of {pack.rejected.total}, contradicting "
        f"{len(pack.contradicting.rows)} of {pack.contradicting.total}; "
        f"SPC sections {len(pack.spc)} ({', '.join(str(s.chart.n) for s in pack.spc)} points)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB; load average {load_average()}; {cpu_speed()}")


if __name__ == "__main__":
    main()
