"""Bulk load: source -> validated calls -> packed batches -> concurrent, journaled delivery.

The flow of one run:

1. Pre-flight: every row is mapped, validated and encoded; rejected rows go to the report;
   rows a previous run of the same job already delivered are skipped (journal); valid calls
   are packed byte-exactly into batches and spooled (in memory, then a temporary file). Nothing is sent yet,
   and ``dry_run`` stops here.
2. Send: the spooled batches go out through the shared transport (retries, rate limiter),
   ``concurrency`` requests in flight. Each acknowledged request is committed to the journal
   before it counts, so a run killed at any instant resumes with exactly what is missing.
   A batch the API refuses as invalid is split in halves until the offending rows are found;
   the rest of it is still delivered.

A failure inside a worker (a journal write refused by a full disk, a bug) stops the run: the
rows it concerns count as failed, never as acknowledged, and ``load`` raises. The report's
status is derived from its numbers (:meth:`LoadReport._settle`): ``complete`` only when every
row read is acknowledged, rejected or skipped and none failed.

A resume checks the source against the fingerprint the job recorded (:mod:`._fingerprint`):
without a ``key`` a changed source is refused before anything is sent; with a ``key`` the
rows whose content changed since they were delivered are counted in ``changed``.
"""

from __future__ import annotations

import queue
import sqlite3
import struct
import tempfile
import threading
import time
import uuid
import warnings
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from .. import _constants as C
from .._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    CustomerIOError,
    PermissionDeniedError,
    ValidationError,
)
from .._transport import RequestSpec, RetryPolicy
from ..pipelines._batch import PackedBatch
from ..pipelines._client import batch_spec
from ._fingerprint import Digest, Fingerprint, changed_source_error
from ._journal import DEFAULT_JOURNAL, AckedIds, Journal, JournalError, key_hashes
from ._mapping import KINDS, ColumnMap, Encoded, Rejected, RowEncoder
from ._progress import Progress, make_progress
from ._sources import DEFAULT_BATCH_ROWS, Source, open_source

if TYPE_CHECKING:
    import os

    import pandas as pd

__all__ = ["LoadReport", "RejectedRowsError", "load", "BULK_RETRY"]

# Bulk work outlasts a 5xx storm rather than failing rows: more attempts, a longer budget.
BULK_RETRY = RetryPolicy(max_retries=12, backoff_base=0.25, backoff_cap=20.0, budget=900.0)
_MAX_REPORTED = 100_000  # rejected/failed rows kept in the report (counts stay exact beyond it)
_HEAD = b'{"batch":['
_TAIL = b"]}"


class RejectedRowsError(ValidationError):
    """More rows were rejected in pre-flight than ``max_rejected`` allows; nothing was sent."""

    def __init__(self, message: str, *, report: LoadReport, limit: int) -> None:
        super().__init__(message, field="max_rejected", limit=limit, actual=report.rejected)
        self.report = report


