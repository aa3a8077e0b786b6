"""Assigning from the detail page (assign to a colleague, take it, unassign) and in bulk from the
list's selection. Each works as a plain form; with htmx the detail page's block is swapped."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.assignment import services
from qualityhub.assignment.queries import assignment_of
from qualityhub.exporting import selection
from qualityhub.inspections.models import Inspection
from qualityhub.notifications.tasks import mail_soon
from qualityhub.ui import params

BLOCK = "assignment/_assignee.html"
MAX_QUERY_LENGTH = 4000  # the list's querystring, as the bulk form sends it


def _inspection_or_404(request: HttpRequest, coupa_id: int) -> Inspection:
    rows = Inspection.objects.only("coupa_id", "supplier_id", "item_id")
    return visible_or_404(request, rows, coupa_id=coupa_id)


def _answer(request: HttpRequest, inspection: Inspection, said: str, problem: str = ""):
    """The block as it now stands (htmx), or back to the page with a message (a plain form)."""
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        elif said:
            messages.success(request, said)
        return redirect("inspection-detail", coupa_id=inspection.coupa_id)
    context = {
        "inspection": inspection,
        "assignment": assignment_of(inspection),
        "said": said,
        "problem": problem,
    }
    if problem:  # the picker stays open with the message beside it
        context["colleagues"] = services.eligible_colleagues([inspection.supplier_id])
    response = render(request, BLOCK, context)
    if not problem:
        response["HX-Trigger"] = "timeline-changed"
    return response


@require_GET
@requires("assign_inspections")
def inspection_assignee(request: HttpRequest, coupa_id: int) -> HttpResponse:
    """The colleague picker: the colleagues who may be given this inspection. A page of its own
    for a plain link; with htmx, the picker alone, opened inside the detail page's block."""
    inspection = _inspection_or_404(request, coupa_id)
    context = {
        "inspection": inspection,
        "assignment": assignment_of(inspection),
        "colleagues": services.eligible_colleagues([inspection.supplier_id]),
    }
    if request.htmx:
        return render(request, f"{BLOCK}#picker", context)
    return render(request, "assignment/picker.html", context)


@require_POST
@requires("assign_inspections")
def inspection_assign(request: HttpRequest, coupa_id: int) -> HttpResponse:
    inspection = _inspection_or_404(request, coupa_id)
    assignee_id = params.whole_number_or_none(request.POST.get("assignee", ""))
    if assignee_id is None:
        return _answer(request, inspection, "", _("Choose a colleague from the list."))
    try:
        outcome = services.assign([inspection.coupa_id], assignee_id, by=request.user)
    except services.AssignmentRefused as refused:
        return _answer(request, inspection, "", str(refused))
    said = _("Assigned.") if outcome.assigned else _("Already assigned to them.")
    mail_soon()  # the assignee's mail, if they take it at once
    return _answer(request, inspection, said)


@require_POST
@requires("assign_inspections")
def inspection_take(request: HttpRequest, coupa_id: int) -> HttpResponse:
    inspection = _inspection_or_404(request, coupa_id)
    try:
        outcome = services.take(inspection.coupa_id, by=request.user)
    except services.AssignmentRefused as refused:
        return _answer(request, inspection, "", str(refused))
    return _answer(
        request, inspection, _("It is yours.") if outcome.assigned else _("Already yours.")
    )


@require_POST
@requires("assign_inspections")
def inspection_unassign(request: HttpRequest, coupa_id: int) -> HttpResponse:
    inspection = _inspection_or_404(request, coupa_id)
    removed = services.unassign(inspection.coupa_id, by=request.user)
    return _answer(request, inspection, _("Unassigned.") if removed else _("It had no assignee."))


@require_POST
@requires("assign_inspections")
def bulk_assign(request: HttpRequest, scope: str) -> HttpResponse:
    """The list's selection (or every inspection matching its filters): first the colleague
    picker for exactly that set, then the assignment."""
    query = params.text(request.POST.get("query", ""), max_length=MAX_QUERY_LENGTH)
    # A user limited to some suppliers assigns only theirs, whatever ids the form names.
    visible = Inspection.objects.seen_by(request.access)
    if scope == "selected":
        plan = selection.plan_selected(request.POST.getlist("id"), visible)
    else:
        plan = selection.plan_filtered(query, visible, user_id=request.user.pk)
    back = reverse("inspection-list") + (f"?{query}" if query else "")
    problem = ""
    if plan.too_many:
        problem = _("A bulk assignment takes at most %(count)s inspections.") % {
            "count": selection.MAX_BULK
        }
    elif not plan.count:
        problem = _("No inspection was selected.") if scope == "selected" else _("None matches.")
    raw_assignee = request.POST.get("assignee", "")
    if not problem and raw_assignee:
        assignee_id = params.whole_number_or_none(raw_assignee)
        try:
            if assignee_id is None:
                raise services.AssignmentRefused(_("Choose a colleague from the list."))
            outcome = services.assign(plan.ids, assignee_id, by=request.user)
        except services.AssignmentRefused as refused:
            problem = str(refused)
        else:
            count = len(outcome.assigned)
            mail_soon()
            text = ngettext(
                "Assigned %(count)s inspection.", "Assigned %(count)s inspections.", count
            )
            messages.success(request, text % {"count": count})
            return redirect(back)
    colleagues = []
    if plan.count and not plan.too_many:
        suppliers = visible.filter(coupa_id__in=plan.ids).values_list("supplier_id", flat=True)
        colleagues = services.eligible_colleagues(set(suppliers))
    context = {
        "plan": plan,
        "scope": scope,
        "query": query,
        "back": back,
        "problem": problem,
        "colleagues": colleagues,
    }
    status = 400 if problem else 200
    return render(request, "assignment/bulk.html", context, status=status)
