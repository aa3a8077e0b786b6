"""What the scorecards cost: the same few queries whatever the data, and the ranking kept until the
next refresh."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from qualityhub.analytics.models import StageStay
from qualityhub.analytics.scorecards import Ratio
from qualityhub.analytics.tasks import refresh_scorecards
from qualityhub.attachments.models import Attachment
from qualityhub.inspections.models import Characteristic, Inspection
from tests.analytics.scorecard_world import NOW, _cards, inspection

pytestmark = pytest.mark.usefixtures("no_cached_ranking")


def many_suppliers(suppliers: int, per_supplier: int) -> None:
    """Volume: every supplier with decided inspections, failing lines, files and stays."""
    inspections, lines, files, stays = [], [], [], []
    for s in range(1000, 1000 + suppliers):
        for n in range(per_supplier):
            pk, due = s * 1000 + n, NOW - timedelta(days=n + 1)
            decision = "Accepted" if n % 3 else "Rejected"
            inspections.append(
                Inspection(
                    coupa_id=pk,
                    supplier_id=s,
                    due_date=due,
                    status="Closed",
                    review_decision=decision,
                    reviewed_date=due,
                    item_id=n % 4,
                    failing_count=1,
                    characteristic_count=2,
                )
            )
            lines += [
                Characteristic(
                    coupa_id=pk * 10, inspection_id=pk, name=f"L{n % 5}", verdict="fail"
                ),
                Characteristic(coupa_id=pk * 10 + 1, inspection_id=pk, name="M"),
            ]
            files.append(Attachment(inspection_id=pk, characteristic_id=pk * 10))
            entered = due - timedelta(days=2)
            stays += [
                StageStay(
                    inspection_id=pk, supplier_id=s, stage=stage, entered_at=entered, left_at=due
                )
                for stage in ("Open", "In Progress", "In Buyer Review")
            ]
    Inspection.objects.bulk_create(inspections)
    Characteristic.objects.bulk_create(lines)
    Attachment.objects.bulk_create(files)
    StageStay.objects.bulk_create(stays)


@pytest.mark.parametrize(("suppliers", "per_supplier"), [(2, 2), (60, 15)])
def test_the_ranking_costs_the_same_few_queries_whatever_the_data(
    grace, db, frozen, django_assert_max_num_queries, suppliers, per_supplier
) -> None:
    many_suppliers(suppliers, per_supplier)
    grace.get("/suppliers/?weeks=4")  # warm the session, access and freshness caches
    # No snapshot of 13 weeks yet: the user, the missing row, then the period's rows computed
    # (summaries, 3 for the cards, the failures) and stored (in a savepoint), read back, and the
    # suppliers' names (one query for them all).
    with django_assert_max_num_queries(13):
        response = grace.get("/suppliers/?sort=-evidence")
    assert len(response.context["cards"]) == suppliers
    assert response.context["cards"][0].evidence == Ratio(per_supplier, per_supplier)
    with django_assert_max_num_queries(3):  # the user, the ranking's row, the names
        again = grace.get("/suppliers/?sort=-evidence")
    assert again.context["cards"] == response.context["cards"]


@pytest.mark.parametrize(("suppliers", "per_supplier"), [(2, 2), (60, 15)])
def test_the_supplier_page_costs_the_same_few_queries_whatever_the_data(
    grace, db, frozen, django_assert_max_num_queries, suppliers, per_supplier
) -> None:
    many_suppliers(suppliers, per_supplier)
    grace.get("/suppliers/1000/")
    # The user, the supplier, 3 for the card, the Pareto, the supplier's name, its items' names.
    with django_assert_max_num_queries(8):
        response = grace.get("/suppliers/1000/")
    assert response.context["card"].inspections == per_supplier
    assert response.context["pareto"].total == per_supplier


def test_the_ranking_is_kept_until_the_next_refresh_and_sorting_reuses_it(
    grace, world, django_assert_max_num_queries
) -> None:
    first = grace.get("/suppliers/")  # no snapshot yet: computed and kept
    inspection(110, 1, "2025-06-02T12:00", status="Open")
    with django_assert_max_num_queries(3):  # the user, the ranking's row, the names
        again = grace.get("/suppliers/?sort=-failing")
    assert _cards(again)[1].inspections == 6
    assert 'data-testid="computed-at">Figures as of' in again.content.decode()
    assert "18 Jun 2025, 12:00" in again.content.decode()
    with time_machine.travel(NOW + timedelta(minutes=14), tick=False):
        assert _cards(grace.get("/suppliers/"))[1].inspections == 6
        assert _cards(grace.get("/suppliers/?weeks=26"))[1].inspections == 8  # its own row
        refresh_scorecards()
        later = grace.get("/suppliers/")
    assert _cards(later)[1].inspections == 7
    assert first.context["computed_at"] == NOW
    assert later.context["computed_at"] == NOW + timedelta(minutes=14)
