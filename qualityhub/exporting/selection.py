"""What a bulk request from the list covers: the ticked rows, or every row matching the list's
filters, among the inspections the user sees. Reads the list's own filters (the UI kit's), so it
sits beside the views, above the services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict

from qualityhub.exporting.services import MAX_BULK
from qualityhub.inspections.models import Inspection
from qualityhub.ui.filters import InspectionFilters
from qualityhub.ui.params import whole_number_or_none


@dataclass(frozen=True)
class Plan:
    """The inspections a bulk request covers, as the cache knows them right now."""

    ids: list[int]
    too_many: bool = False

    @property
    def count(self) -> int:
        return len(self.ids)


def plan_selected(raw_ids: Iterable[str], visible: QuerySet | None = None) -> Plan:
    """The ticked rows that are in the cache (a stale page may name one that is gone) among
    `visible`, the inspections the requesting user sees (all by default)."""
    wanted = {whole_number_or_none(str(value)) for value in raw_ids} - {None}
    if len(wanted) > MAX_BULK:
        return Plan(ids=sorted(wanted), too_many=True)
    visible = Inspection.objects.all() if visible is None else visible
    known = visible.filter(coupa_id__in=wanted).values_list("coupa_id", flat=True)
    return Plan(ids=sorted(known))


def plan_filtered(
    query: str, visible: QuerySet | None = None, *, user_id: int | None = None
) -> Plan:
    """Every inspection matching the list's filters among `visible` (`user_id`: who asks, for
    "assigned to me"); one query that also gives the exact count."""
    filters = InspectionFilters.from_query(QueryDict(query), user_id=user_id)
    visible = Inspection.objects.all() if visible is None else visible
    qs = filters.apply(visible).order_by("coupa_id")
    ids = list(qs.values_list("coupa_id", flat=True)[: MAX_BULK + 1])
    return Plan(ids=ids, too_many=len(ids) > MAX_BULK)
