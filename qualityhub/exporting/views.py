"""Mark exported / reset exported: on the detail page, in bulk from the list, and the results."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.exporting import queries, selection, services, tasks
from qualityhub.exporting.models import Action, ExportBatch, ExportItem
from qualityhub.inspections.models import Inspection
from qualityhub.ui import params

CONTROLS = "exporting/_controls.html#controls"
LISTED_ITEMS = 500  # per outcome on a batch page; the counts above them are exact
MAX_QUERY_LENGTH = 4000  # a filtered bulk action's querystring, as the list's form builds it


def _flag_or_404(request: HttpRequest, coupa_id: int) -> Inspection:
    return visible_or_404(
        request, Inspection.objects.only("coupa_id", "exported"), coupa_id=coupa_id
    )


def _render_controls(
    request: HttpRequest, inspection: Inspection, item: ExportItem | None
) -> HttpResponse:
    """The flag and its button; "sending…" while the latest request is pending, or why it failed."""
    problem = ""
    sending = item is not None and item.is_pending
    if sending and queries.is_stale(item):
        sending = False
        problem = _("It has waited over 15 minutes for the worker. Send it again.")
    elif item is not None and item.outcome == ExportItem.Outcome.FAILED:
        # Shown until the flag is what was asked for (a later sync may have set it since).
        problem = item.reason if inspection.exported != item.batch.marks else ""
    context = {"inspection": inspection, "item": item, "sending": sending, "problem": problem}
    return render(request, CONTROLS, context | {"live": True})


@require_GET
@requires("browse_inspections")
def inspection_exported(request: HttpRequest, coupa_id: int) -> HttpResponse:
    """The detail page's flag and button as they stand; polled while a request is pending."""
    inspection = _flag_or_404(request, coupa_id)
    item = queries.latest_item(coupa_id)
    response = _render_controls(request, inspection, item)
    waited_for = request.GET.get("item", "")
    if waited_for and not (item and str(item.pk) == waited_for and item.is_pending):
        response["HX-Trigger"] = "timeline-changed"  # the write settled: its event did too
    return response


@require_POST
@requires("mark_exported")
def inspection_set_exported(request: HttpRequest, coupa_id: int, action: str) -> HttpResponse:
    inspection = _flag_or_404(request, coupa_id)
    item = queries.latest_item(coupa_id)
    # A second click while the first is still on its way adds nothing.
    on_its_way = item and item.is_pending and not queries.is_stale(item)
    if not (on_its_way and item.batch.action == action):
        batch = services.start_batch(action, ExportBatch.Scope.ONE, [coupa_id], user=request.user)
        tasks.queue_batch(batch)
        item = batch.items.get()
    if not request.htmx:
        messages.info(
            request,
            _("%(action)s: sent to Coupa; the timeline shows when done.")
            % {"action": Action(action).label},
        )
        return redirect("inspection-detail", coupa_id=coupa_id)
    response = _render_controls(request, inspection, item)
    response["HX-Trigger"] = "timeline-changed"
    return response


@require_POST
@requires("mark_exported")
def bulk_request(request: HttpRequest, scope: str) -> HttpResponse:
    """Start a bulk action once confirmed for the exact set; else show that set to confirm."""
    action = request.POST.get("action", "")
    if action not in Action.values:
        return HttpResponse(_("Choose Mark exported or Reset exported."), status=400)
    query = params.text(request.POST.get("query", ""), max_length=MAX_QUERY_LENGTH)
    # A user limited to some suppliers flags only theirs, whatever ids the form names.
    visible = Inspection.objects.seen_by(request.access)
    if scope == ExportBatch.Scope.SELECTED:
        ticked = request.POST.getlist("id")
        plan = selection.plan_selected(ticked, visible)
        expected = str(len(set(ticked)))
    else:
        plan = selection.plan_filtered(query, visible, user_id=request.user.pk)
        expected = request.POST.get("expected", "")
    confirmed = request.POST.get("confirmed") == "1" and expected == str(plan.count)
    if confirmed and plan.count and not plan.too_many:
        batch = services.start_batch(action, scope, plan.ids, user=request.user, query=query)
        tasks.queue_batch(batch)
        return redirect("exporting-batch", batch_id=batch.pk)
    context = {
        "action": Action(action),
        "scope": scope,
        "plan": plan,
        "query": query,
        "max_bulk": services.MAX_BULK,
    }
    status = 400 if plan.too_many or not plan.count else 200
    return render(request, "exporting/confirm.html", context, status=status)


@require_GET
@requires("mark_exported")
def batch_list(request: HttpRequest) -> HttpResponse:
    seen = queries.batches_seen_by(request.access)
    batches = list(seen.select_related("created_by")[:30])
    return render(request, "exporting/batches.html", {"batches": batches})


@require_GET
@requires("mark_exported")
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batches = ExportBatch.objects.select_related("created_by")
    batch = visible_or_404(request, batches, pk=batch_id)
    progress = queries.progress_of(batch)
    items = batch.items.order_by("outcome", "inspection_id")
    context = {
        "batch": batch,
        "progress": progress,
        "failed": list(items.filter(outcome=ExportItem.Outcome.FAILED)[:LISTED_ITEMS]),
        "pending": list(items.filter(outcome=ExportItem.Outcome.PENDING)[:LISTED_ITEMS]),
        "settled": list(
            items.exclude(outcome__in=["failed", "pending"]).order_by("inspection_id")[
                :LISTED_ITEMS
            ]
        ),
        "listed": LISTED_ITEMS,
    }
    template = "exporting/batch.html"
    if request.htmx and request.htmx.target == "batch-progress":
        template += "#progress"
    return render(request, template, context)


@require_POST
@requires("mark_exported")
def batch_retry(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = visible_or_404(request, ExportBatch.objects, pk=batch_id)
    retry = services.retry_batch(batch, user=request.user)
    if retry is None:
        messages.info(request, _("Nothing in this batch needs sending again."))
        return redirect("exporting-batch", batch_id=batch.pk)
    tasks.queue_batch(retry)
    return redirect("exporting-batch", batch_id=retry.pk)
