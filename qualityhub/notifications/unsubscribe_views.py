"""The one-click unsubscribe link of every notification mail (RFC 8058).

Reached without a session, from a mail: sign-in is not required, and the POST is exempt from
CSRF (a mail client's one-click POST carries no token; the signed token in the URL is what
proves the link came from us, for this person). GET only asks: mail scanners follow links.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from qualityhub.notifications.unsubscribe import read_token, unsubscribe


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, signed: str) -> HttpResponse:
    wanted = read_token(signed)
    if wanted is None:
        return render(request, "notifications/unsubscribe_refused.html", status=400)
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", {"token": signed})
    if not unsubscribe(wanted):
        return render(request, "notifications/unsubscribe_refused.html", status=404)
    return render(request, "notifications/unsubscribe_done.html")
