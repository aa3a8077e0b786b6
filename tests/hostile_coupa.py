"""A Coupa that misbehaves on purpose, over real HTTP on a free port, in a thread of this process.

It answers the token request like Coupa and gives every other request to the behaviour set for
its operation (`list`, `get`, `attachments`, `download`, `upload`, `token`): answers that drip a
byte at a time, lists padded with whitespace to any size, downloads of any size with a true,
false or missing Content-Length. Big answers are generated while they are sent, never held in
memory, so a test (or `bench/hostile.py`) can send hundreds of megabytes.

`FixedCoupa` (`fixed_coupa`) is the same server with well-formed answers over exactly the
records a test gives it (duplicates, collisions and all), where the sandbox would keep its data
sane.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from qualityhub.coupa import CoupaClient, wirejson

CHUNK = 64 * 1024
Behaviour = Callable[["_Handler"], None]

_LINE = r"(?:/characteristics/(\d+))?"  # a line's attachments, or (without it) the header's
_OPERATIONS = (
    ("download", re.compile(rf"^/api/quality_inspections/(\d+){_LINE}/attachments/\d+/content$")),
    ("attachments", re.compile(rf"^/api/quality_inspections/(\d+){_LINE}/attachments$")),
    ("get", re.compile(r"^/api/quality_inspections/(\d+)$")),
    ("list", re.compile(r"^/api/quality_inspections$")),
    # Core's reference data: the list, or one record by id.
    ("suppliers", re.compile(r"^/api/suppliers(?:/(\d+))?$")),
    ("users", re.compile(r"^/api/users(?:/(\d+))?$")),
    ("uoms", re.compile(r"^/api/uoms(?:/(\d+))?$")),
)
# The seed spec sends files elsewhere: a hyphen for the header's, `/api/v1/` for a line's.
_UPLOAD = re.compile(rf"^/api/(?:v1/)?quality[-_]inspections/(\d+){_LINE}/attachments$")


class HostileCoupa:
    def __init__(self) -> None:
        self.behaviours: dict[str, Behaviour] = {"token": json_answer(_TOKEN)}
        self.stopping = threading.Event()
        self.requests: list[str] = []
        self.paths: list[str] = []  # each request's path and query, as sent
        self.token_forms: list[dict[str, list[str]]] = []  # each token request's form
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.hostile = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="hostile-coupa", daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def on(self, operation: str, behaviour: Behaviour) -> None:
        self.behaviours[operation] = behaviour

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(self._operation())

    def do_POST(self) -> None:
        self.posted = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/oauth2/token"):
            form = parse_qs(self.posted.decode("latin-1"))
            self.server.hostile.token_forms.append(form)  # type: ignore[attr-defined]
            self._answer("token")
        else:
            self._answer("upload" if _UPLOAD.match(self.path.partition("?")[0]) else "other")

    def _operation(self) -> str:
        path = self.path.partition("?")[0]
        return next((name for name, pattern in _OPERATIONS if pattern.match(path)), "other")

    def ids(self) -> tuple[int, ...]:
        """The ids in the path of a request for an operation (inspection, then line)."""
        path = self.path.partition("?")[0]
        for _, pattern in _OPERATIONS:
            if found := pattern.match(path):
                return tuple(int(part) for part in found.groups() if part)
        return ()

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)

    def _answer(self, operation: str) -> None:
        hostile: HostileCoupa = self.server.hostile  # type: ignore[attr-defined]
        hostile.requests.append(operation)
        hostile.paths.append(self.path)
        behaviour = hostile.behaviours.get(operation)
        try:
            if behaviour is None:
                self.send_error(404)
            else:
                behaviour(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass

    @property
    def stopping(self) -> threading.Event:
        return self.server.hostile.stopping  # type: ignore[attr-defined]

    def head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()

    def body(self, chunks: Iterable[bytes]) -> None:
        for chunk in chunks:
            if self.stopping.is_set():
                return
            self.wfile.write(chunk)


_TOKEN = {"access_token": "hostile-token", "token_type": "bearer", "expires_in": 86400}


def json_answer(payload: Any, status: int = 200) -> Behaviour:
    body = wirejson.dumps(payload).encode()

    def answer(handler: _Handler) -> None:
        handler.head(status, {"Content-Type": "application/json", "Content-Length": str(len(body))})
        handler.body([body])

    return answer


def drip(body: bytes, every: float = 0.5) -> Behaviour:
    """Headers at once, then the body one byte every `every` seconds: each read gets something
    long before any read timeout, so only a deadline on the whole answer ends it."""

    def answer(handler: _Handler) -> None:
        handler.head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
        handler.body(_one_byte_at_a_time(body, every))

    return answer


def drip_headers(every: float = 0.5) -> Behaviour:
    """The status line at once, then the headers one byte at a time, never ending them."""

    def answer(handler: _Handler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        handler.body(_one_byte_at_a_time(b"X-Slow: " + b"a" * 10_000, every))

    return answer


def padded_list(records: list[Any], size: int, *, content_length: bool = True) -> Behaviour:
    """A list answer of `records` padded with whitespace to `size` bytes (valid JSON)."""
    opening = b"[" + b",".join(wirejson.dumps(r).encode() for r in records)
    padding = max(0, size - len(opening) - 1)

    def answer(handler: _Handler) -> None:
        headers = {"Content-Type": "application/json"}
        if content_length:
            headers["Content-Length"] = str(len(opening) + padding + 1)
        handler.head(200, headers)
        handler.body([opening, *_filler(b" ", padding), b"]"])

    return answer


def download(size: int, *, declared: int | None | str = "true") -> Behaviour:
    """A file of `size` bytes; `declared`: "true" sends its real Content-Length, None none
    (the end is the connection's close), a number that Content-Length instead (a lie)."""

    def answer(handler: _Handler) -> None:
        headers = {
            "Content-Type": "application/pdf",
            "Content-Disposition": 'attachment; filename="big.pdf"',
        }
        if declared is not None:
            headers["Content-Length"] = str(size if declared == "true" else declared)
        handler.head(200, headers)
        handler.body([b"%PDF-", *_filler(b"x", size - 5)])

    return answer


Attachments = dict[int | tuple[int, int], list[Any]]
_NOT_FOUND = json_answer({"errors": {"base": ["not found"]}}, 404)


class FixedCoupa(HostileCoupa):
    """Well-formed answers over exactly what a test gives it: the list (offset/limit over
    `records` as given), one inspection's GET, the attachment lists in `attachments` (keyed by
    inspection id for the header's list, by (inspection id, line id) for a line's; any other
    list is empty) and any attachment's `content` (with Coupa's own `Content-Disposition`).
    Change `records` or `attachments` between runs to play the next one."""

    def __init__(self, records: list[Any], attachments: Attachments | None = None) -> None:
        super().__init__()
        self.records = records
        self.attachments = attachments or {}
        self.content = (b"%PDF-1.4 fixed", "application/pdf", 'attachment; filename="x.pdf"')
        self.on("list", self._list)
        self.on("get", self._get)
        self.on("attachments", self._attachments)
        self.on("download", self._download)

    def client(self) -> CoupaClient:
        return CoupaClient(self.url, "fixed", "fixed-secret", backoff_base=0.01, backoff_cap=0.05)

    def _list(self, handler: _Handler) -> None:
        query = handler.query()
        offset = int(query.get("offset", ["0"])[0])
        limit = int(query.get("limit", ["50"])[0])
        json_answer(self.records[offset : offset + limit])(handler)

    def _get(self, handler: _Handler) -> None:
        (wanted,) = handler.ids()
        for record in self.records:
            if isinstance(record, dict) and record.get("id") == wanted:
                json_answer(record)(handler)
                return
        _NOT_FOUND(handler)

    def _attachments(self, handler: _Handler) -> None:
        ids = handler.ids()
        json_answer(self.attachments.get(ids if len(ids) > 1 else ids[0], []))(handler)

    def _download(self, handler: _Handler) -> None:
        body, kind, disposition = self.content
        headers = {"Content-Type": kind, "Content-Length": str(len(body))}
        if disposition:
            headers["Content-Disposition"] = disposition
        handler.head(200, headers)
        handler.body([body])


@contextmanager
def fixed_coupa(records: list[Any], attachments: Attachments | None = None) -> Iterator[FixedCoupa]:
    server = FixedCoupa(records, attachments)
    try:
        yield server
    finally:
        server.stop()


def _one_byte_at_a_time(body: bytes, every: float) -> Iterator[bytes]:
    for index in range(len(body)):
        yield body[index : index + 1]
        time.sleep(every)


def _filler(byte: bytes, size: int) -> Iterator[bytes]:
    block = byte * CHUNK
    whole, rest = divmod(size, CHUNK)
    for _ in range(whole):
        yield block
    if rest:
        yield byte * rest


def reference_lists(records: dict[str, list[Any]]) -> dict[str, Behaviour]:
    """Behaviours for Core's `suppliers`, `users` and `uoms` over the given records (as Coupa
    would send them): `offset`/`limit`, `id[in]`, `updated-at[gt]` (ISO text compared as
    moments) and show by id (404 when unknown). Install with `server.on(kind, behaviour)`;
    change the lists in place to play the next run."""
    from qualityhub.coupa.schemas import parse_datetime

    def behaviour(kind: str) -> Behaviour:
        def answer(handler: _Handler) -> None:
            rows = records.get(kind, [])
            ids = handler.ids()
            if ids:
                found = [r for r in rows if isinstance(r, dict) and r.get("id") == ids[0]]
                (json_answer(found[0]) if found else _NOT_FOUND)(handler)
                return
            query = handler.query()
            if "id[in]" in query:
                wanted = {int(i) for i in query["id[in]"][0].split(",")}
                rows = [r for r in rows if isinstance(r, dict) and r.get("id") in wanted]
            if "updated-at[gt]" in query:
                after = parse_datetime(query["updated-at[gt]"][0])
                rows = [r for r in rows if parse_datetime(r["updated-at"]) > after]
            offset = int(query.get("offset", ["0"])[0])
            limit = min(int(query.get("limit", ["50"])[0]), 50)
            json_answer(rows[offset : offset + limit])(handler)

        return answer

    return {kind: behaviour(kind) for kind in ("suppliers", "users", "uoms")}
