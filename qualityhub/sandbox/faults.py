"""Runtime configuration and fault injection: latency, errors, rate limiting, scripted failures."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import asdict, dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from .auth import KNOWN_SCOPES


@dataclass
class RuntimeConfig:
    latency_ms: int = 0
    error_rate: Decimal = Decimal(0)
    rate_limit: Decimal = Decimal(0)  # requests per second, 0 = off
    malformed_rate: Decimal = Decimal(0)
    token_ttl: int = 86399
    ignore_offset: bool = False
    ignore_filters: bool = False
    list_envelope: bool = False
    fail_next: list[list[int]] = field(default_factory=list)  # [status, retry_after or 0]
    hang_next_seconds: Decimal = Decimal(0)
    withheld_scopes: list[str] = field(default_factory=list)  # the token endpoint never grants

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["fail_next"] = [
            status if not wait else [status, wait] for status, wait in self.fail_next
        ]
        return data

    def copy(self) -> RuntimeConfig:
        return replace(
            self,
            fail_next=[list(entry) for entry in self.fail_next],
            withheld_scopes=list(self.withheld_scopes),
        )


def _non_negative_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or value < 0:
        raise ValueError("must be a non-negative integer")
    if value != int(value):
        raise ValueError("must be a non-negative integer")
    return int(value)


def _share(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or not 0 <= value <= 1:
        raise ValueError("must be a number between 0 and 1")
    return Decimal(value)


def _non_negative(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or value < 0:
        raise ValueError("must be a non-negative number")
    return Decimal(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _fail_next(value: Any) -> list[list[int]]:
    """`[503, 503]` or `[[429, 2], 500]`: statuses, optionally with a Retry-After value."""
    if not isinstance(value, list):
        raise ValueError("must be a list of status codes or [status, retry_after] pairs")
    entries = []
    for entry in value:
        status, wait = (entry, 0) if not isinstance(entry, list) else (*entry, 0)[:2]
        status, wait = _non_negative_int(status), _non_negative_int(wait)
        if not 400 <= status <= 599:
            raise ValueError("status codes must be between 400 and 599")
        entries.append([status, wait])
    return entries


def _scopes(value: Any) -> list[str]:
    """Known scope strings (a list; a space-separated string is read as one)."""
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("must be a list of scope strings")
    unknown = [scope for scope in value if scope not in KNOWN_SCOPES]
    if unknown:
        raise ValueError(f"unknown scope {' '.join(unknown)} (known: {' '.join(KNOWN_SCOPES)})")
    return list(dict.fromkeys(value))


SETTERS = {
    "latency_ms": _non_negative_int,
    "error_rate": _share,
    "rate_limit": _non_negative,
    "malformed_rate": _share,
    "token_ttl": _non_negative_int,
    "ignore_offset": _flag,
    "ignore_filters": _flag,
    "list_envelope": _flag,
    "fail_next": _fail_next,
    "hang_next_seconds": _non_negative,
    "withheld_scopes": _scopes,
}
assert set(SETTERS) == {f.name for f in fields(RuntimeConfig)}


def apply_patch(config: RuntimeConfig, patch: dict[str, Any]) -> dict[str, list[str]]:
    """Validate every key first; apply only when all are valid. Returns errors by key."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key, value in patch.items():
        setter = SETTERS.get(key)
        if setter is None:
            errors[key] = [f"unknown setting (known: {', '.join(SETTERS)})"]
            continue
        try:
            cleaned[key] = setter(value)
        except (ValueError, TypeError) as exc:
            errors[key] = [str(exc)]
    if not errors:
        for key, value in cleaned.items():
            setattr(config, key, value)
    return errors


class RateLimiter:
    """Token bucket: refills at `rate` per second, holds at most `rate` (the burst, at least 1)."""

    def __init__(self, rate: Decimal | float = 0) -> None:
        self._lock = threading.Lock()
        self.reset(rate)

    def reset(self, rate: Decimal | float) -> None:
        with self._lock:
            self.rate = float(rate)
            self.capacity = max(1.0, self.rate)
            self.tokens = self.capacity
            self.updated = time.monotonic()

    def take(self) -> int | None:
        """None when the request may go ahead, else the whole seconds to wait (at least 1)."""
        with self._lock:
            if self.rate <= 0:
                return None
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return None
            return max(1, math.ceil((1 - self.tokens) / self.rate))
