"""The landing page: counts that link to the matching filtered list."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qualityhub.inspections.models import Inspection


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    open_ = ~Q(status="Closed")
    counts = Inspection.objects.filter(gone_at__isnull=True).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=open_ & Q(due_date__lt=now)),
        due_this_week=Count("pk", filter=Q(status="Open", due_date__lt=now + timedelta(days=7))),
        buyer_review=Count("pk", filter=Q(status="In Buyer Review")),
        not_exported=Count("pk", filter=Q(status="Closed", exported=False)),
        disagreements=Count("pk", filter=Q(disagreement=True)),
        open=Count("pk", filter=Q(status="Open")),
        in_progress=Count("pk", filter=Q(status="In Progress")),
        closed=Count("pk", filter=Q(status="Closed")),
    )
    return render(request, "analytics/overview.html", {"counts": counts})
