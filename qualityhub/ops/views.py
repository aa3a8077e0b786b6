from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from qualityhub.ops.health import health


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: no sign-in, no secrets (states and ages only)."""
    status, body = health(timezone.now())
    return JsonResponse(body, status=status)


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """For browsers and tools that ask /favicon.ico on their own (pages link the SVG). A
    temporary redirect: the target's hashed name changes with the icon, and is cached forever."""
    return HttpResponseRedirect(static("qualityhub/favicon.svg"))
