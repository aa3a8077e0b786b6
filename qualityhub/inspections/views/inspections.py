"""The inspection list (filters, work queues) and the inspection detail page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires, visible_or_404
from qualityhub.assignment.queries import assignees_of, assignment_of
from qualityhub.attachments.models import Attachment
from qualityhub.celery import enqueue
from qualityhub.directory.names import (
    Name,
    item_names,
    page_names,
    supplier_names,
)
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.inspections.presenters import characteristic_row, limits_by_line
from qualityhub.preferences.columns import columns_for
from qualityhub.sync.models import SyncRun
from qualityhub.sync.tasks import refresh_inspection
from qualityhub.ui import params
from qualityhub.ui.addresses import address_for_each
from qualityhub.ui.filters import (
    DECISION_CHOICES,
    PRESETS,
    STATUS_CHOICES,
    InspectionFilters,
    active_preset,
    list_heading,
)
from qualityhub.ui.jinja import fragment
from qualityhub.ui.paging import Sort, paginate
from qualityhub.verdicts.choices import InspectionVerdict

SORTS = {
    "id": "coupa_id",
    "external_id": "external_inspection_id",
    "status": "status",
    "decision": "review_decision",
    "verdict": "verdict",
    "supplier": "supplier_name",
    "item": "item_name",
    "part": "buyer_part_number",
    "po": "ref_document_id",
    "quantity": "item_quantity",
    "sample": "sample_size",
    "due_date": "due_date",
    "modified": "modified_at",
    "exported": "exported",
}
LIST_COLUMNS = (
    "coupa_id", "external_inspection_id", "status", "review_decision", "verdict", "supplier_id",
    "supplier_name", "item_id", "item_name", "supplier_part_number", "buyer_part_number",
    "ref_document_id", "ref_document_item", "item_quantity", "sample_size", "due_date",
    "modified_at", "exported", "failing_count", "marginal_count", "gone_at",
)  # fmt: skip
# What the detail page shows of a line (the presenter's inputs and the table's cells).
DETAIL_LINE_COLUMNS = (
    "coupa_id", "inspection_id", "line_num", "name", "type", "specification", "value_type",
    "target", "precision", "recorded_numeric", "recorded_code", "verdict", "verdict_reason",
    "recorded_text", "expected_text", "rounding_changed_verdict",
)  # fmt: skip
REFRESH_TIMEOUT_SECONDS = 60


@require_GET
@requires("browse_inspections")
def inspection_list(request: HttpRequest) -> HttpResponse:
    filters = InspectionFilters.from_query(request.GET, user_id=request.user.pk)
    sort = Sort.parse(request.GET.get("sort", "-modified"), SORTS, "-modified")
    qs = filters.apply(Inspection.objects.all()).seen_by(request.access)
    searched_suppliers = filters.part_with_an_index(Inspection.objects.all())
    # Named tuples (with `pk`, as a model has), not model instances: building 50 models was a
    # tenth of the page.
    rows = qs.values_list("pk", *LIST_COLUMNS, named=True)
    size = _page_size(request)
    page = paginate(
        rows,
        sort,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=size,
        pk="coupa_id",
        count_within=(
            None if searched_suppliers is None else searched_suppliers.seen_by(request.access)
        ),
    )
    query_without_sort = _query_without(request, "after", "before", "sort")
    queue = active_preset(request.GET)
    columns = columns_for(request.user, "inspections", request.session)
    # The page's suppliers and those chosen in the filter: one query.
    suppliers = supplier_names([*filters.suppliers, *(row.supplier_id for row in page.rows)])
    # The page's assignees: one query, whatever the page's size.
    assignees = (
        assignees_of(row.coupa_id for row in page.rows) if "assignee" in columns.shown else {}
    )
    context = {
        "page": page,
        "table": fragment(
            "inspections/list_table.html",
            {
                "rows": page.rows,
                "suppliers": suppliers,
                "assignees": assignees,
                "sort": sort,
                "query_without_sort": query_without_sort,
                # Every reader may tick rows: at least for a PDF of them.
                "can_select": True,
                "now": timezone.now(),
                "detail_url": address_for_each("inspection-detail"),
                "columns": columns,
            },
        ),
        "columns": columns,
        "filters": filters,
        "chosen_suppliers": [suppliers[i] for i in filters.suppliers],
        "chosen_items": _chosen_items(filters.items),
        "sort": sort,
        "presets": PRESETS,
        "queue": queue,
        "heading": list_heading(queue, request.access),
        # The order and page size chosen, kept by the filter form as it changes the filters.
        "kept_settings": [
            (name, value)
            for name, value in (("sort", sort.key), ("size", size))
            if request.GET.get(name)
        ],
        "statuses": STATUS_CHOICES,
        "decisions": DECISION_CHOICES,
        "verdicts": InspectionVerdict.choices,  # (value, label in the reader's language)
        "query_without_paging": _query_without(request, "after", "before"),
        "query_without_sort": query_without_sort,
    }
    template = "inspections/list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


PAGE_SIZES = (25, 50, 100, 200)


def _chosen_items(ids: list[int]) -> list[Name]:
    """The items chosen in the filter with their names, in the order chosen (no query for none)."""
    if not ids:
        return []
    names = item_names(ids)
    return [names[i] for i in ids]


def _page_size(request: HttpRequest) -> int:
    size = params.whole_number_or_none(request.GET.get("size", ""))
    return size if size in PAGE_SIZES else 50


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _detail_context(request: HttpRequest, inspection: Inspection) -> dict:
    lines = list(Characteristic.objects.filter(inspection=inspection).only(*DETAIL_LINE_COLUMNS))
    limits = limits_by_line([inspection.coupa_id])
    attachments = list(Attachment.objects.filter(inspection=inspection))
    history = list(
        Inspection.objects.filter(supplier_id=inspection.supplier_id, item_id=inspection.item_id)
        .exclude(coupa_id=inspection.coupa_id)
        .order_by("-coupa_id")
        .only("coupa_id", "status", "review_decision", "verdict", "due_date", "modified_at")[:10]
    )
    by_line: dict[int | None, list[Attachment]] = {}
    for attachment in attachments:
        by_line.setdefault(attachment.characteristic_id, []).append(attachment)
    rows = [characteristic_row(line, limits.get(line.coupa_id, [])) for line in lines]
    line_url = {
        key: address_for_each(name, inspection.coupa_id)
        for key, name in (
            ("list", "attachment-list-line"),
            ("upload", "attachment-upload-line"),
            ("choices", "characteristic-choices"),
        )
    }
    for row in rows:
        row.attachments.extend(by_line.get(row.line.coupa_id, []))
        row.urls.update((key, url(row.line.coupa_id)) for key, url in line_url.items())
    trends_url = reverse("trends")
    names = page_names(
        suppliers=[inspection.supplier_id],
        people=[inspection.requested_by, inspection.created_by, inspection.modified_by],
        units=[inspection.uom],
    )
    return {
        "inspection": inspection,
        "assignment": assignment_of(inspection),
        "supplier": names.suppliers[inspection.supplier_id],
        "unit": names.units.get(inspection.uom),
        "requester": names.people.get(inspection.requested_by),
        "creator": names.people.get(inspection.created_by),
        "editor": names.people.get(inspection.modified_by),
        "rows": rows,
        "lines_table": fragment(
            "inspections/detail_lines.html",
            {
                "inspection": inspection,
                "rows": rows,
                "trends_url": trends_url,
            },
            request,
        ),
        "attachments_panel": fragment(
            "attachments/inspection_panel.html",
            {"inspection": inspection, "attachments": by_line.get(None, [])},
            request,
        ),
        "header_attachments": by_line.get(None, []),
        "history": history,
        "history_table": fragment(
            "inspections/detail_history.html",
            {"history": history, "detail_url": address_for_each("inspection-detail")},
        ),
        "rounding_warnings": [row for row in rows if row.line.rounding_changed_verdict],
        "now": timezone.now(),
        "trends_url": trends_url,
    }


@require_GET
@requires("browse_inspections")
def inspection_detail(request: HttpRequest, coupa_id: int) -> HttpResponse:
    # The assignee comes with the inspection (a join): no query of its own.
    rows = Inspection.objects.select_related("assignment__assignee", "assignment__assigned_by")
    inspection = visible_or_404(request, rows, coupa_id=coupa_id)
    return render(request, "inspections/detail.html", _detail_context(request, inspection))


@require_POST
@requires("refresh_inspections")
def inspection_refresh(request: HttpRequest, coupa_id: int) -> HttpResponse:
    """Queue a refresh from Coupa; the answer polls until the worker has done it, or says at
    once that the refresh could not be queued (the broker is out of reach: nothing to wait for)."""
    inspection = visible_or_404(request, Inspection.objects, coupa_id=coupa_id)
    requested_at = timezone.now()
    if not enqueue(refresh_inspection, inspection.coupa_id):
        return render(
            request, "inspections/detail.html#refresh-not-queued", {"inspection": inspection}
        )
    return render(
        request,
        "inspections/detail.html#refresh-pending",
        {"inspection": inspection, "requested_at": requested_at.isoformat()},
    )


@require_GET
@requires("refresh_inspections")
def inspection_refresh_status(request: HttpRequest, coupa_id: int) -> HttpResponse:
    inspection = visible_or_404(request, Inspection.objects, coupa_id=coupa_id)
    try:
        requested_at = params.moment(request.GET.get("since", ""))
    except params.BadParameter:
        requested_at = timezone.now()
    run = (
        SyncRun.objects.filter(
            mode=SyncRun.Mode.ONE, target_id=coupa_id, started_at__gte=requested_at
        )
        .exclude(outcome=SyncRun.Outcome.RUNNING)
        .first()
    )
    context = {"inspection": inspection, "requested_at": requested_at.isoformat()}
    if run is None:
        waited = (timezone.now() - requested_at).total_seconds()
        context["slow"] = waited > REFRESH_TIMEOUT_SECONDS
        return render(request, "inspections/detail.html#refresh-pending", context)
    if not run.succeeded:
        context["refresh_error"] = _why_not_refreshed(run)
        return render(request, "inspections/detail.html#refresh-failed", context)
    context = _detail_context(request, inspection) | {
        "refresh_said": run.message or _("Refreshed.")
    }
    response = render(request, "inspections/detail.html#main", context)
    response["HX-Retarget"] = "#inspection-main"
    response["HX-Reswap"] = "outerHTML"
    return response


def _why_not_refreshed(run: SyncRun) -> str:
    if run.outcome == SyncRun.Outcome.REFUSED:
        return _("another sync was running; try again in a moment.")
    # The run's message is the error as the client put it: made a sentence before "Showing…".
    return f"{(run.message or _('the refresh did not finish')).rstrip('. ')}."


@require_GET
@requires("browse_inspections")
def characteristic_choices(request: HttpRequest, coupa_id: int, line_id: int) -> HttpResponse:
    line = visible_or_404(request, Characteristic.objects, inspection_id=coupa_id, coupa_id=line_id)
    return render(
        request,
        "inspections/detail.html#choices",
        {"line": line, "choices": list(line.choices.all())},
    )
