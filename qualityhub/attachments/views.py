"""Attachment views: the list of one place (an inspection or one of its lines), upload, delete,
retry and download. Writes answer htmx with the place's list and `HX-Trigger: timeline-changed`;
without JavaScript they redirect back to the inspection with a message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.attachments.intake import Gate, Refusal, guard, too_large_to_read
from qualityhub.attachments.models import Attachment
from qualityhub.attachments.services import request_delete, request_retry, request_upload
from qualityhub.attachments.validation import (
    KINDS,
    Refused,
    allowed_kinds,
    check_file,
    display_name,
    limit_text,
)
from qualityhub.coupa import (
    CoupaError,
    CoupaNotFound,
    CoupaTooLarge,
    CoupaUnavailable,
    client_from_settings,
)
from qualityhub.inspections.models import Characteristic, Inspection

# Jinja2 templates (templates/jinja2/attachments/): place.html is also the detail page's.
PLACE_LIST = "attachments/list.html"
UPLOAD_ANSWER = "attachments/upload_answer.html"
SAFE_TYPES = frozenset(kind.content_type for kind in KINDS.values())


@require_GET
@requires("browse_inspections")
def attachment_list(request: HttpRequest, coupa_id: int, line_id: int | None = None):
    inspection, line = _place_or_404(request, coupa_id, line_id)
    context = _place_context(inspection, line)
    response = render(request, PLACE_LIST, context, using="jinja2")
    if request.htmx and not any(a.in_flight for a in context["attachments"]):
        # Only a list with work in flight polls, so this answer is the moment the work ended.
        response["HX-Trigger"] = "timeline-changed"
    return response


@require_POST
@csrf_exempt  # the body must reach the size gate first; CSRF is checked right after, below
@requires("manage_attachments")
def attachment_upload(request: HttpRequest, coupa_id: int, line_id: int | None = None):
    inspection, line = _place_or_404(request, coupa_id, line_id)
    gate = Gate(
        max_bytes=settings.ATTACHMENT_MAX_BYTES,
        max_files=settings.ATTACHMENT_MAX_FILES,
        allowed=frozenset(allowed_kinds(settings.ATTACHMENT_ALLOWED_EXTENSIONS)),
    )
    if too_large_to_read(request, gate):
        limit = f"{gate.max_files} × {limit_text(gate.max_bytes)}"
        refusal = Refusal(
            "", _("The upload is larger than %(limit)s; nothing was kept.") % {"limit": limit}
        )
        return _upload_answer(request, inspection, line, [refusal], kept=0)
    guard(request, gate)
    return _upload_checked(request, inspection, line, gate)


@csrf_protect
def _upload_checked(request, inspection: Inspection, line: Characteristic | None, gate: Gate):
    uploads = request.FILES.getlist("file")  # reads the body through the gate
    refusals, kept = list(gate.refusals), 0
    for upload in uploads:
        try:
            accepted = check_file(
                upload.name, upload, upload.size, allowed=gate.allowed, max_bytes=gate.max_bytes
            )
        except Refused as refusal:
            gate.refuse(upload.name, refusal.message)
            refusals.append(gate.refusals[-1])
            continue
        request_upload(inspection, line, upload, accepted, request.user)
        kept += 1
    if not kept and not refusals:
        refusals.append(Refusal("", _("Choose a file to upload.")))
    return _upload_answer(request, inspection, line, refusals, kept)


@require_POST
@requires("manage_attachments")
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachments = Attachment.objects.select_related("inspection", "characteristic")
    attachment = visible_or_404(request, attachments, pk=pk)
    problem = request_delete(attachment, request.user)
    return _action_answer(request, attachment, problem)


@require_POST
@requires("manage_attachments")
def attachment_retry(request: HttpRequest, pk: int) -> HttpResponse:
    attachments = Attachment.objects.select_related("inspection", "characteristic")
    attachment = visible_or_404(request, attachments, pk=pk)
    problem = request_retry(attachment, request.user)
    return _action_answer(request, attachment, problem)


@require_GET
@requires("browse_inspections")
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as a download, never inline: from QualityHub's copy, or fetched from Coupa."""
    attachments = Attachment.objects.select_related("inspection", "characteristic")
    attachment = visible_or_404(request, attachments, pk=pk)
    content_type = attachment.content_type if attachment.content_type in SAFE_TYPES else ""
    name = display_name(attachment.file_name) or f"attachment-{attachment.pk}"
    try:
        handle = attachment.local_file.open("rb") if attachment.has_local_copy else None
    except OSError:
        handle = None
    if handle is not None:
        # Never None: FileResponse would guess the type from the name (x.html → text/html).
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=name,
            content_type=content_type or "application/octet-stream",
        )
    else:
        response = _download_from_coupa(attachment, name, content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _download_from_coupa(attachment: Attachment, name: str, content_type: str) -> HttpResponse:
    """Coupa's bytes passed on chunk by chunk as they come, never held; the answer to Coupa is
    closed when the browser's ends. A file that passes the limit without having declared its
    size is cut off mid-stream, so the browser reports a failed download, not a short file."""
    if attachment.coupa_id is None:
        raise Http404(_("QualityHub no longer has this file and Coupa never had it."))
    try:
        stream = client_from_settings().open_attachment(
            attachment.inspection_id, attachment.coupa_id, attachment.characteristic_id
        )
    except CoupaNotFound:
        raise Http404(_("Coupa no longer has this file.")) from None
    except CoupaTooLarge as exc:
        return HttpResponse(
            _(
                "This file is larger than %(limit)s, the most QualityHub passes on from Coupa; "
                "open it in Coupa."
            )
            % {"limit": limit_text(exc.limit)},
            status=502,
        )
    except CoupaUnavailable:
        return HttpResponse(_("Coupa is unavailable; try the download again shortly."), status=503)
    except CoupaError as exc:
        return HttpResponse(
            _("Coupa refused the download: %(message)s") % {"message": exc.message}, status=502
        )
    response = StreamingHttpResponse(
        stream, content_type=content_type or "application/octet-stream"
    )
    if stream.size is not None:
        response["Content-Length"] = str(stream.size)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _place_or_404(
    request: HttpRequest, coupa_id: int, line_id: int | None
) -> tuple[Inspection, Characteristic | None]:
    if line_id is None:
        return visible_or_404(request, Inspection.objects, coupa_id=coupa_id), None
    lines = Characteristic.objects.select_related("inspection")
    line = visible_or_404(request, lines, inspection_id=coupa_id, coupa_id=line_id)
    return line.inspection, line


def _place_context(inspection: Inspection, line: Characteristic | None, **extra) -> dict:
    attachments = Attachment.objects.filter(inspection=inspection, characteristic=line)
    return {"inspection": inspection, "line": line, "attachments": list(attachments), **extra}


def _upload_answer(request, inspection, line, refusals: list[Refusal], kept: int) -> HttpResponse:
    if not request.htmx:
        for refusal in refusals:
            messages.error(request, str(refusal))
        if kept:
            text = ngettext(
                "%(count)s file queued for Coupa.", "%(count)s files queued for Coupa.", kept
            )
            messages.success(request, text % {"count": kept})
        return redirect("inspection-detail", inspection.coupa_id)
    context = _place_context(inspection, line, refusals=refusals, oob=True)
    response = HttpResponse(render_to_string(UPLOAD_ANSWER, context, request, using="jinja2"))
    if kept:
        response["HX-Trigger"] = "timeline-changed"
    return response


def _action_answer(request, attachment: Attachment, problem: str | None) -> HttpResponse:
    if not request.htmx:
        if problem:
            messages.warning(request, problem)
        return redirect("inspection-detail", attachment.inspection_id)
    context = _place_context(attachment.inspection, attachment.characteristic, problem=problem)
    response = render(request, PLACE_LIST, context, using="jinja2")
    if not problem:
        response["HX-Trigger"] = "timeline-changed"
    return response
