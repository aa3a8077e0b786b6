"""The bell, the notifications page and the settings page: each person's own, nobody else's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.directory.names import item_names, supplier_names
from qualityhub.notifications import inbox
from qualityhub.notifications.forms import NotificationSettingsForm, time_zones
from qualityhub.notifications.models import Notification
from qualityhub.ui import params


@require_GET
@requires("browse_inspections")
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    before = params.whole_number_or_none(request.GET.get("before", ""), minimum=1)
    page = inbox.page(request.access, unread_only=unread_only, before=before)
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": inbox.unread_count(request.access),
        "count_cap": inbox.COUNT_CAP,
    }
    template = "notifications/list.html"
    if request.htmx and request.htmx.target == "notifications":
        template += "#notifications"
    return render(request, template, context)


@require_GET
@requires("browse_inspections")
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The header's bell with its unread count: fetched by the page after it loads (and every
    minute), so that no page pays for the count before it is shown."""
    count = inbox.unread_count(request.access)
    return render(
        request, "notifications/_bell.html", {"unread": count, "count_cap": inbox.COUNT_CAP}
    )


@require_GET
@requires("browse_inspections")
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """A notification's own address (mails link to it): what it is about, if its reader may
    still see it. Reading it is a POST (`notification_read`): a GET changes nothing."""
    notification = visible_or_404(
        request, Notification.objects.select_related("event"), pk=notification_id
    )
    return _about(notification)


@require_POST
@requires("browse_inspections")
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read; with `open`, go on to what it is about (the page's links do both)."""
    notification = visible_or_404(
        request, Notification.objects.select_related("event"), pk=notification_id
    )
    inbox.mark_read(request.access, [notification.pk])
    if request.POST.get("open"):
        return _about(notification)
    return _back_to_list(request)


@require_POST
@requires("browse_inspections")
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = inbox.mark_all_read(request.access)
    text = ngettext(
        "Marked %(count)s notification read.", "Marked %(count)s notifications read.", marked
    )
    messages.success(request, text % {"count": marked})
    return _back_to_list(request)


def _about(notification: Notification) -> HttpResponse:
    if notification.event.inspection_id:
        return redirect("inspection-detail", notification.event.inspection_id)
    return redirect("notification-list")


def _back_to_list(request: HttpRequest) -> HttpResponse:
    url = reverse("notification-list")
    if request.POST.get("show") == "unread":
        url += "?show=unread"
    return redirect(url)


@require_http_methods(["GET", "POST"])
@requires("browse_inspections")
def notification_settings(request: HttpRequest) -> HttpResponse:
    browser_zone = request.COOKIES.get("tz", "")
    if browser_zone not in dict(time_zones()):
        browser_zone = "UTC"
    current = inbox.choices_for(request.user, request.access, browser_zone)
    if request.method == "POST":
        if request.POST.get("reset"):
            inbox.forget_choices(request.user)
            messages.success(request, "Back to your role's defaults.")
            return redirect("notification-settings")
        form = NotificationSettingsForm(request.POST, access=request.access)
        if form.is_valid():
            inbox.save_choices(request.user.pk, form.choices())
            messages.success(request, "Notification settings saved.")
            return redirect("notification-settings")
    else:
        form = NotificationSettingsForm.initial_from(current, request.access)
    chosen_suppliers = _chosen(form, "suppliers", supplier_names)
    chosen_items = _chosen(form, "items", item_names)
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "defaults": not current.stored,
            "chosen_suppliers": chosen_suppliers,
            "chosen_items": chosen_items,
            "email": request.user.email,
        },
    )


def _chosen(form: NotificationSettingsForm, name: str, names) -> list:
    """The ids a picker shows as chosen, with their names (the submitted ones if valid)."""
    if form.is_bound:
        ids = form.cleaned_data.get(name, ()) if hasattr(form, "cleaned_data") else ()
    else:
        ids = form.initial.get(name, ())
    ids = sorted(ids)
    found = names(ids)
    return [found[i] for i in ids]
