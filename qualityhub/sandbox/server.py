"""The HTTP transport: a keep-alive `ThreadingHTTPServer`, `serve()` and `main()`."""

from __future__ import annotations

import logging
import signal
import socket
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO

from .app import Sandbox
from .cli import SandboxOptions, parse_options
from .responses import Request, Response, error
from .store import StoreError

MAX_BODY_BYTES = 64 * 1024 * 1024  # beyond this the body is refused unread (uploads cap at 10 MiB)
# A request log file is rolled over to PATH.1 at this size: a long demo stays under 10 MiB.
REQUEST_LOG_MAX_BYTES = 5 * 1024 * 1024
# As the standard library's own request line does: no control character from a request
# path reaches the log raw (a forged line break would forge a log line).
_CONTROL_CHARS = {code: rf"\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}


def request_logger(
    path: str, quiet: bool, max_bytes: int = REQUEST_LOG_MAX_BYTES
) -> logging.Logger:
    """Where the line per request goes: the file `path` (capped), stderr (no path), or nowhere
    (`quiet`). The logger is this server's own, outside the logging tree: nothing configured
    elsewhere in the process (Django's settings in a test) adds to or takes from it."""
    logger = logging.Logger("coupa-sandbox.requests", logging.INFO)
    if quiet:
        logger.disabled = True
        return logger
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Opened now, so an unwritable path stops the start-up with its reason.
        handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=1, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    return logger


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold every keep-alive response back by about 40 ms.
    disable_nagle_algorithm = True
    server_version = "CoupaSandbox/1.0"
    server: SandboxServer

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _dispatch(self) -> None:
        body = self._read_body()
        if isinstance(body, Response):
            self.close_connection = True
            self._send(body)
            return
        path, _, query = self.path.partition("?")
        request = Request(
            method=self.command,
            path=path,
            query_string=query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            response = self.server.app.handle(request)
        except Exception:  # noqa: BLE001 - a bug must answer 500, not kill the connection
            traceback.print_exc(file=sys.stderr)
            response = error(500, "Internal server error")
        self._send(response)

    def _read_body(self) -> bytes | Response:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return error(400, "Invalid Content-Length")
        if length > MAX_BODY_BYTES:
            field = "attachment[file]" if "/attachments" in self.path else "base"
            return error(413, "Request body is too large", field)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes | Response:
        chunks, total = [], 0
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                return error(413, "Request body is too large")
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.status != 204:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.status != 204 and self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        # The standard library's line, to the server's request log instead of always stderr.
        message = (format % args).translate(_CONTROL_CHARS)
        self.server.request_log.info(
            "%s - - [%s] %s", self.address_string(), self.log_date_time_string(), message
        )


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], app: Sandbox, request_log: logging.Logger | None = None
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        self.request_log = request_log or request_logger("", quiet=False)
        super().__init__(address, SandboxHandler)

    def server_close(self) -> None:
        super().server_close()
        for handler in self.request_log.handlers:
            handler.close()

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client went away (e.g. timed out during an injected hang)
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host = self.app.options.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.server_address[1]}"


def build_server(options: SandboxOptions, quiet: bool | None = None) -> SandboxServer:
    """A bound, not yet serving server (port 0 gets a free port: read `server.url`)."""
    app = Sandbox(options)
    quiet = options.quiet if quiet is None else quiet
    try:
        log = request_logger(options.request_log, quiet)
        return SandboxServer((options.host, options.port), app, log)
    except BaseException:
        app.close()
        raise


class Advancer(threading.Thread):
    """Runs the collaboration simulator every `every` seconds until stopped."""

    def __init__(self, app: Sandbox, every: float, count: int) -> None:
        super().__init__(name="sandbox-advancer", daemon=True)
        self.app, self.every, self.count = app, every, count
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                self.app.advance(self.count)
            except Exception:  # noqa: BLE001 - keep ticking; the next tick may succeed
                traceback.print_exc(file=sys.stderr)


def serve(options: SandboxOptions, stdout: TextIO | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM. The first stdout line announces the real URL."""
    stdout = stdout or sys.stdout
    server = build_server(options)
    advancer = Advancer(server.app, options.advance_every, options.advance_count)
    try:
        # Before announcing: whoever reads the announcement may stop us at once.
        _stop_on_sigterm(server)
        stdout.write(f"Coupa sandbox listening on {server.url}\n")
        stdout.flush()
        _describe(server, options, stdout)
        if options.advance_every > 0:
            advancer.start()
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        advancer.stopped.set()
        server.server_close()
        server.app.close()


def _describe(server: SandboxServer, options: SandboxOptions, stdout: TextIO) -> None:
    state = "generated" if server.app.regenerated else "reused"
    lines = [
        f"  data: {options.db} ({state}; seed {options.seed}, {options.inspections} inspections)",
        f"  OAuth2 client: {options.client_id} / {options.client_secret}",
        f"  Core API: {server.url}/api/suppliers, /api/users, /api/uoms, /api/items"
        " (XML unless Accept: application/json)",
        f"  control: {server.url}/_sandbox/health",
        f"  requests logged to {_request_log_place(options)}",
    ]
    stdout.write("\n".join(lines) + "\n")
    stdout.flush()


def _request_log_place(options: SandboxOptions) -> str:
    if options.quiet:
        return "nowhere (--quiet)"
    return options.request_log or "stderr"


def _stop_on_sigterm(server: SandboxServer) -> None:
    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum: int, frame: object) -> None:
        # shutdown() waits for serve_forever to return, so it must run on another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    try:
        serve(options)
    except (OSError, StoreError) as exc:
        print(f"coupa sandbox: {exc}", file=sys.stderr)
        return 1
    return 0
