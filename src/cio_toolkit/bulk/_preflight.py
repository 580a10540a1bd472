"""The pre-flight pass of a bulk load: every row read, validated, encoded, checked against the journal, packed.

:func:`scan` yields the packed batches in order while it reads the source, so a full
pre-flight spools them all before sending and a streamed one (``preflight="stream"``) sends
each as soon as it is packed. Rows are encoded column-wise (:mod:`._columns`) where the input
allows it, else row by row (:class:`~._mapping.RowEncoder`); both give the same calls.
:class:`_Resume` is what a resumed job knows from its earlier runs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .._wire import batch_limit
from ._columns import Chunk, ColumnEncoder
from ._fingerprint import Digest, Fingerprint, changed_source_error
from ._journal import AckedIds, Journal, JournalError, key_hashes
from ._mapping import Encoded, Rejected, RowEncoder
from ._progress import Progress, make_progress
from ._report import LoadReport, RejectedRowsError
from ._sources import Source, read_ahead
from ._spool import _Batch, _ChunkPacker, _Packer

__all__ = ["Scan", "_Resume", "pack_stream", "scan"]


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


    def skip_chunk(self, chunk: Chunk, report: LoadReport) -> Chunk:
        """:meth:`skip` for column-wise rows."""
        if self.acked is None or not len(self.acked) or not len(chunk):
            return chunk
        import numpy as np

        seen = np.array(self.acked.mask(chunk.ids.to_pylist()), dtype=bool)
        n = int(seen.sum())
        self.seen += n
        report.skipped += n
        rest = chunk.take(np.flatnonzero(~seen)) if n else chunk
        if self.acked_keys is not None and len(self.acked_keys) and len(rest):
            report.changed += sum(self.acked_keys.mask_hashes(key_hashes(rest.keys.to_pylist())))
        return rest


@dataclass
class Scan:
    """One pre-flight pass: what it reads and where its numbers go. ``planned`` counts the rows packed."""

    src: Source
    rows: RowEncoder
    report: LoadReport
    resuming: _Resume
    digest: Digest
    bar: Progress
    select: Callable[[list[Encoded]], list[Encoded]] | None = None
    max_rejected: int | None = None  # a streamed pass stops here (a full one checks after the pass)
    planned: int = 0
    complete: bool = False  # the pass read the whole source

    def __post_init__(self) -> None:
        columns = ColumnEncoder(self.rows)
        # The selection hook of diff syncs works on Encoded rows: those loads stay row by row.
        self.columns = columns if columns.reason is None and self.select is None else None

    def packer(self, max_batch_bytes: int) -> _Packer | _ChunkPacker:
        """The packer for this pass's rows (one rule, two shapes of rows)."""
        if self.columns is not None:
            return _ChunkPacker(max_batch_bytes)
        return _Packer(max_batch_bytes, call_type=self.rows.kind if self.rows.api == "pipelines" else None)

    def fingerprint(self) -> Fingerprint:
        """The source's fingerprint after the pass."""
        return Fingerprint.of(self.src, self.report.rows_read, self.digest)


def scan(s: Scan, packer: _Packer | _ChunkPacker) -> Iterator[_Batch]:
    """Validate, encode and pack every row of ``s.src``, yielding each packed batch in order."""
    report, done = s.report, list[_Batch]()
    if s.columns is not None:
        assert isinstance(packer, _ChunkPacker)
        encoded: Iterator[int] = _column_wise(s, packer, done)
    else:
        assert isinstance(packer, _Packer)
        encoded = (_packed_rows(s, packer, batch, done) for batch in s.src.batches())
    for n in encoded:
        report.rows_read += n
        s.bar.update(n)
        yield from done
        done.clear()
        if s.max_rejected is not None and report.rejected > s.max_rejected:
            raise RejectedRowsError(
                f"{report.rejected:,} rows rejected, over max_rejected={s.max_rejected}; the streamed load stopped "
                f"after reading {report.rows_read:,} rows (rows sent before stay delivered; see .report.rejections())",
                report=report, limit=s.max_rejected)
    last = packer.flush()
    if last is not None:
        yield last
    report.non_finite.update(s.rows.non_finite)
    s.complete = True


def _column_wise(s: Scan, packer: _ChunkPacker, done: list[_Batch]) -> Iterator[int]:
    """Encode and pack slice by slice; yield the row count of each record batch once it is all packed."""
    assert s.columns is not None
    refused: list[int] = []
    # A file is decoded on a thread of its own, overlapping encoding; other inputs (frames, a Spark
    # partition's stream) are read where the caller reads them.
    batches = read_ahead(s.src.batches()) if s.src.path is not None else s.src.batches()
    for chunk, rejected, batch_rows in s.columns.encode_all(batches):
        for r in rejected:
            s.report._reject(r)
            refused.append(r.ordinal)
        # The digest is per record batch (its good rows' ids, then its rejected rows), as row by row.
        s.digest.add(chunk.ids, refused if batch_rows else [])
        chunk = s.resuming.skip_chunk(chunk, s.report)
        packer.extend(chunk, done.append)
        s.planned += len(chunk)
        if batch_rows:
            refused = []
            yield batch_rows


def _packed_rows(s: Scan, packer: _Packer, record_batch: Any, done: list[_Batch]) -> int:
    good = _row_wise(s, record_batch, s.report.rows_read)
    packer.extend(good, done.append)
    s.planned += len(good)
    return int(record_batch.num_rows)


def _row_wise(s: Scan, record_batch: Any, ordinal: int) -> list[Encoded]:
    good: list[Encoded] = []
    refused: list[int] = []
    for item in s.rows.encode(record_batch, ordinal):
        if isinstance(item, Rejected):
            s.report._reject(item)
            refused.append(item.ordinal)
        else:
            good.append(item)
    s.digest.add([e.message_id for e in good], refused)
    if s.select is not None:
        before = len(good)
        good = s.select(good)
        s.report.skipped += before - len(good)
    return s.resuming.skip(good, s.report)


def pack_stream(rows: RowEncoder, batches: Iterable[Any], report: LoadReport, *,
                acked: AckedIds | None = None) -> Iterator[_Batch]:
    """The pre-flight of a load over record batches read once (a Spark partition), packed batch by batch.

    The same pass as :func:`scan` (column-wise where the load allows it, else row by row; the
    same rejections, messageIds and packing), yielding each batch as soon as it is full. Rows
    whose messageId is in ``acked`` are counted as skipped and not packed; a row key is assumed
    (no source fingerprint is kept). Counts and rejections go into ``report``.
    """
    once = iter(batches)
    src = Source("record batches", lambda: once, num_rows=None, schema=rows.schema, identity=None)
    s = Scan(src, rows, report, _Resume(report.job, acked=acked, keyed=True), Digest(), make_progress(None))
    yield from scan(s, s.packer(batch_limit(rows.api)))
