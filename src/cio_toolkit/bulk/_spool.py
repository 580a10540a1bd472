"""Packed batches of a bulk load between pre-flight and send: rows packed, gzipped, spooled.

:class:`_Packer` packs rows with the one rule of :mod:`cio_toolkit._wire`; a :class:`_Batch`
keeps what the report and the journal need about each row; :class:`_Spool` holds the batches
in memory while small, then in an unlinked temporary file.
"""

from __future__ import annotations

import io
import itertools
import queue
import struct
import tempfile
import threading
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from .. import _constants as C
from .._wire import BATCH_HEAD, BATCH_TAIL, CallPlanner, Frame, Packer, frame_size, pack_bounds
from ._columns import Chunk
from ._mapping import Encoded

_fast_zlib: Any
try:  # ISA-L's gzip: the same bytes format at about five times zlib's speed at level 1
    from isal import isal_zlib as _fast_zlib
except ImportError:  # pragma: no cover - the data extra installs it where wheels exist
    _fast_zlib = None

__all__ = ["_Batch", "_ChunkPacker", "_Packer", "_Spool"]

_HEAD = BATCH_HEAD
_TAIL = BATCH_TAIL


def _gzip(body: bytes) -> bytes:
    """A gzip member of ``body`` at level 1 (JSON still shrinks ~8x at a third of the default level's CPU)."""
    if _fast_zlib is not None:
        return bytes(_fast_zlib.compress(body, 1, wbits=31))
    return zlib.compress(body, 1, wbits=31)


@dataclass(frozen=True)
class _Rows:
    """A batch's rows as the spool stores them: ordinals (int64), messageIds (36 bytes each), keys back to back
    with the end of each (uint32; a key may hold any character, so no separator would do)."""

    n: int
    ordinals: bytes
    ids: bytes
    keys: bytes
    key_ends: bytes


