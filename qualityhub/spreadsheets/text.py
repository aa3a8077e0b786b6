"""The CSV of a list, line by line."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from qualityhub.spreadsheets.cells import csv_cell
from qualityhub.spreadsheets.columns import Column


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(columns: tuple[Column, ...], rows: Iterable[dict]) -> Iterator[str]:
    """The header (the columns' keys, as since the first CSV), then a line per row."""
    writer = csv.writer(_Echo())
    yield writer.writerow([column.key for column in columns])
    for row in rows:
        yield writer.writerow([csv_cell(column, row[column.field], row) for column in columns])
