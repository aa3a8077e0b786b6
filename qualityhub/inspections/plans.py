"""Query plans for the pages: a page reads a few dozen rows through an index walk, never in
parallel.

PostgreSQL starts parallel workers when it expects a query to read many rows, and for a page's
LIMIT over a join it often expects many more than the walk reads: a characteristic's name
belongs to a few items, a supplier's failing lines sit among the newest. A worker's start alone
took 35-110 ms on a busy machine, for a query that runs in 3-20 ms without one; and whether the
planner picks it flips with each ANALYZE (the results list's supplier-and-failing page did, at a
million inspections). `serial_plans` keeps the block's queries on one process.

A page's capped count of lines joined to their inspections (one supplier's failing lines) is a
nested loop from the inspections' index into the lines' ("index probes"): it stops at the cap
after a few thousand probes. At 10 M inspections the planner chose a merge join along the
inspections' primary key instead, reading 104,000 inspections to keep one supplier's 4,800 (50 ms
against 10): a merge or hash join reads a whole side in order or into memory, which a LIMIT does
not pay back. The trend chart's points went the same way for a name only one item has (most
are): every line of that name hashed against the item's inspections, 158 ms at a million
inspections, where the walk of the item's newest inspections takes 3-8. `serial_plans(
index_probes=True)` rules them out for the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def serial_plans(*, index_probes: bool = False) -> Iterator[None]:
    """Queries in this block run without parallel workers, and with `index_probes` join only by
    nested loops (PostgreSQL; elsewhere a no-op). `SET LOCAL` lasts until the transaction ends,
    hence the block's own (or the caller's)."""
    if connection.vendor != "postgresql":
        yield
        return
    settings = ["max_parallel_workers_per_gather = 0"]
    if index_probes:
        settings += ["enable_mergejoin = off", "enable_hashjoin = off"]
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            # One round trip: the statements take no parameters.
            cursor.execute("; ".join(f"SET LOCAL {setting}" for setting in settings))
        yield
