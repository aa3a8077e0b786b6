"""The overview's figures against a hand-built cache: counts by status and decision, overdue and
due this week, closed per week, time in stage, and what computing them costs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qualityhub.analytics.overview import compute_overview
from qualityhub.analytics.stats import quantile
from tests.analytics.overview_world import (
    DAY,
    FOUR_WEEKS_START,
    MONDAY,
    NOW,
    SECOND,
    build_world,
    ended_stay,
    inspection,
    stay,
)

pytestmark = pytest.mark.django_db


def test_it_counts_by_status_and_decision_without_gone_inspections(frozen) -> None:
    inspection("Open")
    inspection("Open")
    inspection("In Progress")
    inspection("In Buyer Review")
    inspection("Closed", decision="Accepted", reviewed=NOW - DAY)
    inspection("Closed", decision="Rejected", reviewed=NOW - DAY)
    inspection("Open", gone=True)
    inspection("Closed", decision="Accepted", reviewed=NOW - DAY, gone=True)

    data = compute_overview(NOW)

    assert data["statuses"] == [
        ["Open", 2],
        ["In Progress", 1],
        ["In Buyer Review", 1],
        ["Closed", 2],
    ]
    assert data["decisions"] == [["Accepted", 1], ["Rejected", 1]]
    assert data["counts"]["total"] == 6
    assert data["counts"]["in_buyer_review"] == 1


def test_overdue_is_due_before_now_and_due_this_week_is_open_and_due_within_seven_days(
    frozen,
) -> None:
    inspection("Open", due=NOW - SECOND)
    inspection("Open", due=NOW)  # due exactly now: not overdue yet
    inspection("Open", due=NOW + 7 * DAY - SECOND)
    inspection("Open", due=NOW + 7 * DAY)  # a week away: not this week
    inspection("In Progress", due=NOW - 10 * DAY)
    inspection("In Progress", due=NOW + DAY)  # due soon, but the queue is of Open ones
    inspection("In Buyer Review", due=NOW - DAY)
    inspection("Closed", due=NOW - 5 * DAY)  # closed is never overdue
    inspection("Open", due=NOW - 2 * DAY, gone=True)

    data = compute_overview(NOW)

    assert data["counts"]["overdue"] == 3
    assert data["counts"]["due_this_week"] == 3
    assert data["stages_now"] == [
        {"stage": "Open", "now": 4, "past_due": 1},
        {"stage": "In Progress", "now": 2, "past_due": 1},
        {"stage": "In Buyer Review", "now": 1, "past_due": 1},
    ]


def test_it_counts_closed_not_exported_and_disagreements(frozen) -> None:
    inspection("Closed", decision="Accepted", exported=False)
    inspection("Closed", decision="Accepted", exported=False, disagreement=True)
    inspection("Closed", decision="Rejected", exported=True, disagreement=True)
    inspection("Open", exported=False)  # not closed: not waiting for the export
    inspection("Closed", decision="Accepted", exported=False, disagreement=True, gone=True)

    counts = compute_overview(NOW)["counts"]

    assert counts["closed_not_exported"] == 2
    assert counts["disagreements"] == 2


def test_closed_per_week_buckets_by_review_date_from_monday_midnight(frozen) -> None:
    inspection("Closed", decision="Accepted", reviewed=MONDAY)
    inspection("Closed", decision="Rejected", reviewed=MONDAY - SECOND)  # last week
    inspection("Closed", decision="Accepted", reviewed=NOW)
    inspection("Closed", decision="", reviewed=MONDAY + timedelta(hours=1))  # closed, no decision
    inspection("Closed", decision="Accepted", reviewed=NOW + SECOND)  # in the future: nowhere
    oldest = MONDAY - timedelta(weeks=51)
    inspection("Closed", decision="Rejected", reviewed=oldest)
    inspection("Closed", decision="Rejected", reviewed=oldest - SECOND)  # before the 52 weeks
    inspection("In Buyer Review", decision="Accepted", reviewed=MONDAY)  # not closed
    inspection("Closed", decision="Rejected", reviewed=MONDAY, gone=True)

    weeks = compute_overview(NOW)["weeks"]

    assert len(weeks) == 52
    assert weeks[-1] == {"start": "2024-06-10", "closed": 3, "accepted": 2, "rejected": 0}
    assert weeks[-2] == {"start": "2024-06-03", "closed": 1, "accepted": 0, "rejected": 1}
    assert weeks[0] == {"start": "2023-06-19", "closed": 1, "accepted": 0, "rejected": 1}
    assert sum(week["closed"] for week in weeks) == 5


def test_weeks_begin_at_monday_midnight_in_the_servers_time_zone(frozen, settings) -> None:
    settings.TIME_ZONE = "Europe/Berlin"  # UTC+2 in June: Monday 00:00 is Sunday 22:00 UTC
    berlin_monday = MONDAY - timedelta(hours=2)
    inspection("Closed", decision="Accepted", reviewed=berlin_monday)
    inspection("Closed", decision="Rejected", reviewed=berlin_monday - SECOND)

    weeks = compute_overview(NOW)["weeks"]

    assert weeks[-1] == {"start": "2024-06-10", "closed": 1, "accepted": 1, "rejected": 0}
    assert weeks[-2] == {"start": "2024-06-03", "closed": 1, "accepted": 0, "rejected": 1}


def test_time_in_stage_takes_the_stays_that_ended_in_the_period(frozen) -> None:
    # Open stays ending in the last 4 weeks (since Monday 20 May): 1, 2, 3, 4 and 10 days.
    ended_stay("Open", 1, left=MONDAY + DAY, due=NOW)
    ended_stay("Open", 2, left=MONDAY - 9 * DAY, due=MONDAY - 10 * DAY)  # late
    due = MONDAY - 5 * DAY
    ended_stay("Open", 3, left=due, due=due)  # left exactly on the due date: not late
    ended_stay("Open", 4, left=FOUR_WEEKS_START, due=FOUR_WEEKS_START - DAY)  # first moment; late
    ended_stay("Open", 10, left=NOW, due=NOW + DAY)  # ended right now
    # Only in the 13 weeks: 20 days, ended a second before the 4 weeks began.
    ended_stay("Open", 20, left=FOUR_WEEKS_START - SECOND, due=NOW)
    # Never counted: start unknown, not ended, ended in the future, of a gone inspection.
    row = inspection("Open")
    stay(row, "Open", None, MONDAY)
    stay(row, "Open", MONDAY, None)
    stay(row, "Open", MONDAY, NOW + SECOND)
    ended_stay("Open", 5, left=MONDAY, due=MONDAY - DAY, gone=True)
    # In Progress: one 12-hour stay.
    ended_stay("In Progress", 0.5, left=MONDAY, due=NOW)

    periods = compute_overview(NOW)["periods"]

    four = {s["stage"]: s for s in periods["4"]["stages"]}
    assert periods["4"]["start"] == FOUR_WEEKS_START.isoformat()
    assert quantile([1.0, 2.0, 3.0, 4.0, 10.0], 0.9) == pytest.approx(7.6)
    assert four["Open"] == {
        "stage": "Open",
        "stays": 5,
        "median_days": "3.0",
        "p90_days": "7.6",
        "late": 2,
        "late_share": "0.4000",
    }
    assert four["In Progress"]["median_days"] == four["In Progress"]["p90_days"] == "0.5"
    assert four["In Buyer Review"] == {
        "stage": "In Buyer Review",
        "stays": 0,
        "median_days": None,
        "p90_days": None,
        "late": 0,
        "late_share": None,
    }
    thirteen = {s["stage"]: s for s in periods["13"]["stages"]}["Open"]
    assert (thirteen["stays"], thirteen["late"], thirteen["late_share"]) == (6, 2, "0.3333")
    assert (thirteen["median_days"], thirteen["p90_days"]) == ("3.5", "15.0")
    assert [s["stays"] for s in periods["52"]["stages"]] == [6, 1, 0]


def test_the_figures_cost_three_queries_however_big_the_cache(
    frozen, django_assert_num_queries
) -> None:
    build_world(1)
    with django_assert_num_queries(3):
        small = compute_overview(NOW)
    build_world(20)
    with django_assert_num_queries(3):
        large = compute_overview(NOW)
    assert large["counts"]["total"] == 21 * small["counts"]["total"]
