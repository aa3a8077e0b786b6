"""Query plans for the pages: a page reads a few dozen rows through an index walk, never in
parallel.

PostgreSQL starts parallel workers when it expects a query to read many rows, and for a page's
LIMIT over a join it often expects many more than the walk reads: a characteristic's name
belongs to a few items, a supplier's failing lines sit among the newest. A worker's start alone
took 35-110 ms on a busy machine, for a query that runs in 3-20 ms without one; and whether the
planner picks it flips with each ANALYZE (the results list's supplier-and-failing page did, at a
million inspections). `serial_plans` keeps the block's queries on one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def serial_plans() -> Iterator[None]:
    """Queries in this block run without parallel workers (PostgreSQL; elsewhere a no-op).
    `SET LOCAL` lasts until the transaction ends, hence the block's own (or the caller's)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield
