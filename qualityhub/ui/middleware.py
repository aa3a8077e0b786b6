"""Show dates in the reader's own time zone, which the browser reports in a `tz` cookie."""

from __future__ import annotations

import contextlib
import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class BrowserTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        name = request.COOKIES.get("tz", "")
        # An unknown zone leaves the server's TIME_ZONE in force.
        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))
        try:
            return self.get_response(request)
        finally:
            # The thread goes on to other requests and tasks, which must not inherit the zone.
            timezone.deactivate()
