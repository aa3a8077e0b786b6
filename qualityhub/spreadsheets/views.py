"""The downloads of the inspection list and of the results list: the rows the list's filters
match that the reader may see (not just the page on screen), as CSV or .xlsx, streamed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from qualityhub.accounts.access import requires
from qualityhub.inspections.models import Characteristic, Inspection
from qualityhub.inspections.views.results import ResultFilters
from qualityhub.spreadsheets import xlsx
from qualityhub.spreadsheets.columns import (
    INSPECTION_COLUMNS,
    RESULT_COLUMNS,
    Column,
    fields,
)
from qualityhub.spreadsheets.text import csv_lines
from qualityhub.ui.filters import InspectionFilters

CHUNK_ROWS = 2000


def _inspections(request: HttpRequest) -> QuerySet:
    filters = InspectionFilters.from_query(request.GET, user_id=request.user.pk)
    qs = filters.apply(Inspection.objects.all()).seen_by(request.access)
    return qs.order_by("-coupa_id").values(*fields(INSPECTION_COLUMNS))


def _results(request: HttpRequest) -> QuerySet:
    filters = ResultFilters.from_query(request.GET)
    qs = filters.apply(Characteristic.objects.all()).seen_by(request.access)
    return qs.order_by("-coupa_id").values(*fields(RESULT_COLUMNS))


def _rows(qs: QuerySet) -> Iterator[dict]:
    # A server-side cursor read a chunk at a time: memory stays flat however many rows.
    return qs.iterator(chunk_size=CHUNK_ROWS)


def _download(content: Iterable, kind: str, content_type: str, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type=content_type)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{kind}"'
    return response


def _csv(columns: tuple[Column, ...], qs: QuerySet, name: str) -> StreamingHttpResponse:
    return _download(csv_lines(columns, _rows(qs)), "csv", "text/csv", name)


def _xlsx(
    columns: tuple[Column, ...], qs: QuerySet, name: str, title: str
) -> StreamingHttpResponse:
    # One row more than the sheet holds tells the workbook that the list goes on.
    rows = _rows(qs[: xlsx.SHEET_ROWS])
    content = xlsx.workbook(
        columns,
        rows,
        title=title,
        zone=timezone.get_current_timezone(),
        language=translation.get_language(),
    )
    return _download(content, "xlsx", xlsx.XLSX_TYPE, name)


@require_GET
@requires("browse_inspections")
def inspection_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _csv(INSPECTION_COLUMNS, _inspections(request), "inspections")


@require_GET
@requires("browse_inspections")
def inspection_xlsx(request: HttpRequest) -> StreamingHttpResponse:
    return _xlsx(INSPECTION_COLUMNS, _inspections(request), "inspections", _("Inspections"))


@require_GET
@requires("browse_inspections")
def result_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _csv(RESULT_COLUMNS, _results(request), "results")


@require_GET
@requires("browse_inspections")
def result_xlsx(request: HttpRequest) -> StreamingHttpResponse:
    return _xlsx(RESULT_COLUMNS, _results(request), "results", _("Results"))
