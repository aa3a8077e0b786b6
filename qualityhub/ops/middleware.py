from __future__ import annotations

import logging
import re
import time
import uuid

from qualityhub.ops.logging import request_id
from qualityhub.ops.views import healthz

logger = logging.getLogger("qualityhub.request")
# A caller's id is kept only when it looks like one (no log injection through the header).
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """One log line per request (method, path, status, duration, user) under a request id: the
    proxy's X-Request-ID when it sends a sane one, else a new one; echoed in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            self._log(request, response.status_code, started)
            return response
        except Exception:
            self._log(request, 500, started)
            raise
        finally:
            request_id.reset(token)

    def _log(self, request, status: int, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        # A load balancer's probe every few seconds would drown the log: only when it fails.
        level = logging.DEBUG if request.path == "/healthz" and status == 200 else logging.INFO
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        logger.log(
            level,
            "%s %s %s %.1fms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )


class HealthzMiddleware:
    """Answers /healthz before Django checks the Host header: a load balancer probes a node by
    its address, which is rarely in ALLOWED_HOSTS (and the probe needs no session or CSRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
