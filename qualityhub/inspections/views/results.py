"""A flat table of characteristic results across inspections, for hunting recurring failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qualityhub.accounts.access import requires
from qualityhub.directory.names import Name, item_names, supplier_fallback, supplier_names
from qualityhub.inspections.models import Characteristic
from qualityhub.inspections.plans import serial_plans
from qualityhub.preferences.columns import columns_for
from qualityhub.ui import params
from qualityhub.ui.addresses import address_for_each
from qualityhub.ui.filters import parse_day, parse_wholes
from qualityhub.ui.jinja import fragment
from qualityhub.ui.paging import Sort, paginate
from qualityhub.verdicts.choices import Verdict

SORTS = {"id": "coupa_id", "name": "name", "verdict": "verdict"}


@dataclass
class ResultFilters:
    # Ids, as the URL keeps them (`?supplier=3&supplier=8`): shared links stay stable.
    suppliers: list[int] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    name: str = ""
    verdict: str = ""
    modified_after: date | None = None
    modified_before: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query) -> ResultFilters:
        f = cls()
        f.suppliers = parse_wholes(query, "supplier", f.errors)
        f.items = parse_wholes(query, "item", f.errors)
        f.name = params.text(query.get("name", ""))
        verdict = query.get("verdict", "")
        f.verdict = verdict if verdict in Verdict.values else ""
        f.modified_after = parse_day(query, "modified_after", f.errors)
        f.modified_before = parse_day(query, "modified_before", f.errors)
        return f

    def apply(self, qs: QuerySet[Characteristic]) -> QuerySet[Characteristic]:
        if self.suppliers:
            qs = qs.filter(inspection__supplier_id__in=self.suppliers)
        if self.items:
            qs = qs.filter(inspection__item_id__in=self.items)
        if self.name:
            candidates = name_candidates(self.name)
            if candidates is None:
                qs = qs.filter(name__istartswith=self.name)
            else:
                # The same rows (the database picked the names with the same LIKE), as an IN
                # list the (name, verdict) index serves and the planner estimates well, where
                # UPPER(name) LIKE would read the whole index.
                qs = qs.filter(name__in=candidates)
        if self.verdict:
            qs = qs.filter(verdict=self.verdict)
        if self.modified_after:
            qs = qs.filter(inspection__modified_at__gte=params.start_of_day(self.modified_after))
        if self.modified_before:
            qs = qs.filter(inspection__modified_at__lt=params.start_of_day(self.modified_before))
        return qs


# Characteristic names are a small vocabulary (an inspection plan's lines): listed by a skip
# scan of the (name, verdict) index, one index probe per distinct name, up to this many.
MAX_DISTINCT_NAMES = 2000


def name_candidates(prefix: str) -> list[str] | None:
    """The stored characteristic names that start with `prefix` ignoring case, matched in the
    database exactly as `name__istartswith` matches (the backend's own LIKE), or None when there
    are more than MAX_DISTINCT_NAMES distinct names."""
    table = connection.ops.quote_name(Characteristic._meta.db_table)
    internal_type = Characteristic._meta.get_field("name").get_internal_type()
    column = connection.ops.lookup_cast("istartswith", internal_type) % "name"
    matches = connection.operators["istartswith"] % "%s"
    pattern = f"{connection.ops.prep_for_like_query(prefix)}%"
    sql = f"""
        WITH RECURSIVE names(name, n) AS (
            SELECT MIN(name), 1 FROM {table}
            UNION ALL
            SELECT (SELECT MIN(c.name) FROM {table} c WHERE c.name > names.name), names.n + 1
            FROM names WHERE names.name IS NOT NULL AND names.n <= %s
        )
        SELECT name, {column} {matches} FROM names WHERE name IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [MAX_DISTINCT_NAMES, pattern])
        names = cursor.fetchall()
    if len(names) > MAX_DISTINCT_NAMES:
        return None
    return [name for name, matched in names if matched]


@require_GET
@requires("browse_inspections")
def result_list(request: HttpRequest) -> HttpResponse:
    filters = ResultFilters.from_query(request.GET)
    sort = Sort.parse(request.GET.get("sort", "-id"), SORTS, "-id")
    qs = filters.apply(Characteristic.objects.select_related("inspection"))
    qs = qs.seen_by(request.access)
    # A walk of the newest lines and a capped count: never worth a parallel worker, nor a join
    # that reads a whole side (the count of one supplier's failing lines, see plans.py).
    with serial_plans(index_probes=True):
        page = paginate(
            qs, sort, after=request.GET.get("after", ""), before=request.GET.get("before", "")
        )
    query = request.GET.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    chosen_suppliers = _name_rows(request, page.rows, filters.suppliers)
    columns = columns_for(request.user, "results", request.session)
    table = {
        "rows": page.rows,
        "columns": columns,
        "detail_url": address_for_each("inspection-detail"),
    }
    context = {
        "page": page,
        "filters": filters,
        "chosen_suppliers": chosen_suppliers,
        "chosen_items": [item_names(filters.items)[i] for i in filters.items],
        "sort": sort,
        "verdicts": Verdict.choices,
        "query_without_paging": query.urlencode(),
        "columns": columns,
        "table": fragment("results/table.html", table) if page.rows else "",
    }
    template = "results/list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


def _name_rows(request: HttpRequest, rows: list[Characteristic], chosen: list[int]) -> list[Name]:
    """Each row's supplier (`row.supplier`) and the chosen suppliers' names, in one query. A
    chosen supplier this user does not see keeps its fallback: its name is not theirs to learn."""
    visible = [i for i in chosen if request.access.sees_supplier(i)]
    names = supplier_names([*visible, *(row.inspection.supplier_id for row in rows)])
    for row in rows:
        row.supplier = names[row.inspection.supplier_id]
    return [names[i] if i in names else supplier_fallback(i) for i in chosen]
