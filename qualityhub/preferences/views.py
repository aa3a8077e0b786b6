"""Saving a user's own choices: list columns (a plain form post, or htmx's) and language."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityhub.accounts.access import requires
from qualityhub.preferences.columns import LISTS, save_columns
from qualityhub.preferences.language import CODES, choose
from qualityhub.ui import params

LIST_PAGES = {"inspections": "inspection-list", "results": "result-list"}
MAX_QUERY_LENGTH = 4000  # the list's address to go back to, as its filter form builds it
# The event the list pages listen for (`hx-trigger="list-columns-changed from:body"`).
CHANGED_EVENT = "list-columns-changed"


@require_POST
@requires("browse_inspections")
def list_columns(request: HttpRequest) -> HttpResponse:
    list_name = request.POST.get("list", "")
    if list_name not in LISTS:
        return HttpResponseBadRequest(_("Choose the inspections or the results list."))
    if request.POST.get("all"):
        shown = [column.key for column in LISTS[list_name]]
    else:
        shown = request.POST.getlist("column")[: len(LISTS[list_name])]
    save_columns(request.user, list_name, shown, request.session)
    if request.htmx:
        # Nothing to swap (the form says hx-swap="none"): the page reloads its own rows, with
        # its own filters, on the event.
        return HttpResponse(headers={"HX-Trigger": CHANGED_EVENT})
    query = QueryDict(params.text(request.POST.get("query", ""), max_length=MAX_QUERY_LENGTH))
    return redirect(f"{reverse(LIST_PAGES[list_name])}?{query.urlencode()}")


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Any signed-in person may pick their own UI language; back to the page they were on."""
    code = request.POST.get("language", "")
    if code not in CODES:
        return HttpResponseBadRequest(_("Choose one of QualityHub's languages."))
    choose(request, code)
    back = params.text(request.POST.get("next", ""), max_length=MAX_QUERY_LENGTH)
    # Back only to a path of this site: never another site, never a view's name.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        back = reverse("overview")
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": back})
    return HttpResponseRedirect(back)
