"""Sync status: recent runs with their counts and errors, a button to sync now, and the names
from Coupa's Core API (how many, when refreshed, what could not be resolved and why)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from qualityhub.accounts.access import requires
from qualityhub.celery import enqueue
from qualityhub.coupa.client import SCOPE_SETUP
from qualityhub.directory.refresh import names_status
from qualityhub.sync.models import SyncRun
from qualityhub.sync.tasks import sync_incremental


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
        messages.info(request, "A sync was queued; this page shows it when it finishes.")
    else:
        messages.warning(
            request,
            "The sync could not be queued because the task queue is unreachable. The scheduled "
            "sync will run by itself as soon as the worker's queue is back.",
        )
    return redirect("sync-status")
