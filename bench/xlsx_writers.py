"""Why the .xlsx downloads have a writer of their own: the same 100,000 inspection rows written
by QualityHub's streaming writer (qualityhub/spreadsheets/xlsx.py), by openpyxl's write-only
workbook and by XlsxWriter's constant-memory workbook (each in a process of its own: CPU time,
wall time, peak memory, the time to the first byte a client would get).

    .venv/bin/python bench/xlsx_writers.py [--rows 100000]

XlsxWriter is not a dependency: `pip install xlsxwriter` to include it. No database: the rows
are made in memory, the same for all three (so the figures are the writers' own).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from machine import cpu_speed, load_average  # bench/ is the script's folder

ROOT = Path(__file__).resolve().parent.parent
WRITERS = ("qualityhub", "openpyxl", "xlsxwriter")


def rows(count: int):
    moment = datetime(2026, 11, 25, 14, 5, tzinfo=UTC)
    for n in range(count):
        yield {
            "coupa_id": 100000 + n, "external_inspection_id": f"EXT-{n}", "status": "Open",
            "review_decision": "accepted", "verdict": ("pass", "fail", "marginal")[n % 3],
            "supplier_id": 10, "supplier_name": "Acme Precision GmbH", "item_id": 5,
            "item_name": "Bracket, steel", "supplier_part_number": "SP-1",
            "buyer_part_number": "BP-2", "ref_document_id": f"PO-{n}", "ref_document_item": 3,
            "item_quantity": Decimal("6011.0000000000"), "sample_size": Decimal("12.5000000000"),
            "due_date": date(2026, 12, 1), "modified_at": moment, "exported": n % 2 == 0,
            "failing_count": 1, "marginal_count": 0, "gone_at": None,
        }  # fmt: skip


def write(writer: str, count: int, out: Path) -> dict:
    started, cpu = time.monotonic(), time.process_time()
    first_byte = None
    if writer == "qualityhub":
        from qualityhub.spreadsheets.columns import INSPECTION_COLUMNS
        from qualityhub.spreadsheets.xlsx import workbook

        with out.open("wb") as file:
            for chunk in workbook(
                INSPECTION_COLUMNS, rows(count), title="Inspections", zone=UTC, language="en"
            ):
                if chunk and first_byte is None:
                    first_byte = time.monotonic() - started
                file.write(chunk)
    elif writer == "openpyxl":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Inspections")
        for row in rows(count):
            sheet.append([_plain(v) for v in row.values()])
        book.save(out)
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        sheet = book.add_worksheet("Inspections")
        for r, row in enumerate(rows(count)):
            for c, value in enumerate(row.values()):
                sheet.write(r, c, _plain(value))
        book.close()
    return {
        "seconds": time.monotonic() - started,
        "cpu": time.process_time() - cpu,
        "first_byte": first_byte if first_byte is not None else time.monotonic() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bytes": out.stat().st_size,
    }


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityhub.settings")
        os.environ.setdefault("DEBUG", "1")
        import django

        django.setup()
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(write(args.child, args.rows, Path(folder) / "out.xlsx")))
        return
    print(f"{args.rows:,} rows × 21 columns; {cpu_speed()}")
    for writer in WRITERS:
        run = subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--child", writer],
            capture_output=True,
            text=True,
        )
        if run.returncode:
            print(f"{writer:11} not run: {run.stderr.strip().splitlines()[-1]}")
            continue
        f = json.loads(run.stdout)
        print(
            f"{writer:11} {f['seconds']:6.1f} s  CPU {f['cpu']:5.1f} s  first byte "
            f"{f['first_byte']:5.2f} s  peak {f['peak_mb']:4.0f} MB  {f['bytes'] / 1e6:5.1f} MB"
            f"  (load average {load_average()})"
        )


if __name__ == "__main__":
    main()