@dataclass
class LoadReport:
    """What a load did: rows read, rejected, skipped, sent, acknowledged, failed, and why."""

    job: str
    kind: str
    api: str
    target: str
    source: str
    status: str = "running"
    rows_read: int = 0
    rejected: int = 0
    skipped: int = 0
    sent: int = 0
    acknowledged: int = 0
    failed: int = 0
    changed: int = 0
    requests: int = 0
    retries: int = 0
    bytes_sent: int = 0
    wire_bytes: int = 0
    seconds: float = 0.0
    mapping: dict[str, Any] = field(default_factory=dict)
    rejected_reasons: Counter[str] = field(default_factory=Counter)
    failed_reasons: Counter[str] = field(default_factory=Counter)
    non_finite: Counter[str] = field(default_factory=Counter)
    _rejections: list[tuple[Any, ...]] = field(default_factory=list, repr=False)
    _failures: list[tuple[Any, ...]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        """True when every valid row is acknowledged (now or by an earlier run of the job)."""
        if self.status == "dry-run":
            return self.failed == 0
        return self.status == "complete" and self.failed == 0 and self.accounted == self.rows_read

    @property
    def accounted(self) -> int:
        """Rows with a known outcome: acknowledged, failed, rejected or skipped."""
        return self.acknowledged + self.failed + self.rejected + self.skipped

    @property
    def rows_per_second(self) -> float:
        """Acknowledged rows per second of this run."""
        return self.acknowledged / self.seconds if self.seconds > 0 else 0.0

    def rejections(self) -> pd.DataFrame:
        """Rows refused in pre-flight: row (0-based position), key, field, reason, limit, actual."""
        import pandas as pd

        return pd.DataFrame(self._rejections, columns=["row", "key", "field", "reason", "limit", "actual"])

    def failures(self) -> pd.DataFrame:
        """Rows sent but not acknowledged: row, key, message_id, reason (resume to retry them)."""
        import pandas as pd

        return pd.DataFrame(self._failures, columns=["row", "key", "message_id", "reason"])

    def summary(self) -> dict[str, Any]:
        """The counts as a plain dict (JSON-friendly)."""
        return {
            "job": self.job, "kind": self.kind, "api": self.api, "status": self.status,
            "rows_read": self.rows_read, "rejected": self.rejected, "skipped": self.skipped, "sent": self.sent,
            "acknowledged": self.acknowledged, "failed": self.failed, "changed": self.changed,
            "requests": self.requests, "retries": self.retries, "bytes_sent": self.bytes_sent,
            "wire_bytes": self.wire_bytes, "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "rejected_reasons": dict(self.rejected_reasons), "failed_reasons": dict(self.failed_reasons),
            "non_finite": dict(self.non_finite),
        }

    def to_pandas(self) -> pd.DataFrame:
        """The delivery report as a one-column DataFrame (metric -> value)."""
        import pandas as pd

        s = self.summary()
        rows = [(k, s[k]) for k in ("job", "kind", "api", "status", "rows_read", "rejected", "skipped", "sent",
                                    "acknowledged", "failed", "requests", "retries", "bytes_sent", "wire_bytes", "seconds",
                                    "rows_per_second")]
        if self.changed:
            rows.append(("changed since the interrupted run", self.changed))
        rows += [(f"rejected: {r}", n) for r, n in self.rejected_reasons.most_common()]
        rows += [(f"failed: {r}", n) for r, n in self.failed_reasons.most_common()]
        rows += [(f"NaN/inf (as empty cells): {c}", n) for c, n in self.non_finite.most_common()]
        return pd.DataFrame(rows, columns=["metric", "value"]).set_index("metric")

    def _repr_html_(self) -> str:
        return str(self.to_pandas().to_html())

    def __repr__(self) -> str:
        return (f"LoadReport(job={self.job!r}, kind={self.kind!r}, status={self.status!r}, read={self.rows_read}, "
                f"rejected={self.rejected}, skipped={self.skipped}, sent={self.sent}, "
                f"acknowledged={self.acknowledged}, failed={self.failed})")

    def __str__(self) -> str:
        lines = [f"{self.kind} load {self.job!r} -> {self.target}: {self.status}"]
        lines.append(
            f"  read {self.rows_read:,}  rejected {self.rejected:,}  skipped (already delivered) {self.skipped:,}  "
            f"sent {self.sent:,}  acknowledged {self.acknowledged:,}  failed {self.failed:,}"
        )
        lines.append(f"  {self.requests:,} requests ({self.retries:,} retries), {self.bytes_sent / 1e6:.1f} MB JSON "
                     f"({self.wire_bytes / 1e6:.1f} MB on the wire), "
                     f"{self.seconds:.1f} s, {self.rows_per_second:,.0f} rows/s")
        if self.changed:
            lines.append(f"  changed since the interrupted run: {self.changed:,} rows (sent as new events: their "
                         "key was delivered before with other content)")
        for label, reasons in (("rejected", self.rejected_reasons), ("failed", self.failed_reasons)):
            for reason, n in reasons.most_common(5):
                lines.append(f"  {label}: {n:,} x {reason}")
        if self.non_finite:
            cells = ", ".join(f"{n:,} in {c!r}" for c, n in self.non_finite.most_common())
            lines.append(f"  NaN/inf (no JSON form, treated as empty cells): {cells}")
        return "\n".join(lines)

    # ------------------------------------------------------------ internal accounting

    def _reject(self, r: Rejected) -> None:
        self.rejected += 1
        self.rejected_reasons[r.reason] += 1
        if len(self._rejections) < _MAX_REPORTED:
            self._rejections.append((r.ordinal, r.key, r.field, r.reason, r.limit, r.actual))

    def _fail(self, ordinals: Sequence[int], keys: Sequence[str], ids: Sequence[str], reason: str) -> None:
        self.failed += len(ordinals)
        self.failed_reasons[reason] += len(ordinals)
        room = _MAX_REPORTED - len(self._failures)
        for row in list(zip(ordinals, keys, ids, [reason] * len(ordinals), strict=True))[: max(0, room)]:
            self._failures.append(row)

    def _settle(self, status: str | None = None) -> None:
        """End the run: rows without an outcome count as failed, and the status follows from the numbers.

        ``status`` names how a run that did not finish ended ("stopped", "interrupted"); without it
        the run finished and is ``complete`` only if every row read is accounted for and none failed.
        """
        missing = self.rows_read - self.accounted
        if missing > 0:  # batches a stopped run never handed to a worker, or cancelled in the queue
            self.failed += missing
            self.failed_reasons["not sent: the load stopped before reaching them"] += missing
        self.status = status or ("complete" if self.failed == 0 else "incomplete")


# ---------------------------------------------------------------- batches and spool


@dataclass
class _Batch:
    """Calls packed for one request, with what the report and journal need about each.

    Once compressed (``gz``), the calls are kept only inside the gzip body plus their lengths;
    :meth:`calls` unpacks them again when a refused batch must be split.
    """

    items: list[bytes] = field(default_factory=list)
    ordinals: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    gz: bytes | None = None
    lengths: list[int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def calls(self) -> list[bytes]:
        """The encoded calls, unpacked from the gzip body when needed."""
        if self.items or self.gz is None or self.lengths is None:
            return self.items
        raw = zlib.decompress(self.gz, wbits=31)
        out, pos = [], len(_HEAD)
        for size in self.lengths:
            out.append(raw[pos : pos + size])
            pos += size + 1  # the comma between two calls
        return out

    def body(self) -> bytes:
        if not self.items and self.gz is not None:
            return zlib.decompress(self.gz, wbits=31)
        return _HEAD + b",".join(self.items) + _TAIL

    @property
    def raw_size(self) -> int:
        """Size of the uncompressed JSON body."""
        sizes = self.lengths if not self.items and self.lengths is not None else [len(x) for x in self.items]
        return len(_HEAD) + len(_TAIL) + sum(sizes) + max(0, len(sizes) - 1)

    def compress(self) -> None:
        """Gzip the body now (level 1: JSON still shrinks ~8x at a third of the default level's CPU)."""
        self.gz = zlib.compress(self.body(), 1, wbits=31)
        self.lengths = [len(x) for x in self.items]
        self.items = []

    def split(self) -> tuple[_Batch, _Batch]:
        items = self.calls()
        h = len(items) // 2
        return (_Batch(items[:h], self.ordinals[:h], self.ids[:h], self.keys[:h]),
                _Batch(items[h:], self.ordinals[h:], self.ids[h:], self.keys[h:]))

    def one(self, i: int) -> _Batch:
        """The batch of just call ``i``."""
        return _Batch([self.calls()[i]], [self.ordinals[i]], [self.ids[i]], [self.keys[i]])

    def memory(self) -> int:
        """Rough bytes held: the body plus the per-row strings."""
        return (len(self.gz) if self.gz is not None else self.raw_size) + 160 * len(self.ids)

    def write(self, out: IO[bytes]) -> None:
        keys = "\x1e".join(self.keys).encode()
        packed = self.gz is not None and not self.items
        lengths = self.lengths if packed and self.lengths is not None else [len(x) for x in self.items]
        blob = self.gz if packed and self.gz is not None else b"".join(self.items)
        out.write(struct.pack("<IIIB", len(self.ids), len(keys), len(blob), packed))
        out.write(array("q", self.ordinals).tobytes())
        out.write(array("I", lengths).tobytes())
        out.write("".join(self.ids).encode())
        out.write(keys)
        out.write(blob)

    @classmethod
    def read(cls, src: IO[bytes]) -> _Batch | None:
        head = src.read(13)
        if not head:
            return None
        n, klen, blen, packed = struct.unpack("<IIIB", head)
        ordinals = array("q")
        ordinals.frombytes(src.read(8 * n))
        lens = array("I")
        lens.frombytes(src.read(4 * n))
        raw_ids = src.read(36 * n).decode()
        keys = src.read(klen).decode().split("\x1e") if n else []
        blob = src.read(blen)
        ids = [raw_ids[i : i + 36] for i in range(0, 36 * n, 36)]
        if packed:
            return cls([], ordinals.tolist(), ids, keys, gz=blob, lengths=lens.tolist())
        items, pos = [], 0
        for size in lens:
            items.append(blob[pos : pos + size])
            pos += size
        return cls(items, ordinals.tolist(), ids, keys)


class _Spool:
    """Packed batches between pre-flight and send: in memory while small, then in a temporary file.

    A background thread gzips each batch as pre-flight hands it over (zlib releases the GIL, so
    compression uses the second core while the first encodes rows), and stores it. The file is
    unlinked on creation (nothing left behind, readable only by this process) and keeps memory
    bounded however large the load.
    """

    def __init__(self, *, compress: bool, memory_limit: int = 32 << 20) -> None:
        self._compress = compress
        self._memory: list[_Batch] = []
        self._bytes = 0
        self._limit = memory_limit
        self._file: IO[bytes] | None = None
        self._queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="cio-bulk-spool", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain, so the producer never blocks
            try:
                if self._compress and batch.raw_size >= C.GZIP_MIN_BYTES:
                    batch.compress()
                self._store(batch)
            except BaseException as exc:  # surfaced to the caller by finish()
                self._error = exc

    def _store(self, batch: _Batch) -> None:
        size = batch.memory()
        if self._file is None and self._bytes + size <= self._limit:
            self._memory.append(batch)
            self._bytes += size
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="cio-bulk-")  # noqa: SIM115 - closed in close()
        batch.write(self._file)

    def add(self, batch: _Batch) -> None:
        """Hand a packed batch over (blocks while the writer is 4 batches behind)."""
        if self._error is not None:
            raise self._error
        self._queue.put(batch)

    def finish(self) -> None:
        """Wait until every batch is stored."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def __iter__(self) -> Iterator[_Batch]:
        self.finish()
        memory, self._memory = self._memory, []
        yield from memory
        if self._file is not None:
            self._file.seek(0)
            while (batch := _Batch.read(self._file)) is not None:
                yield batch

    def close(self) -> None:
        try:
            self.finish()
        except BaseException:
            pass  # the run already failed; only release the file
        self._memory.clear()
        if self._file is not None:
            self._file.close()


class _Packer:
    """Byte-exact packing with the same rule as :class:`BatchPacker`, keeping each batch's rows alongside.

    A body is ``{"batch":[c1,c2,...]}``: 12 bytes of frame plus the calls and one comma between
    each two; a call that would push it over ``max_batch_bytes`` starts the next batch. (A test
    checks the boundaries match ``BatchPacker``'s exactly.)
    """

    def __init__(self, max_batch_bytes: int, *, max_items: int | None = None) -> None:
        self.max = max_batch_bytes
        self.max_items = max_items
        self._frame = len(_HEAD) + len(_TAIL)
        self._cur = _Batch()
        self._size = self._frame

    def add(self, e: Encoded) -> _Batch | None:
        done = None
        cur = self._cur
        if cur.items and (self._size + 1 + len(e.body) > self.max or len(cur.items) == self.max_items):
            done, cur = cur, _Batch()
            self._cur, self._size = cur, self._frame
        self._size += len(e.body) + (1 if cur.items else 0)
        cur.items.append(e.body)
        cur.ordinals.append(e.ordinal)
        cur.ids.append(e.message_id)
        cur.keys.append(e.key)
        return done

    def extend(self, encoded: list[Encoded], emit: Callable[[_Batch], None]) -> None:
        """:meth:`add` for many calls (the same rule, with the per-call overhead hoisted out)."""
        cur, size, limit, frame = self._cur, self._size, self.max, self._frame
        max_items = self.max_items or -1
        items, ordinals, ids, keys = cur.items, cur.ordinals, cur.ids, cur.keys
        for e in encoded:
            body = e.body
            if items and (size + 1 + len(body) > limit or len(items) == max_items):
                emit(cur)
                cur = _Batch()
                items, ordinals, ids, keys = cur.items, cur.ordinals, cur.ids, cur.keys
                size = frame
            size += len(body) + (1 if items else 0)
            items.append(body)
            ordinals.append(e.ordinal)
            ids.append(e.message_id)
            keys.append(e.key)
        self._cur, self._size = cur, size

    def flush(self) -> _Batch | None:
        done, self._cur, self._size = self._cur, _Batch(), self._frame
        return done if done.items else None


# ---------------------------------------------------------------- the loader


def _client_for(cio: Any, api: str) -> Any:
    """The API client to send through: a CustomerIO facade, or a Pipelines/Track client itself."""
    if getattr(cio, "api", None) == api and hasattr(cio, "_send"):
        return cio
    client = getattr(cio, "pipelines" if api == "pipelines" else "track", None)
    if client is None or not hasattr(client, "_send"):
        raise ConfigError(f"bulk load on the {api} API needs a CustomerIO (or a {api} client), got {type(cio).__name__}")
    return client


class _Run:
    def __init__(
        self, *, client: Any, api: str, report: LoadReport, journal: Journal | None, concurrency: int,
        retry: RetryPolicy, progress: Progress, on_ack: Callable[[list[str]], None] | None, keyed: bool = False,
    ) -> None:
        self.client = client
        self.api = api
        self.report = report
        self.journal = journal
        self.concurrency = concurrency
        self.retry = retry
        self.progress = progress
        self.on_ack = on_ack
        self.keyed = keyed
        self.single = "alias" if (api, report.kind) == ("pipelines", "alias") else None
        self.lock = threading.Lock()
        self.fatal: BaseException | None = None

    def _stop(self, exc: BaseException) -> None:
        """Stop the run on ``exc`` (the first such error is the one raised)."""
        with self.lock:
            if self.fatal is None:
                self.fatal = exc

    def spec(self, batch: _Batch) -> tuple[RequestSpec, int]:
        if self.api == "track":
            body = batch.body()
            return RequestSpec("POST", "/api/v2/batch", operation_id="batch", content=body, idempotent=True), len(body)
        strict = getattr(self.client, "strict", True)
        if self.single:
            call = batch.calls()[0]
            return RequestSpec("POST", f"/{self.single}", operation_id=self.single, content=call,
                               headers={"X-Strict-Mode": "1"} if strict else {}, idempotent=True), len(call)
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
            resp = self.client._send(spec, retry=self.retry)
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
        data = resp.data or {}
        out = {}
        for err in data.get("errors") or []:
            if isinstance(err, dict) and isinstance(err.get("batch_index"), int):
                out[err["batch_index"]] = f"{err.get('field') or ''} {err.get('reason') or err.get('message') or ''}".strip()
        return out

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


def _default_job(kind: str, source: Source) -> str:
    if source.identity:
        return f"{kind}-{source.identity.split(':', 1)[1]}"
    return f"{kind}-{uuid.uuid4().hex[:12]}"


def load(
    cio: Any,
    source: Any,
    *,
    kind: str,
    api: str = "pipelines",
    user_id: str | None = None,
    anonymous_id: str | None = None,
    email: str | None = None,
    event: str | None = None,
    event_name: str | None = None,
    name: str | None = None,
    group_id: str | None = None,
    previous_id: str | None = None,
    timestamp: str | None = None,
    key: str | Sequence[str] | None = None,
    fields: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    json_columns: Sequence[str] = (),
    nulls: str = "skip",
    job: str | None = None,
    resume: bool = False,
    journal: Journal | str | os.PathLike[str] | None = DEFAULT_JOURNAL,
    dry_run: bool = False,
    max_rejected: int | None = None,
    concurrency: int = 4,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    retry: RetryPolicy | None = None,
    progress: str | bool | None = "auto",
    column_types: Mapping[str, Any] | None = None,
    _on_ack: Callable[[list[str]], None] | None = None,
    _select: Callable[[list[Encoded]], list[Encoded]] | None = None,
) -> LoadReport:
    """Load a table into Customer.io as ``kind`` calls: validated, packed, journaled, resumable.

    ``source``: pandas/polars DataFrame, Arrow table, .parquet/.csv/.jsonl path or :class:`Query`.
    Column roles (``user_id``, ``event``, ``timestamp``, ...) name source columns; the remaining
    columns (or ``fields``) become traits or properties. ``key`` names the column(s) of a stable
    row key (default: row position). ``resume=True`` continues ``job`` and sends only rows the
    journal has not seen acknowledged; without a ``key`` it refuses a source that changed since
    the job's last run (ValidationError on ``source``), with one it sends changed rows as new
    events and counts them in ``report.changed``. ``dry_run=True`` validates and reports without
    sending. A journal that cannot be written stops the load with :class:`JournalError` (its
    ``report`` attached).
    """
    if kind not in KINDS:
        raise ValidationError(f"kind: {kind!r} is not one of {', '.join(KINDS)}", field="kind", limit=KINDS)
    if concurrency < 1 or concurrency > 64:
        raise ValidationError(f"concurrency: must be 1-64, got {concurrency}", field="concurrency", limit=64)
    if max_rejected is not None and max_rejected < 0:
        raise ValidationError("max_rejected: must be >= 0", field="max_rejected", limit=0)
    columns = ColumnMap(
        user_id=user_id, anonymous_id=anonymous_id, email=email, event=event, event_name=event_name, name=name,
        group_id=group_id, previous_id=previous_id, timestamp=timestamp,
        key=(key,) if isinstance(key, str) else tuple(key or ()), fields=tuple(fields) if fields is not None else None,
        exclude=tuple(exclude), json_columns=tuple(json_columns), nulls=nulls,  # type: ignore[arg-type]
    )
    src = open_source(source, batch_rows=batch_rows, column_types=column_types)
    encoder = RowEncoder(kind, src.schema, columns, api=api)
    client = None if dry_run else _client_for(cio, api)
    target = client.base_url if client is not None else _target_of(cio, api)
    if resume and job is None and src.identity is None:
        raise ValidationError("job: resume=True needs the job name of the run to continue (job=...)", field="job")
    job_name = job or _default_job(kind, src)
    jr = journal if isinstance(journal, Journal) or journal is None else Journal(journal)
    own_journal = jr is not None and not isinstance(journal, Journal)
    report = LoadReport(job=job_name, kind=kind, api=api, target=target, source=src.describe,
                        mapping=encoder.describe())
    keyed = bool(columns.key)
    bar: Progress | None = None
    started = time.monotonic()
    job_open = False  # the journal records this run (it is not for dry runs or refused inputs)
    error: BaseException | None = None
    try:
        resuming = _Resume.open(jr, job_name, report, resume=resume, dry_run=dry_run, keyed=keyed)
        bar = make_progress(progress)
        limit = C.PIPELINES_MAX_BATCH_BYTES if api == "pipelines" else C.TRACK_V2_MAX_BATCH_BYTES
        # /v1/batch carries no alias calls (per the spec): those go one request each to /v1/alias.
        packer = _Packer(limit, max_items=1 if (api, kind) == ("pipelines", "alias") else None)
        warm = threading.Thread(target=lambda: client is not None and client._transport.client, daemon=True)
        warm.start()  # build the HTTP client (TLS context, pool) while pre-flight runs, not after it
        spool = _Spool(compress=api == "pipelines" and (api, kind) != ("pipelines", "alias"))
        try:
            bar.phase("validate", src.num_rows)
            digest = Digest()
            planned = _preflight(src, encoder, packer, report, resuming, digest, bar,
                                 None if dry_run else spool, _select)
            fingerprint = Fingerprint.of(src, report.rows_read, digest)
            resuming.check(fingerprint)
            if dry_run:
                report.status = "dry-run"
                return report
            if max_rejected is not None and report.rejected > max_rejected:
                report.status = "aborted"
                raise RejectedRowsError(
                    f"{report.rejected:,} rows rejected in pre-flight, over max_rejected={max_rejected}; "
                    "nothing was sent (see .report.rejections())", report=report, limit=max_rejected,
                )
            if jr is not None:
                jr.start(job_name, kind=kind, api=api, target=target, source=src.describe, mapping=report.mapping,
                         resume=resume, fingerprint=fingerprint.to_json())
                job_open = True
            warm.join()
            bar.phase("send", planned)
            run = _Run(client=client, api=api, report=report, journal=jr, concurrency=concurrency,
                       retry=retry or BULK_RETRY, progress=bar, on_ack=_on_ack, keyed=keyed)
            try:
                run.send_all(iter(spool))
            except KeyboardInterrupt:
                report._settle("interrupted")
                raise
            if run.fatal is not None:
                report._settle("stopped")
                if isinstance(run.fatal, JournalError):
                    run.fatal.report = report
                raise run.fatal
            report._settle()
            return report
        finally:
            spool.close()
    except BaseException as exc:
        error = exc
        if job_open and report.status == "running":
            report._settle("stopped")  # an error outside the workers (reading the spool, ...)
        raise
    finally:
        report.seconds = time.monotonic() - started
        if bar is not None:
            bar.close()
        if jr is not None:
            _close_journal(jr, report, job_open=job_open, close=own_journal, pending=error)


def _close_journal(jr: Journal, report: LoadReport, *, job_open: bool, close: bool,
                   pending: BaseException | None) -> None:
    """Record the run's outcome; a journal failure here is raised unless ``pending`` (an error
    already leaving ``load``, which says more) is on its way."""
    try:
        if job_open:
            jr.finish(report.job, status=report.status, summary=report.summary())
    except JournalError as exc:
        exc.report = report
        if pending is None:
            raise
    finally:
        if close:
            jr.close()


@dataclass
class _Resume:
    """What a resumed job knows from its earlier runs: acknowledged rows, keys, the source fingerprint."""

    job: str
    acked: AckedIds | None = None
    acked_keys: AckedIds | None = None
    before: Fingerprint | None = None
    keyed: bool = False
    seen: int = 0  # acknowledged rows this pass found in the source

    @classmethod
    def open(cls, jr: Journal | None, job: str, report: LoadReport, *, resume: bool, dry_run: bool,
             keyed: bool) -> _Resume:
        """Check ``job`` may run (name, target, key) before the pass; load what it acknowledged."""
        out = cls(job, keyed=keyed)
        if jr is None or (dry_run and not resume):
            return out
        info = jr.check(job, kind=report.kind, api=report.api, target=report.target, mapping=report.mapping,
                        resume=resume)
        if info is None:
            if resume and jr.empty_file:
                raise JournalError(
                    f"bulk journal {jr.path} is empty (it exists but holds no jobs, as after being truncated), "
                    f"so job {job!r} has nothing to resume. If it was truncated, restore it from a backup; to "
                    "start the job afresh, run without resume or delete the file.", path=jr.path, problem="empty")
            return out
        out.acked = jr.acked(job)
        out.before = Fingerprint.from_json(info.fingerprint)
        if out.before is None and len(out.acked):
            warnings.warn(
                f"job {job!r} in {jr.path} was recorded without a source fingerprint (by an older version), so "
                "this resume cannot check that the source is unchanged: rows that moved would be sent again",
                UserWarning, stacklevel=3)
        if keyed:
            out.acked_keys = jr.acked_keys(job)
        return out

    def skip(self, good: list[Encoded], report: LoadReport) -> list[Encoded]:
        """The rows not yet acknowledged; with a key, count those whose key was delivered with other content."""
        if self.acked is None or not len(self.acked):
            return good
        seen = self.acked.mask([e.message_id for e in good])
        n = sum(seen)
        self.seen += n
        report.skipped += n
        rest = [e for e, s in zip(good, seen, strict=True) if not s] if n else good
        if self.acked_keys is not None and len(self.acked_keys) and rest:
            report.changed += sum(self.acked_keys.mask_hashes(key_hashes([e.key for e in rest])))
        return rest

    def check(self, after: Fingerprint) -> None:
        """Refuse a resume by row position when the pass found the source changed."""
        if self.keyed or self.before is None or self.acked is None:
            return
        err = changed_source_error(self.job, self.before, after, acked=len(self.acked), still_there=self.seen)
        if err is not None:
            raise err


def _target_of(cio: Any, api: str) -> str:
    try:
        return str(_client_for(cio, api).base_url)
    except ConfigError:
        return "(dry run)"


def _preflight(
    src: Source, encoder: RowEncoder, packer: _Packer, report: LoadReport, resuming: _Resume, digest: Digest,
    bar: Progress, spool: _Spool | None, select: Callable[[list[Encoded]], list[Encoded]] | None,
) -> int:
    """Validate, encode and pack every row (spooling batches when given); return rows to send."""
    ordinal = 0
    planned = 0

    def emit(batch: _Batch | None) -> None:
        if batch is not None and spool is not None:
            spool.add(batch)

    for record_batch in src.batches():
        n = record_batch.num_rows
        good: list[Encoded] = []
        refused: list[int] = []
        for item in encoder.encode(record_batch, ordinal):
            if isinstance(item, Rejected):
                report._reject(item)
                refused.append(item.ordinal)
            else:
                good.append(item)
        digest.add([e.message_id for e in good], refused)
        if select is not None:
            before = len(good)
            good = select(good)
            report.skipped += before - len(good)
        good = resuming.skip(good, report)
        packer.extend(good, emit)
        planned += len(good)
        ordinal += n
        report.rows_read += n
        bar.update(n)
    emit(packer.flush())
    report.non_finite.update(encoder.non_finite)
    return planned
