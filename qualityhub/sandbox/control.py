"""Control endpoints under `/_sandbox/` (no auth): health, runtime config, simulator, counters."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .responses import Request, Response, error, errors, json_response, no_content
from .wire import loads

if TYPE_CHECKING:
    from .app import Sandbox

Handler = Callable[[Request, re.Match[str]], Response]


class Control:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.routes: tuple[tuple[str, re.Pattern[str], Handler], ...] = tuple(
            (method, re.compile(pattern + r"\Z"), handler)
            for method, pattern, handler in (
                ("GET", "/_sandbox/health", self.health),
                ("GET", "/_sandbox/config", self.get_config),
                ("POST", "/_sandbox/config", self.set_config),
                ("POST", "/_sandbox/config/reset", self.reset_config),
                ("POST", "/_sandbox/advance", self.advance),
                ("POST", "/_sandbox/expire-tokens", self.expire_tokens),
                ("GET", "/_sandbox/malformed", self.malformed),
                ("GET", "/_sandbox/requests", self.requests),
                ("POST", "/_sandbox/requests/reset", self.reset_requests),
                ("DELETE", "/_sandbox/inspections/(?P<id>[0-9]+)", self.delete_inspection),
                ("POST", "/_sandbox/inspections/(?P<id>[0-9]+)/touch", self.touch),
                ("POST", "/_sandbox/reset", self.reset),
            )
        )

    def handle(self, request: Request, path: str) -> Response:
        allowed = []
        for method, pattern, handler in self.routes:
            found = pattern.match(path)
            if found is None:
                continue
            if method == request.method:
                return handler(request, found)
            allowed.append(method)
        if allowed:
            message = f"{request.method} is not allowed here"
            return error(405, message, headers={"Allow": ", ".join(allowed)})
        return error(404, f"No route matches {request.method} {path}")

    def health(self, request: Request, found: re.Match[str]) -> Response:
        return self.sandbox.health()

    def get_config(self, request: Request, found: re.Match[str]) -> Response:
        return json_response(200, self.sandbox.config.as_json())

    def set_config(self, request: Request, found: re.Match[str]) -> Response:
        body = _object_body(request)
        if isinstance(body, Response):
            return body
        problems = self.sandbox.update_config(body)
        if problems:
            return errors(400, problems)
        return json_response(200, self.sandbox.config.as_json())

    def reset_config(self, request: Request, found: re.Match[str]) -> Response:
        self.sandbox.reset_config()
        return json_response(200, self.sandbox.config.as_json())

    def advance(self, request: Request, found: re.Match[str]) -> Response:
        body = _object_body(request)
        if isinstance(body, Response):
            return body
        count = body.get("count", self.sandbox.options.advance_count)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            return errors(400, {"count": ["must be a non-negative integer"]})
        return json_response(200, {"advanced": self.sandbox.advance(count)})

    def expire_tokens(self, request: Request, found: re.Match[str]) -> Response:
        return json_response(200, {"expired": self.sandbox.tokens.expire_all()})

    def malformed(self, request: Request, found: re.Match[str]) -> Response:
        return json_response(200, {"ids": self.sandbox.malformed_ids()})

    def requests(self, request: Request, found: re.Match[str]) -> Response:
        return json_response(200, self.sandbox.counters.snapshot())

    def reset_requests(self, request: Request, found: re.Match[str]) -> Response:
        self.sandbox.counters.reset()
        return json_response(200, self.sandbox.counters.snapshot())

    def delete_inspection(self, request: Request, found: re.Match[str]) -> Response:
        inspection_id = int(found["id"])
        if not self.sandbox.store.delete_inspection(inspection_id):
            return error(404, f"Quality inspection {inspection_id} not found")
        return no_content()

    def touch(self, request: Request, found: re.Match[str]) -> Response:
        inspection_id = int(found["id"])
        doc = self.sandbox.store.touch(inspection_id)
        if doc is None:
            return error(404, f"Quality inspection {inspection_id} not found")
        return json_response(200, {"id": inspection_id, "modifiedAt": doc["modifiedAt"]})

    def reset(self, request: Request, found: re.Match[str]) -> Response:
        self.sandbox.reset_all()
        return self.sandbox.health()


def _object_body(request: Request) -> dict | Response:
    """The JSON object sent, `{}` for an empty body, or a 400."""
    if not request.body.strip():
        return {}
    try:
        body = loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return error(400, "Request body is not valid JSON")
    if not isinstance(body, dict):
        return error(400, "Request body must be a JSON object")
    return body
