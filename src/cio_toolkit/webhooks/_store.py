"""Durable, deduplicating storage of webhook events in DuckDB (the embedded default store).

The group commit, idempotency and lifecycle are :class:`~cio_toolkit.webhooks._store_base.EventStore`'s;
this module holds DuckDB's SQL. DuckDB allows one writing process per file: for several receiver
processes use the PostgreSQL store (``_store_postgres``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cio_toolkit._exceptions import ConfigError
from cio_toolkit.webhooks._flat import COLUMN_NAMES, DUCKDB_TYPES, FLAT_COLUMNS, flatten_event
from cio_toolkit.webhooks._store_base import (
    ALL_COLUMNS,
    EventStore,
    Item,
    stored_flat_schema,
    stored_schema,
)

if TYPE_CHECKING:
    import pyarrow

__all__ = ["WebhookStore", "open_store"]

TABLE = "webhook_events"
_EXTRA_COLUMNS = (("received_at", "TIMESTAMPTZ"), ("raw", "BLOB"))
_SELECT_FLAT = ", ".join(f'"{c}"' for c in (*COLUMN_NAMES, "received_at"))
# Up to this many rows per transaction go in as a VALUES list; more go through Arrow (measured).
_VALUES_MAX_ROWS = 8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _micros(value: datetime | None) -> int | None:
    if value is None:
        return None
    return (value - _EPOCH) // _MICROSECOND


def _quote_path(path: str | Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class WebhookStore(EventStore):
    """Webhook events in a DuckDB file, one row per ``event_id``, in the flat schema plus raw bytes."""

    def __init__(self, path: str | Path = "events.duckdb", *, max_batch: int = 256) -> None:
        try:
            import duckdb
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise ConfigError("WebhookStore needs duckdb: pip install 'cio_toolkit[data]'") from exc
        if max_batch < 1:
            raise ConfigError("max_batch must be at least 1")
        self.path = Path(path)
        # Imported now so the first large group commit does not pay for it (about 0.3 s).
        import pyarrow  # noqa: F401

        # One DuckDB thread: inserts scan an Arrow table through Python callbacks, and DuckDB
        # worker threads taking the GIL for those scans are a known source of deadlocks
        # (duckdb/duckdb#18225); the store is write-mostly, so parallel scans buy little here.
        self._con = duckdb.connect(str(self.path), config={"threads": 1})
        self._con.execute("SET TimeZone = 'UTC'")
        self._create_table()
        placeholders = "(" + ", ".join("?" * len(ALL_COLUMNS)) + ")"
        self._row_sql = placeholders
        self._insert_head = f"INSERT INTO {TABLE} ({', '.join(ALL_COLUMNS)}) VALUES "
        self._lock = threading.Lock()  # the connection is used by the writer and by readers
        # The first Arrow insert of a process costs about 0.4 s; pay it here, not on a delivery.
        self._con.from_arrow(self._arrow_batch([], [], datetime.now(UTC))).insert_into(TABLE)
        super().__init__(max_batch=max_batch)

    def __repr__(self) -> str:
        return f"WebhookStore(path={str(self.path)!r})"

    def _create_table(self) -> None:
        columns = [f'"{name}" {DUCKDB_TYPES[kind]}' for name, kind in FLAT_COLUMNS]
        columns[0] += " PRIMARY KEY"
        columns += [f'"{name}" {kind}' for name, kind in _EXTRA_COLUMNS]
        self._con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({', '.join(columns)})")
        found = [row[0] for row in self._con.execute(f"DESCRIBE {TABLE}").fetchall()]
        if tuple(found) != ALL_COLUMNS:
            raise ConfigError(
                f"{self.path}: table {TABLE} has columns {found}, expected {list(ALL_COLUMNS)}; "
                "use a new store file"
            )

    # --- writes -----------------------------------------------------------------------------

    def _insert(self, items: list[Item], received_at: datetime) -> set[str]:
        # Duplicates are rare (retries), so try a plain INSERT first; ON CONFLICT DO NOTHING or a
        # look-up before every insert would each add 1-2 ms to every commit (measured).
        import duckdb

        rows = [flatten_event(event) for event, _ in items]
        with self._lock:
            try:
                self._insert_rows(rows, items, received_at)
                return {row["event_id"] for row in rows}
            except duckdb.ConstraintException:
                pass
            # Some ids are already stored: find them through the primary key and insert the rest.
            ids = [row["event_id"] for row in rows]
            existing_sql = f"SELECT event_id FROM {TABLE} WHERE event_id IN ({', '.join('?' * len(ids))})"
            existing = {r[0] for r in self._con.execute(existing_sql, ids).fetchall()}
            keep = [i for i, row in enumerate(rows) if row["event_id"] not in existing]
            if keep:
                self._insert_rows([rows[i] for i in keep], [items[i] for i in keep], received_at)
            return {rows[i]["event_id"] for i in keep}

    def _insert_rows(self, rows: list[dict[str, Any]], items: list[Item], received_at: datetime) -> None:
        # One statement, so one transaction in autocommit mode: an explicit BEGIN/COMMIT pair and
        # registering a view cost about 1 ms more per group (measured).
        if len(rows) <= _VALUES_MAX_ROWS:
            self._insert_values(rows, items, received_at)
        else:
            self._con.from_arrow(self._arrow_batch(rows, items, received_at)).insert_into(TABLE)

    def _insert_values(self, rows: list[dict[str, Any]], items: list[Item], received_at: datetime) -> None:
        # A parameterised VALUES list is the cheapest path for a handful of rows...
        params: list[Any] = []
        for row, (_, raw) in zip(rows, items, strict=True):
            params.extend(row[name] for name in COLUMN_NAMES)
            params.append(received_at)
            params.append(raw)
        self._con.execute(f"{self._insert_head}{', '.join([self._row_sql] * len(rows))}", params)

    @staticmethod
    def _arrow_batch(rows: list[dict[str, Any]], items: list[Item], received_at: datetime) -> pyarrow.Table:
        # ...but binding cost grows with every parameter, so bigger groups go through Arrow.
        import pyarrow as pa

        columns: dict[str, list[Any]] = {name: [row[name] for row in rows] for name in COLUMN_NAMES}
        # Integer microseconds convert far faster than tz-aware datetimes.
        columns["timestamp"] = [_micros(ts) for ts in columns["timestamp"]]
        columns["received_at"] = [_micros(received_at)] * len(rows)
        columns["raw"] = [raw for _, raw in items]
        return pa.Table.from_pydict(columns, schema=stored_schema())

    # --- reads ------------------------------------------------------------------------------

    def count(self) -> int:
        """Number of stored events."""
        with self._lock:
            rows = self._con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()
        return int(rows[0][0])

    def event_ids(self) -> set[str]:
        """Every stored ``event_id``."""
        with self._lock:
            return {r[0] for r in self._con.execute(f"SELECT event_id FROM {TABLE}").fetchall()}

    def raw(self, event_id: str) -> bytes | None:
        """The exact body received for ``event_id``, or None."""
        with self._lock:
            rows = self._con.execute(f"SELECT raw FROM {TABLE} WHERE event_id = ?", [event_id]).fetchall()
        return bytes(rows[0][0]) if rows else None

    def iter_raw(self) -> Iterator[bytes]:
        """Every stored raw body, oldest first (e.g. to re-parse after an upgrade)."""
        with self._lock:
            rows = self._con.execute(f"SELECT raw FROM {TABLE} ORDER BY received_at, event_id").fetchall()
        for (body,) in rows:
            yield bytes(body)

    def to_arrow(self) -> pyarrow.Table:
        """All events in the flat schema plus ``received_at``, ordered by timestamp."""
        with self._lock:
            table = self._con.sql(
                f"SELECT {_SELECT_FLAT} FROM {TABLE} ORDER BY timestamp, event_id"
            ).to_arrow_table()
        return table.cast(stored_flat_schema())

    def export_parquet(self, path: str | Path) -> int:
        """Write every event (flat schema plus ``received_at``) to a Parquet file; return the row count."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            rows = self._con.execute(
                f"COPY (SELECT {_SELECT_FLAT} FROM {TABLE} ORDER BY timestamp, event_id) "
                f"TO {_quote_path(target)} (FORMAT parquet)"
            ).fetchall()
        return int(rows[0][0])

    def _close_database(self) -> None:
        with self._lock:
            self._con.close()


def open_store(target: str | Path) -> EventStore:
    """The store at ``target``: PostgreSQL for a ``postgresql://`` URL, otherwise a DuckDB file path."""
    from cio_toolkit.webhooks._store_postgres import PostgresWebhookStore, is_postgres_url

    if is_postgres_url(target):
        return PostgresWebhookStore(str(target))
    return WebhookStore(target)
