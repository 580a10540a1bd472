"""Webhook events in PostgreSQL (psycopg 3): the store several receiver processes share.

Each group of deliveries is one ``INSERT ... SELECT FROM unnest(...) ON CONFLICT (event_id) DO
NOTHING RETURNING event_id``: one statement, so one transaction and one round trip in autocommit
mode, committed (and flushed to the server's WAL) before it returns. ``RETURNING`` names exactly
the ids this statement stored, so two processes racing on one id store it once and each learns
whether its copy was the new one. The statement text does not depend on the group size, so the
server plans it once per connection (psycopg prepares it after a few runs).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cio_toolkit._exceptions import ConfigError, CustomerIOError
from cio_toolkit.webhooks._flat import COLUMN_NAMES, FLAT_COLUMNS, flatten_event
from cio_toolkit.webhooks._store_base import (
    ALL_COLUMNS,
    EventStore,
    Item,
    StoreUnavailableError,
    stored_flat_schema,
)

if TYPE_CHECKING:
    import psycopg
    import pyarrow

__all__ = ["PostgresWebhookStore", "is_postgres_url"]

logger = logging.getLogger("cio_toolkit.webhooks")

TABLE = "webhook_events"
_RECONNECT_INTERVAL = 1.0
_RECONNECT_TIMEOUT = 2
_TYPES = {"string": "text", "json": "text", "int": "bigint", "timestamp": "timestamptz"}
_COLUMN_TYPES = (*(_TYPES[kind] for _, kind in FLAT_COLUMNS), "timestamptz", "bytea")
_SELECT_FLAT = ", ".join(f'"{c}"' for c in (*COLUMN_NAMES, "received_at"))
# Every process may create the table at once; this lock makes that one at a time.
_SCHEMA_LOCK = 0x63696F5F7768  # any constant; "cio_wh"
_NAMES = ", ".join(f'"{c}"' for c in COLUMN_NAMES)
_UNNEST = ", ".join(f"%s::{kind}[]" for kind in (*_COLUMN_TYPES[:-2], "bytea"))
_INSERT = (
    f"INSERT INTO {TABLE} ({', '.join(ALL_COLUMNS)}) "
    f"SELECT {_NAMES}, %s::timestamptz, raw FROM unnest({_UNNEST}) AS batch({_NAMES}, raw) "
    f"ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
)
_EXPORT_CHUNK = 10_000


def is_postgres_url(target: object) -> bool:
    """True for a ``postgresql://`` or ``postgres://`` connection URL."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def _describe(url: str) -> str:
    # What a repr or an error may show of a URL: never its password or query options.
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:
        return "postgresql://(unparsable URL)"
    host, port, db = parts.get("host") or "localhost", parts.get("port") or "5432", parts.get("dbname") or ""
    return f"postgresql://{host}:{port}/{db}"


