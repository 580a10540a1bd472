"""Column-wise pre-flight: a record batch -> JSON calls and messageIds with Arrow compute, no Python per row.

The rules stay in :class:`~._mapping.RowEncoder`. This path builds each call's JSON from whole
columns (Arrow string kernels), hashes the messageIds natively (DuckDB's ``sha1``, hashlib when
DuckDB is missing) and only *flags* the rows that might break a rule: an empty or long id, a
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

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from .. import _constants as C
from .._wire import call_limit
from ._cells import _iso_array, _string_array, _timestamp_array
from ._mapping import PRIVACY_EVENTS, Encoded, Rejected, RowEncoder
from ._message_ids import _NS, fast_message_id
from ._sources import INVALID

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

__all__ = ["Chunk", "ColumnEncoder", "unsupported"]

# JSON escapes exactly as orjson writes them (the row path's encoder): quote, backslash, controls.
_ESCAPES = {chr(c): orjson.dumps(chr(c))[1:-1].decode() for c in range(32)}
_NEEDS_ESCAPE = r'[\x00-\x1f"\\]'
# Floats whose Arrow text is orjson's once ".0" is added to integral values; others go through orjson.
_PLAIN_FLOAT = (1e-4, 1e9)


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

        return cls(np.array([e.ordinal for e in items], dtype=np.int64), pa.array([e.key for e in items], pa.string()),
                   pa.array([e.message_id for e in items], pa.string()),
                   pa.array([e.body + b"," for e in items], pa.binary()))

    @classmethod
    def concat(cls, chunks: list[Chunk]) -> Chunk:
        """One chunk of ``chunks`` in order."""
        import numpy as np
        import pyarrow as pa

        return cls(np.concatenate([c.ordinals for c in chunks]), pa.concat_arrays([c.keys for c in chunks]),
                   pa.concat_arrays([c.ids for c in chunks]), pa.concat_arrays([c.bodies for c in chunks]))

    def take(self, idx: Any) -> Chunk:
        """The rows at positions ``idx``."""
        return Chunk(self.ordinals[idx], self.keys.take(idx), self.ids.take(idx), self.bodies.take(idx))

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


def _lit(value: str | bytes) -> Any:
    import pyarrow as pa

    return pa.scalar(value.decode() if isinstance(value, bytes) else value, pa.string())


def _join(*parts: Any, nulls: str = "replace") -> Any:
    """Concatenate per row; with ``nulls="emit"`` a null part makes the row null (an absent field)."""
    import pyarrow.compute as pc

    if nulls == "emit":
        return pc.binary_join_element_wise(*parts, "", null_handling="emit_null")
    return pc.binary_join_element_wise(*parts, "", null_handling="replace", null_replacement="")


def _quoted(arr: Any) -> Any:
    """Text as JSON strings (null stays null), escaped as orjson escapes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(arr.type):
        arr = pc.cast(arr, pa.string())
    if pc.any(pc.match_substring_regex(arr, _NEEDS_ESCAPE)).as_py():
        arr = pc.replace_substring(pc.replace_substring(arr, "\\", "\\\\"), '"', '\\"')
        for char, escaped in _ESCAPES.items():
            if pc.any(pc.match_substring(arr, char)).as_py():
                arr = pc.replace_substring(arr, char, escaped)
    return _join(_lit('"'), arr, _lit('"'), nulls="emit")


def _nonempty(arr: Any) -> Any:
    import pyarrow.compute as pc

    return pc.fill_null(pc.greater(pc.binary_length(arr), 0), False)


def _over(arr: Any, limit: int) -> Any:
    import pyarrow.compute as pc

    return pc.fill_null(pc.greater(pc.binary_length(arr), limit), False)


