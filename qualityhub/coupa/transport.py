"""What bounds one call to Coupa: a total deadline, and a cap on the bytes of its answer.

Socket timeouts bound each read, not the answer: a server sending a byte every few seconds
(headers or body) never trips them. So every call carries a `Deadline`: when it passes, a timer
shuts down the socket the call is using, which ends whatever read is blocked on it, in whichever
phase (connecting, sending, headers, body). The sockets are found through connection classes that
register themselves with the deadline of the thread making the call.

Bodies are read as a stream and counted, so an answer past its cap is refused after at most the
cap plus one chunk, whatever its Content-Length says (or does not say).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from qualityhub.coupa.errors import CoupaTooLarge, CoupaUnavailable

CHUNK = 64 * 1024
_current = threading.local()  # the deadline of the call this thread is making


class Deadline:
    """The moment one call to Coupa must have ended by, and the sockets it cuts then."""

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds = seconds
        self.what = what
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.name = "coupa-deadline"
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        return self.expired or self.remaining() <= 0

    def error(self, **details: object) -> CoupaUnavailable:
        return CoupaUnavailable(
            f"Coupa took longer than {self.seconds:g} s to answer {self.what} "
            "(COUPA_TOTAL_TIMEOUT)",
            **details,
        )

    def timeouts(self, connect: float, read: float) -> tuple[float, float]:
        """Socket timeouts for the next attempt, never past the deadline."""
        left = max(self.remaining(), 0.001)
        return min(connect, left), min(read, left)

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if not self.expired:
                self._sockets.append(sock)
                return
        _cut(sock)

    def cancel(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._sockets.clear()

    @contextlib.contextmanager
    def applies(self) -> Iterator[Deadline]:
        """Within it, connections this thread opens or reuses are watched by this deadline."""
        _current.deadline = self
        try:
            yield self
        finally:
            _current.deadline = None

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _cut(sock)


def _cut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also under TLS: it wakes a read blocked in another thread.
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watch_current(sock: socket.socket | None) -> None:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)


class _Watched:
    """Registers the connection's socket with the calling thread's deadline, new or reused."""

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _watch_current(self.sock)  # type: ignore[attr-defined]

    def request(self, *args, **kwargs) -> None:
        _watch_current(self.sock)  # type: ignore[attr-defined]
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter, with connections a `Deadline` can cut."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


def declared_length(response: requests.Response) -> int | None:
    try:
        length = int(response.headers.get("Content-Length", ""))
    except ValueError:
        return None
    return length if length >= 0 else None


def refuse_if_declared_over(response: requests.Response, limit: int, what: str) -> None:
    length = declared_length(response)
    if length is not None and length > limit:
        response.close()
        raise too_large(limit, what, declared=length)


def read_capped(response: requests.Response, deadline: Deadline, limit: int, what: str) -> bytes:
    """The whole body, or `CoupaTooLarge` past `limit` bytes; the answer is closed either way
    when it fails. A body cut short by the deadline raises, never passes for a whole one."""
    refuse_if_declared_over(response, limit, what)
    try:
        chunks = list(capped_chunks(response, limit, what))
        if deadline.expired:  # the end of the body may be the cut's
            raise deadline.error()
    except BaseException:
        response.close()
        raise
    return b"".join(chunks)


def capped_chunks(response: requests.Response, limit: int, what: str) -> Iterator[bytes]:
    """The body chunk by chunk, `CoupaTooLarge` once more than `limit` bytes have come."""
    size = 0
    for chunk in response.iter_content(CHUNK):
        size += len(chunk)
        if size > limit:
            raise too_large(limit, what)
        yield chunk


def too_large(limit: int, what: str, declared: int | None = None) -> CoupaTooLarge:
    size = f" ({megabytes(declared)} declared)" if declared is not None else ""
    return CoupaTooLarge(
        f"Coupa's answer to {what} is larger than QualityHub accepts: "
        f"more than {megabytes(limit)}{size}",
        limit=limit,
    )


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB"


class DownloadStream:
    """A file's bytes as Coupa sends them, chunk by chunk, within the download cap and the call's
    deadline. Iterate it once; `close()` (or leaving the `with`) frees the connection."""

    def __init__(
        self, response: requests.Response, deadline: Deadline, limit: int, what: str
    ) -> None:
        self.response = response
        self.deadline = deadline
        self.limit = limit
        self.what = what
        self.size = declared_length(response)
        self.content_type = response.headers.get("Content-Type", "application/octet-stream")
        disposition = response.headers.get("Content-Disposition", "")
        self.file_name = disposition.partition("filename=")[2].strip('"') or None
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from capped_chunks(self.response, self.limit, self.what)
        except requests.RequestException as exc:
            if self.deadline.passed():
                raise self.deadline.error() from exc
            raise CoupaUnavailable(f"Coupa broke off {self.what}: {type(exc).__name__}") from exc
        finally:
            self.close()
        if self.deadline.expired:  # the end of the body may be the cut's
            raise self.deadline.error()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.response.close()
            self.deadline.cancel()

    def __enter__(self) -> DownloadStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
