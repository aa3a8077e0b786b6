"""The managers' overview at `/`: figures from the overview snapshot, linked to the list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from qualityhub.analytics.overview import DEFAULT_WEEKS, PERIODS, page_context, read_overview
from qualityhub.ui.filters import start_queue
from qualityhub.ui.params import whole_number_or_none


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not request.access.allows("view_insight"):
        return _elsewhere(request)
    data, computed_at = read_overview(request.access)
    context = page_context(data, parse_weeks(request.GET.get("weeks", "")))
    context.update(computed_at=computed_at, limited=request.access.is_limited)
    template = "analytics/overview.html"
    if request.htmx and request.htmx.target == "overview-period":
        template += "#period"
    return render(request, template, context)


def parse_weeks(value: str) -> int:
    weeks = whole_number_or_none(value)
    return weeks if weeks in PERIODS else DEFAULT_WEEKS


def _elsewhere(request: HttpRequest) -> HttpResponse:
    # Everyone lands here after signing in: a buyer's page is their review queue.
    queue = start_queue(request.access)
    if queue is not None:
        return redirect(f"{reverse('inspection-list')}?{queue.query}")
    raise PermissionDenied("needs view_insight")
