"""The manager's weekly summary says what the overview and the scorecards show at that moment:
each figure is compared with the pages' own, for a manager and for a buyer limited to some
suppliers (who must hear of theirs only)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from qualityhub.accounts.access import access_for
from qualityhub.analytics.overview import read_overview, refresh_overview_snapshot
from qualityhub.analytics.scorecards import refresh_scorecards_snapshot
from qualityhub.notifications.digests import build_summaries
from qualityhub.notifications.models import OutgoingMail
from qualityhub.notifications.summary import weekly_figures
from tests.analytics.overview_world import DAY, MONDAY, NOW, build_world, inspection, tile
from tests.notifications.mail_server import (
    inbox_fixture,  # noqa: F401
    person,
    smtp_fixture,  # noqa: F401
)

pytestmark = pytest.mark.django_db

# Decided inspections due five days ago, per supplier: (accepted, rejected). Supplier 7 has
# none decided (no acceptance: never among the worst).
DECIDED = {1: (4, 1), 2: (1, 3), 3: (2, 2), 4: (0, 2), 5: (3, 0), 6: (1, 1), 8: (5, 1)}


@pytest.fixture
def week(db):
    """The overview's world (a Wednesday) for suppliers 1 to 3, decisions for the scorecards,
    and both snapshots refreshed as their tasks would."""
    with time_machine.travel(NOW, tick=False):
        cache.clear()
        for supplier_id, copies in ((1, 2), (2, 1), (3, 3)):
            build_world(copies, supplier_id=supplier_id)
        for supplier_id, (accepted, rejected) in DECIDED.items():
            for decision, count in (("Accepted", accepted), ("Rejected", rejected)):
                for _ in range(count):
                    inspection(
                        "Closed",
                        due=NOW - 5 * DAY,
                        decision=decision,
                        reviewed=MONDAY + DAY,  # this week
                        supplier_id=supplier_id,
                    )
        inspection("Open", due=NOW + DAY, supplier_id=7)
        refresh_overview_snapshot()
        refresh_scorecards_snapshot()
        yield
    cache.clear()


def card_ids_by_acceptance(client) -> list[tuple[int, str]]:
    """The scorecards page sorted by acceptance: (supplier, its acceptance) in row order."""
    page = client.get(reverse("supplier-list"), {"sort": "acceptance"})
    assert page.status_code == 200
    return [(card.supplier_id, card.acceptance.percent) for card in page.context["cards"]]


def test_the_managers_figures_are_the_overviews_and_the_scorecards(week, client):
    grace = person("grace", "Manager")
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        figures = weekly_figures(access_for(grace), NOW)
        client.force_login(grace)
        overview = client.get(reverse("overview"), {"weeks": 4})
        ranking = card_ids_by_acceptance(client)

    assert figures.overdue == tile(overview, "overdue") > 0
    assert figures.waiting_for_review == tile(overview, "in_buyer_review") > 0
    assert figures.rejected_this_week == overview.context["trend"][-1]["rejected"] > 0
    decided = [(supplier_id, percent) for supplier_id, percent in ranking if percent != "—"]
    assert [(s.supplier_id, s.acceptance.percent) for s in figures.worst_suppliers] == decided[:5]
    assert [s.supplier_id for s in figures.worst_suppliers] == [4, 2, 3, 6, 1]
    assert not figures.limited


def test_the_mail_carries_those_figures(week, smtp) -> None:
    grace = person("grace", "Manager")
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert build_summaries(NOW) == 1  # Wednesday, after 07:00: this week's is due
        assert build_summaries(NOW) == 0  # once a week
        figures = weekly_figures(access_for(grace), NOW)
    mail = OutgoingMail.objects.get()
    assert mail.key == f"summary:{grace.pk}:2024-W24"
    shown = dict(re.findall(r'data-figure="(\w+)">(\d+)<', mail.html))
    assert shown == {
        "overdue": str(figures.overdue),
        "waiting_for_review": str(figures.waiting_for_review),
        "rejected_this_week": str(figures.rejected_this_week),
    }
    listed = [int(n) for n in re.findall(r'data-supplier="(\d+)"', mail.html)]
    assert listed == [s.supplier_id for s in figures.worst_suppliers]
    assert f"Overdue: {figures.overdue}" in mail.text
    assert "https://qualityhub.example.com/suppliers/" in mail.text


def test_a_limited_buyer_reads_only_their_suppliers_figures(week, client, smtp) -> None:
    """Security: the summary of a buyer limited to suppliers 2 and 4 counts nothing else."""
    lena = person("lena", "Buyer", suppliers=[2, 4], weekly_summary=True, kinds=[])
    grace = person("grace", "Manager")
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        mine = weekly_figures(access_for(lena), NOW)
        everyone = weekly_figures(access_for(grace), NOW)
        client.force_login(lena)
        ranking = card_ids_by_acceptance(client)
        data, _ = read_overview(access_for(lena))
        build_summaries(NOW)

    assert mine.limited
    assert [s.supplier_id for s in mine.worst_suppliers] == [4, 2]
    assert [(s.supplier_id, s.acceptance.percent) for s in mine.worst_suppliers] == ranking
    # The overview's figures for her suppliers: what the overview holds for her access.
    assert (mine.overdue, mine.waiting_for_review, mine.rejected_this_week) == (
        data["counts"]["overdue"],
        data["counts"]["in_buyer_review"],
        data["weeks"][-1]["rejected"],
    )
    assert mine.overdue < everyone.overdue
    assert mine.rejected_this_week == DECIDED[2][1] + DECIDED[4][1] + 0  # build_world's are older
    mail = OutgoingMail.objects.get(user=lena)
    listed = {int(n) for n in re.findall(r'data-supplier="(\d+)"', mail.html)}
    assert listed == {2, 4}


def test_the_summary_waits_for_monday_at_the_persons_hour(week, smtp) -> None:
    person(
        "grace", "Manager", weekly_summary=True, digest_hour=9, time_zone="Europe/Paris", kinds=[]
    )
    # Paris is UTC+2 in June: Monday 09:00 there is 07:00 UTC.
    with time_machine.travel(NOW, tick=False):
        assert build_summaries(MONDAY + timedelta(hours=6, minutes=59)) == 0  # Monday 08:59
        assert build_summaries(MONDAY + timedelta(hours=7)) == 1  # Monday 09:00
        assert build_summaries(MONDAY + timedelta(days=3)) == 0  # once that week
    assert OutgoingMail.objects.get().key.endswith(":2024-W24")


def test_a_summary_missed_on_its_day_goes_out_later_that_week(week, smtp) -> None:
    person("grace", "Manager", weekly_summary=True, kinds=[])
    with time_machine.travel(NOW, tick=False):
        # Sunday 23:00 UTC: Monday's was never made (the workers were down all week, say).
        assert build_summaries(MONDAY - timedelta(hours=1)) == 1
    assert OutgoingMail.objects.get().key.endswith(":2024-W23")


def test_people_without_the_summary_get_none(week, smtp) -> None:
    person("priya", "Quality engineer")  # engineers: no summary by default
    person("grace", "Manager", weekly_summary=False, kinds=[])
    with time_machine.travel(NOW, tick=False):
        assert build_summaries(NOW) == 0
