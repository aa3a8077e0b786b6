from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

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
    request whose session ended gets 401 with `HX-Redirect`: htmx then loads the sign-in page as
    a whole page (it acts on the header whatever the status) instead of swapping the form into a
    fragment, and a script that ignores htmx still sees a failure."""

    def handle_no_permission(self, request, view_func):
        response = super().handle_no_permission(request, view_func)
        if getattr(request, "htmx", False):
            unauthorised = HttpResponse(_("Your session has ended; sign in again."), status=401)
            unauthorised["HX-Redirect"] = response["Location"]
            return unauthorised
        return response
