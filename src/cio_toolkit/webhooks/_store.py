"""Durable, deduplicating storage of webhook events in DuckDB.

One writer thread owns every write. Callers enqueue ``(event, raw)`` and get a future that
resolves only after the transaction holding the event has committed, so an acknowledgement never
runs ahead of durability. Whatever queued up while a commit was running goes into the next
transaction (group commit): one commit costs a few milliseconds whether it holds 1 event or 200,
which is what lets a single DuckDB file keep up with many concurrent deliveries.

Every future resolves, whatever happens: the writer claims each one before writing (a waiter that
cancelled is skipped, a claimed one can no longer be cancelled), a failed write fails its batch's
futures and the writer carries on, and if the writer thread ever ends, queued futures fail and
``submit`` refuses new work instead of queueing it for nobody.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cio_toolkit._exceptions import ConfigError, CustomerIOError
from cio_toolkit.webhooks._events import WebhookEvent
from cio_toolkit.webhooks._flat import (
    COLUMN_NAMES,
    DUCKDB_TYPES,
    FLAT_COLUMNS,
    arrow_to_pandas,
    flatten_event,
)

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = ["WebhookStore"]

logger = logging.getLogger("cio_toolkit.webhooks")

TABLE = "webhook_events"
_STOP = object()
_EXTRA_COLUMNS = (("received_at", "TIMESTAMPTZ"), ("raw", "BLOB"))
_ALL_COLUMNS = (*COLUMN_NAMES, "received_at", "raw")
_SELECT_FLAT = ", ".join(f'"{c}"' for c in (*COLUMN_NAMES, "received_at"))
# Up to this many rows per transaction go in as a VALUES list; more go through Arrow (measured).
_VALUES_MAX_ROWS = 8
_BATCH_VIEW = "_cio_webhook_batch"


def _micros(value: datetime | None) -> int | None:
    if value is None:
        return None
    return (value - _EPOCH) // _MICROSECOND


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _stored_flat_schema() -> pyarrow.Schema:
    import pyarrow as pa

    from cio_toolkit.webhooks._flat import flat_schema

    return flat_schema().append(pa.field("received_at", pa.timestamp("us", tz="UTC")))


def _store_schema() -> pyarrow.Schema:
    import pyarrow as pa

    return _stored_flat_schema().append(pa.field("raw", pa.binary()))


def _quote_path(path: str | Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class WebhookStore:
    """Webhook events in a DuckDB file, one row per ``event_id``, in the flat schema plus raw bytes."""

    def __init__(self, path: str | Path = "events.duckdb", *, max_batch: int = 256) -> None:
        try:
            import duckdb
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise ConfigError("WebhookStore needs duckdb: pip install 'cio_toolkit[data]'") from exc
        if max_batch < 1:
            raise ConfigError("max_batch must be at least 1")
        self.path = Path(path)
        self._max_batch = max_batch
        # Imported now so the first large group commit does not pay for it (about 0.3 s).
        import pyarrow  # noqa: F401

        # One DuckDB thread: inserts scan a registered Arrow table through Python callbacks, and
        # DuckDB worker threads taking the GIL for those scans are a known source of deadlocks
        # (duckdb/duckdb#18225); the store is write-mostly, so parallel scans buy little here.
        self._con = duckdb.connect(str(self.path), config={"threads": 1})
        self._con.execute("SET TimeZone = 'UTC'")
        self._create_table()
        placeholders = "(" + ", ".join("?" * len(_ALL_COLUMNS)) + ")"
        self._row_sql = placeholders
        self._insert_head = f"INSERT INTO {TABLE} ({', '.join(_ALL_COLUMNS)}) VALUES "
        self._lock = threading.Lock()  # the connection is used by the writer and by readers
        # The first Arrow insert of a process costs about 0.4 s; pay it here, not on a delivery.
        self._con.register(_BATCH_VIEW, self._arrow_batch([], [], datetime.now(UTC)))
        try:
            self._con.execute(f"INSERT INTO {TABLE} SELECT * FROM {_BATCH_VIEW}")
        finally:
            self._con.unregister(_BATCH_VIEW)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self._close_lock = threading.Lock()
        self._accepting = True  # False once closing or the writer has ended; under _submit_lock
        self._submit_lock = threading.Lock()
        self._writer = threading.Thread(target=self._run, name="cio-webhook-store-writer", daemon=True)
        self._writer.start()

    def __repr__(self) -> str:
        return f"WebhookStore(path={str(self.path)!r})"

    def _create_table(self) -> None:
        columns = [f'"{name}" {DUCKDB_TYPES[kind]}' for name, kind in FLAT_COLUMNS]
        columns[0] += " PRIMARY KEY"
        columns += [f'"{name}" {kind}' for name, kind in _EXTRA_COLUMNS]
        self._con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({', '.join(columns)})")
        found = [row[0] for row in self._con.execute(f"DESCRIBE {TABLE}").fetchall()]
        if tuple(found) != _ALL_COLUMNS:
            raise ConfigError(
                f"{self.path}: table {TABLE} has columns {found}, expected {list(_ALL_COLUMNS)}; "
                "use a new store file"
            )

    # --- writes -----------------------------------------------------------------------------

    def submit(self, event: WebhookEvent, raw: bytes) -> Future[bool]:
        """Queue ``event`` for storage; the future gives True once committed, False if a duplicate."""
        future: Future[bool] = Future()
        item = (event, bytes(raw), future)
        with self._submit_lock:
            if not self._accepting:
                state = "is closed" if self._closed else "has no writer (it stopped; see the log)"
                raise CustomerIOError(f"{self!r} {state}")
            self._queue.put(item)
        return future

    def add(self, event: WebhookEvent, raw: bytes) -> bool:
        """Store ``event`` durably; return False if its ``event_id`` was already stored."""
        return self.submit(event, raw).result()

    def _run(self) -> None:
        try:
            stop = False
            while not stop:
                item = self._queue.get()
                if item is _STOP:
                    break
                batch = [item]
                while len(batch) < self._max_batch:
                    try:
                        nxt = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if nxt is _STOP:
                        stop = True
                        break
                    batch.append(nxt)
                self._write(batch)
        finally:
            with self._submit_lock:
                self._accepting = False
            self._fail_queued("the store's writer stopped before the event was stored")

    def _write(self, batch: list[tuple[WebhookEvent, bytes, Future[bool]]]) -> None:
        # Claim first: skips waiters that gave up, and a claimed future cannot be cancelled, so
        # resolving it below cannot raise (an InvalidStateError here used to end the thread).
        live = [item for item in batch if item[2].set_running_or_notify_cancel()]
        if not live:
            return
        try:
            results = self._write_batch([(event, raw) for event, raw, _ in live])
        except BaseException as exc:
            # _write_batch already isolates row errors; this is the unforeseen. Nobody may wait
            # forever, and the writer keeps serving later batches unless the process is exiting.
            logger.exception("group commit of %d events failed", len(live))
            for _, _, future in live:
                future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for (_, _, future), result in zip(live, results, strict=True):
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

    def _fail_queued(self, reason: str) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not _STOP and item[2].set_running_or_notify_cancel():
                item[2].set_exception(CustomerIOError(f"{self!r}: {reason}"))

    def write_batch(self, items: list[tuple[WebhookEvent, bytes]]) -> list[bool | Exception]:
        """Store ``items`` in one transaction, in the calling thread; per item: new, duplicate or error.

        Blocks until committed. The receiver calls this on its event-loop thread (see
        ``_receiver``); other callers normally use :meth:`add` or :meth:`submit`.
        """
        if self._closed:
            raise CustomerIOError(f"{self!r} is closed")
        return self._write_batch(items)

    def _write_batch(self, items: list[tuple[WebhookEvent, bytes]]) -> list[bool | Exception]:
        received_at = datetime.now(UTC)
        first: dict[str, tuple[WebhookEvent, bytes]] = {}
        for event, raw in items:
            first.setdefault(event.event_id, (event, raw))
        failed: dict[str, Exception] = {}
        try:
            inserted = self._insert(list(first.values()), received_at)
        except Exception:
            # One bad row must not fail its neighbours: retry each on its own.
            logger.exception("batch insert of %d events failed; retrying one by one", len(first))
            inserted = set()
            for event_id, (event, raw) in first.items():
                try:
                    inserted |= self._insert([(event, raw)], received_at)
                except Exception as exc:
                    failed[event_id] = exc
        results: list[bool | Exception] = []
        for event, _ in items:
            if event.event_id in failed:
                results.append(failed[event.event_id])
                continue
            # Only the first copy of an id in the batch counts as new; later copies are duplicates.
            results.append(event.event_id in inserted)
            inserted.discard(event.event_id)
        return results

    def _insert(self, items: list[tuple[WebhookEvent, bytes]], received_at: datetime) -> set[str]:
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

    def _insert_rows(
        self, rows: list[dict[str, Any]], items: list[tuple[WebhookEvent, bytes]], received_at: datetime
    ) -> None:
        registered = False
        self._con.execute("BEGIN TRANSACTION")
        try:
            if len(rows) <= _VALUES_MAX_ROWS:
                self._insert_values(rows, items, received_at)
            else:
                self._con.register(_BATCH_VIEW, self._arrow_batch(rows, items, received_at))
                registered = True
                self._con.execute(
                    f"INSERT INTO {TABLE} ({', '.join(_ALL_COLUMNS)}) SELECT * FROM {_BATCH_VIEW}"
                )
            self._con.execute("COMMIT")
        except Exception:
            self._con.execute("ROLLBACK")
            raise
        finally:
            # Only after COMMIT/ROLLBACK: an aborted transaction refuses even unregister().
            if registered:
                self._con.unregister(_BATCH_VIEW)

    def _insert_values(
        self, rows: list[dict[str, Any]], items: list[tuple[WebhookEvent, bytes]], received_at: datetime
    ) -> None:
        # A parameterised VALUES list is the cheapest path for a handful of rows...
        params: list[Any] = []
        for row, (_, raw) in zip(rows, items, strict=True):
            params.extend(row[name] for name in COLUMN_NAMES)
            params.append(received_at)
            params.append(raw)
        self._con.execute(f"{self._insert_head}{', '.join([self._row_sql] * len(rows))}", params)

    @staticmethod
    def _arrow_batch(
        rows: list[dict[str, Any]], items: list[tuple[WebhookEvent, bytes]], received_at: datetime
    ) -> pyarrow.Table:
        # ...but binding cost grows with every parameter, so bigger groups go through Arrow.
        import pyarrow as pa

        columns: dict[str, list[Any]] = {name: [row[name] for row in rows] for name in COLUMN_NAMES}
        # Integer microseconds convert far faster than tz-aware datetimes.
        columns["timestamp"] = [_micros(ts) for ts in columns["timestamp"]]
        columns["received_at"] = [_micros(received_at)] * len(rows)
        columns["raw"] = [raw for _, raw in items]
        return pa.Table.from_pydict(columns, schema=_store_schema())

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
        return table.cast(_stored_flat_schema())

    def to_pandas(self) -> pandas.DataFrame:
        """All events as a DataFrame (same columns as :meth:`to_arrow`)."""
        return arrow_to_pandas(self.to_arrow())

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

    # --- lifecycle --------------------------------------------------------------------------

    def close(self, timeout: float = 10.0) -> None:
        """Finish queued writes (up to ``timeout`` seconds), then close the database."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        with self._submit_lock:  # after this nothing more is queued
            self._accepting = False
        self._queue.put(_STOP)
        self._writer.join(timeout)
        if self._writer.is_alive():
            logger.error("store writer did not finish within %.1f s; closing anyway", timeout)
        # Anything still queued was never committed: fail it rather than leave callers waiting.
        self._fail_queued("closed before the event was stored")
        with self._lock:
            self._con.close()

    def __enter__(self) -> WebhookStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
