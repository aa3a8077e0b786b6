"""A hostile Coupa in miniature: a real HTTP server on a free port that lists exactly the records
a test gives it (duplicates, collisions and all), where the sandbox would keep its data sane.

It answers the token, the list (offset/limit over the records as given), one inspection's GET,
the attachment lists a test gives it (keyed by inspection id for the header's list, by
(inspection id, line id) for a line's; any other list is empty) and any attachment's content
(`content`, sent with Coupa's own `Content-Disposition`); nothing else.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from qualityhub.coupa import CoupaClient, wirejson

LIST = "/api/quality_inspections"
_ONE = re.compile(rf"{LIST}/(\d+)")
_ATTACHMENTS = re.compile(rf"{LIST}/(\d+)(?:/characteristics/(\d+))?/attachments")
Attachments = dict[int | tuple[int, int], list[Any]]


class FixedCoupa:
    """`records` is what the list serves; change it between runs to play the next one."""

    def __init__(self, records: list[Any], attachments: Attachments | None = None) -> None:
        self.records = records
        self.attachments = attachments or {}
        self.content = (b"%PDF-1.4 fixed", "application/pdf", 'attachment; filename="x.pdf"')
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def client(self) -> CoupaClient:
        return CoupaClient(self.url, "fixed", "fixed-secret", backoff_base=0.01, backoff_cap=0.05)

    def answer(self, method: str, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        if method == "POST" and path == "/oauth2/token":
            return 200, {"access_token": "fixed-token", "expires_in": 3600}
        if method != "GET":
            return 405, {"errors": {"base": ["not served here"]}}
        if path == LIST:
            offset = int(query.get("offset", ["0"])[0])
            limit = int(query.get("limit", ["50"])[0])
            return 200, self.records[offset : offset + limit]
        if found := _ATTACHMENTS.fullmatch(path):
            inspection_id = int(found[1])
            key = (inspection_id, int(found[2])) if found[2] else inspection_id
            return 200, self.attachments.get(key, [])
        if found := _ONE.fullmatch(path):
            wanted = int(found[1])
            for record in self.records:
                if isinstance(record, dict) and record.get("id") == wanted:
                    return 200, record
        return 404, {"errors": {"base": ["not found"]}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fixed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer()

            def _answer(self) -> None:
                parts = urlsplit(self.path)
                if parts.path.endswith("/content"):
                    self._send(200, *fixed.content)
                    return
                status, payload = fixed.answer(self.command, parts.path, parse_qs(parts.query))
                body = wirejson.dumps(payload).encode()  # Decimals as their digits
                self._send(status, body, "application/json")

            def _send(self, status: int, body: bytes, kind: str, disposition: str = "") -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if disposition:
                    self.send_header("Content-Disposition", disposition)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@contextmanager
def fixed_coupa(records: list[Any], attachments: Attachments | None = None) -> Iterator[FixedCoupa]:
    server = FixedCoupa(records, attachments)
    server._thread.start()
    try:
        yield server
    finally:
        server._server.shutdown()
        server._server.server_close()