class _Batch:
    """Calls packed for one request, with what the report and journal need about each.

    Once compressed (``gz``), the calls are kept only inside the gzip body plus their lengths;
    :meth:`calls` unpacks them again when a refused batch must be split. A column-wise
    pre-flight hands its rows over as bytes (:class:`_Rows`): they reach the spool without a
    Python object per row, and become lists only when the sender asks for them.
    """

    __slots__ = ("_ids", "_keys", "_ordinals", "_rows", "gz", "items", "joined", "lengths")

    def __init__(self, items: list[bytes] | None = None, ordinals: list[int] | None = None,
                 ids: list[str] | None = None, keys: list[str] | None = None, gz: bytes | None = None,
                 lengths: list[int] | None = None, joined: bytes | None = None, rows: _Rows | None = None) -> None:
        self.items = [] if items is None else items
        self.gz = gz
        self.lengths = lengths
        self.joined = joined  # the calls with commas between them, as a column-wise pre-flight packs them
        self._rows = rows
        self._ordinals = ordinals if ordinals is not None or rows is not None else []
        self._ids = ids if ids is not None or rows is not None else []
        self._keys = keys if keys is not None or rows is not None else []

    @property
    def ordinals(self) -> list[int]:
        if self._ordinals is None:
            assert self._rows is not None
            out = array("q")
            out.frombytes(self._rows.ordinals)
            self._ordinals = out.tolist()
        return self._ordinals

    @property
    def ids(self) -> list[str]:
        if self._ids is None:
            assert self._rows is not None
            raw = self._rows.ids.decode()
            self._ids = [raw[i : i + 36] for i in range(0, len(raw), 36)]
        return self._ids

    @property
    def keys(self) -> list[str]:
        if self._keys is None:
            assert self._rows is not None
            raw, ends = self._rows.keys, array("I", self._rows.key_ends)
            self._keys = [raw[a:b].decode() for a, b in zip([0, *ends[:-1]], ends, strict=True)]
        return self._keys

    def __len__(self) -> int:
        return self._rows.n if self._ids is None and self._rows is not None else len(self.ids)

    @classmethod
    def of_chunk(cls, chunk: Chunk, start: int, end: int, offsets: Any, data: Any) -> _Batch:
        """The batch of rows ``start`` to ``end`` of a chunk whose bodies (each with its comma) are in ``data``."""
        first, last = int(offsets[start]), int(offsets[end])
        lengths = (offsets[start + 1 : end + 1] - offsets[start:end] - 1).tolist()
        return cls([], lengths=lengths, joined=data[first : last - 1].to_pybytes(),
                   rows=_chunk_rows([chunk.slice(start, end)]))

    @classmethod
    def of_chunks(cls, pieces: list[Chunk]) -> _Batch:
        """The batch of every row of ``pieces`` in order, their bodies copied once (no Arrow concatenation)."""
        lengths: list[int] = []
        blobs = []
        pieces = [p for p in pieces if len(p)]
        for piece in pieces:
            offsets = piece.offsets()
            lengths += (offsets[1:] - offsets[:-1] - 1).tolist()
            blobs.append(piece.data()[int(offsets[0]) : int(offsets[-1])])
        if blobs:
            blobs[-1] = blobs[-1][:-1]  # the last call's comma
        return cls([], lengths=lengths, joined=b"".join(blobs), rows=_chunk_rows(pieces))

    @classmethod
    def of(cls, frame: Frame[Encoded]) -> _Batch:
        """The batch of a packed frame whose payloads are the rows."""
        rows = frame.payloads
        return cls(frame.parts, [e.ordinal for e in rows], [e.message_id for e in rows], [e.key for e in rows])

    def calls(self) -> list[bytes]:
        """The encoded calls, unpacked from the joined or gzip body when needed."""
        if self.items or self.lengths is None or (self.gz is None and self.joined is None):
            return self.items
        raw = _HEAD + self.joined if self.joined is not None else zlib.decompress(self.gz or b"", wbits=31)
        out, pos = [], len(_HEAD)
        for size in self.lengths:
            out.append(raw[pos : pos + size])
            pos += size + 1  # the comma between two calls
        return out

    def body(self) -> bytes:
        if self.joined is not None:
            return _HEAD + self.joined + _TAIL
        if not self.items and self.gz is not None:
            return zlib.decompress(self.gz, wbits=31)
        return _HEAD + b",".join(self.items) + _TAIL

    @property
    def raw_size(self) -> int:
        """Size of the uncompressed JSON body."""
        sizes = self.lengths if not self.items and self.lengths is not None else [len(x) for x in self.items]
        return frame_size(sizes)

    def compress(self) -> None:
        """Gzip the body now (once: a compressed batch keeps its gzip body and lengths)."""
        if self.gz is not None and not self.items and self.joined is None:
            return
        self.gz = _gzip(self.body())
        if self.joined is None:
            self.lengths = [len(x) for x in self.items]
        self.items, self.joined = [], None

    def split(self) -> tuple[_Batch, _Batch]:
        items = self.calls()
        h = len(items) // 2
        return (_Batch(items[:h], self.ordinals[:h], self.ids[:h], self.keys[:h]),
                _Batch(items[h:], self.ordinals[h:], self.ids[h:], self.keys[h:]))

    def one(self, i: int) -> _Batch:
        """The batch of just call ``i``."""
        return _Batch([self.calls()[i]], [self.ordinals[i]], [self.ids[i]], [self.keys[i]])

    def write(self, out: IO[bytes]) -> None:
        out.write(self.to_bytes())

    def to_bytes(self) -> bytes:
        """The batch as the spool keeps it (:meth:`read` reads it back): ~60 bytes a row plus its calls."""
        # Lists once handed out may have changed: the bytes stand only while none was asked for.
        lazy = self._ids is None and self._keys is None and self._ordinals is None
        rows = self._rows if self._rows is not None and lazy else _list_rows(self)
        packed = self.gz is not None and not self.items
        items = [] if packed else self.calls()
        lengths = self.lengths if packed and self.lengths is not None else [len(x) for x in items]
        blob = self.gz if packed and self.gz is not None else b"".join(items)
        return b"".join((struct.pack("<IIIB", rows.n, len(rows.keys), len(blob), packed), rows.ordinals,
                         array("I", lengths).tobytes(), rows.ids, rows.key_ends, rows.keys, blob))

    @classmethod
    def read(cls, src: IO[bytes]) -> _Batch | None:
        head = src.read(13)
        if not head:
            return None
        n, klen, blen, packed = struct.unpack("<IIIB", head)
        ordinals = src.read(8 * n)
        lens = array("I")
        lens.frombytes(src.read(4 * n))
        ids = src.read(36 * n)
        key_ends = src.read(4 * n)
        rows = _Rows(n, ordinals, ids, src.read(klen), key_ends)
        blob = src.read(blen)
        if packed:
            return cls(gz=blob, lengths=lens.tolist(), rows=rows)
        items, pos = [], 0
        for size in lens:
            items.append(blob[pos : pos + size])
            pos += size
        return cls(items, rows=rows)


def _list_rows(batch: _Batch) -> _Rows:
    keys = [k.encode() for k in batch.keys]
    return _Rows(len(batch.ids), array("q", batch.ordinals).tobytes(), "".join(batch.ids).encode(), b"".join(keys),
                 array("I", itertools.accumulate(len(k) for k in keys)).tobytes())


def _chunk_rows(pieces: list[Chunk]) -> _Rows:
    """The rows of ``pieces`` as bytes, straight from their Arrow buffers."""
    import numpy as np

    ids = b"".join([_values(p.ids)[1] for p in pieces])
    keys = [_values(p.keys) for p in pieces]
    ends, total = [], 0
    for piece_ends, _ in keys:
        ends.append(piece_ends.astype(np.uint32) + total)
        total += int(piece_ends[-1]) if len(piece_ends) else 0
    ordinals = np.concatenate([p.ordinals for p in pieces]) if pieces else np.zeros(0, np.int64)
    return _Rows(len(ordinals), ordinals.astype(np.int64).tobytes(), ids, b"".join([data for _, data in keys]),
                 np.concatenate(ends).astype(np.uint32).tobytes() if ends else b"")