class PostgresWebhookStore(EventStore):
    """Webhook events in a PostgreSQL table, one row per ``event_id``; safe for several processes at once.

    ``url`` is a libpq connection URL (``postgresql://user@host:5432/db``); the table is created
    when missing. Same reads and writes as :class:`WebhookStore`.
    """

    def __init__(self, url: str, *, max_batch: int = 256, connect_timeout: float = 10.0) -> None:
        try:
            import psycopg  # noqa: F401  (a clear message when the extra is missing)
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise ConfigError("the PostgreSQL store needs psycopg: pip install 'cio_toolkit[postgres]'") from exc
        self.url_description = _describe(url)
        self._url = url
        self._connect_timeout = max(1, round(connect_timeout))
        self._reconnect_after = 0.0  # monotonic time before which no reconnection is tried
        try:
            self._con: psycopg.Connection[Any] = self._connect()
        except StoreUnavailableError as exc:
            raise ConfigError(str(exc)) from None
        self._lock = threading.Lock()  # the connection is used by the writer and by readers
        try:
            self._create_table()
        except BaseException:
            self._con.close()
            raise
        super().__init__(max_batch=max_batch)

    def __repr__(self) -> str:
        return f"PostgresWebhookStore({self.url_description!r})"

    def _connect(self, timeout: int | None = None) -> psycopg.Connection[Any]:
        import psycopg

        try:
            return psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=timeout or self._connect_timeout,
                options="-c TimeZone=UTC",
            )
        except psycopg.Error as exc:
            # The server's message names host and port, not the password; the URL is not repeated.
            raise StoreUnavailableError(f"cannot connect to {self.url_description}: {exc}".strip()) from None

    def _reconnect(self) -> None:
        # At most one attempt a second: with the database down, every group would otherwise wait
        # out a connect timeout on the receiver's event loop.
        now = time.monotonic()
        if now < self._reconnect_after:
            raise StoreUnavailableError(f"{self.url_description} is unreachable; retrying shortly")
        self._reconnect_after = now + _RECONNECT_INTERVAL
        self._con.close()
        # A short timeout: the receiver's event loop waits for it (Customer.io waits 4 s).
        self._con = self._connect(min(self._connect_timeout, _RECONNECT_TIMEOUT))
        logger.warning("reconnected to %s", self.url_description)

    def _create_table(self) -> None:
        columns = [f'"{name}" {kind}' for name, kind in zip(ALL_COLUMNS, _COLUMN_TYPES, strict=True)]
        columns[0] += " PRIMARY KEY"
        with self._con.transaction():
            self._con.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEMA_LOCK])
            self._con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({', '.join(columns)})")
        found = [
            row[0]
            for row in self._con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
                [TABLE],
            ).fetchall()
        ]
        if tuple(found) != ALL_COLUMNS:
            raise ConfigError(
                f"{self.url_description}: table {TABLE} has columns {found}, expected {list(ALL_COLUMNS)}; "
                "use another database or schema"
            )

    # --- writes -----------------------------------------------------------------------------

    def _insert(self, items: list[Item], received_at: datetime) -> set[str]:
        rows = [flatten_event(event) for event, _ in items]
        params: list[Any] = [received_at]
        params += [[row[name] for row in rows] for name in COLUMN_NAMES]
        params.append([raw for _, raw in items])
        import psycopg

        with self._lock:
            if self._con.broken:
                self._reconnect()
            try:
                return {r[0] for r in self._con.execute(_INSERT, params).fetchall()}
            except psycopg.OperationalError:
                if not self._con.broken:
                    raise
            # The connection was lost (a database restart, a proxy's idle timeout): one new
            # connection, one more try. Had the lost statement committed, its ids now come back
            # as duplicates: still stored, still acknowledged.
            self._reconnect()
            try:
                return {r[0] for r in self._con.execute(_INSERT, params).fetchall()}
            except psycopg.OperationalError as exc:
                if self._con.broken:
                    raise StoreUnavailableError(f"lost the connection to {self.url_description}: {exc}") from None
                raise

    # --- reads ------------------------------------------------------------------------------

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._closed and self._con.closed:
                raise CustomerIOError(f"{self!r} is closed")
            if self._con.broken:
                self._reconnect()
            return self._con.execute(sql, params).fetchall()

    def count(self) -> int:
        """Number of stored events."""
        return int(self._rows(f"SELECT count(*) FROM {TABLE}")[0][0])

    def event_ids(self) -> set[str]:
        """Every stored ``event_id``."""
        return {r[0] for r in self._rows(f"SELECT event_id FROM {TABLE}")}

    def raw(self, event_id: str) -> bytes | None:
        """The exact body received for ``event_id``, or None."""
        rows = self._rows(f"SELECT raw FROM {TABLE} WHERE event_id = %s", [event_id])
        return bytes(rows[0][0]) if rows else None

    def iter_raw(self) -> Iterator[bytes]:
        """Every stored raw body, oldest first (e.g. to re-parse after an upgrade)."""
        for (body,) in self._rows(f"SELECT raw FROM {TABLE} ORDER BY received_at, event_id"):
            yield bytes(body)

    def _chunks(self) -> Iterator[pyarrow.Table]:
        import pyarrow as pa

        schema = stored_flat_schema()
        with self._lock, self._con.transaction(), self._con.cursor(name="cio_webhook_export") as cur:
            # A server-side cursor: a large table is read a chunk at a time, not into memory.
            cur.execute(f"SELECT {_SELECT_FLAT} FROM {TABLE} ORDER BY timestamp, event_id")
            while rows := cur.fetchmany(_EXPORT_CHUNK):
                columns = list(zip(*rows, strict=True))
                yield pa.Table.from_arrays(
                    [pa.array(col, type=field.type) for col, field in zip(columns, schema, strict=True)],
                    schema=schema,
                )

    def to_arrow(self) -> pyarrow.Table:
        """All events in the flat schema plus ``received_at``, ordered by timestamp."""
        import pyarrow as pa

        return pa.concat_tables([stored_flat_schema().empty_table(), *self._chunks()])

    def export_parquet(self, path: str | Path) -> int:
        """Write every event (flat schema plus ``received_at``) to a Parquet file; return the row count."""
        import pyarrow.parquet as pq

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        count = 0
        with pq.ParquetWriter(target, stored_flat_schema()) as out:
            for chunk in self._chunks():
                out.write_table(chunk)
                count += chunk.num_rows
        return count

    def _close_database(self) -> None:
        with self._lock:
            self._con.close()
