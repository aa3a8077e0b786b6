from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

from qualityhub.accounts.access import access_for


class AccessMiddleware:
    """Puts `request.access` (see `access.py`) on every request, loaded only when used."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: access_for(request.user))
        return self.get_response(request)


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's: every view needs a signed-in user unless marked `@login_not_required`. An htmx
    request whose session ended reloads the whole page at the sign-in form instead of swapping
    the form into a fragment."""

    def handle_no_permission(self, request, view_func):
        response = super().handle_no_permission(request, view_func)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(response["Location"])
        return response
