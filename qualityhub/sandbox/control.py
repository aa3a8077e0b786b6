"""Control endpoints under `/_sandbox/` (no auth): health, runtime config, simulator, counters."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from typing import Protocol

from .auth import TokenStore
from .cli import SandboxOptions
from .core import CoreOps
from .faults import RuntimeConfig
from .responses import Request, Response, error, errors, json_response, no_content
from .store import Store
from .wire import loads

Handler = Callable[[Request, re.Match[str]], Response]


class Counters:
    """What the sandbox was asked, by operation and by family (`/_sandbox/requests`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_operation: Counter[str] = Counter()
        self.by_family: Counter[str] = Counter()

    def count(self, operation: str, family: str | None) -> None:
        with self._lock:
            self.by_operation[operation] += 1
            if family:
                self.by_family[family] += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "total": sum(self.by_operation.values()),
                "by_operation": dict(sorted(self.by_operation.items())),
                "by_family": dict(sorted(self.by_family.items())),
            }

    def reset(self) -> None:
        with self._lock:
            self.by_operation.clear()
            self.by_family.clear()


class Controlled(Protocol):
    """What the control endpoints act on: the `Sandbox` of app.py (which builds its `Control`,
    so this module names what it needs instead of importing it)."""

    options: SandboxOptions
    config: RuntimeConfig
    store: Store
    tokens: TokenStore
    counters: Counters
    core: CoreOps

    def health(self) -> Response: ...
    def update_config(self, patch: dict) -> dict[str, list[str]]: ...
    def reset_config(self) -> None: ...
    def reset_all(self) -> None: ...
    def advance(self, count: int) -> list[int]: ...
    def malformed_ids(self) -> list[int]: ...


class Control:
    def __init__(self, sandbox: Controlled) -> None:
        self.sandbox = sandbox
        self.routes: tuple[tuple[str, re.Pattern[str], Handler], ...] = tuple(
            (method, re.compile(pattern + r"\Z"), handler)
            for method, pattern, handler in (
                ("GET", "/_sandbox/health", self.health),
                ("GET", "/_sandbox/config", self.get_config),
                ("POST", "/_sandbox/config", self.set_config),
                ("PATCH", "/_sandbox/config", self.set_config),
                ("POST", "/_sandbox/config/reset", self.reset_config),
                ("POST", "/_sandbox/advance", self.advance),
                ("POST", "/_sandbox/expire-tokens", self.expire_tokens),
                ("GET", "/_sandbox/malformed", self.malformed),
                ("GET", "/_sandbox/requests", self.requests),
                ("POST", "/_sandbox/requests/reset", self.reset_requests),
                ("DELETE", "/_sandbox/inspections/(?P<id>[0-9]+)", self.delete_inspection),
                ("POST", "/_sandbox/inspections/(?P<id>[0-9]+)/touch", self.touch),
                ("POST", "/_sandbox/reset", self.reset),
                (
                    "PATCH",
                    "/_sandbox/reference/(?P<kind>[a-z]+)/(?P<id>[0-9]{1,18})",
                    self.change_reference,
                ),
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

    def change_reference(self, request: Request, found: re.Match[str]) -> Response:
        """Change a Core reference record (`updated-at` becomes now) until the next reset."""
        kind, record_id = found["kind"], int(found["id"])
        core = self.sandbox.core
        if kind not in core.data:
            return error(404, f"Unknown reference kind {kind!r} (known: {', '.join(core.data)})")
        if record_id not in core.data[kind]:
            return error(404, f"No {kind} record {record_id}")
        body = _object_body(request)
        if isinstance(body, Response):
            return body
        problems = core.check_change(kind, body)
        if problems:
            return errors(400, problems)
        record = core.change(kind, record_id, body)
        if record is None:
            return error(404, f"No {kind} record {record_id}")
        return json_response(200, record)

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
