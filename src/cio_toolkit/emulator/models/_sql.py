"""The emulator's database: one SQLite connection shared by the handlers of all four APIs.

One connection, guarded by a lock, serves every thread (the server's event loop, the test
thread that inspects state, notebook cells). Model modules that need more tables call
:meth:`Database.ensure_schema` with their own ``CREATE TABLE IF NOT EXISTS`` statements.
:class:`~cio_toolkit.emulator.models.Store` adds the person methods of :mod:`.people` on top.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Self

import orjson

__all__ = ["Database", "dumps"]

_CORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    pk INTEGER PRIMARY KEY,
    cio_id TEXT NOT NULL UNIQUE,
    id TEXT UNIQUE,
    email TEXT,
    anonymous_id TEXT UNIQUE,
    attributes TEXT NOT NULL DEFAULT '{}',
    suppressed INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS people_email ON people(email);
CREATE TABLE IF NOT EXISTS events (
    pk INTEGER PRIMARY KEY,
    person_pk INTEGER REFERENCES people(pk) ON DELETE SET NULL,
    anonymous_id TEXT,
    type TEXT NOT NULL CHECK (type IN ('track', 'page', 'screen')),
    name TEXT,
    properties TEXT NOT NULL DEFAULT '{}',
    context TEXT NOT NULL DEFAULT '{}',
    timestamp REAL NOT NULL,
    message_id TEXT UNIQUE,
    api TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_person ON events(person_pk);
CREATE TABLE IF NOT EXISTS devices (
    person_pk INTEGER NOT NULL REFERENCES people(pk) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    platform TEXT,
    last_used REAL,
    attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (person_pk, device_id)
);
CREATE TABLE IF NOT EXISTS objects (
    object_type_id TEXT NOT NULL,
    object_id TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (object_type_id, object_id)
);
-- cio_object_id of each object: the Track API answers it and takes it as an identifier, the
-- App API looks objects up by it (the table name dates from when only the Track API used it).
CREATE TABLE IF NOT EXISTS track_object_ids (
    cio_object_id TEXT PRIMARY KEY,
    object_type_id TEXT NOT NULL,
    object_id TEXT NOT NULL,
    UNIQUE (object_type_id, object_id)
);
CREATE TABLE IF NOT EXISTS relationships (
    person_pk INTEGER NOT NULL REFERENCES people(pk) ON DELETE CASCADE,
    object_type_id TEXT NOT NULL,
    object_id TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (person_pk, object_type_id, object_id)
);
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    type TEXT NOT NULL DEFAULT 'manual',
    attributes TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS segment_members (
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    person_pk INTEGER NOT NULL REFERENCES people(pk) ON DELETE CASCADE,
    PRIMARY KEY (segment_id, person_pk)
);
CREATE TABLE IF NOT EXISTS kv (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
);
"""
_JSON_COLUMNS = ("attributes", "properties", "context")


def dumps(value: Any) -> str:
    """Compact JSON text of a stored value (the one JSON encoder of the emulator's tables)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> dict[str, Any]:
    out = {}
    for (name, *_), value in zip(cursor.description, values, strict=True):
        if name in _JSON_COLUMNS and isinstance(value, str):
            value = orjson.loads(value)
        elif name == "suppressed":
            value = bool(value)
        out[name] = value
    return out



class Database:
    """SQLite database of one emulator (``":memory:"`` or a file path): connection, lock, kv, events."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = _row
        self._conn.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:" and not path.startswith("file::memory:"):
            # WAL lets an inspecting process read while the emulator writes.
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        self._schemas: set[str] = set()
        self.counters: Counter[str] = Counter()
        with self._lock:
            self._conn.executescript(_CORE_SCHEMA)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r})"

    # --- plumbing ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and run the block in one transaction (rolled back on error)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Run a SELECT and return its rows as dicts (JSON columns decoded)."""
        with self._lock:
            return list(self._conn.execute(sql, params))

    def execute(self, sql: str, params: Any = ()) -> int:
        """Run one write statement in its own transaction; return the affected row count."""
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    def ensure_schema(self, sql: str) -> Self:
        """Create a module's own tables once per store (:meth:`reset` keeps them); return the store."""
        if sql in self._schemas:
            return self  # the common case, on every request: no lock, no script
        with self._lock:
            if sql not in self._schemas:
                self._conn.executescript(sql)
                self._schemas.add(sql)
        return self

    def create_function(self, name: str, narg: int, fn: Callable[..., Any]) -> None:
        """Make a Python function callable from SQL on this store's connection (e.g. in a TEMP trigger)."""
        with self._lock:
            self._conn.create_function(name, narg, fn)

    def reset(self) -> None:
        """Delete all data and zero the counters; tables (including handler tables) remain."""
        with self._lock:
            tables = [
                r["name"]
                for r in self._conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            self._conn.execute("PRAGMA foreign_keys = OFF")
            try:
                self._conn.execute("BEGIN")
                for table in tables:
                    self._conn.execute(f'DELETE FROM "{table}"')
                self._conn.execute("COMMIT")
            finally:
                self._conn.execute("PRAGMA foreign_keys = ON")
            self.counters.clear()

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()

    # --- events -----------------------------------------------------------------------

    def add_event(
        self,
        *,
        type: str = "track",
        name: str | None = None,
        person_pk: int | None = None,
        anonymous_id: str | None = None,
        properties: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        timestamp: float | None = None,
        message_id: str | None = None,
        api: str = "pipelines_api",
    ) -> bool:
        """Store one event; False (and nothing stored) when ``message_id`` was already seen."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO events (person_pk, anonymous_id, type, name, properties, context, timestamp,"
                " message_id, api) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(message_id) DO NOTHING",
                (
                    person_pk,
                    anonymous_id,
                    type,
                    name,
                    dumps(dict(properties or {})),
                    dumps(dict(context or {})),
                    time.time() if timestamp is None else timestamp,
                    message_id,
                    api,
                ),
            )
            stored = cur.rowcount == 1
            self.counters["events" if stored else "events_deduplicated"] += 1
            return stored

    def events(self, *, person_pk: int | None = None, name: str | None = None) -> list[dict[str, Any]]:
        """Stored events oldest first, optionally for one person or one event name."""
        sql, params = "SELECT * FROM events WHERE 1 = 1", list[Any]()
        if person_pk is not None:
            sql += " AND person_pk = ?"
            params.append(person_pk)
        if name is not None:
            sql += " AND name = ?"
            params.append(name)
        return self.query(sql + " ORDER BY pk", params)

    # --- kv ---------------------------------------------------------------------------

    def kv_set(self, namespace: str, key: str, value: Any) -> None:
        """Store any JSON value under (namespace, key)."""
        self.execute(
            "INSERT INTO kv (namespace, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value",
            (namespace, key, dumps(value)),
        )

    def kv_get(self, namespace: str, key: str, default: Any = None) -> Any:
        """Return the JSON value under (namespace, key), or ``default``."""
        rows = self.query("SELECT value FROM kv WHERE namespace = ? AND key = ?", (namespace, key))
        return orjson.loads(rows[0]["value"]) if rows else default

    def kv_items(self, namespace: str) -> dict[str, Any]:
        """Every key and value in ``namespace``."""
        rows = self.query("SELECT key, value FROM kv WHERE namespace = ? ORDER BY key", (namespace,))
        return {r["key"]: orjson.loads(r["value"]) for r in rows}

    def kv_delete(self, namespace: str, key: str) -> bool:
        """Remove (namespace, key); True if it existed."""
        return self.execute("DELETE FROM kv WHERE namespace = ? AND key = ?", (namespace, key)) > 0
