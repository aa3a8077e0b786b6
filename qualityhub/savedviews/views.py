"""Saved views: save the list's filters and sort under a name, open, rename, share, delete.

Every action is a plain form post followed by a redirect, so it works without JavaScript. A view
is reached by id through the access gate: another user's private view is a 404, as if it did not
exist; a shared view can be opened by everyone and changed by its owner only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.savedviews import services
from qualityhub.savedviews.models import Page, SavedView
from qualityhub.savedviews.queries import views_to_manage
from qualityhub.savedviews.reading import LISTS, read_query

MAX_MESSAGES = 5  # of what a view left out; a hostile query could name hundreds


@require_POST
@requires("browse_inspections")
def saved_view_save(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    if page not in LISTS:
        page = Page.INSPECTIONS
    list_url = reverse(LISTS[page].url_name)
    try:
        reading = read_query(
            LISTS[page], request.POST.get("query", ""), supplier_ids=request.access.supplier_ids
        )
        view = services.save_view(
            request.user, page, request.POST.get("name", ""), reading.query, reading.sort
        )
    except services.Refused as refused:
        messages.warning(request, _("The view was not saved. %(why)s") % {"why": refused})
        return redirect(list_url)
    _tell(request, [note.saving_message() for note in reading.ignored])
    messages.success(request, _("Saved the view “%(name)s”.") % {"name": view.name})
    return redirect(reading.address(list_url))


@require_GET
@requires("browse_inspections")
def saved_view_open(request: HttpRequest, view_id: int) -> HttpResponse:
    """The list with the view's filters and sort, as the list reads them today."""
    view = visible_or_404(request, SavedView.objects, pk=view_id)
    page = LISTS.get(view.page, LISTS[Page.INSPECTIONS])
    list_url = reverse(page.url_name)
    try:
        reading = read_query(
            page, view.query, sort=view.sort, supplier_ids=request.access.supplier_ids
        )
    except services.Refused:  # only a query stored by other means than saving it here
        messages.warning(
            request,
            _("The view “%(name)s” could not be read; here is the list.") % {"name": view.name},
        )
        return redirect(list_url)
    _tell(request, [note.opening_message() for note in reading.ignored])
    return redirect(reading.address(list_url))


@require_GET
@requires("browse_inspections")
def saved_view_manage(request: HttpRequest) -> HttpResponse:
    views = views_to_manage(request.access)
    own = [view for view in views if view.owner_id == request.user.pk]
    context = {
        "own": own,
        "shared": [view for view in views if view.owner_id != request.user.pk],
        "most": services.MAX_VIEWS_PER_USER,
        "lists": {page: reverse(spec.url_name) for page, spec in LISTS.items()},
    }
    return render(request, "savedviews/manage.html", context)


@require_POST
@requires("browse_inspections")
def saved_view_rename(request: HttpRequest, view_id: int) -> HttpResponse:
    view = _own_view(request, view_id)
    old_name = view.name
    try:
        services.rename_view(view, request.POST.get("name", ""))
    except services.Refused as refused:
        messages.warning(
            request, _("“%(name)s” was not renamed. %(why)s") % {"name": old_name, "why": refused}
        )
    else:
        messages.success(
            request, _("Renamed “%(old)s” to “%(new)s”.") % {"old": old_name, "new": view.name}
        )
    return redirect("saved-view-manage")


@require_POST
@requires("browse_inspections")
def saved_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = _own_view(request, view_id)
    services.delete_view(view)
    messages.success(request, _("Deleted the view “%(name)s”.") % {"name": view.name})
    return redirect("saved-view-manage")


@require_POST
@requires("share_views")
def saved_view_share(request: HttpRequest, view_id: int) -> HttpResponse:
    view = _own_view(request, view_id)
    shared = request.POST.get("shared", "") == "1"
    services.set_shared(view, shared)
    if shared:
        messages.success(
            request,
            _("“%(name)s” is shared: everyone sees it in their list.") % {"name": view.name},
        )
    else:
        messages.success(request, _("“%(name)s” is no longer shared.") % {"name": view.name})
    return redirect("saved-view-manage")


def _own_view(request: HttpRequest, view_id: int) -> SavedView:
    """The view, if this user may change it: a view they do not see is a 404, a shared view of
    someone else's a 403."""
    view = visible_or_404(request, SavedView.objects, pk=view_id)
    if not view.editable_by(request.access):
        raise PermissionDenied("Only the owner of a view can change it.")
    return view


def _tell(request: HttpRequest, notes: list[str]) -> None:
    for note in notes[:MAX_MESSAGES]:
        messages.warning(request, note)
    if len(notes) > MAX_MESSAGES:
        messages.warning(request, _("…and %(n)s more left out.") % {"n": len(notes) - MAX_MESSAGES})
