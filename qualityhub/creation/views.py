"""New inspection requests: the form (with rows added and removed in place) and imports.

Neither calls Coupa: a request is claimed and queued (`services`), a Celery task sends it, and
the page the person waits on polls its progress until it is settled.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.coupa.outbound import request_body
from qualityhub.creation import importing
from qualityhub.creation.example import example_csv
from qualityhub.creation.form_errors import place_coupa_errors
from qualityhub.creation.forms import (
    NEW_ROW,
    ROWS_PREFIX,
    CharacteristicForm,
    CharacteristicFormSet,
    HeaderForm,
    as_initial,
    checked_part,
    compact_rows,
    new_external_id,
    sent_rows,
)
from qualityhub.creation.models import CreationRequest, ImportBatch
from qualityhub.creation.queries import batch_rows, outcome_known
from qualityhub.creation.resolving import Directory
from qualityhub.creation.services import queue_batch, request_from_form
from qualityhub.inspections.models import Inspection
from qualityhub.ui import params

MAX_ROW_INDEX = 10_000
State = CreationRequest.State


@require_http_methods(["GET", "POST"])
@requires("create_inspections")
def inspection_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = HeaderForm(initial={"idempotency_key": new_external_id()}, access=request.access)
        rows = CharacteristicFormSet(prefix=ROWS_PREFIX, initial=[NEW_ROW])
        return _form_page(request, form, rows)
    action = request.POST.get("action", "")
    data = compact_rows(request.POST, drop=action.removeprefix("remove:"))
    form = HeaderForm(data, access=request.access)
    rows = CharacteristicFormSet(data, prefix=ROWS_PREFIX)
    if action:
        return _rearranged(request, form, rows, add=action == "add")
    valid = [form.is_valid(), rows.is_valid()]  # both, so every error shows at once
    if not all(valid):
        return _form_page(request, form, rows, status=422)
    return _send_form(request, form, rows, data)


@require_POST
@requires("create_inspections")
def inspection_new_check(request: HttpRequest) -> HttpResponse:
    """The errors of the part of the form (the header or one row) holding the field that just
    changed, checked again as a submit would: the changed field's errors as they are now, and an
    empty place for every field that has none any more (a stale error goes; errors not yet
    shown on untouched fields stay unshown)."""
    changed = request.POST.get("changed", "")
    form = checked_part(request.POST, changed, request.access)
    if form is None:
        return HttpResponse(status=204)
    form.is_valid()
    fields = [f for f in form if not f.is_hidden and (f.html_name == changed or not f.errors)]
    return render(request, "creation/new.html#checked", {"fields": fields})


def _send_form(request: HttpRequest, form: HeaderForm, rows, data: QueryDict) -> HttpResponse:
    """Queue the request and go to the page that follows it; a key sent before is answered
    from what is known of it (nothing is sent twice)."""
    lines = sent_rows(rows.forms)
    inspection = form.to_request([line.to_request() for line in lines])
    payload = request_body(inspection)
    typed = {key: value for key, value in data.items() if key != "csrfmiddlewaretoken"}
    row, queued = request_from_form(
        inspection.external_inspection_id,
        payload,
        typed,
        user=request.user,
        key_generated=form.key_generated,
    )
    if queued or (row.payload == payload and not outcome_known(row)):
        return redirect("inspection-new-sending", request_id=row.pk)  # the same, still going
    if row.state == State.CREATED and row.payload == payload:
        return _to_created(request, row, announce=False)
    if row.state == State.CREATED and form.key_generated:
        return _sent_before(request, form, rows, row)
    _explain(row, form, lines)
    return _form_page(request, form, rows, status=409)


@require_GET
@requires("create_inspections")
def inspection_new_sending(request: HttpRequest, request_id: int) -> HttpResponse:
    """The request while it is sent (a page that polls), then its outcome: the new inspection,
    or the form again with why it was not created."""
    row = _request_for_user(request, request_id)
    if not outcome_known(row):
        return render(request, "creation/sending.html", {"sent": row})
    if row.state == State.CREATED:
        return _to_created(request, row, announce=True)
    form = HeaderForm(row.form, access=request.access)
    rows = CharacteristicFormSet(row.form, prefix=ROWS_PREFIX)
    if not all([form.is_valid(), rows.is_valid()]):
        return _form_page(request, form, rows, status=422)
    _explain(row, form, sent_rows(rows.forms))
    status = {State.REFUSED: 422, State.FAILED: 503}.get(row.state, 409)
    return _form_page(request, form, rows, status=status)


@require_GET
@requires("create_inspections")
def inspection_new_sending_progress(request: HttpRequest, request_id: int) -> HttpResponse:
    """The polled part of the page; once settled, polling stops and the page loads again to
    show the outcome."""
    row = _request_for_user(request, request_id)
    if not outcome_known(row):
        return render(request, "creation/sending.html#progress", {"sent": row})
    response = HttpResponseStopPolling()
    response["HX-Redirect"] = reverse("inspection-new-sending", args=[row.pk])
    return response


def _request_for_user(request: HttpRequest, request_id: int) -> CreationRequest:
    """The user's own request from the form (an import's requests show on its batch page)."""
    return visible_or_404(
        request, CreationRequest.objects.filter(form__isnull=False), pk=request_id
    )


def _explain(row: CreationRequest, form: HeaderForm, lines) -> None:
    """Why the request was not created, on the fields (Coupa's errors) or the form."""
    if row.state == State.REFUSED:
        formset_errors: list[str] = []
        place_coupa_errors(row.field_errors, form, lines, formset_errors)
        for message in formset_errors:
            form.add_error(None, message)
    elif row.state == State.CREATED:
        form.add_error(
            "external_id", _("Already used for inspection %(id)s.") % {"id": row.coupa_id}
        )
    elif row.state == State.FAILED and row.uncertain:
        form.add_error(
            None,
            _(
                "Coupa did not answer (%(error)s); it may have created the inspection. Submit "
                "again: QualityHub checks Coupa for %(id)s before sending it again."
            )
            % {"error": row.error, "id": row.external_id},
        )
    elif row.state == State.FAILED:
        form.add_error(
            None,
            _(
                "Coupa could not be reached (%(error)s); nothing was created. Submit again when "
                "it is back."
            )
            % {"error": row.error},
        )
    else:
        form.add_error(
            None,
            _(
                "This request is still being sent to Coupa. Submit again in a moment: it will not "
                "be created twice."
            ),
        )


def _sent_before(request: HttpRequest, form: HeaderForm, rows, row: CreationRequest):
    """This very form was sent before (the user went back and changed it): offer it again
    with a new key, so only a second, deliberate press creates another inspection."""
    messages.warning(
        request,
        _(
            "This form was already sent as inspection %(id)s. Press Create in Coupa again "
            "to create another inspection with these values."
        )
        % {"id": row.coupa_id},
    )
    fresh = as_initial(form) | {"idempotency_key": new_external_id()}
    initial = [as_initial(line) for line in rows.forms]
    return _form_page(
        request,
        HeaderForm(initial=fresh, access=request.access),
        CharacteristicFormSet(prefix=ROWS_PREFIX, initial=initial),
        status=409,
    )


def _to_created(request: HttpRequest, row: CreationRequest, *, announce: bool) -> HttpResponse:
    """To the new inspection, once it is in the cache (the task reads it back)."""
    if not Inspection.objects.filter(coupa_id=row.coupa_id).exists():
        messages.info(
            request,
            _("Inspection %(id)s was created in Coupa; it shows here after the next sync.")
            % {"id": row.coupa_id},
        )
        return redirect("inspection-list")
    if announce:
        messages.success(
            request, _("Inspection %(id)s was created in Coupa.") % {"id": row.coupa_id}
        )
    return redirect("inspection-detail", coupa_id=row.coupa_id)


def _rearranged(request: HttpRequest, form: HeaderForm, rows, *, add: bool) -> HttpResponse:
    """The page again after a row was added or removed without JavaScript (nothing sent)."""
    initial = [as_initial(row) for row in rows.forms] + ([NEW_ROW] if add else [])
    return _form_page(
        request,
        HeaderForm(initial=as_initial(form), access=request.access),
        CharacteristicFormSet(prefix=ROWS_PREFIX, initial=initial),
    )


def _form_page(request: HttpRequest, form, rows, status: int = 200) -> HttpResponse:
    return render(request, "creation/new.html", {"form": form, "rows": rows}, status=status)


@require_GET
@requires("create_inspections")
def inspection_new_row(request: HttpRequest) -> HttpResponse:
    """One empty characteristic row, numbered after the last one the page has."""
    index = params.whole_number_or_none(request.GET.get(f"{ROWS_PREFIX}-TOTAL_FORMS", "")) or 0
    index = min(index, MAX_ROW_INDEX)
    row = CharacteristicForm(
        prefix=f"{ROWS_PREFIX}-{index}", initial=NEW_ROW, use_required_attribute=False
    )
    context = {"row": row, "next_index": index + 1}
    return render(request, "creation/new.html#added-row", context)


@require_GET
@requires("create_inspections")
def inspection_new_row_removed(request: HttpRequest) -> HttpResponse:
    """Nothing: htmx deletes the row it was asked from (`hx-swap="delete"`)."""
    return HttpResponse("")


# --- imports ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("create_inspections")
def inspection_import(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if request.method == "GET":
        return render(request, "creation/import.html", {"columns": importing.COLUMNS})
    if upload is None:
        problems = [_("Choose a CSV or JSON file.")]
    else:
        content = upload.read(importing.MAX_BYTES + 1)
        parsed = importing.parse_upload(upload.name, content, directory=Directory(request.access))
        problems = parsed.problems
    if problems:
        context = {"columns": importing.COLUMNS, "problems": problems}
        return render(request, "creation/import.html", context, status=422)
    batch = ImportBatch.objects.create(
        user=request.user,
        file_name=upload.name[:255],
        file_format=parsed.file_format,
        entries=[entry.as_json() for entry in parsed.entries],
    )
    return redirect("inspection-import-batch", batch_id=batch.pk)


@require_GET
@requires("create_inspections")
def inspection_import_template(request: HttpRequest) -> HttpResponse:
    """The example CSV: every column, and the spec's example inspection plus one more."""
    response = HttpResponse(example_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="inspections-import-example.csv"'
    return response


@require_GET
@requires("create_inspections")
def inspection_import_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_for_user(request, batch_id)
    return render(request, "creation/batch.html", _batch_context(batch))


@require_POST
@requires("create_inspections")
def inspection_import_send(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_for_user(request, batch_id)
    queued = queue_batch(batch)
    if queued:
        text = ngettext(
            "Sending %(count)s inspection to Coupa.",
            "Sending %(count)s inspections to Coupa.",
            len(queued),
        )
        messages.success(request, text % {"count": len(queued)})
    return redirect("inspection-import-batch", batch_id=batch.pk)


@require_GET
@requires("create_inspections")
def inspection_import_progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_for_user(request, batch_id)
    context = _batch_context(batch)
    response = render(request, "creation/batch.html#progress", context)
    if context["done"]:
        response.status_code = HttpResponseStopPolling.status_code
    return response


def _batch_for_user(request: HttpRequest, batch_id: int) -> ImportBatch:
    return visible_or_404(request, ImportBatch.objects, pk=batch_id)


def _batch_context(batch: ImportBatch) -> dict:
    rows = batch_rows(batch)
    sendable = [r for r in rows if r.sendable]
    active = [r for r in rows if r.mine]
    return {
        "batch": batch,
        "rows": rows,
        "sendable": len(sendable),
        "skipped": len(rows) - len(sendable),
        "warned": sum(bool(r.entry.get("warnings")) for r in sendable),
        "sent": len(active),
        "created": sum(r.request.state == State.CREATED for r in active),
        "settled": sum(r.request.settled for r in active),
        "done": batch.state == ImportBatch.State.CONFIRMED
        and all(r.request.settled for r in active),
    }
