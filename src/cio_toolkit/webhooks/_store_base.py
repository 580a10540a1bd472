"""What every webhook store does the same way: group commit, idempotency, and never a lost waiter.

A store (:class:`EventStore`) keeps one row per ``event_id``. Each backend (DuckDB in
``_store``, PostgreSQL in ``_store_postgres``) only supplies its SQL: ``_insert`` writes a group of
rows in one transaction and says which ids were new, and the reads. Everything else lives here.

One writer thread owns the writes of :meth:`EventStore.submit`: callers get a future that resolves
only after the transaction holding the event has committed, so an acknowledgement never runs
ahead of durability. Whatever queued up while a commit was running goes into the next
transaction (group commit): a commit costs about the same for 1 event or 200.

Every future resolves, whatever happens: the writer claims each one before writing (a waiter that
cancelled is skipped, a claimed one can no longer be cancelled), a failed write fails its batch's
futures and the writer carries on, and if the writer thread ever ends, queued futures fail and
``submit`` refuses new work instead of queueing it for nobody.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from cio_toolkit._exceptions import ConfigError, CustomerIOError
from cio_toolkit.webhooks._events import WebhookEvent
from cio_toolkit.webhooks._flat import COLUMN_NAMES, arrow_to_pandas

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = ["ALL_COLUMNS", "EventStore", "StoreUnavailableError", "stored_flat_schema", "stored_schema"]

logger = logging.getLogger("cio_toolkit.webhooks")

ALL_COLUMNS = (*COLUMN_NAMES, "received_at", "raw")
_STOP = object()
Item = tuple[WebhookEvent, bytes]


class StoreUnavailableError(CustomerIOError):
    """The database cannot be reached: the whole group fails at once (no row-by-row retry)."""


@functools.cache  # built per group commit otherwise: about 2% of a busy receiver's time (profiled)
def stored_flat_schema() -> pyarrow.Schema:
    """The flat schema plus ``received_at``: what ``to_arrow`` returns for every backend."""
    import pyarrow as pa

    from cio_toolkit.webhooks._flat import flat_schema

    return flat_schema().append(pa.field("received_at", pa.timestamp("us", tz="UTC")))


@functools.cache
def stored_schema() -> pyarrow.Schema:
    """Every stored column, ``raw`` included."""
    import pyarrow as pa

    return stored_flat_schema().append(pa.field("raw", pa.binary()))


class EventStore(ABC):
    """Webhook events stored durably, one row per ``event_id``; subclasses supply the database."""

    def __init__(self, *, max_batch: int = 256) -> None:
        if max_batch < 1:
            raise ConfigError("max_batch must be at least 1")
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False
        self._close_lock = threading.Lock()
        self._accepting = True  # False once closing or the writer has ended; under _submit_lock
        self._submit_lock = threading.Lock()
        self._writer = threading.Thread(target=self._run, name="cio-webhook-store-writer", daemon=True)
        self._writer.start()

    # --- what a backend supplies -------------------------------------------------------------

    @abstractmethod
    def _insert(self, items: list[Item], received_at: datetime) -> set[str]:
        """Insert ``items`` (distinct ids) in one transaction; return the ids that were not stored yet."""

    @abstractmethod
    def _close_database(self) -> None:
        """Release the connection (the writer has stopped)."""

    @abstractmethod
    def count(self) -> int:
        """Number of stored events."""

    @abstractmethod
    def event_ids(self) -> set[str]:
        """Every stored ``event_id``."""

    @abstractmethod
    def raw(self, event_id: str) -> bytes | None:
        """The exact body received for ``event_id``, or None."""

    @abstractmethod
    def iter_raw(self) -> Iterator[bytes]:
        """Every stored raw body, oldest first (e.g. to re-parse after an upgrade)."""

    @abstractmethod
    def to_arrow(self) -> pyarrow.Table:
        """All events in the flat schema plus ``received_at``, ordered by timestamp."""

    @abstractmethod
    def export_parquet(self, path: str | Path) -> int:
        """Write every event (flat schema plus ``received_at``) to a Parquet file; return the row count."""

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

    def write_batch(self, items: list[Item]) -> list[bool | Exception]:
        """Store ``items`` in one transaction, in the calling thread; per item: new, duplicate or error.

        Blocks until committed. The receiver calls this on its event-loop thread (see
        ``_receiver``); other callers normally use :meth:`add` or :meth:`submit`.
        """
        if self._closed:
            raise CustomerIOError(f"{self!r} is closed")
        return self._write_batch(items)

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

    def _write_batch(self, items: list[Item]) -> list[bool | Exception]:
        received_at = datetime.now(UTC)
        first: dict[str, Item] = {}
        for event, raw in items:
            first.setdefault(event.event_id, (event, raw))
        failed: dict[str, Exception] = {}
        try:
            inserted = self._insert(list(first.values()), received_at)
        except StoreUnavailableError as exc:
            # Retrying row by row would only wait for the unreachable database once per row.
            logger.error("group commit of %d events failed: %s", len(first), exc)
            return [exc] * len(items)
        except Exception:
            # One bad row must not fail its neighbours: retry each on its own.
            logger.exception("batch insert of %d events failed; retrying one by one", len(first))
            inserted = set()
            for event_id, item in first.items():
                try:
                    inserted |= self._insert([item], received_at)
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

    # --- reads ------------------------------------------------------------------------------

    def to_pandas(self) -> pandas.DataFrame:
        """All events as a DataFrame (same columns as :meth:`to_arrow`)."""
        return arrow_to_pandas(self.to_arrow())

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
        self._close_database()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
