"""The scorecards' snapshot: the task keeps every period's rows, both pages read them, a missing
or day-old period is computed on the first view, and a limited user sees only their suppliers."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from qualityhub.analytics.models import Snapshot
from qualityhub.analytics.scorecards import (
    PERIOD_WEEKS,
    Period,
    failure_groups,
    pareto,
    supplier_scorecards,
)
from qualityhub.analytics.tasks import refresh_scorecards
from tests.analytics.scorecard_world import NOW, TODAY, _cards, inspection
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_cached_ranking")]


def test_the_refresh_task_keeps_every_periods_rows(world) -> None:
    assert refresh_scorecards() == NOW.isoformat()

    names = set(Snapshot.objects.values_list("name", flat=True))
    for weeks in PERIOD_WEEKS:
        assert f"scorecards:{weeks}" in names
        # Suppliers 1 to 4 have an inspection not gone; 5 only a gone one.
        assert {f"scorecards:{weeks}:supplier:{n}" for n in (1, 2, 3, 4)} <= names
        assert f"scorecards:{weeks}:supplier:5" not in names
    assert {row.computed_at for row in Snapshot.objects.all()} == {NOW}


@pytest.mark.parametrize("weeks", PERIOD_WEEKS)
def test_the_pages_show_what_a_live_computation_gives(grace, world, weeks: int) -> None:
    refresh_scorecards()
    period = Period.last_weeks(weeks, TODAY)
    live = supplier_scorecards(period)

    ranking = grace.get("/suppliers/", {"weeks": weeks})
    assert list(ranking.context["cards"]) != [] or live == []
    assert sorted(_cards(ranking).values(), key=lambda c: c.supplier_id) == live

    for card in live:
        page = grace.get(f"/suppliers/{card.supplier_id}/", {"weeks": weeks})
        assert page.context["card"] == card
        assert page.context["pareto"] == pareto(failure_groups(period, card.supplier_id))


def test_the_supplier_page_reads_its_row_until_the_next_refresh(
    grace, world, django_assert_max_num_queries
) -> None:
    assert not Snapshot.objects.exists()
    first = grace.get("/suppliers/1/")  # no snapshot yet: the period is computed and kept
    assert first.context["card"].inspections == 6
    assert Snapshot.objects.filter(name="scorecards:13:supplier:1").exists()

    inspection(110, 1, "2025-06-02T12:00", status="Open")
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        grace.get("/suppliers/2/")  # warm the session, access and freshness caches again
        # The user, the supplier's row, the supplier's name, its Pareto items' names, and
        # whether the reader gets its review pack monthly.
        with django_assert_max_num_queries(5):
            again = grace.get("/suppliers/1/")
        assert again.context["card"].inspections == 6
        html = again.content.decode()
        assert 'data-testid="computed-at">Figures as of' in html
        assert "18 Jun 2025, 12:00" in html and "10\xa0minutes ago" in html
        refresh_scorecards()
        assert grace.get("/suppliers/1/").context["card"].inspections == 7


def test_a_period_from_another_day_is_computed_again_on_a_view(client, manager, world) -> None:
    refresh_scorecards()
    inspection(110, 1, "2025-06-19T12:00", status="Open")  # due tomorrow: not yet counted
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        client.force_login(manager)
        card = _cards(client.get("/suppliers/"))[1]
        row = Snapshot.objects.get(name="scorecards:13")
    assert row.computed_at == NOW + timedelta(days=1)
    assert row.data["end"].startswith("2025-06-20")
    assert card.inspections == 7  # 108 and 110 (due 06-19) came in, 106 (due 03-20) went out


def test_a_limited_manager_reads_only_their_suppliers(client, world) -> None:
    refresh_scorecards()
    client.force_login(make_user("lim", "Manager", suppliers=[3]))
    assert list(_cards(client.get("/suppliers/"))) == [3]
    assert client.get("/suppliers/3/").context["card"].supplier_id == 3
    assert client.get("/suppliers/1/").status_code == 404


def test_a_supplier_new_since_the_refresh_is_answered_live(grace, world) -> None:
    refresh_scorecards()
    assert grace.get("/suppliers/77/").status_code == 404
    inspection(120, 77, "2025-06-10T12:00", status="Open")
    response = grace.get("/suppliers/77/")
    assert response.status_code == 200
    assert response.context["card"].inspections == 1


def test_a_supplier_without_inspections_any_more_loses_its_rows(world) -> None:
    refresh_scorecards()
    from qualityhub.inspections.models import Inspection

    Inspection.objects.filter(supplier_id=4).delete()
    refresh_scorecards()
    assert not Snapshot.objects.filter(name__endswith=":supplier:4").exists()
    assert Snapshot.objects.filter(name="scorecards:13:supplier:1").exists()
