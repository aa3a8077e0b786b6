"""bench/load.py's browsing mix visits inspections spread over the whole table."""

import random
import sys
from pathlib import Path

from django.utils import timezone

from qualityhub.inspections.models import Inspection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import load  # noqa: E402  (bench/ is a folder of scripts)


def test_the_detail_sample_is_spread_over_the_rows_not_the_id_range(db) -> None:
    # As bench/seed_large.py loads them: dense ids, and one far-off inspection (999999999).
    due = timezone.now()
    Inspection.objects.bulk_create(
        [Inspection(coupa_id=1_000_001 + n, due_date=due, supplier_id=1) for n in range(2000)]
        + [Inspection(coupa_id=999_999_999, due_date=due, supplier_id=1)]
    )
    ids = load.sample_inspection_ids(200, random.Random(1))
    assert len(ids) == 200
    assert ids.count(999_999_999) <= 2
    assert len(set(ids)) >= 150
    # Spread: each quarter of the rows gets some of the sample.
    quarters = {(i - 1_000_001) // 500 for i in ids if i != 999_999_999}
    assert quarters == {0, 1, 2, 3}
