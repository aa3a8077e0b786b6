"""The scorecard's figures on plain rows: the period, the ratios, one card per supplier, and the
ranking's columns and sort. Pure functions, tested without a database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualityhub.analytics.stages import TRACKED_STAGES
from qualityhub.analytics.stats import median, rate
from qualityhub.coupa.vocabulary import Status
from qualityhub.verdicts.display import localized

PERIOD_WEEKS = (4, 13, 26, 52)
DEFAULT_WEEKS = 13


# What each figure means, in the words the pages show under "How these are computed".
DEFINITIONS = (
    (
        _("Period"),
        _(
            "Inspections due on one of the days of the last 4, 13, 26 or 52 weeks, today included. "
            "Inspections no longer in Coupa never count."
        ),
    ),
    (_("Acceptance"), _("Accepted ÷ decided (Accepted + Rejected).")),
    (
        _("First-pass acceptance"),
        _("Accepted after a single buyer review (never sent back for another) ÷ decided."),
    ),
    (_("Failing characteristics"), _("Failing characteristics ÷ all characteristics.")),
    (
        _("On time"),
        _("Closed with the buyer's review on or before the due date ÷ closed with a review date."),
    ),
    (
        _("Evidence"),
        _(
            "Failing characteristics with at least one attachment of their own (in Coupa or being "
            "sent there; not a failed upload, nor one being deleted) ÷ failing characteristics."
        ),
    ),
    (
        _("Median days in a stage"),
        _(
            "The median length of the stays in Open, In Progress and In Buyer Review that ended in "
            "the period, counting only stays whose start QualityHub saw."
        ),
    ),
    ("—", _("Nothing to divide by, e.g. no decided inspection; sorting puts these last.")),
)


@dataclass(frozen=True)
class Period:
    """Inspections due from `start` (inclusive) to `end` (exclusive): the last N weeks of days
    in the reader's time zone, today included."""

    weeks: int
    start: datetime
    end: datetime

    @classmethod
    def last_weeks(cls, weeks: int, today: date) -> Period:
        first_day = today - timedelta(days=7 * weeks - 1)
        return cls(weeks, _midnight(first_day), _midnight(today + timedelta(days=1)))

    @property
    def first_day(self) -> date:
        return timezone.localtime(self.start).date()

    @property
    def last_day(self) -> date:
        return timezone.localtime(self.end).date() - timedelta(days=1)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Ratio:
    """`part` of `whole`, kept as counts so a page can say "12 of 15" beside the percentage."""

    part: int
    whole: int

    @property
    def value(self) -> Decimal | None:
        return rate(self.part, self.whole)

    @property
    def percent_value(self) -> Decimal | None:
        """The percentage to one decimal, half up (83.3), or None with nothing to divide by."""
        value = self.value
        if value is None:
            return None
        return (value * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def percent(self) -> str:
        """As "83.3%" ("83,3%" in German), or "—" when there is nothing to divide by."""
        value = self.percent_value
        return "—" if value is None else localized(f"{value}%")


@dataclass(frozen=True)
class StageTime:
    stage: str
    median_days: float | None
    stays: int


@dataclass(frozen=True)
class Scorecard:
    supplier_id: int
    inspections: int
    acceptance: Ratio
    first_pass: Ratio
    failing: Ratio
    on_time: Ratio
    evidence: Ratio
    stage_times: tuple[StageTime, ...]

    @property
    def ratios(self) -> tuple[Ratio, ...]:
        """In the ranking's column order."""
        return (self.acceptance, self.first_pass, self.failing, self.on_time, self.evidence)

    def median_days(self, stage: str) -> float | None:
        return next((s.median_days for s in self.stage_times if s.stage == stage), None)


def build_scorecards(
    totals: Iterable[dict[str, Any]],
    evidence: dict[int, tuple[int, int]],
    stays: Iterable[tuple[int, str, float]],
) -> list[Scorecard]:
    """One scorecard per row of `totals` (see `inspection_totals`), in supplier order.

    `evidence`: supplier → (failing characteristics, those with an attachment);
    `stays`: (supplier, stage, days) of the stays that ended in the period."""
    times = stage_times(stays)
    cards = [_scorecard(row, evidence, times) for row in totals]
    return sorted(cards, key=lambda card: card.supplier_id)


def _scorecard(
    row: dict[str, Any],
    evidence: dict[int, tuple[int, int]],
    times: dict[int, tuple[StageTime, ...]],
) -> Scorecard:
    supplier = row["supplier_id"]
    decided = row["accepted"] + row["rejected"]
    failing, evidenced = evidence.get(supplier, (0, 0))
    return Scorecard(
        supplier_id=supplier,
        inspections=row["inspections"],
        acceptance=Ratio(row["accepted"], decided),
        first_pass=Ratio(row["first_pass"], decided),
        failing=Ratio(row["failing"] or 0, row["characteristics"] or 0),
        on_time=Ratio(row["on_time"], row["closed_reviewed"]),
        evidence=Ratio(evidenced, failing),
        stage_times=times.get(supplier, _no_stage_times()),
    )


def _no_stage_times() -> tuple[StageTime, ...]:
    return tuple(StageTime(stage, None, 0) for stage in TRACKED_STAGES)


def stage_times(stays: Iterable[tuple[int, str, float]]) -> dict[int, tuple[StageTime, ...]]:
    """Supplier → the median days in each tracked stage, in TRACKED_STAGES order, from
    (supplier, stage, days) of each stay."""
    days: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for supplier, stage, length in stays:
        days[supplier][stage].append(length)
    return {
        supplier: tuple(
            StageTime(stage, _rounded(median(by_stage[stage])), len(by_stage[stage]))
            for stage in TRACKED_STAGES
        )
        for supplier, by_stage in days.items()
    }


def _rounded(days: float | None) -> float | None:
    # To the second or so: drops the float noise of the database's date arithmetic.
    return None if days is None else round(days, 5)


# Sortable columns of the ranking: name in the URL → (header label, value; None = undefined).
COLUMNS: dict[str, tuple[str, Callable[[Scorecard], Any]]] = {
    "supplier": (_("Supplier"), lambda c: c.supplier_id),
    "inspections": (_("Inspections"), lambda c: c.inspections),
    "acceptance": (_("Acceptance"), lambda c: c.acceptance.value),
    "first_pass": (_("First-pass acceptance"), lambda c: c.first_pass.value),
    "failing": (_("Failing characteristics"), lambda c: c.failing.value),
    "on_time": (_("On time"), lambda c: c.on_time.value),
    "evidence": (_("Evidence"), lambda c: c.evidence.value),
    "open": (_("Median days Open"), lambda c: c.median_days(Status.OPEN)),
    "in_progress": (_("Median days In Progress"), lambda c: c.median_days(Status.IN_PROGRESS)),
    "buyer_review": (
        _("Median days In Buyer Review"),
        lambda c: c.median_days(Status.IN_BUYER_REVIEW),
    ),
}
DEFAULT_SORT = "-inspections"


def sort_scorecards(
    cards: Iterable[Scorecard], key: str, names: Mapping[int, str] | None = None
) -> list[Scorecard]:
    """Sorted by the column named in `key` ("-" first: descending); suppliers whose value is
    undefined come last either way, and ties stay in supplier order.

    `names`: the suppliers' names the directory knows (id → name). With them the supplier column
    sorts by name ignoring case, then the suppliers without a name by id, in the same direction."""
    name = key.lstrip("-")  # as `web.paging.Sort` reads it
    descending = key.startswith("-")
    by_supplier = sorted(cards, key=lambda card: card.supplier_id)
    if name == "supplier" and names is not None:
        named = [card for card in by_supplier if names.get(card.supplier_id)]
        nameless = [card for card in by_supplier if not names.get(card.supplier_id)]
        named.sort(key=lambda card: names[card.supplier_id].casefold(), reverse=descending)
        return named + (nameless[::-1] if descending else nameless)
    value = COLUMNS.get(name, COLUMNS["inspections"])[1]
    defined = [card for card in by_supplier if value(card) is not None]
    undefined = [card for card in by_supplier if value(card) is None]
    # Python's sort is stable with reverse=True too, so ties keep supplier order.
    return sorted(defined, key=value, reverse=descending) + undefined