def _values(arr: Any) -> tuple[Any, Any]:
    """The end of each value (from 0) and the values' bytes back to back, of a string array."""
    import numpy as np
    import pyarrow as pa

    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    _, offsets, data = arr.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[arr.offset : arr.offset + len(arr) + 1]
    if data is None or not len(arr):
        return bounds[1:] - bounds[0] if len(arr) else bounds[:0], b""
    return bounds[1:] - bounds[0], memoryview(data)[int(bounds[0]) : int(bounds[-1])]


class _Spool:
    """Packed batches between pre-flight and send: in memory while small, then in a temporary file.

    A background thread gzips each batch as pre-flight hands it over (gzip releases the GIL, so
    compression uses the second core while the first encodes rows), and stores it in the compact
    form of the file (about 60 bytes a row plus its gzip body). The file is unlinked on creation
    (nothing left behind, readable only by this process) and keeps memory bounded however large
    the load; reading it back costs little (the page cache holds it).
    """

    def __init__(self, *, compress: bool, memory_limit: int = 2 << 20) -> None:
        # 2 MB holds ~10 compressed batches (~25,000 rows); beyond, the file costs no more than memory.
        self._compress = compress
        self._memory: list[bytes] = []  # batches as written to the file: a fraction of their objects' size
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
        blob = batch.to_bytes()
        if self._file is None and self._bytes + len(blob) <= self._limit:
            self._memory.append(blob)
            self._bytes += len(blob)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="cio-bulk-")  # noqa: SIM115 - closed in close()
        self._file.write(blob)

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
        for blob in memory:
            batch = _Batch.read(io.BytesIO(blob))
            assert batch is not None
            yield batch
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
    """Rows -> spooled batches with the one packing rule of :mod:`cio_toolkit._wire`, keeping each batch's rows.

    A body is ``{"batch":[c1,c2,...]}``; a call that would push it over ``max_batch_bytes``
    starts the next batch. ``call_type`` is the Pipelines call type of the load (an ``alias`` is
    not carried by /v1/batch, so each goes on its own), or None for Track v2 items.
    """

    def __init__(self, max_batch_bytes: int, *, call_type: str | None = None) -> None:
        self._planner: CallPlanner[Encoded] = CallPlanner(Packer(max_batch_bytes))
        self._type = call_type

    def _emitting(self, emit: Callable[[_Batch], None]) -> Callable[[Frame[Encoded]], None]:
        return lambda frame: emit(_Batch.of(frame))

    def add(self, e: Encoded) -> _Batch | None:
        """Add one row; return the previous batch if this row started a new one."""
        done: list[_Batch] = []
        self.extend([e], done.append)
        return done[0] if done else None

    def extend(self, encoded: list[Encoded], emit: Callable[[_Batch], None]) -> None:
        """Add many rows in order, handing every full batch to ``emit`` (the hot loop of pre-flight)."""
        bodies = [e.body for e in encoded]
        if self._type is None:
            self._planner.packer.extend(bodies, encoded, self._emitting(emit))
        else:
            self._planner.extend(self._type, bodies, encoded, self._emitting(emit))

    def flush(self) -> _Batch | None:
        """The batch in progress (None when empty)."""
        done = self._planner.flush()
        return _Batch.of(done) if done is not None else None


class _ChunkPacker:
    """Column-wise rows -> batches with the packing rule of :mod:`cio_toolkit._wire` (:func:`pack_bounds`).

    The body in progress stays open across chunks, so the batches are the ones :class:`_Packer`
    makes of the same rows one by one.
    """

    def __init__(self, max_batch_bytes: int) -> None:
        self._max = max_batch_bytes
        self._open: list[Chunk] = []  # the rows of the body in progress, as the chunks they came in

    def extend(self, chunk: Chunk, emit: Callable[[_Batch], None]) -> None:
        """Add a chunk's rows in order, handing every full batch to ``emit``."""
        import numpy as np

        if not len(chunk):
            return
        held = self._open
        n_held = sum(len(c) for c in held)
        ends = pack_bounds(np.concatenate([*(c.sizes() for c in held), chunk.sizes()]), self._max)
        start = 0
        for end in ends[:-1]:
            # Only the first body can hold rows of earlier chunks: they fitted in one body already.
            pieces = [*held, chunk.slice(0, end - n_held)] if start < n_held else [
                chunk.slice(start - n_held, end - n_held)]
            emit(_Batch.of_chunks(pieces))
            start = end
        self._open = [*held, chunk] if start < n_held else [chunk.slice(start - n_held)]

    def flush(self) -> _Batch | None:
        """The batch in progress (None when empty)."""
        pieces, self._open = self._open, []
        if not any(len(c) for c in pieces):
            return None
        return _Batch.of_chunks(pieces)
