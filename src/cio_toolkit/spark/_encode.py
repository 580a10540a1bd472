"""The one seam between Spark and bulk: a partition's Arrow batches -> bulk's calls, packing and delivery.

Nothing here re-implements bulk. A partition goes through bulk's own pre-flight pass
(``bulk._preflight.pack_stream``: the column-wise encoder where the load allows it, the row
encoder otherwise, the same rejections and packing over :mod:`cio_toolkit._wire`), so a row gets
the messageId ``bulk.load`` gives it, on every task attempt; requests go out through the client's
public ``request`` with bulk's delivery loop (``bulk._run._Run``: bisecting refused batches,
Track v2 partial answers, retries with ``bulk.BULK_RETRY``); counts and the status are bulk's
``LoadReport``. When bulk's encoder changes, Spark gets it.

The differences from ``bulk.load`` are Spark's: batches are sent as they are packed (a partition
is streamed, not spooled first), each acknowledged request is recorded by ``on_ack`` (the task
attempt's ack file) instead of the SQLite journal, and a task's counts travel to the driver as
plain data (:func:`task_summary`) to be added up by :func:`aggregate`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..bulk._columns import ColumnEncoder
from ..bulk._journal import AckedIds
from ..bulk._load import BULK_RETRY
from ..bulk._mapping import KINDS, ColumnMap, RowEncoder
from ..bulk._preflight import pack_stream
from ..bulk._progress import make_progress
from ..bulk._report import LoadReport
from ..bulk._run import _Run, client_for

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

__all__ = ["KINDS", "MESSAGE_ID", "ACKED", "aggregate", "deliver", "encoder_for", "from_manifest", "keys_and_ids",
           "task_summary"]

# Columns a resume adds to the source (the row's messageId, whether an earlier run acknowledged it).
MESSAGE_ID = "__cio_message_id"
ACKED = "__cio_acked"
RESERVED = (MESSAGE_ID, ACKED)
_FIRST_N = 100  # rejected / failed rows each task reports by row (the counts stay exact)


def encoder_for(kind: str, api: str, schema: pa.Schema, roles: dict[str, Any]) -> RowEncoder:
    """bulk's row encoder for a source of ``schema`` (reserved columns left out); ValidationError on bad roles."""
    import pyarrow as pa

    fields = [f for f in schema if f.name not in RESERVED]
    return RowEncoder(kind, pa.schema(fields), ColumnMap.of(**roles), api=api)


def _scatter(values: pa.Array, ordinals: np.ndarray, n: int) -> pa.Array:
    """``values[i]`` at row ``ordinals[i]`` of a column of ``n`` rows, null in the rows no ordinal names."""
    import numpy as np
    import pyarrow as pa

    at = np.full(n, -1, dtype=np.int64)
    at[ordinals] = np.arange(len(ordinals), dtype=np.int64)
    missing = at < 0
    return values.take(pa.array(at, mask=missing) if missing.any() else pa.array(at))


def keys_and_ids(encoder: ColumnEncoder, batch: pa.RecordBatch) -> tuple[pa.Array, pa.Array]:
    """Every row's key (as bulk shows it) and messageId as string columns of ``batch``'s length, as a load
    computes them; a row the encoder rejects has its key and a null id."""
    import numpy as np
    import pyarrow as pa

    chunk, rejected = encoder.encode(batch, 0)  # row by row inside when the column path does not apply
    keys, ordinals = chunk.keys.cast(pa.string()), chunk.ordinals
    if rejected:  # the few rows the row encoder refused: their keys come as Python objects anyway
        keys = pa.concat_arrays([keys, pa.array([r.key for r in rejected], pa.string())])
        ordinals = np.concatenate([ordinals, np.array([r.ordinal for r in rejected], dtype=np.int64)])
    return _scatter(keys, ordinals, batch.num_rows), _scatter(chunk.ids.cast(pa.string()), chunk.ordinals,
                                                              batch.num_rows)


def _unmarked(batch: pa.RecordBatch) -> tuple[pa.RecordBatch, int]:
    """``batch`` without the rows an earlier run acknowledged (and without the reserved columns); how many."""
    import pyarrow.compute as pc

    names = batch.schema.names
    skipped = 0
    if ACKED in names:
        acked = pc.fill_null(batch.column(ACKED), False)
        skipped = int(pc.sum(acked).as_py() or 0)
        if skipped:
            batch = batch.filter(pc.invert(acked))
    keep = [i for i, n in enumerate(names) if n not in RESERVED]
    if len(keep) != len(names):
        batch = batch.select(keep)
    return batch, skipped