def _float_json(arr: Any) -> Any:
    """Doubles as orjson writes them: Arrow's shortest text in the plain range, orjson itself elsewhere."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pc.cast(arr, pa.float64())  # a float32 goes out as the double it is, as in the row path
    text = pc.cast(arr, pa.string())
    text = pc.if_else(pc.match_substring(text, "."), text, _join(text, _lit(".0"), nulls="emit"))
    size = pc.abs(arr)
    plain = pc.or_(pc.equal(arr, 0), pc.and_(pc.greater_equal(size, _PLAIN_FLOAT[0]), pc.less(size, _PLAIN_FLOAT[1])))
    odd = pc.fill_null(pc.invert(plain), False)
    if pc.any(odd).as_py():
        values = pc.filter(arr, odd).to_pylist()
        text = pc.replace_with_mask(text, odd, pa.array([orjson.dumps(v).decode() for v in values], pa.string()))
    return text


class _Hasher:
    """messageIds of many names at once: uuid5 in the toolkit's namespace, as :func:`fast_message_id`."""

    # The uuid5 text of a SHA-1 hex digest: version 5, and the variant bits in the 17th digit.
    _SQL = ("SELECT substr(h,1,8)||'-'||substr(h,9,4)||'-5'||substr(h,14,3)||'-'||"
            "substr('89ab89ab89ab89ab', instr('0123456789abcdef', substr(h,17,1)), 1)||substr(h,18,3)||'-'||"
            "substr(h,21,12) AS id FROM (SELECT sha1(x) AS h FROM cio_names)")

    def __init__(self) -> None:
        self._con: Any
        try:
            import duckdb
        except ImportError:  # the data extra brings it; without it, hashlib row by row
            self._con = None
        else:
            self._con = duckdb.connect()

    def ids(self, names: Any) -> Any:
        """The messageId of each binary name in ``names`` (an Arrow string array)."""
        import pyarrow as pa

        con: Any = self._con
        if con is None or not len(names):
            return pa.array([fast_message_id(x) for x in names.to_pylist()], pa.string())
        con.register("cio_names", pa.table({"x": names}))
        try:
            out = con.sql(self._SQL).to_arrow_table().column(0).combine_chunks()
        finally:
            con.unregister("cio_names")
        out = out.cast(pa.string())
        # A cheap guard on the native path: the first and last ids as the one rule computes them.
        for i in (0, len(names) - 1):
            if out[i].as_py() != fast_message_id(names[i].as_py()[len(_NS):]):
                raise RuntimeError("native messageIds differ from fast_message_id")  # pragma: no cover
        return out


