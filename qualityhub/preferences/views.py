"""Saving a user's choice of list columns: a plain form post, or htmx's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from qualityhub.accounts.access import requires
from qualityhub.preferences.columns import LISTS, save_columns
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
        return HttpResponseBadRequest("Choose the inspections or the results list.")
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
