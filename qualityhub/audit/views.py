from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.audit.models import AuditEvent
from qualityhub.audit.record import shown_summary
from qualityhub.directory.names import person_names
from qualityhub.inspections.models import Inspection
from qualityhub.notes import mentions
from qualityhub.notes.models import Note

SHOWN = 100  # the newest entries, events and notes together


@require_GET
@requires("browse_inspections")
def inspection_timeline(request: HttpRequest, coupa_id: int) -> HttpResponse:
    visible_or_404(request, Inspection.objects.only("coupa_id"), coupa_id=coupa_id)
    events = list(AuditEvent.objects.filter(inspection_id=coupa_id).select_related("user")[:SHOWN])
    notes = list(Note.objects.filter(inspection_id=coupa_id).select_related("author")[:SHOWN])
    # QualityHub's users by username; Coupa's (what the sync saw) by name, in one query.
    people = person_names(event.coupa_user_id for event in events)
    for event in events:
        event.coupa_person = people.get(event.coupa_user_id)
        event.summary = shown_summary(event)  # shown only: a GET never saves
    for note in notes:  # the text cut into plain parts (links) and the mentions it made
        note.parts = mentions.split(note.text, note.mentions)
    entries = sorted([*events, *notes], key=lambda entry: (entry.at, entry.pk), reverse=True)
    return render(
        request, "audit/_timeline.html", {"inspection_id": coupa_id, "events": entries[:SHOWN]}
    )
