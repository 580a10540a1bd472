"""Sending a bulk load: spooled batches -> concurrent requests through the client's public send path.

Each acknowledged request is committed to the journal before it counts; a batch the API
refuses as invalid is split in halves until the offending rows are found; a failure inside a
worker stops the run and fails the rows it concerns. Requests are built by the same builders
the clients use (:mod:`..pipelines._requests`, :mod:`..track._requests`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .. import _constants as C
from .._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    CustomerIOError,
    PermissionDeniedError,
)
from .._transport import RequestSpec, RetryPolicy
from .._wire import partial_errors
from ..pipelines._batch import PackedBatch
from ..pipelines._requests import batch_spec, single_call_spec
from ..track._requests import v2_batch_spec
from ._journal import Journal
from ._progress import Progress
from ._report import LoadReport
from ._spool import _Batch

__all__ = ["_Run", "client_for"]


def client_for(cio: Any, api: str) -> Any:
    """The API client to send through: a CustomerIO facade, or a Pipelines/Track client itself."""
    if getattr(cio, "api", None) == api and hasattr(cio, "request"):
        return cio
    client = getattr(cio, "pipelines" if api == "pipelines" else "track", None)
    if client is None or not hasattr(client, "request"):
        raise ConfigError(f"bulk load on the {api} API needs a CustomerIO (or a {api} client), got {type(cio).__name__}")
    return client


@dataclass(kw_only=True, eq=False)
class _Run:
    """One send pass: batches in, requests out (``concurrency`` in flight), outcomes into the report."""

    client: Any
    api: str
    report: LoadReport
    journal: Journal | None
    concurrency: int
    retry: RetryPolicy
    progress: Progress
    on_ack: Callable[[list[str]], None] | None
    keyed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    fatal: BaseException | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        # Pipelines alias calls are sent one by one (/v1/batch cannot carry them).
        self.single = "alias" if (self.api, self.report.kind) == ("pipelines", "alias") else None

    def _stop(self, exc: BaseException) -> None:
        """Stop the run on ``exc`` (the first such error is the one raised)."""
        with self.lock:
            if self.fatal is None:
                self.fatal = exc

    def spec(self, batch: _Batch) -> tuple[RequestSpec, int]:
        """The request for ``batch`` and its uncompressed size."""
        if self.api == "track":
            body = batch.body()
            return v2_batch_spec(body), len(body)
        strict = getattr(self.client, "strict", True)
        if self.single:
            call = batch.calls()[0]
            return single_call_spec({"type": self.single, "messageId": batch.ids[0]}, strict=strict,
                                    encoded=call), len(call)
        body = b"" if batch.gz is not None else batch.body()
        raw_size = batch.raw_size
        if batch.gz is None and raw_size >= C.GZIP_MIN_BYTES:
            batch.compress()  # halves of a split batch; spooled batches come compressed
        spec = batch_spec(PackedBatch(batch.gz or body, batch.ids), strict=strict)
        if batch.gz is not None:
            spec.headers["Content-Encoding"] = "gzip"
        return spec, raw_size

    def deliver(self, batch: _Batch) -> None:
        """Send one spooled batch (in a worker); any failure stops the run and fails the rows it left open."""
        settled: list[_Batch] = []
        try:
            self._deliver(batch, settled)
        except Exception as exc:
            self._stop(exc)
            done = {o for b in settled for o in b.ordinals}
            left = [i for i, o in enumerate(batch.ordinals) if o not in done]
            if left:
                rest = _Batch([], [batch.ordinals[i] for i in left], [batch.ids[i] for i in left],
                              [batch.keys[i] for i in left])
                self._failed(rest, f"not acknowledged: the load stopped on {type(exc).__name__}: {exc}")

    def _deliver(self, batch: _Batch, settled: list[_Batch]) -> None:
        if self.fatal is not None:
            self._failed(batch, "not sent: the load stopped on an earlier error", settled)
            return
        spec, raw_size = self.spec(batch)
        with self.lock:
            self.report.sent += len(batch)
        try:
            resp = self.client.request(spec, retry=self.retry)
        except (AuthenticationError, PermissionDeniedError, ConfigError) as exc:
            # Every other request would fail the same way: stop the run, keep the journal.
            self._stop(exc)
            self._failed(batch, f"{type(exc).__name__}: {exc.message}", settled)
            return
        except (BadRequestError, APIError) as exc:
            if isinstance(exc, BadRequestError) or exc.status == 413:
                self._bisect(batch, exc, settled)
            else:
                self._failed(batch, f"{type(exc).__name__}: {exc.message}", settled)
            return
        except CustomerIOError as exc:
            self._failed(batch, f"{type(exc).__name__}: {exc.message}", settled)
            return
        with self.lock:
            self.report.requests += 1
            self.report.retries += resp.attempts - 1
            self.report.bytes_sent += raw_size
            self.report.wire_bytes += len(spec.content or b"")
        bad = self._partial_errors(resp)
        if bad:
            good = _Batch()
            for i in range(len(batch)):
                if i in bad:
                    self._failed(batch.one(i), f"refused by the API: {bad[i]}", settled)
                else:
                    good.ordinals.append(batch.ordinals[i])
                    good.ids.append(batch.ids[i])
                    good.keys.append(batch.keys[i])
            batch = good
        self._acked(batch, settled)

    def _partial_errors(self, resp: Any) -> dict[int, str]:
        # Track v2 answers 207 naming the entries it refused; the others are accepted.
        if self.api != "track" or resp.status != 207:
            return {}
        return {err.position: f"{err.field or ''} {err.reason or err.message or ''}".strip()
                for err in partial_errors(resp.data) if err.position is not None}

    def _bisect(self, batch: _Batch, exc: CustomerIOError, settled: list[_Batch]) -> None:
        with self.lock:
            self.report.requests += 1
            self.report.sent -= len(batch)
        if len(batch) == 1:
            with self.lock:
                self.report.sent += 1
            self._failed(batch, f"refused by the API: {exc.message}", settled)
            return
        for half in batch.split():
            self._deliver(half, settled)

    def _acked(self, batch: _Batch, settled: list[_Batch]) -> None:
        if not batch.ids:
            return
        try:
            if self.journal is not None:
                self.journal.ack(self.report.job, batch.ids, keys=batch.keys if self.keyed else None)
            if self.on_ack is not None:
                self.on_ack(batch.ids)
        except Exception as exc:
            # Delivered, but not recorded: counted as failed (a resume sends them again, deduplicated
            # by messageId), and the run stops, since the next write would fail the same way.
            err = self._journal_error(exc)
            self._stop(err)
            self._failed(batch, "delivered, but the acknowledgement could not be recorded "
                                f"({getattr(err, 'problem', type(err).__name__)}); a resume sends these again", settled)
            return
        with self.lock:
            self.report.acknowledged += len(batch)
        settled.append(batch)
        self.progress.update(len(batch))

    def _journal_error(self, exc: Exception) -> Exception:
        if self.journal is not None and isinstance(exc, sqlite3.Error | OSError):
            return self.journal._error(exc, f"record acknowledged rows of job {self.report.job!r}")
        return exc

    def _failed(self, batch: _Batch, reason: str, settled: list[_Batch] | None = None) -> None:
        with self.lock:
            self.report._fail(batch.ordinals, batch.keys, batch.ids, reason)
        if settled is not None:
            settled.append(batch)
        self.progress.update(len(batch))

    def send_all(self, batches: Iterator[_Batch]) -> None:
        slots = threading.BoundedSemaphore(self.concurrency * 2)

        def done(f: Future[None]) -> None:
            slots.release()
            # deliver() handles every Exception itself; anything else still stops the run.
            if not f.cancelled() and (exc := f.exception()) is not None:
                self._stop(exc)

        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="cio-bulk") as pool:
            try:
                for batch in batches:
                    slots.acquire()
                    if self.fatal is not None:
                        slots.release()
                        self._failed(batch, "not sent: the load stopped on an earlier error")
                        continue
                    pool.submit(self.deliver, batch).add_done_callback(done)
            except BaseException:
                # Ctrl-C or a source error: stop queuing, let in-flight requests finish and journal.
                pool.shutdown(wait=True, cancel_futures=True)
                raise
