"""The note form's two doors: writing a note (a plain POST that redirects, or htmx that swaps
the form and announces `timeline-changed`), and the colleagues a mention may name (JSON for
static/qualityhub/mentions.js). The timeline itself shows the notes (`audit.views`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.notes.people import suggestions
from qualityhub.notes.services import NoteRefused, write_note
from qualityhub.notifications.tasks import mail_soon
from qualityhub.ui import params

MAX_PREFIX_LENGTH = 150  # a username's longest


@require_POST
@requires("write_notes")
def note_write(request: HttpRequest, coupa_id: int) -> HttpResponse:
    inspection = visible_or_404(request, Inspection.objects, coupa_id=coupa_id)
    text = request.POST.get("text", "")
    chosen = request.POST.get("line", "")
    try:
        characteristic = _characteristic(inspection, chosen)
        write_note(inspection, request.user, text, characteristic=characteristic)
    except NoteRefused as refused:
        return _form_again(request, inspection, text, chosen, str(refused))
    mail_soon()  # the mails of those mentioned who want them at once
    if request.htmx:
        response = _form(request, inspection, said=_("Note added."))
        response["HX-Trigger"] = "timeline-changed"
        return response
    messages.success(request, _("Note added to the timeline."))
    return redirect(reverse("inspection-detail", args=[inspection.coupa_id]) + "#timeline")


@require_GET
@requires("write_notes")
def note_people(request: HttpRequest, coupa_id: int) -> JsonResponse:
    """`?q=pri` → the active colleagues who may see this inspection and whose username or name
    starts so (at most ten)."""
    inspection = visible_or_404(
        request, Inspection.objects.only("coupa_id", "supplier_id"), coupa_id=coupa_id
    )
    prefix = params.text(request.GET.get("q", ""), max_length=MAX_PREFIX_LENGTH).lstrip("@")
    people = suggestions(inspection.supplier_id, prefix, exclude_id=request.user.pk)
    results = [
        {"value": person.username, "text": person.username, "detail": person.get_full_name()}
        for person in people
    ]
    return JsonResponse({"results": results})


def _characteristic(inspection: Inspection, chosen: str) -> Characteristic | None:
    """The characteristic of this inspection the form names (blank: the whole inspection)."""
    if not chosen.strip():
        return None
    try:
        line_id = params.whole_number(chosen.strip())
    except params.BadParameter:
        raise NoteRefused(_("Choose a characteristic from the list.")) from None
    line = (
        Characteristic.objects.filter(inspection=inspection, coupa_id=line_id)
        .only("coupa_id", "line_num", "name")
        .first()
    )
    if line is None:
        raise NoteRefused(
            _("That characteristic is not on this inspection; choose one from the list.")
        )
    return line


def _form(request: HttpRequest, inspection: Inspection, **context) -> HttpResponse:
    return render(
        request,
        "notes/_note_form.html#form",
        {"inspection": inspection, "lines": _lines(inspection), **context},
    )


def _form_again(
    request: HttpRequest, inspection: Inspection, text: str, chosen: str, error: str
) -> HttpResponse:
    """The refused note back in its form with why, nothing lost: swapped in by htmx, or on a
    page of its own without script."""
    context = {
        "inspection": inspection,
        "lines": _lines(inspection),
        "text": text,
        "chosen": chosen,
        "error": error,
    }
    if request.htmx:
        return render(request, "notes/_note_form.html#form", context)
    return render(request, "notes/note_refused.html", context, status=422)


def _lines(inspection: Inspection) -> list[dict]:
    """The inspection's characteristics for the form's select, as the detail page's rows."""
    lines = Characteristic.objects.filter(inspection=inspection).only(
        "coupa_id", "line_num", "name"
    )
    return [{"line": line} for line in lines]