def _unmarked_all(batches: Iterable[pa.RecordBatch], report: LoadReport) -> Iterator[pa.RecordBatch]:
    """The partition without the rows a resume found acknowledged (read, and counted as skipped)."""
    for record_batch in batches:
        batch, skipped = _unmarked(record_batch)
        report.rows_read += skipped
        report.skipped += skipped
        if batch.num_rows:
            yield batch


def deliver(cio: Any, encoder: RowEncoder, batches: Iterable[pa.RecordBatch], report: LoadReport, *,
            on_ack: Callable[[list[str]], None], concurrency: int, earlier: set[str]) -> BaseException | None:
    """Send a partition through ``cio``'s client; settle ``report``; return what stopped it (None if nothing).

    ``earlier`` holds ids an earlier attempt of this partition acknowledged: they are counted as
    skipped, not sent again. An error of the input iterator (an upstream stage failing) propagates
    after the requests in flight are acknowledged and recorded.
    """
    client = client_for(cio, encoder.api)
    run = _Run(client=client, api=encoder.api, report=report, journal=None, concurrency=concurrency,
               retry=BULK_RETRY, progress=make_progress(None), on_ack=on_ack, keyed=True)
    try:
        acked = AckedIds.of(earlier) if earlier else None
        run.send_all(pack_stream(encoder, _unmarked_all(batches, report), report, acked=acked))
    except BaseException:
        report._settle("stopped")
        raise
    report._settle("stopped" if run.fatal is not None else None)
    return run.fatal


def new_report(job: str, kind: str, api: str, target: str, source: str, mapping: dict[str, Any]) -> LoadReport:
    """An empty report of bulk's type, its rejected and failed rows named by their keys alone."""
    return LoadReport(job=job, kind=kind, api=api, target=target, source=source, mapping=mapping, _positions=False)


def task_summary(report: LoadReport) -> dict[str, Any]:
    """A task's counts as plain data (its commit message), with its first rejected and failed rows."""
    return {**report.summary(), "target": report.target, "rejections": [list(r) for r in report._rejections[:_FIRST_N]],
            "failures": [list(f) for f in report._failures[:_FIRST_N]]}


_COUNTS = ("rows_read", "rejected", "skipped", "sent", "acknowledged", "failed", "changed", "requests", "retries",
           "bytes_sent", "wire_bytes")


def aggregate(report: LoadReport, tasks: Iterable[dict[str, Any]], *, status: str | None = None) -> LoadReport:
    """Add the tasks' summaries into ``report`` and settle its status from the numbers (or ``status``)."""
    for t in tasks:
        for name in _COUNTS:
            setattr(report, name, getattr(report, name) + int(t.get(name, 0)))
        report.rejected_reasons.update(t.get("rejected_reasons", {}))
        report.failed_reasons.update(t.get("failed_reasons", {}))
        report.non_finite.update(t.get("non_finite", {}))
        report._rejections.extend(tuple(r) for r in t.get("rejections", []))
        report._failures.extend(tuple(f) for f in t.get("failures", []))
    report._settle(status)
    return report


def from_manifest(manifest: dict[str, Any]) -> LoadReport:
    """The report a run manifest records (its counts, reasons, first rows and status, as written)."""
    s = manifest["summary"]
    report = new_report(manifest["job"], manifest["kind"], manifest["api"], str(manifest.get("target", "")),
                        "spark", dict(manifest.get("mapping") or {}))
    for name in _COUNTS:
        setattr(report, name, int(s.get(name, 0)))
    report.rejected_reasons.update(s.get("rejected_reasons", {}))
    report.failed_reasons.update(s.get("failed_reasons", {}))
    report.non_finite.update(s.get("non_finite", {}))
    for t in manifest.get("tasks", []):
        report._rejections.extend(tuple(r) for r in t.get("rejections", []))
        report._failures.extend(tuple(f) for f in t.get("failures", []))
    report.seconds = float(s.get("seconds", 0.0))
    report.status = str(manifest["status"])
    return report
