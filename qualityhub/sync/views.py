"""Sync status: recent runs with their counts and errors, a button to sync now, and the names
from Coupa's Core API (how many, when refreshed, what could not be resolved and why); and
`/live/`, which open pages ask whether the cache changed."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires
from qualityhub.celery import enqueue
from qualityhub.coupa.client import SCOPE_SETUP
from qualityhub.directory.refresh import names_status
from qualityhub.inspections.models import Inspection
from qualityhub.sync import live
from qualityhub.sync.freshness import freshness
from qualityhub.sync.models import SyncRun
from qualityhub.sync.tasks import sync_incremental
from qualityhub.sync.templatetags.live import cue_key, runs_key
from qualityhub.ui import params
from qualityhub.ui.filters import InspectionFilters


@require_GET
@requires("browse_inspections")
def sync_status(request: HttpRequest) -> HttpResponse:
    runs = list(SyncRun.objects.order_by("-started_at")[:30])
    context = {"runs": runs, "names": names_status(), "scope_setup": SCOPE_SETUP}
    return render(request, "sync/status.html", context)


@require_POST
@requires("control_sync")
def sync_now(request: HttpRequest) -> HttpResponse:
    if enqueue(sync_incremental):
        messages.info(request, _("A sync was queued; this page shows it when it finishes."))
    else:
        messages.warning(
            request,
            _(
                "The sync could not be queued because the task queue is unreachable. The "
                "scheduled sync will run by itself as soon as the worker's queue is back."
            ),
        )
    return redirect("sync-status")


# --- /live/: what an open page asks every LIVE_POLL_SECONDS ------------------------------------

LIVE_VIEWS = ("list", "detail", "overview")
MAX_FILTERS_LENGTH = 2000  # a list's query string, as the page sends it back
PAGING = ("after", "before")


@require_GET
def live_updates(request: HttpRequest) -> HttpResponse:
    """204 ("nothing new") while the freshness cue would say the same, from the cached freshness
    alone; otherwise the cue again, with what the page asked about (`sync/live.py`): each an
    indexed query, asked once per finished sync (the overview: once per change of the cue)."""
    fresh = freshness()
    seen = request.GET.get("cue", "")[:40]
    if seen == cue_key(fresh):
        return HttpResponse(status=204)
    cache_changed = seen.partition(".")[0] != runs_key(fresh)
    ask = {"list": _list_changes, "detail": _detail_changes, "overview": _overview_changes}
    about = ask.get(request.GET.get("view", ""))
    context = about(request, cache_changed) if about else {}
    return render(request, "sync/live.html", context)


def _list_changes(request: HttpRequest, cache_changed: bool) -> dict:
    since = _marker(request, "since")
    if not cache_changed or since is None or not request.access.allows("browse_inspections"):
        return {}
    query = QueryDict(request.GET.get("filters", "")[:MAX_FILTERS_LENGTH], mutable=True)
    for name in PAGING:
        query.pop(name, None)
    rows = InspectionFilters.from_query(query, user_id=request.user.pk).apply(
        Inspection.objects.all()
    )
    changed = live.changed_since(rows.seen_by(request.access), since)
    if not changed.count:
        return {}
    return {"changed": changed, "cap": live.CAP, "filters": query.urlencode()}


def _detail_changes(request: HttpRequest, cache_changed: bool) -> dict:
    coupa_id = params.whole_number_or_none(request.GET.get("inspection", ""))
    if not cache_changed or coupa_id is None or not request.access.allows("browse_inspections"):
        return {}
    # Not among the reader's (another supplier's, or no such id): nothing to say either way.
    now = live.current_version(Inspection.objects.seen_by(request.access), coupa_id)
    if now is None or now == request.GET.get("version", "")[:80]:
        return {}
    return {"inspection_changed": coupa_id, "gone": now.endswith("-gone")}


def _overview_changes(request: HttpRequest, cache_changed: bool) -> dict:
    figures = _marker(request, "figures")
    if figures is None or not request.access.allows("view_insight"):
        return {}
    outdated = live.figures_outdated(
        figures, timezone.now(), request.access.supplier_ids, cache_changed
    )
    return {"reload": outdated}


def _marker(request: HttpRequest, name: str) -> datetime | None:
    micros = params.whole_number_or_none(request.GET.get(name, "")[:20], maximum=live.MAX_MARKER)
    return None if micros is None else live.from_marker(micros)
