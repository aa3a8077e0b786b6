"""The Pareto of a supplier's failures: failing characteristics by name (and choice code), most
first, with the items to chart each one for. Pure functions on `FailureGroup` rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from qualityhub.analytics.scorecards.figures import Ratio
from qualityhub.coupa.vocabulary import ValueType

PARETO_SIZE = 10
TREND_ITEMS = 5  # trend links shown per Pareto row; the rest are counted


@dataclass(frozen=True)
class FailureGroup:
    """Failing characteristics of one item with one name (and, qualitative, one code)."""

    item_id: int | None
    item_name: str
    name: str
    code: str
    text: str
    quantitative: bool
    count: int


@dataclass(frozen=True)
class ParetoRow:
    name: str
    code: str
    text: str
    count: int
    share: Ratio
    cumulative: Ratio
    # (item id, item name) of the quantitative failures, most failures first: a trend each.
    items: tuple[tuple[int, str], ...]
    more_items: int

    @property
    def label(self) -> str:
        if not self.code:
            return self.name
        return gettext("%(name)s · code %(code)s") % {"name": self.name, "code": self.code}


@dataclass(frozen=True)
class Pareto:
    rows: tuple[ParetoRow, ...]
    total: int  # failing characteristics in all, shown or not
    hidden_groups: int
    hidden_count: int


def pareto(groups: Iterable[FailureGroup], size: int = PARETO_SIZE) -> Pareto:
    """Failures by characteristic name (and choice code), most first, with each row's share of
    all failures and the running share; the first `size` rows."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    texts: dict[tuple[str, str], str] = {}
    items: dict[tuple[str, str], dict[tuple[int, str], int]] = defaultdict(dict)
    for group in groups:
        key = (group.name, group.code)
        counts[key] += group.count
        texts[key] = max(texts.get(key, ""), group.text)
        if group.quantitative and group.item_id is not None:
            item = (group.item_id, group.item_name)
            items[key][item] = items[key].get(item, 0) + group.count
    total = sum(counts.values())
    ordered = sorted(counts, key=lambda key: (-counts[key], key))
    rows, running = [], 0
    for key in ordered[:size]:
        running += counts[key]
        by_failures = sorted(items[key], key=lambda item: (-items[key][item], item[0]))
        rows.append(
            ParetoRow(
                name=key[0],
                code=key[1],
                text=texts[key],
                count=counts[key],
                share=Ratio(counts[key], total),
                cumulative=Ratio(running, total),
                items=tuple(by_failures[:TREND_ITEMS]),
                more_items=max(len(by_failures) - TREND_ITEMS, 0),
            )
        )
    return Pareto(tuple(rows), total, len(ordered) - len(rows), total - running)


def is_quantitative(flag: bool | None, value_type: str) -> bool:
    """Coupa's quantitative flag, or when it is missing, a numeric value type (Coupa's default)."""
    return flag if flag is not None else value_type == ValueType.NUMERIC


def pareto_chart(failures: Pareto) -> dict:
    """What the Pareto chart draws (charts.js), JSON-ready: the table's rows in its order, the
    cumulative share as the table's percentage without the sign ("66.7"), as text."""
    return {
        "labels": [row.label for row in failures.rows],
        "counts": [row.count for row in failures.rows],
        "cumulative": [str(row.cumulative.percent_value) for row in failures.rows],
    }
