"""The name pickers' answers: `GET /names/suppliers/?q=north` → the suppliers (items, people,
units) whose name or number contains the text, as JSON for the picker (static/qualityhub/
pickers.js). A page renders only the chosen options; the picker asks here for the rest."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from qualityhub.accounts.access import requires
from qualityhub.directory import search
from qualityhub.directory.names import Name
from qualityhub.ui import params

MAX_QUERY_LENGTH = 100


def _text(request: HttpRequest) -> str:
    return params.text(request.GET.get("q", ""), max_length=MAX_QUERY_LENGTH)


def _answer(names: Iterable[Name]) -> JsonResponse:
    results = [{"value": n.coupa_id, "text": n.text, "detail": n.detail} for n in names]
    return JsonResponse({"results": results})


@require_GET
@requires("browse_inspections")
def supplier_names(request: HttpRequest) -> JsonResponse:
    return _answer(search.suppliers(_text(request), request.access))


@require_GET
@requires("browse_inspections")
def item_names(request: HttpRequest) -> JsonResponse:
    return _answer(search.items(_text(request), request.access))


@require_GET
@requires("browse_inspections")
def person_names(request: HttpRequest) -> JsonResponse:
    return _answer(search.people(_text(request)))


@require_GET
@requires("browse_inspections")
def unit_names(request: HttpRequest) -> JsonResponse:
    return _answer(search.units(_text(request)))
