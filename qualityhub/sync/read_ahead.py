"""Fetch Coupa's next page while the current one is written.

A page costs the sync two waits in a row: Coupa (or the network) producing it, then our own
parsing, judging and upserting. A thread that reads one page ahead overlaps the two, which is
what lets a full sync keep up with Coupa's 25 requests/s. The thread only talks HTTP (the
client is thread-safe: its pacing and token are behind locks); the database stays in the
caller's thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator

_ITEM, _END, _ERROR = "item", "end", "error"
_POLL_SECONDS = 0.2  # how soon either side notices the other has stopped


class ReadAhead[T]:
    """Iterates `source` in a background thread, holding at most `depth` items ready.

    An exception the source raises is raised to the caller where that item would have come.
    Use it as a context manager: leaving it (also by an exception) stops the thread after the
    item in hand, so an interrupted sync reads at most a page or two it will not use.
    """

    def __init__(self, source: Iterable[T], depth: int = 1) -> None:
        self._ready: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._fill, args=(source,), name="coupa-read-ahead", daemon=True
        )

    def __enter__(self) -> ReadAhead[T]:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopped.set()
        # A thread between items ends at once; one waiting for Coupa ends with that call, which
        # its deadline bounds (COUPA_TOTAL_TIMEOUT): not waited for, so the lock goes at once.
        self._thread.join(timeout=2 * _POLL_SECONDS)

    def __iter__(self) -> Iterator[T]:
        while True:
            try:
                kind, value = self._ready.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if not self._thread.is_alive() and self._ready.empty():
                    return  # only when stopped from outside: the thread always says how it ended
                continue
            if kind == _END:
                return
            if kind == _ERROR:
                raise value  # type: ignore[misc]
            yield value  # type: ignore[misc]

    def _fill(self, source: Iterable[T]) -> None:
        try:
            for item in source:
                if not self._offer((_ITEM, item)):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread as it is
            self._offer((_ERROR, exc))
            return
        self._offer((_END, None))

    def _offer(self, entry: tuple[str, object]) -> bool:
        while not self._stopped.is_set():
            try:
                self._ready.put(entry, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False
