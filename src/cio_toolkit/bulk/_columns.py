"""Column-wise pre-flight: a record batch -> JSON calls and messageIds with Arrow compute, no Python per row.

The rules stay in :class:`~._mapping.RowEncoder`. This path builds each call's JSON from whole
columns (Arrow string kernels), computes the messageIds' text column-wise and only *flags* the rows that might break a rule: an empty or long id, a
missing or long event name, a missing group id, a long attribute value, a call over the size
limit, a missing key part. Flagged rows (a superset of the bad ones) are encoded again by the
row encoder, which accepts or rejects them with its own messages, and merged back in order.
What this path produces is byte-identical to the row encoder's output: the same JSON, hence the
same messageIds (the tests compare both on varied tables).

The column path does not apply, and the whole load is encoded row by row, for: the Track v2 API,
alias loads (one request per call), ``json_columns``, payload columns other than text,
integers, floats, booleans, timezone-aware timestamps, dates and all-null columns (nested lists,
structs and maps, decimals, binary, durations), a timestamp role column that is not a timestamp
or a date (text is parsed per row), identify and group loads with more payload columns than the
attribute limit, and a payload column named ``email`` beside an ``email=`` role. One record batch
goes row by row when the source marked unreadable rows in it or an id column cannot be cast to text.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from .. import _constants as C
from .._wire import call_limit
from ._cells import _as_finite, _binaries, _int64s, _iso_array, _scalar, _string_array, _timestamp_array
from ._mapping import PRIVACY_EVENTS, Encoded, Rejected, RowEncoder
from ._message_ids import _message_ids
from ._sources import INVALID

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

__all__ = ["SLICE_ROWS", "Chunk", "ColumnEncoder", "unsupported"]

# JSON escapes exactly as orjson writes them (the row path's encoder): quote, backslash, controls.
_ESCAPES = {chr(c): orjson.dumps(chr(c))[1:-1].decode() for c in range(32)}
# Floats whose Arrow text is orjson's once ".0" is added to integral values; others go through orjson.
_PLAIN_FLOAT = (1e-4, 1e9)
# Rows encoded at once: Arrow's intermediate columns stay small (peak memory) and the fixed cost of
# each kernel and polars call is spread over enough rows (a fifth less CPU than 2,500 rows; 10,000
# saves little more and costs ~20 MB).
SLICE_ROWS = 5000


class _RowWise(Exception):
    """This record batch goes through the row encoder as a whole."""


@dataclass
class Chunk:
    """Valid rows column-wise: ordinals, shown keys, messageIds, and bodies each followed by a comma."""

    ordinals: np.ndarray
    keys: pa.Array
    ids: pa.Array
    bodies: pa.Array

    def __len__(self) -> int:
        return len(self.ordinals)

    @classmethod
    def of_encoded(cls, items: list[Encoded]) -> Chunk:
        """The chunk of rows the row encoder produced."""
        import numpy as np
        import pyarrow as pa

        return cls(np.array([e.ordinal for e in items], dtype=np.int64),
                   _binaries([e.key.encode() for e in items]).cast(pa.string()),
                   _binaries([e.message_id.encode() for e in items]).cast(pa.string()),
                   _binaries([e.body + b"," for e in items]))

    @classmethod
    def concat(cls, chunks: list[Chunk]) -> Chunk:
        """One chunk of ``chunks`` in order."""
        import numpy as np
        import pyarrow as pa

        return cls(np.concatenate([c.ordinals for c in chunks]), pa.concat_arrays([c.keys for c in chunks]),
                   pa.concat_arrays([c.ids for c in chunks]), pa.concat_arrays([c.bodies for c in chunks]))

    def take(self, idx: Any) -> Chunk:
        """The rows at positions ``idx``."""
        at = _int64s(idx)
        return Chunk(self.ordinals[idx], self.keys.take(at), self.ids.take(at), self.bodies.take(at))

    def slice(self, start: int, end: int | None = None) -> Chunk:
        """Rows ``start`` to ``end`` (zero-copy)."""
        end = len(self) if end is None else end
        return Chunk(self.ordinals[start:end], self.keys.slice(start, end - start), self.ids.slice(start, end - start),
                     self.bodies.slice(start, end - start))

    def sizes(self) -> np.ndarray:
        """Each call's size in bytes (without its comma)."""
        return self.offsets()[1:] - self.offsets()[:-1] - 1

    def offsets(self) -> np.ndarray:
        """Start of each body in :meth:`data`, plus the end of the last."""
        import numpy as np

        b = self.bodies
        return np.frombuffer(b.buffers()[1], dtype=np.int32)[b.offset : b.offset + len(b) + 1].astype(np.int64)

    def data(self) -> Any:
        """The buffer holding the bodies back to back."""
        return self.bodies.buffers()[2]


