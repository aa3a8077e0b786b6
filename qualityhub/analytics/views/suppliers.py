"""Supplier scorecards: the ranking of every supplier, and one supplier's card.

The figures and their definitions live in `qualityhub/analytics/scorecards/`; both pages read
them from the snapshot a task keeps (`scorecards/snapshot.py`).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from qualityhub.accounts.access import requires
from qualityhub.analytics.scorecards import (
    COLUMNS,
    DEFAULT_SORT,
    DEFAULT_WEEKS,
    DEFINITIONS,
    PERIOD_WEEKS,
    Pareto,
    Period,
    SupplierFigures,
    pareto_chart,
    read_ranking,
    read_supplier,
    sort_scorecards,
)
from qualityhub.directory.names import item_names, supplier_name, supplier_names
from qualityhub.reports.pack import last_full_quarter
from qualityhub.reports.pack_mail import subscribed
from qualityhub.ui.paging import Sort
from qualityhub.ui.params import whole_number_or_none


@require_GET
@requires("view_supplier_performance")
def supplier_list(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    sort = Sort.parse(request.GET.get("sort", DEFAULT_SORT), _SORTABLE, DEFAULT_SORT)
    computed = read_ranking(period, request.access.supplier_ids)
    # The snapshot keeps ids only: names are read here, one query for the whole ranking.
    names = supplier_names(card.supplier_id for card in computed.cards)
    known = {coupa_id: name.text for coupa_id, name in names.items() if name.known}
    cards = sort_scorecards(computed.cards, sort.key, known)
    context = {
        "period": period,
        "periods": PERIOD_WEEKS,
        "cards": cards,
        "rows": [(card, names[card.supplier_id]) for card in cards],
        "computed_at": computed.computed_at,
        "sort": sort,
        "sort_label": COLUMNS[sort.field][0],
        "columns": {name: label for name, (label, _value) in COLUMNS.items()},
        "definitions": DEFINITIONS,
        "query_without_sort": urlencode({"weeks": period.weeks}),
    }
    template = "analytics/suppliers.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


_SORTABLE = {name: name for name in COLUMNS}


@require_GET
@requires("view_supplier_performance")
def supplier_detail(request: HttpRequest, supplier_id: int) -> HttpResponse:
    period = _period(request)
    figures = _known_supplier_or_404(request, supplier_id, period)
    context = {
        "supplier_id": supplier_id,
        "supplier": supplier_name(supplier_id),
        "period": period,
        "periods": PERIOD_WEEKS,
        "card": figures.card,
        "summary": figures.summary,
        "computed_at": figures.computed_at,
        "pareto": figures.pareto,
        "pareto_rows": _with_trend_links(figures.pareto, supplier_id),
        "pareto_chart": pareto_chart(figures.pareto) if figures.pareto else None,
        "definitions": DEFINITIONS,
        "pack_period": last_full_quarter(timezone.localdate()),
        "pack_monthly": subscribed(request.user.pk, supplier_id),
        "inspections_url": _inspection_list_url(supplier=supplier_id),
        "period_inspections_url": _inspection_list_url(
            supplier=supplier_id, due_after=period.first_day, due_before=period.last_day
        ),
    }
    return render(request, "analytics/supplier.html", context)


def _period(request: HttpRequest) -> Period:
    return period_from_query(request.GET.get("weeks", ""), timezone.localdate())


def period_from_query(value: str, today: date) -> Period:
    """From the `weeks` GET parameter; anything but one of PERIOD_WEEKS is the default."""
    weeks = whole_number_or_none(value)
    return Period.last_weeks(weeks if weeks in PERIOD_WEEKS else DEFAULT_WEEKS, today)


def _known_supplier_or_404(
    request: HttpRequest, supplier_id: int, period: Period
) -> SupplierFigures:
    # A user limited to some suppliers learns nothing about the others.
    figures = (
        read_supplier(period, supplier_id) if request.access.sees_supplier(supplier_id) else None
    )
    if figures is None or not figures.summary.get("inspections"):
        raise Http404(f"Supplier {supplier_id} has no inspections in QualityHub's cache.")
    return figures


def _with_trend_links(failures: Pareto | None, supplier_id: int) -> list[tuple]:
    """Each Pareto row with the (item id, item's name, trend URL) of its quantitative failures.

    The item's name is the directory's (one query for the page), else the one the inspection
    carried, else the fallback ("Item 7")."""
    if failures is None:
        return []
    trends = reverse("trends")
    names = item_names(item_id for row in failures.rows for item_id, _name in row.items)

    def shown(item_id: int, carried: str) -> str:
        name = names[item_id]
        return name.text if name.known or not carried else carried

    return [
        (
            row,
            [
                (
                    item_id,
                    shown(item_id, item_name),
                    f"{trends}?{_trend_query(item_id, row.name, supplier_id)}",
                )
                for item_id, item_name in row.items
            ],
        )
        for row in failures.rows
    ]


def _trend_query(item_id: int, name: str, supplier_id: int) -> str:
    return urlencode({"item": item_id, "characteristic": name, "supplier": supplier_id})


def _inspection_list_url(**filters: object) -> str:
    return f"{reverse('inspection-list')}?{urlencode(filters)}"
