"""The sandbox application: request in, response out, independent of the HTTP transport.

Order of work for an API request: count it, rate-limit it, delay it, route it, apply scripted
faults, check the Bearer token, then run the operation. Quality Collaboration requests and Core
API reference requests (`core.py`) go the same way.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import date
from decimal import Decimal

from . import simulator
from .api import InspectionOps
from .attachments import AttachmentOps
from .auth import TokenStore, authorize, token_endpoint
from .cli import SandboxOptions
from .control import Control, Counters
from .core import FAMILY as CORE_FAMILY
from .core import CoreOps, CoreRoute, match_core
from .faults import RateLimiter, RuntimeConfig, apply_patch
from .malformed import is_malformed
from .responses import Request, Response, canned, error, json_response
from .routes import Match, match, normalise
from .seeding import generate
from .store import Store

TOKEN_PATH = "/oauth2/token"
CONTROL_PREFIX = "/_sandbox"


class Sandbox:
    def __init__(self, options: SandboxOptions, today: date | None = None) -> None:
        self.options = options
        self.today = today
        self.store = Store(options.db)
        self.regenerated = self._prepare(force=options.reset)
        self._lock = threading.Lock()
        self.config = self.startup_config()
        self.limiter = RateLimiter(self.config.rate_limit)
        self.tokens = TokenStore()
        self.counters = Counters()
        self._error_rng = random.Random(options.seed)
        self.inspections = InspectionOps(self.store, options.seed, lambda: self.config)
        self.attachments = AttachmentOps(self.store)
        self.core = CoreOps()
        self.control = Control(self)

    def _prepare(self, force: bool) -> bool:
        """Reuse a matching data set; otherwise generate one. True when generated."""
        seed, count = self.options.seed, self.options.inspections
        if not force and self.store.matches(seed, count):
            return False
        generated = generate(seed, count, self.today)
        self.store.replace_all(generated.docs, generated.sequences, seed, count)
        return True

    def close(self) -> None:
        self.store.close()

    # -- runtime configuration ---------------------------------------------------------------

    def startup_config(self) -> RuntimeConfig:
        o = self.options
        return RuntimeConfig(
            latency_ms=o.latency_ms,
            error_rate=o.error_rate,
            rate_limit=o.rate_limit,
            malformed_rate=o.malformed_rate,
            token_ttl=o.token_ttl,
        )

    def update_config(self, patch: dict) -> dict[str, list[str]]:
        with self._lock:
            candidate = self.config.copy()
            problems = apply_patch(candidate, patch)
            if not problems:
                if candidate.rate_limit != self.config.rate_limit:
                    self.limiter.reset(candidate.rate_limit)
                self.config = candidate
        return problems

    def reset_config(self) -> None:
        with self._lock:
            self.config = self.startup_config()
            self.limiter.reset(self.config.rate_limit)

    def reset_all(self) -> None:
        """Regenerate the data set and forget tokens, counters and runtime changes."""
        self._prepare(force=True)
        self.tokens.expire_all()
        self.counters.reset()
        self.reset_config()
        self.core.reset()
        with self._lock:
            self._error_rng = random.Random(self.options.seed)

    def advance(self, count: int) -> list[int]:
        return simulator.advance(self.store, self.options.seed, count)

    def malformed_ids(self) -> list[int]:
        rate, seed = self.config.malformed_rate, self.options.seed
        if rate <= 0:
            return []
        return [
            iid for iid, key in self.store.modified_keys() if is_malformed(seed, iid, key, rate)
        ]

    # -- request handling --------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        path = normalise(request.path)
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return self.control.handle(request, path)
        if path == TOKEN_PATH:
            self.counters.count("token", None)
            return self._throttle() or self._token(request)
        core = match_core(request.method, path)
        if core is not None:
            return self._core(request, core)
        found = match(request.method, path)
        if isinstance(found, Match):
            self.counters.count(found.route.operation, found.route.family)
        else:
            self.counters.count("unknown", None)
        refusal = self._throttle()
        if refusal is not None:
            return refusal
        if found is None:
            return error(404, f"No route matches {request.method} {path}")
        if isinstance(found, list):
            allowed = ", ".join(found)
            return error(405, f"{request.method} is not allowed here", headers={"Allow": allowed})
        return self._faults() or authorize(request, self.tokens) or self._run(request, found)

    def _core(self, request: Request, found: CoreRoute | list[str]) -> Response:
        """A Core API request: counted, limited, delayed and failed exactly like a QC one."""
        if isinstance(found, CoreRoute):
            self.counters.count(found.operation, CORE_FAMILY)
        else:
            self.counters.count("unknown", None)
        refusal = self._throttle()
        if refusal is not None:
            return refusal
        if isinstance(found, list):
            allowed = ", ".join(found)
            return error(405, f"{request.method} is not allowed here", headers={"Allow": allowed})
        return (
            self._faults()
            or authorize(request, self.tokens, found.scope)
            or self.core.run(request, found)
        )

    def _throttle(self) -> Response | None:
        wait = self.limiter.take()
        if wait is not None:
            message = f"Rate limit exceeded; retry after {wait} s"
            return error(429, message, headers={"Retry-After": str(wait)})
        if self.config.latency_ms:
            time.sleep(self.config.latency_ms / 1000)
        return None

    def _token(self, request: Request) -> Response:
        if request.method != "POST":
            return error(405, f"{request.method} is not allowed here", headers={"Allow": "POST"})
        o = self.options
        withheld = frozenset(self.config.withheld_scopes)
        return token_endpoint(
            request, self.tokens, o.client_id, o.client_secret, self.config.token_ttl, withheld
        )

    def _faults(self) -> Response | None:
        """Scripted failures first, then a pending hang, then the random error rate."""
        with self._lock:
            config = self.config
            scripted = config.fail_next.pop(0) if config.fail_next else None
            hang = float(config.hang_next_seconds)
            config.hang_next_seconds = Decimal(0)
            failing = config.error_rate > 0 and self._error_rng.random() < config.error_rate
        if scripted is not None:
            return canned(*scripted)
        if hang > 0:
            time.sleep(hang)
        if failing:
            return error(503, "Service temporarily unavailable")
        return None

    def _run(self, request: Request, found: Match) -> Response:
        p, family = found.params, found.route.family
        iid, cid, aid = p.get("id", 0), p.get("cid"), p.get("aid", 0)
        operation = found.route.operation.replace("characteristic_", "")
        ins, att = self.inspections, self.attachments
        handlers = {
            "list": lambda: ins.list(request),
            "get": lambda: ins.get(iid),
            "create": lambda: ins.create(request),
            "exported": lambda: ins.set_exported(iid, True),
            "reset_exported": lambda: ins.set_exported(iid, False),
            "list_attachments": lambda: att.listing(family, iid, cid),
            "upload_attachment": lambda: att.upload(request, family, iid, cid),
            "get_attachment": lambda: att.get(family, iid, cid, aid),
            "delete_attachment": lambda: att.delete(iid, cid, aid),
            "download_attachment": lambda: att.download(iid, cid, aid),
        }
        return handlers[operation]()

    def health(self) -> Response:
        return json_response(200, {"ok": True, "inspections": self.store.count()})