def unsupported(rows: RowEncoder) -> str | None:
    """Why the column path cannot encode this load (None when it can)."""
    import pyarrow as pa

    p, schema = rows.plan, rows.schema
    if rows.api != "pipelines":
        return "the Track v2 API"
    if rows.kind == "alias":
        return "alias calls"
    if p.json_cols:
        return "json_columns"
    if p.ts_col is not None and _timestamp_array(pa.nulls(0, schema.field(p.ts_col).type)) is None:
        return f"timestamp column {p.ts_col!r} is {schema.field(p.ts_col).type}, parsed per row"
    if rows.kind in ("identify", "group") and len(p.payload_cols) > C.TRACK_MAX_ATTRIBUTES:
        return "more payload columns than the attribute limit"
    if p.email_col is not None and "email" in p.payload_cols:
        return "a payload column named email beside email="
    for col in p.payload_cols:
        t = schema.field(col).type
        if pa.types.is_dictionary(t):
            t = t.value_type
        if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t)
                or pa.types.is_floating(t) or pa.types.is_boolean(t) or pa.types.is_timestamp(t)
                or pa.types.is_date(t) or pa.types.is_null(t)):
            return f"payload column {col!r} of type {t}"
    return None


def _lit(value: str) -> Any:
    return _scalar(value)


def _join(*parts: Any, nulls: str = "replace") -> Any:
    """Concatenate per row; with ``nulls="emit"`` a null part makes the row null (an absent field)."""
    import pyarrow.compute as pc

    if nulls == "emit":
        return pc.binary_join_element_wise(*parts, _lit(""), null_handling="emit_null")
    return pc.binary_join_element_wise(*parts, _lit(""), null_handling="replace", null_replacement="")


