from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qualityhub.accounts.access import requires
from qualityhub.audit.models import AuditEvent
from qualityhub.inspections.models import Inspection


@require_GET
@requires("browse_inspections")
def inspection_timeline(request: HttpRequest, coupa_id: int) -> HttpResponse:
    if (
        request.access.is_limited
        and not request.access.scope(Inspection.objects.filter(coupa_id=coupa_id)).exists()
    ):
        raise Http404("No such inspection")
    events = AuditEvent.objects.filter(inspection_id=coupa_id).select_related("user")[:100]
    return render(
        request, "audit/_timeline.html", {"inspection_id": coupa_id, "events": list(events)}
    )
