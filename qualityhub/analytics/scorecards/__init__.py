"""Supplier scorecards: per supplier over a period, how its inspections went.

One module per job:
- `figures`: the period, the ratios and one card per supplier from plain rows, the ranking's
  columns and sort (pure functions, tested without a database);
- `pareto`: a supplier's failures by characteristic, most first (pure functions);
- `queries`: the statements behind them, each one GROUP BY whatever the number of suppliers, in
  SQL that SQLite and PostgreSQL both run (medians are computed in Python from the stays);
- `snapshot`: the figures kept as `Snapshot` rows by a Celery task, which the pages read.

The definitions (also on the pages and in docs/insight.md):
- period: inspections due on one of the last N×7 days, today included; gone ones never count;
- acceptance: Accepted / (Accepted + Rejected);
- first-pass acceptance: Accepted and in buyer review at most once (never sent back) / decided;
- failing share: sum of failing characteristics / sum of characteristics;
- on time: Closed with reviewed_date <= due_date / Closed with a reviewed_date;
- evidence: failing characteristics with an attachment of their own / failing characteristics;
- time in stage: median days of the stays that ended in the period (both ends known).
"""

from qualityhub.analytics.scorecards.figures import (
    COLUMNS,
    DEFAULT_SORT,
    DEFAULT_WEEKS,
    DEFINITIONS,
    PERIOD_WEEKS,
    Period,
    Ratio,
    Scorecard,
    StageTime,
    build_scorecards,
    sort_scorecards,
    stage_times,
)
from qualityhub.analytics.scorecards.pareto import (
    PARETO_SIZE,
    TREND_ITEMS,
    FailureGroup,
    Pareto,
    ParetoRow,
    is_quantitative,
    pareto,
    pareto_chart,
)
from qualityhub.analytics.scorecards.queries import (
    EVIDENCE_STATES,
    DaysBetween,
    evidence_totals,
    failure_groups,
    failure_groups_by_supplier,
    in_period,
    inspection_totals,
    stage_stays,
    supplier_scorecards,
    supplier_summaries,
    supplier_summary,
)
from qualityhub.analytics.scorecards.snapshot import (
    RANKING_CACHE_SECONDS,
    Ranking,
    SupplierFigures,
    live_ranking,
    read_ranking,
    read_supplier,
    refresh_scorecards_snapshot,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_SORT",
    "DEFAULT_WEEKS",
    "DEFINITIONS",
    "EVIDENCE_STATES",
    "PARETO_SIZE",
    "PERIOD_WEEKS",
    "RANKING_CACHE_SECONDS",
    "TREND_ITEMS",
    "DaysBetween",
    "FailureGroup",
    "Pareto",
    "ParetoRow",
    "Period",
    "Ranking",
    "Ratio",
    "Scorecard",
    "StageTime",
    "SupplierFigures",
    "build_scorecards",
    "evidence_totals",
    "failure_groups",
    "failure_groups_by_supplier",
    "in_period",
    "inspection_totals",
    "is_quantitative",
    "live_ranking",
    "pareto",
    "pareto_chart",
    "read_ranking",
    "read_supplier",
    "refresh_scorecards_snapshot",
    "sort_scorecards",
    "stage_stays",
    "stage_times",
    "supplier_scorecards",
    "supplier_summaries",
    "supplier_summary",
]