class _Parts:
    """The pieces of one JSON text per row (literals and columns), concatenated in one pass by :meth:`build`."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def lit(self, text: str) -> None:
        """A constant piece."""
        if self.items and isinstance(self.items[-1], str):
            self.items[-1] += text
        else:
            self.items.append(text)

    def field(self, prefix: str, value: Any, *, quoted: bool, optional: bool = True) -> None:
        """``prefix`` and the value, in quotes when ``quoted``; an ``optional`` field is left out where the value is null."""
        q = '"' if quoted else ""
        if value.null_count and optional:
            self.items.append(_join(_lit(prefix + q), value, _lit(q), nulls="emit"))
            return
        self.lit(prefix + q)  # a null in a required field is a flagged row: it is encoded again row by row
        self.items.append(value)
        self.lit(q)

    def build(self) -> Any:
        """The text of every row."""
        return _join(*[_lit(x) if isinstance(x, str) else x for x in self.items])


def _escaped(arr: Any) -> Any:
    """Text escaped for a JSON string exactly as orjson escapes it (quotes not added; null stays null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(arr.type):
        arr = pc.cast(arr, pa.string())
    if _needs_escape(arr):
        arr = pc.replace_substring(pc.replace_substring(arr, "\\", "\\\\"), '"', '\\"')
        for char, escaped in _ESCAPES.items():
            if pc.any(pc.match_substring(arr, char)).as_py():
                arr = pc.replace_substring(arr, char, escaped)
    return arr


def _needs_escape(arr: Any) -> bool:
    """Whether any byte of the text (null cells' too, if any) is a quote, a backslash or a control.

    Over the raw bytes at once: a tenth of a regex kernel's time.
    """
    import numpy as np

    if not len(arr):
        return False
    _, offsets, data = arr.buffers()
    if data is None:
        return False
    first, last = np.frombuffer(offsets, dtype=np.int32)[[arr.offset, arr.offset + len(arr)]]
    raw = np.frombuffer(data, dtype=np.uint8)[first:last]
    return bool((raw < 0x20).any() or (raw == 0x22).any() or (raw == 0x5C).any())


def _lengths(arr: Any) -> Any:
    import pyarrow.compute as pc

    return pc.binary_length(arr)


def _empty(arr: Any) -> Any:
    """Where ``arr`` is null or empty (None when nowhere)."""
    import pyarrow.compute as pc

    lengths = _lengths(arr)
    if not arr.null_count and (not len(arr) or pc.min(lengths).as_py() > 0):
        return None
    return pc.fill_null(pc.equal(lengths, _scalar(0)), _scalar(True))


def _over(arr: Any, limit: int) -> Any:
    """Where ``arr`` is longer than ``limit`` bytes (None when nowhere)."""
    import pyarrow.compute as pc

    lengths = _lengths(arr)
    if not len(arr) or (pc.max(lengths).as_py() or 0) <= limit:
        return None
    return pc.fill_null(pc.greater(lengths, _scalar(limit)), _scalar(False))


def _float_json(arr: Any) -> Any:
    """Doubles as orjson writes them: Arrow's shortest text in the plain range, orjson itself elsewhere."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pc.cast(arr, pa.float64())  # a float32 goes out as the double it is, as in the row path
    text = pc.cast(arr, pa.string())
    text = pc.if_else(pc.match_substring(text, "."), text, _join(text, _lit(".0"), nulls="emit"))
    size = pc.abs(arr)
    plain = pc.or_(pc.equal(arr, _scalar(0.0)), pc.and_(pc.greater_equal(size, _scalar(_PLAIN_FLOAT[0])),
                                                         pc.less(size, _scalar(_PLAIN_FLOAT[1]))))
    odd = pc.fill_null(pc.invert(plain), _scalar(False))
    if pc.any(odd).as_py():
        values = pc.filter(arr, odd).to_pylist()
        text = pc.replace_with_mask(text, odd, _binaries([orjson.dumps(v) for v in values]).cast(pa.string()))
    return text


def _bools(mask: Any) -> Any:
    """A boolean Arrow array without nulls as a numpy array (``to_numpy`` imports pandas)."""
    import numpy as np
    import pyarrow.compute as pc

    if mask.null_count:
        mask = pc.fill_null(mask, _scalar(False))
    bits = np.frombuffer(mask.buffers()[1], dtype=np.uint8)
    return np.unpackbits(bits, bitorder="little")[mask.offset : mask.offset + len(mask)].astype(bool)


@dataclass
class _Built:
    chunk: Chunk
    flagged: np.ndarray
    non_finite: Counter[str]


class ColumnEncoder:
    """Encodes record batches column-wise for a load the column path supports (see :func:`unsupported`).

    :meth:`encode_all` builds two record batches at a time on worker threads (Arrow's kernels
    release the GIL); the row encoder's share (flagged rows) runs on the caller's thread.
    """

    def __init__(self, rows: RowEncoder) -> None:
        self.rows = rows
        self.reason = unsupported(rows)
        self.row_wise_batches = 0  # record batches that went through the row encoder as a whole

    def encode(self, batch: pa.RecordBatch, first_ordinal: int) -> tuple[Chunk, list[Rejected]]:
        """The valid rows of ``batch`` and its rejected rows, in order; ordinals start at ``first_ordinal``."""
        return self._finish(batch, first_ordinal, self._try_build(batch, first_ordinal))

    def encode_all(self, batches: Iterator[pa.RecordBatch], *, ahead: int = 2) -> Iterator[
            tuple[Chunk, list[Rejected], int]]:
        """:meth:`encode` of every batch in order (ordinals from 0), in slices of at most :data:`SLICE_ROWS`.

        Yields each slice's rows and rejections, and the row count of the record batch that the
        slice ends (0 for the others). ``ahead`` slices are built at once.
        """
        from concurrent.futures import Future, ThreadPoolExecutor

        import pyarrow as pa

        pending: deque[tuple[pa.RecordBatch, int, int, Future[_Built | None]]] = deque()
        ordinal = 0
        with ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="cio-bulk-encode") as pool:
            try:
                for batch in batches:
                    n = batch.num_rows
                    for start in range(0, max(n, 1), SLICE_ROWS):
                        part = batch.slice(start, SLICE_ROWS)
                        end = n if start + SLICE_ROWS >= n else 0
                        pending.append((part, ordinal, end, pool.submit(self._try_build, part, ordinal)))
                        ordinal += part.num_rows
                        if len(pending) > ahead:
                            part, first, end, fut = pending.popleft()
                            yield *self._finish(part, first, fut.result()), end
                    # Arrow's allocator keeps freed blocks per thread; handing them back bounds the peak.
                    pa.default_memory_pool().release_unused()
                while pending:
                    part, first, end, fut = pending.popleft()
                    yield *self._finish(part, first, fut.result()), end
            finally:
                for *_, fut in pending:
                    fut.cancel()

    def _try_build(self, batch: pa.RecordBatch, first: int) -> _Built | None:
        import pyarrow as pa

        if self.reason is not None or self._unreadable(batch):
            return None
        try:
            return self._build(batch, first)
        except _RowWise:
            return None
        finally:
            # Arrow's allocator keeps freed blocks per thread: this worker's go back now (peak memory).
            pa.default_memory_pool().release_unused()

    def _finish(self, batch: pa.RecordBatch, first: int, built: _Built | None) -> tuple[Chunk, list[Rejected]]:
        import numpy as np

        if built is None:
            self.row_wise_batches += 1
            return self._row_wise(batch, first, None)
        counted = self.rows.non_finite + built.non_finite
        if not built.flagged.any():
            self.rows.non_finite = counted
            return built.chunk, []
        idx = np.flatnonzero(built.flagged)
        again, rejected = self._row_wise(batch.take(_int64s(idx)), 0, (idx + first).tolist())
        self.rows.non_finite = counted  # the column pass counted these rows' NaNs already
        merged = Chunk.concat([built.chunk.take(np.flatnonzero(~built.flagged)), again])
        return merged.take(np.argsort(merged.ordinals, kind="stable")), rejected

    def _row_wise(self, batch: pa.RecordBatch, first: int, ordinals: list[int] | None) -> tuple[Chunk, list[Rejected]]:
        good: list[Encoded] = []
        rejected: list[Rejected] = []
        for item in self.rows.encode(batch, first, ordinals):
            (rejected if isinstance(item, Rejected) else good).append(item)  # type: ignore[arg-type]
        return Chunk.of_encoded(good), rejected

    @staticmethod
    def _unreadable(batch: pa.RecordBatch) -> bool:
        return INVALID in batch.schema.names and batch.column(INVALID).null_count < batch.num_rows

    def _text(self, batch: pa.RecordBatch, col: str | None) -> Any:
        import pyarrow as pa

        if col is None:
            return None
        arr = _string_array(batch.column(col))
        if arr is None:
            raise _RowWise
        return arr if arr.type == pa.string() else arr.cast(pa.string())

    def _build(self, batch: pa.RecordBatch, first: int) -> _Built:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        rows, p, kind = self.rows, self.rows.plan, self.rows.kind
        n = batch.num_rows
        ordinals = np.arange(first, first + n, dtype=np.int64)
        uid, aid, email = self._text(batch, p.id_col), self._text(batch, p.anon_col), self._text(batch, p.email_col)
        present = [a for a in (uid, aid, email) if a is not None]
        empties = [_empty(a) for a in present]
        flags = [_all(empties)]  # no id at all
        flags += [_over(a, C.TRACK_MAX_ID_BYTES) for a in (uid, aid) if a is not None]
        if p.key_cols:
            parts = [self._text(batch, k) for k in p.key_cols]
            flags += [pc.is_null(a) if a.null_count else None for a in parts]
            shown = pc.fill_null(pc.binary_join_element_wise(*parts, _lit("\x1f")), _lit(""))
            row_key = [_scalar((kind + "\x1f").encode()), pc.cast(shown, pa.binary())]
        else:
            shown = present[-1] if empties[-1] is None else pc.if_else(empties[-1], _lit(""), present[-1])
            for a, empty in zip(reversed(present[:-1]), reversed(empties[:-1]), strict=True):
                shown = a if empty is None else pc.if_else(empty, shown, a)
            row_key = [_scalar((kind + "\x1f#").encode()), pc.cast(pc.cast(_int64s(ordinals), pa.string()), pa.binary())]
        call = _Parts()
        call.lit('{"type":' + orjson.dumps("track" if kind in PRIVACY_EVENTS else kind).decode())
        user = uid if uid is not None else (email if p.id_col is None else None)
        if user is not None:
            call.field(',"userId":', _escaped(user), quoted=True)
        if aid is not None:
            call.field(',"anonymousId":', _escaped(aid), quoted=True)
        if kind == "track":
            if p.event_col is not None:
                event = self._text(batch, p.event_col)
                flags += [_empty(event), _over(event, C.TRACK_MAX_EVENT_NAME_BYTES)]
                call.field(',"event":', _escaped(event), quoted=True, optional=False)
            else:
                call.lit(',"event":' + orjson.dumps(p.event_name).decode())
        elif kind in PRIVACY_EVENTS:
            call.lit(',"event":' + orjson.dumps(PRIVACY_EVENTS[kind]).decode())
        elif kind in ("page", "screen") and p.name_col is not None:
            call.field(',"name":', _escaped(self._text(batch, p.name_col)), quoted=True)
        elif kind == "group":
            group = self._text(batch, p.group_col)
            flags.append(_empty(group))
            call.field(',"groupId":', _escaped(group), quoted=True, optional=False)
        non_finite: Counter[str] = Counter()
        if rows.payload_key is not None:
            call.lit("," + orjson.dumps(rows.payload_key).decode() + ":{")
            self._payload(call, batch, email if kind == "identify" else None, flags, non_finite)
            call.lit("}")
        if p.ts_col is not None:
            call.field(',"timestamp":', _timestamp_array(batch.column(p.ts_col)), quoted=True)
        text = call.build()
        ids = _message_ids(pc.binary_join_element_wise(*row_key, _scalar(b"\x1f"), pc.cast(text, pa.binary()),
                                                       _scalar(b"}"), _scalar(b"")))
        bodies = pc.cast(_join(text, _lit(',"messageId":"'), ids, _lit('"},')), pa.binary())
        flags.append(_over(bodies, call_limit(rows.api) + 1))  # the body carries its packing comma
        found = [f for f in flags if f is not None]
        flagged = _bools(_any(found)) if found else np.zeros(n, dtype=bool)
        return _Built(Chunk(ordinals, shown, ids, bodies), flagged, non_finite)

    def _payload(self, call: _Parts, batch: pa.RecordBatch, email: Any, flags: list[Any],
                 non_finite: Counter[str]) -> None:
        """The payload object's fields (null cells left out or null, per ``nulls``), then the email trait.

        Fields before the first one every row has may be absent, so their commas are settled per row.
        """
        import pyarrow.compute as pc

        rows = self.rows
        send_nulls = rows.columns.nulls == "send"
        sized = rows.kind in ("identify", "group")
        fields: list[tuple[str, Any, bool]] = []
        for col in rows.plan.payload_cols:
            value, quoted = self._value(col, batch.column(col), flags if sized else None, non_finite)
            if send_nulls and value.null_count:
                value = pc.fill_null(_join(_lit('"'), value, _lit('"'), nulls="emit") if quoted else value, _lit("null"))
                quoted = False
            fields.append((orjson.dumps(col).decode() + ":", value, quoted))
        if email is not None:
            fields.append(('"email":', _escaped(email), True))
        if not fields:
            return
        always = next((i for i, (_, v, _) in enumerate(fields) if not v.null_count), len(fields))
        if always:  # fields that may all be absent: joined with commas, the first comma cut off per row
            leading = _Parts()
            for name, value, quoted in fields[: always + 1]:
                leading.field("," + name, value, quoted=quoted)
            call.items.append(pc.utf8_slice_codeunits(leading.build(), 1))
        else:
            call.field(fields[0][0], fields[0][1], quoted=fields[0][2])
        for name, value, quoted in fields[always + 1 :]:
            call.field("," + name, value, quoted=quoted)

    def _value(self, col: str, arr: Any, flags: list[Any] | None, non_finite: Counter[str]) -> tuple[Any, bool]:
        """One payload column as JSON text (null where the cell is empty), and whether it goes in quotes."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_dictionary(arr.type):
            arr = pc.cast(arr, arr.type.value_type)
        t = arr.type
        if pa.types.is_null(t):
            return pa.nulls(len(arr), pa.string()), False
        if pa.types.is_boolean(t):
            return pc.if_else(arr, _lit("true"), _lit("false")), False
        if pa.types.is_integer(t):
            return pc.cast(arr, pa.string()), False
        if pa.types.is_floating(t):
            arr, bad = _as_finite(arr)
            if bad:
                non_finite[col] += bad
            return _float_json(arr), False
        if pa.types.is_timestamp(t):
            return _iso_array(arr), True
        if pa.types.is_date(t):
            return pc.strftime(arr, format="%Y-%m-%d"), True
        if flags is not None:
            flags.append(_over(arr, C.TRACK_MAX_ATTRIBUTE_VALUE_BYTES))
        return _escaped(arr), True


def _any(masks: list[Any]) -> Any:
    import pyarrow.compute as pc

    out = masks[0]
    for m in masks[1:]:
        out = pc.or_(out, m)
    return out


def _all(masks: list[Any]) -> Any:
    """Where every mask holds (None when one of them holds nowhere)."""
    import pyarrow.compute as pc

    if any(m is None for m in masks):
        return None
    out = masks[0]
    for m in masks[1:]:
        out = pc.and_(out, m)
    return out
