from __future__ import annotations

from django.http import HttpRequest

from qualityhub.sync.freshness import freshness


def sync_freshness(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"sync_freshness": freshness()}
