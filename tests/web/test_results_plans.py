"""The results list's count runs where PostgreSQL can only join by index probes.

At 10 M inspections the planner counted one supplier's failing lines with a merge join along the
inspections' primary key (104,000 inspections read for 1,001 lines, 50 ms), where a nested loop
from the supplier's inspections into their failing lines reads 4,800 index entries (10 ms); its
choice flips with the table's size, so the page states it (`inspections/plans.py`).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from qualityhub.inspections.models import Characteristic, Inspection
from tests.plan_settings import join_settings_at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]


def test_the_count_of_one_suppliers_failing_lines_joins_by_index_probes(signed_in) -> None:
    now = timezone.now()
    for n in range(1, 7):
        inspection = Inspection.objects.create(coupa_id=n, due_date=now, supplier_id=3 + n % 2)
        Characteristic.objects.create(coupa_id=n, inspection=inspection, verdict="fail")
    query = {"supplier": 3, "verdict": "fail"}
    with join_settings_at(lambda sql: sql.lstrip().upper().startswith("SELECT COUNT")) as seen:
        assert signed_in.get("/results/", query).status_code == 200
    assert seen == [("off", "off")]
    assert signed_in.get("/results/", query).context["page"].count == 3
