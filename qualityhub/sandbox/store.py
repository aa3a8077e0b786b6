"""SQLite state: inspection documents as JSON text beside indexed columns, plus attachments.

One connection guarded by a re-entrant lock; `transaction()` groups writes. Lists are built by
joining stored texts, so each document is stored exactly as it is served.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .documents import Sequences, ordered_inspection
from .wire import dumps, format_datetime, from_sort_key, loads, sort_key

SCHEMA_VERSION = "3"

SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    """CREATE TABLE inspections (
        id INTEGER PRIMARY KEY,
        supplier_id INTEGER,
        status TEXT NOT NULL COLLATE NOCASE,
        exported INTEGER NOT NULL,
        modified_at TEXT NOT NULL,
        external_inspection_id TEXT,
        doc TEXT NOT NULL)""",
    "CREATE INDEX inspections_status ON inspections (status)",
    "CREATE INDEX inspections_supplier ON inspections (supplier_id)",
    "CREATE INDEX inspections_exported ON inspections (exported)",
    "CREATE INDEX inspections_modified ON inspections (modified_at)",
    "CREATE INDEX inspections_external ON inspections (external_inspection_id)",
    # Covers every filter column, so deep pages are found without reading the documents.
    "CREATE INDEX inspections_listing ON inspections"
    " (id, status, exported, supplier_id, modified_at, external_inspection_id)",
    """CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        inspection_id INTEGER NOT NULL,
        characteristic_id INTEGER,
        type TEXT NOT NULL,
        intent TEXT NOT NULL,
        file_name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        created_by INTEGER NOT NULL,
        content BLOB NOT NULL)""",
    "CREATE INDEX attachments_owner ON attachments (inspection_id, characteristic_id)",
)
TABLES = ("meta", "sequences", "inspections", "attachments")
ATTACHMENT_COLUMNS = (
    "id, inspection_id, characteristic_id, type, intent, file_name, content_type, size, "
    "created_at, updated_at, created_by"
)


class StoreError(Exception):
    pass


@dataclass
class ListFilters:
    status: str | None = None
    exported: bool | None = None
    supplier_id: int | None = None
    external_id: str | None = None
    modified: list[tuple[str, str]] = field(default_factory=list)  # (SQL operator, sort key)

    def sql(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("status", self.status),
            ("exported", None if self.exported is None else int(self.exported)),
            ("supplier_id", self.supplier_id),
            ("external_inspection_id", self.external_id),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        for operator, key in self.modified:
            clauses.append(f"modified_at {operator} ?")
            params.append(key)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _columns(doc: dict[str, Any]) -> tuple[Any, ...]:
    supplier = doc.get("supplierId")
    return (
        supplier if isinstance(supplier, int) else None,
        str(doc.get("status", "")),
        int(bool(doc.get("exported"))),
        sort_key(doc["modifiedAt"]),
        doc.get("externalInspectionId"),
        dumps(doc),
    )


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._depth = 0
        self._last_stamp = datetime.min.replace(tzinfo=UTC)
        self._conn = self._connect()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    # -- data set lifecycle ------------------------------------------------------------------

    def matches(self, seed: int, count: int) -> bool:
        """Whether the file holds a data set generated with this seed and count."""
        expected = {"schema": SCHEMA_VERSION, "seed": str(seed), "inspections": str(count)}
        with self._lock:
            try:
                rows = self._conn.execute("SELECT key, value FROM meta").fetchall()
            except sqlite3.OperationalError:  # a new file, or not one of ours
                return False
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path} is not a SQLite database ({exc})") from exc
        found = dict(rows)
        if any(found.get(key) != value for key, value in expected.items()):
            return False
        self._load_stamp()
        return True

    def replace_all(
        self, docs: list[dict[str, Any]], ids: Sequences, seed: int, count: int
    ) -> None:
        with self.transaction():
            for table in TABLES:
                self._conn.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA:
                self._conn.execute(statement)
            self._conn.executemany(
                "INSERT INTO inspections (id, supplier_id, status, exported, modified_at,"
                " external_inspection_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((doc["id"], *_columns(doc)) for doc in docs),
            )
            self._conn.executemany("INSERT INTO sequences VALUES (?, ?)", ids.last.items())
            meta = {"schema": SCHEMA_VERSION, "seed": str(seed), "inspections": str(count)}
            self._conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            self._conn.execute("ANALYZE")
        self._load_stamp()

    def _load_stamp(self) -> None:
        with self._lock:
            (latest,) = self._conn.execute("SELECT MAX(modified_at) FROM inspections").fetchone()
            self._last_stamp = from_sort_key(latest) if latest else self._last_stamp

    def stamp(self) -> datetime:
        """Now, but strictly after every earlier stamp (modifiedAt never repeats or goes back)."""
        with self._lock:
            now = datetime.now(UTC)
            if now <= self._last_stamp:
                now = self._last_stamp + timedelta(microseconds=1)
            self._last_stamp = now
            return now

    def allocate(self, kind: str, count: int = 1) -> int:
        """Reserve `count` ids of a kind; returns the first."""
        with self.transaction():
            (last,) = self._conn.execute(
                "SELECT value FROM sequences WHERE name = ?", (kind,)
            ).fetchone()
            self._conn.execute(
                "UPDATE sequences SET value = ? WHERE name = ?", (last + count, kind)
            )
            return last + 1

    # -- inspections -------------------------------------------------------------------------

    def count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM inspections").fetchone()[0]

    def get_row(self, inspection_id: int) -> tuple[str, str] | None:
        """(document text, modified_at sort key) or None."""
        with self._lock:
            return self._conn.execute(
                "SELECT doc, modified_at FROM inspections WHERE id = ?", (inspection_id,)
            ).fetchone()

    def get_doc(self, inspection_id: int) -> dict[str, Any] | None:
        row = self.get_row(inspection_id)
        return None if row is None else loads(row[0])

    def list_rows(
        self, filters: ListFilters, offset: int, limit: int
    ) -> list[tuple[int, str, str]]:
        where, params = filters.sql()
        page = f"SELECT id FROM inspections{where} ORDER BY id LIMIT ? OFFSET ?"
        sql = f"SELECT id, modified_at, doc FROM inspections WHERE id IN ({page}) ORDER BY id"
        with self._lock:
            return self._conn.execute(sql, [*params, limit, offset]).fetchall()

    def count_rows(self, filters: ListFilters) -> int:
        where, params = filters.sql()
        with self._lock:
            return self._conn.execute(
                f"SELECT COUNT(*) FROM inspections{where}", params
            ).fetchone()[0]

    def modified_keys(self) -> list[tuple[int, str]]:
        with self._lock:
            return self._conn.execute(
                "SELECT id, modified_at FROM inspections ORDER BY id"
            ).fetchall()

    def oldest_unclosed(self, count: int) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT doc FROM inspections WHERE status != 'Closed'"
                " ORDER BY modified_at, id LIMIT ?",
                (count,),
            ).fetchall()
        return [loads(text) for (text,) in rows]

    def insert(self, doc: dict[str, Any]) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO inspections (id, supplier_id, status, exported, modified_at,"
                " external_inspection_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc["id"], *_columns(doc)),
            )

    def save(self, doc: dict[str, Any]) -> None:
        with self.transaction():
            self._conn.execute(
                "UPDATE inspections SET supplier_id = ?, status = ?, exported = ?,"
                " modified_at = ?, external_inspection_id = ?, doc = ? WHERE id = ?",
                (*_columns(doc), doc["id"]),
            )

    def touch(self, inspection_id: int, user: int | None = None) -> dict[str, Any] | None:
        """Bump modifiedAt (and set modifiedBy when given); returns the updated document."""
        with self.transaction():
            doc = self.get_doc(inspection_id)
            if doc is None:
                return None
            doc["modifiedAt"] = format_datetime(self.stamp(), fraction=True)
            if user is not None:
                doc["modifiedBy"] = user
            doc = ordered_inspection(doc)
            self.save(doc)
            return doc

    def delete_inspection(self, inspection_id: int) -> bool:
        with self.transaction():
            self._conn.execute("DELETE FROM attachments WHERE inspection_id = ?", (inspection_id,))
            cursor = self._conn.execute("DELETE FROM inspections WHERE id = ?", (inspection_id,))
            return cursor.rowcount > 0

    # -- attachments -------------------------------------------------------------------------

    def add_attachment(self, record: dict[str, Any], content: bytes) -> dict[str, Any]:
        with self.transaction():
            record = {"id": self.allocate("attachment"), **record, "size": len(content)}
            self._conn.execute(
                f"INSERT INTO attachments ({ATTACHMENT_COLUMNS}, content)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*(record[name] for name in _attachment_names()), content),
            )
            return record

    def attachments(self, inspection_id: int, characteristic_id: int | None) -> list[dict]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE inspection_id = ?"
                " AND characteristic_id IS ? ORDER BY id",
                (inspection_id, characteristic_id),
            ).fetchall()
        return [dict(zip(_attachment_names(), row, strict=True)) for row in rows]

    def attachment(
        self, inspection_id: int, characteristic_id: int | None, attachment_id: int
    ) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?"
                " AND inspection_id = ? AND characteristic_id IS ?",
                (attachment_id, inspection_id, characteristic_id),
            ).fetchone()
        return None if row is None else dict(zip(_attachment_names(), row, strict=True))

    def attachment_content(self, attachment_id: int) -> bytes:
        with self._lock:
            row = self._conn.execute(
                "SELECT content FROM attachments WHERE id = ?", (attachment_id,)
            ).fetchone()
        return b"" if row is None else bytes(row[0])

    def delete_attachment(self, attachment_id: int) -> bool:
        with self.transaction():
            cursor = self._conn.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
            return cursor.rowcount > 0


def _attachment_names() -> tuple[str, ...]:
    return tuple(name.strip() for name in ATTACHMENT_COLUMNS.split(","))
