"""Transport-neutral request and response objects, and the JSON error shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from .wire import dump_bytes

JSON = "application/json"


@dataclass
class Request:
    method: str
    path: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # keys lowercased
    body: bytes = b""

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.query_string, keep_blank_values=True)

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = JSON
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status, dump_bytes(payload), JSON, headers or {})


def text_json(status: int, text: str) -> Response:
    """A response whose JSON text is already serialised (stored documents)."""
    return Response(status, text.encode("utf-8"), JSON)


def errors(
    status: int, by_field: dict[str, list[str]], headers: dict[str, str] | None = None
) -> Response:
    """Coupa's JSON error envelope: `{"errors": {"<field>": ["message", ...]}}`."""
    return json_response(status, {"errors": by_field}, headers)


def error(
    status: int, message: str, field_name: str = "base", headers: dict[str, str] | None = None
) -> Response:
    return errors(status, {field_name: [message]}, headers)


def no_content() -> Response:
    return Response(204, b"", None)


STATUS_MESSAGES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    408: "Request timeout",
    409: "Conflict",
    422: "Unprocessable entity",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


def canned(status: int, retry_after: int = 0) -> Response:
    """The answer to a scripted failure (`fail_next`)."""
    if status == 401:
        return invalid_token("The access token is invalid")
    headers = {}
    if status == 429 or retry_after:
        headers["Retry-After"] = str(retry_after or 1)
    return error(status, STATUS_MESSAGES.get(status, f"HTTP {status}"), headers=headers)


def invalid_token(description: str) -> Response:
    return json_response(
        401,
        {"error": "invalid_token", "error_description": description},
        {"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def insufficient_scope(scope: str) -> Response:
    return json_response(
        403,
        {"error": "insufficient_scope", "error_description": f"The token lacks the {scope} scope"},
        {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
    )
