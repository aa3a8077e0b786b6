"""The manager's weekly summary (issue 17, point 4): what is overdue, what waits for review,
what was rejected this week, and the five suppliers with the worst acceptance.

Nothing is counted here: each figure is read from where the pages read it, the overview's
snapshot (`read_overview`) and the scorecards' ranking (`read_ranking`), for the person's own
access, so the mail says what the overview and the scorecards show at that moment, and a buyer
limited to some suppliers hears only of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from qualityhub.accounts.access import Access
from qualityhub.analytics.overview import read_overview
from qualityhub.analytics.scorecards import Period, Ratio, Scorecard, sort_scorecards
from qualityhub.analytics.scorecards.figures import DEFAULT_WEEKS
from qualityhub.analytics.scorecards.snapshot import read_ranking, server_period
from qualityhub.directory.names import supplier_names

WORST = 5


@dataclass(frozen=True)
class WorstSupplier:
    supplier_id: int
    name: str
    acceptance: Ratio
    inspections: int


@dataclass(frozen=True)
class WeeklyFigures:
    # None: the person may not see that part (no inspections, or no scorecards).
    overdue: int | None
    waiting_for_review: int | None
    rejected_this_week: int | None
    overview_at: datetime | None
    worst_suppliers: list[WorstSupplier] | None
    period: Period | None
    ranking_at: datetime | None
    limited: bool


def weekly_figures(access: Access, now: datetime) -> WeeklyFigures:
    overdue = waiting = rejected = overview_at = None
    if access.allows("browse_inspections"):
        # The overview's own figures (its tiles "Overdue" and "Waiting for buyer review", and
        # the rejections of its current week), for the suppliers this person sees.
        data, overview_at = read_overview(access)
        overdue = data["counts"]["overdue"]
        waiting = data["counts"]["in_buyer_review"]
        rejected = data["weeks"][-1]["rejected"]
    worst = period = ranking_at = None
    if access.allows("view_supplier_performance"):
        period = server_period(DEFAULT_WEEKS, now)  # the scorecards page's default period
        ranking = read_ranking(period, access.supplier_ids)
        worst = worst_suppliers(ranking.cards)
        ranking_at = ranking.computed_at
    return WeeklyFigures(
        overdue=overdue,
        waiting_for_review=waiting,
        rejected_this_week=rejected,
        overview_at=overview_at,
        worst_suppliers=worst,
        period=period,
        ranking_at=ranking_at,
        limited=access.is_limited,
    )


def worst_suppliers(cards: list[Scorecard], size: int = WORST) -> list[WorstSupplier]:
    """The lowest acceptance first, as the ranking sorted by acceptance shows it (ties in
    supplier order); suppliers with nothing decided have no acceptance and are left out."""
    ranked = [
        card for card in sort_scorecards(cards, "acceptance") if card.acceptance.value is not None
    ][:size]
    names = supplier_names(card.supplier_id for card in ranked)
    return [
        WorstSupplier(
            card.supplier_id, names[card.supplier_id].text, card.acceptance, card.inspections
        )
        for card in ranked
    ]
