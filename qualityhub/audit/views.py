from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qualityhub.audit.models import AuditEvent


@login_required
@require_GET
def inspection_timeline(request: HttpRequest, coupa_id: int) -> HttpResponse:
    events = AuditEvent.objects.filter(inspection_id=coupa_id).select_related("user")[:100]
    return render(
        request, "audit/_timeline.html", {"inspection_id": coupa_id, "events": list(events)}
    )
