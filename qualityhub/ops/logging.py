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

request_id: ContextVar[str] = ContextVar("request_id", default="")
task_id: ContextVar[str] = ContextVar("task_id", default="")

# Fields a line may carry through `extra=` (kept when present, in this order).
EXTRA_FIELDS = (
    "method", "path", "status", "duration_ms", "user_id", "task", "state", "retries",
)  # fmt: skip


class ContextFilter(logging.Filter):
    """Stamps every record with the current request and task ids."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
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
