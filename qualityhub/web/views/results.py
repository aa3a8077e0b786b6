"""A flat table of characteristic results across inspections, for hunting recurring failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qualityhub.accounts.access import requires
from qualityhub.inspections.models import Characteristic, CharacteristicVerdict
from qualityhub.web.filters import parse_day, parse_whole, start_of_day
from qualityhub.web.paging import Sort, paginate

SORTS = {"id": "coupa_id", "name": "name", "verdict": "verdict"}


@dataclass
class ResultFilters:
    supplier: int | None = None
    item: int | None = None
    name: str = ""
    verdict: str = ""
    modified_after: date | None = None
    modified_before: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query) -> ResultFilters:
        f = cls()
        f.supplier = parse_whole(query, "supplier", f.errors)
        f.item = parse_whole(query, "item", f.errors)
        f.name = query.get("name", "").strip()[:100]
        verdict = query.get("verdict", "")
        f.verdict = verdict if verdict in CharacteristicVerdict.values else ""
        f.modified_after = parse_day(query, "modified_after", f.errors)
        f.modified_before = parse_day(query, "modified_before", f.errors)
        return f

    def apply(self, qs: QuerySet[Characteristic]) -> QuerySet[Characteristic]:
        if self.supplier is not None:
            qs = qs.filter(inspection__supplier_id=self.supplier)
        if self.item is not None:
            qs = qs.filter(inspection__item_id=self.item)
        if self.name:
            qs = qs.filter(name__istartswith=self.name)
        if self.verdict:
            qs = qs.filter(verdict=self.verdict)
        if self.modified_after:
            qs = qs.filter(inspection__modified_at__gte=start_of_day(self.modified_after))
        if self.modified_before:
            qs = qs.filter(inspection__modified_at__lt=start_of_day(self.modified_before))
        return qs


@require_GET
@requires("browse_inspections")
def result_list(request: HttpRequest) -> HttpResponse:
    filters = ResultFilters.from_query(request.GET)
    sort = Sort.parse(request.GET.get("sort", "-id"), SORTS, "-id")
    qs = filters.apply(Characteristic.objects.select_related("inspection"))
    qs = request.access.scope(qs, "inspection__supplier_id")
    page = paginate(
        qs, sort, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    query = request.GET.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    context = {
        "page": page,
        "filters": filters,
        "sort": sort,
        "verdicts": CharacteristicVerdict.choices,
        "query_without_paging": query.urlencode(),
    }
    template = "results/list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)