class ColumnEncoder:
    """Encodes record batches column-wise for a load the column path supports (see :func:`unsupported`)."""

    def __init__(self, rows: RowEncoder) -> None:
        self.rows = rows
        self.reason = unsupported(rows)
        self._hasher = _Hasher() if self.reason is None else None
        self.row_wise_batches = 0  # record batches that went through the row encoder as a whole

    def encode(self, batch: pa.RecordBatch, first_ordinal: int) -> tuple[Chunk, list[Rejected]]:
        """The valid rows of ``batch`` and its rejected rows, in order; ordinals start at ``first_ordinal``."""
        import numpy as np

        counted = Counter(self.rows.non_finite)
        try:
            if self.reason is not None or self._unreadable(batch):
                raise _RowWise
            chunk, flagged = self._build(batch, first_ordinal)
        except _RowWise:
            self.rows.non_finite = counted
            self.row_wise_batches += 1
            return self._row_wise(batch, first_ordinal, None)
        if not flagged.any():
            return chunk, []
        idx = np.flatnonzero(flagged)
        after = Counter(self.rows.non_finite)  # the column pass counted these rows' NaNs already
        again, rejected = self._row_wise(batch.take(idx), 0, (idx + first_ordinal).tolist())
        self.rows.non_finite = after
        merged = Chunk.concat([chunk.take(np.flatnonzero(~flagged)), again])
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
        if col is None:
            return None
        import pyarrow as pa

        arr = _string_array(batch.column(col))
        if arr is None:
            raise _RowWise
        return arr if arr.type == pa.string() else arr.cast(pa.string())

    def _build(self, batch: pa.RecordBatch, first: int) -> tuple[Chunk, np.ndarray]:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        rows, p, kind = self.rows, self.rows.plan, self.rows.kind
        n = batch.num_rows
        ordinals = np.arange(first, first + n, dtype=np.int64)
        uid, aid, email = self._text(batch, p.id_col), self._text(batch, p.anon_col), self._text(batch, p.email_col)
        present = [a for a in (uid, aid, email) if a is not None]
        flags = [pc.invert(_or(*[_nonempty(a) for a in present]))]  # missing id
        flags += [_over(a, C.TRACK_MAX_ID_BYTES) for a in (uid, aid) if a is not None]
        prefix = kind + "\x1f"
        if p.key_cols:
            parts = [self._text(batch, k) for k in p.key_cols]
            flags += [pc.is_null(a) for a in parts]
            shown = pc.fill_null(pc.binary_join_element_wise(*parts, "\x1f"), "")
            row_key = _join(_lit(prefix), shown)
        else:
            shown = _lit("")
            for a in reversed(present):
                shown = pc.if_else(_nonempty(a), a, shown)
            shown = pc.fill_null(shown, "") if isinstance(shown, pa.Array) else pa.array([""] * n, pa.string())
            row_key = _join(_lit(prefix + "#"), pc.cast(pa.array(ordinals), pa.string()))
        ctype = "track" if kind in PRIVACY_EVENTS else kind
        head: list[Any] = [_lit(b'{"type":' + orjson.dumps(ctype))]
        user = uid if uid is not None else (email if p.id_col is None else None)
        if user is not None:
            head.append(_join(_lit(',"userId":'), _quoted(user), nulls="emit"))
        if aid is not None:
            head.append(_join(_lit(',"anonymousId":'), _quoted(aid), nulls="emit"))
        if kind == "track":
            if p.event_col is not None:
                event = self._text(batch, p.event_col)
                flags += [pc.invert(_nonempty(event)), _over(event, C.TRACK_MAX_EVENT_NAME_BYTES)]
                head.append(_join(_lit(',"event":'), _quoted(event)))
            else:
                head.append(_lit(b',"event":' + orjson.dumps(p.event_name)))
        elif kind in PRIVACY_EVENTS:
            head.append(_lit(b',"event":' + orjson.dumps(PRIVACY_EVENTS[kind])))
        elif kind in ("page", "screen") and p.name_col is not None:
            head.append(_join(_lit(',"name":'), _quoted(self._text(batch, p.name_col)), nulls="emit"))
        elif kind == "group":
            group = self._text(batch, p.group_col)
            flags.append(pc.invert(_nonempty(group)))
            head.append(_join(_lit(',"groupId":'), _quoted(group)))
        if rows.payload_key is not None:
            head.append(self._payload(batch, rows.payload_key, email if kind == "identify" else None, flags))
        if p.ts_col is not None:
            ts = _timestamp_array(batch.column(p.ts_col))
            head.append(_join(_lit(',"timestamp":'), _quoted(ts), nulls="emit"))
        call = _join(*head)
        assert self._hasher is not None
        names = pc.binary_join_element_wise(pa.scalar(_NS), pc.cast(row_key, pa.binary()), pa.scalar(b"\x1f"),
                                            pc.cast(call, pa.binary()), pa.scalar(b"}"), pa.scalar(b""))
        ids = self._hasher.ids(names)
        bodies = pc.cast(_join(call, _lit(',"messageId":"'), ids, _lit('"},')), pa.binary())
        flags.append(pc.greater(pc.binary_length(bodies), call_limit(rows.api) + 1))
        flagged = _or(*flags).to_numpy(zero_copy_only=False)
        return Chunk(ordinals, shown, ids, bodies), flagged

    def _payload(self, batch: pa.RecordBatch, key: str, email: Any, flags: list[Any]) -> Any:
        """``,"<key>":{...}``: the payload columns (null cells left out or null, per ``nulls``), then the email trait."""
        import pyarrow.compute as pc

        rows = self.rows
        send_nulls = rows.columns.nulls == "send"
        sized = rows.kind in ("identify", "group")
        fields = []
        for col in rows.plan.payload_cols:
            value = self._value(col, batch.column(col), flags if sized else None)
            if send_nulls:
                value = pc.fill_null(value, "null")
            fields.append(_join(_lit("," + orjson.dumps(col).decode() + ":"), value, nulls="emit"))
        if email is not None:
            fields.append(_join(_lit(',"email":'), _quoted(email), nulls="emit"))
        opening = _lit("," + orjson.dumps(key).decode() + ":{")
        if not fields:
            return _join(opening, _lit("}"))
        inner = pc.utf8_slice_codeunits(_join(*fields), 1)  # without the first field's comma
        return _join(opening, inner, _lit("}"))

    def _value(self, col: str, arr: Any, flags: list[Any] | None) -> Any:
        """One payload column as JSON values (null where the cell is empty)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_dictionary(arr.type):
            arr = pc.cast(arr, arr.type.value_type)
        t = arr.type
        if pa.types.is_null(t):
            return pa.nulls(len(arr), pa.string())
        if pa.types.is_boolean(t):
            return pc.if_else(arr, _lit("true"), _lit("false"))
        if pa.types.is_integer(t):
            return pc.cast(arr, pa.string())
        if pa.types.is_floating(t):
            return _float_json(self.rows._finite(col, arr))
        if pa.types.is_timestamp(t):
            return _quoted(_iso_array(arr))
        if pa.types.is_date(t):
            return _quoted(pc.strftime(arr, format="%Y-%m-%d"))
        if flags is not None:
            flags.append(_over(arr, C.TRACK_MAX_ATTRIBUTE_VALUE_BYTES))
        return _quoted(arr)


def _or(*masks: Any) -> Any:
    import pyarrow.compute as pc

    out = masks[0]
    for m in masks[1:]:
        out = pc.or_(out, m)
    return out
