"""Log lines that carry the request or task they belong to, as text or as JSON.

`LOG_FORMAT=json` gives one JSON object per line (`ts`, `level`, `logger`, `message`,
`request_id` / `task_id` when there is one, plus a line's own fields such as `status` or
`duration_ms`), for a log shipper; the default is one readable line.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied
from django.utils.encoding import escape_uri_path

request_id: ContextVar[str] = ContextVar("request_id", default="")
task_id: ContextVar[str] = ContextVar("task_id", default="")

# Fields a line may carry through `extra=` (kept when present, in this order).
EXTRA_FIELDS = (
    "method", "path", "status", "duration_ms", "user_id", "username", "permission", "task",
    "state", "retries",
)  # fmt: skip


class ContextFilter(logging.Filter):
    """Stamps every record with the current request and task ids."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
        return True


class PermissionDeniedLine(logging.Filter):
    """On `django.request`: a 403 for a missing right is an expected event, not an error, so
    Django's line with a traceback becomes one line naming the user, the path and the right."""

    def filter(self, record: logging.LogRecord) -> bool:
        denial = record.exc_info[1] if record.exc_info else None
        request = getattr(record, "request", None)
        if not isinstance(denial, PermissionDenied) or request is None:
            return True
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        record.username = user.get_username() if signed_in else "anonymous"
        record.user_id = user.pk if signed_in else None
        record.path = escape_uri_path(request.path)  # no line breaks from a crafted path
        record.permission = getattr(denial, "permission", "") or str(denial) or "unknown"
        record.msg = "Permission denied: %s lacks %s for %s %s"
        record.args = (record.username, record.permission, request.method, record.path)
        record.exc_info = record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "task_id"):
            if getattr(record, name, ""):
                line[name] = getattr(record, name)
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        ids = " ".join(
            f"{name}={getattr(record, name)}"
            for name in ("request_id", "task_id")
            if getattr(record, name, "")
        )
        return f"{text} [{ids}]" if ids else text
