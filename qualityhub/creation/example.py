"""The example import: the spec's example inspection (3 rows) and one more (2 rows).

The spec's example names its supplier by Coupa's id (1), the other by the supplier's number, as
a person knows it (`SUP-00004`: the sandbox's supplier 4, Hengda Packaging).
The import page offers it for download; `tests/data/import_example.csv` is the same file.
"""

from __future__ import annotations

import csv
import io

from qualityhub.creation.importing import COLUMNS

EXAMPLE_SUPPLIER_NUMBER = "SUP-00004"
_SEED_HEADER = (
    "2025-12-20T10:00:00Z", "1", "1", "SLNG-123", "BLNG-123", "MPNBATCHNO-LNG456", "50.0", "1",
    "1", "10", "EXTPO_004", "0010", "EXT_QI_004",
)  # fmt: skip
_SECOND_HEADER = (
    "2026-03-31T12:00:00Z", EXAMPLE_SUPPLIER_NUMBER, "2", "SP-778", "BP-778", "LOT-2291", "200",
    "5", "1", "10", "PO-1042", "0020", "",
)  # fmt: skip
EXAMPLE_ROWS = (
    _SEED_HEADER + ("Color", "required", "no", "Clear colourless ", "choice",
                    "1 | COLOR | Yellow; 2 | COLOR | light yellow; 3 | COLOR | No colour",
                    "3", "", "", "", "", ""),
    _SEED_HEADER + ("Non-volatile residue", "required", "yes", "Not more than 0.1%", "numeric",
                    "", ".32", "2", "gt", "0", "lt", "0.1"),
    _SEED_HEADER + ("Reducing substances", "required", "yes",
                    "Not more than 70 mg/kg as sulfur dioxide", "numeric", "", "55", "2", "gt",
                    "0", "lt", "70"),
    _SECOND_HEADER + ("Outer diameter", "required", "yes", "12.00 ± 0.05 mm", "numeric", "",
                      "12.00", "2", ">=", "11.95", "<=", "12.05"),
    _SECOND_HEADER + ("Surface finish", "optional", "no", "No scratches or dents", "decision",
                      "", "", "", "", "", "", ""),
)  # fmt: skip


def example_csv() -> str:
    """Every column, with the spec's example inspection (3 rows) and one more (2 rows)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    return out.getvalue()
