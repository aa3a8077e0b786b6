"""bench/seed_large.py's rows carry the verdicts the sync's rules would give them."""

import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from qualityhub.verdicts import inspection_verdict
from qualityhub.verdicts.review import review_contradicts_verdict

ROOT = Path(__file__).resolve().parents[2]


def test_every_seeded_inspection_is_rolled_up_by_the_real_rules(tmp_path) -> None:
    database = tmp_path / "seed.sqlite3"
    subprocess.run(
        [sys.executable, "bench/seed_large.py", "--inspections", "400", "--sqlite", str(database)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=90,
    )
    with sqlite3.connect(database) as db:
        lines = defaultdict(list)
        for inspection_id, kind, verdict in db.execute(
            "SELECT inspection_id, type, verdict FROM inspections_characteristic"
        ):
            lines[inspection_id].append((kind == "required", verdict))
        inspections = db.execute(
            "SELECT coupa_id, status, review_decision, verdict, failing_count, marginal_count,"
            " pending_count, characteristic_count, disagreement FROM inspections_inspection"
        ).fetchall()
    assert len(inspections) == 401  # and the detail page's inspection
    seen = set()
    for coupa_id, status, decision, verdict, failing, marginal, pending, count, flag in inspections:
        judged = lines[coupa_id]
        verdicts = [line_verdict for _, line_verdict in judged]
        assert verdict == inspection_verdict(judged), coupa_id
        assert (failing, marginal, pending, count) == (
            verdicts.count("fail"),
            verdicts.count("marginal"),
            verdicts.count("pending"),
            len(judged),
        ), coupa_id
        assert bool(flag) == review_contradicts_verdict(status, decision, verdict), coupa_id
        seen.add(verdict)
    assert seen == {"pass", "fail", "incomplete"}
    # Every row carries its supplier's name, as the directory holds it.
    with sqlite3.connect(database) as db:
        named = dict(
            db.execute(
                "SELECT coupa_id, CASE WHEN display_name = '' THEN name ELSE display_name END"
                " FROM directory_supplier"
            ).fetchall()
        )
        pairs = set(
            db.execute("SELECT DISTINCT supplier_id, supplier_name FROM inspections_inspection")
        )
    assert len(named) == 20 and named[1] == "Northwind Polymers"
    assert pairs and all(name == named[supplier_id] for supplier_id, name in pairs)
