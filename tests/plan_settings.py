"""What PostgreSQL's planner may do at the moment a page sends a query (`inspections/plans.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def join_settings_at(picked: Callable[[str], bool]) -> Iterator[list[tuple[str, str]]]:
    """Yields a list that gets (enable_mergejoin, enable_hashjoin) for each query `picked`
    chooses by its SQL, read on the same connection just before the query runs."""
    seen: list[tuple[str, str]] = []

    def observe(execute, sql, params, many, context):
        if picked(sql):
            with connection.cursor() as cursor:
                cursor.execute("SHOW enable_mergejoin")
                merge_join = cursor.fetchone()[0]
                cursor.execute("SHOW enable_hashjoin")
                seen.append((merge_join, cursor.fetchone()[0]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(observe):
        yield seen
