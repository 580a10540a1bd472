"""Per-cell helpers of the row encoder: unreadable rows, JSON columns, timestamps, value sizes."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import orjson

from .. import _constants as C
from .._exceptions import ValidationError
from .._serialize import dumps
from ._sources import INVALID

# Arrays and scalars are built from buffers here: pyarrow converts Python values (pa.array,
# pa.scalar, a literal passed to a compute function, Array.to_numpy) after importing pandas, about
# 45 MB of memory that a load from a file never needs otherwise.


def _scalar(value: str | bytes | bool | int | float) -> Any:
    """An Arrow scalar of ``value`` (string, binary, boolean, int64 or double), without pandas."""
    return _scalars(type(value).__name__, value)


@functools.cache
def _scalars(kind: str, value: Any) -> Any:
    import numpy as np
    import pyarrow as pa

    if kind == "str":
        return _binaries([value.encode()]).cast(pa.string())[0]
    if kind == "bytes":
        return _binaries([value])[0]
    if kind == "bool":
        return pa.Array.from_buffers(pa.bool_(), 1, [None, pa.py_buffer(b"\x01" if value else b"\x00")])[0]
    if kind == "int":
        return _int64s(np.array([value]))[0]
    return pa.Array.from_buffers(pa.float64(), 1, [None, pa.py_buffer(np.array([value], dtype=np.float64))])[0]


def _binaries(values: list[bytes]) -> Any:
    """An Arrow binary array of ``values`` (built from buffers: ``pa.array`` imports pandas, ~45 MB)."""
    import numpy as np
    import pyarrow as pa

    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum([len(v) for v in values], out=offsets[1:])
    return pa.Array.from_buffers(pa.binary(), len(values), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(values))])


def _int64s(values: Any) -> Any:
    """An Arrow int64 array over a numpy array (no copy for a contiguous one; no pandas import)."""
    import numpy as np
    import pyarrow as pa

    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def _invalid_rows(batch: Any) -> dict[int, tuple[str, str, None, str]]:
    """Rows the source could not read (its INVALID column): position -> (field, reason, limit, value)."""
    if INVALID not in batch.schema.names:
        return {}
    out = {}
    for i, v in enumerate(batch.column(INVALID).to_pylist()):
        if v is not None:
            field, reason, actual = v.split("\x1f", 2)
            out[i] = (field, reason, None, actual)
    return out


def _parse_json(values: Any, json_idx: list[int], names: list[str]) -> tuple[list[Any], str | None]:
    values = list(values)
    for j in json_idx:
        v = values[j]
        if isinstance(v, str):
            try:
                values[j] = orjson.loads(v)
            except orjson.JSONDecodeError:
                return values, names[j]
    return values, None


def _empty_tuples(n: int) -> Iterator[tuple[()]]:
    for _ in range(n):
        yield ()


def _all_integral(arr: Any) -> bool:
    import pyarrow.compute as pc

    valid = pc.drop_null(arr)
    return len(valid) == 0 or bool(pc.all(pc.equal(pc.floor(valid), valid)).as_py())


def _as_finite(arr: Any) -> tuple[Any, int]:
    """A float column with NaN and infinity as nulls (JSON cannot carry them), and how many there were."""
    import pyarrow as pa
    import pyarrow.compute as pc

    finite = pc.is_finite(arr)
    bad = len(arr) - arr.null_count - pc.sum(finite).as_py() if len(arr) else 0
    if not bad:
        return arr, 0
    return pc.if_else(finite, arr, pa.nulls(1, arr.type)[0]), bad


def _iso_array(arr: Any) -> Any:
    """A timestamp column as ISO 8601 text in UTC with milliseconds (an Arrow string array)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    utc = pc.cast(arr, pa.timestamp("ms", tz="UTC"), safe=False)
    fast = _iso_ms(utc)
    # With millisecond resolution %S carries the fraction: 2024-01-01T00:00:00.000Z.
    return fast if fast is not None else pc.strftime(utc, format="%Y-%m-%dT%H:%M:%SZ")


_DAY_MS = 86_400_000


def _iso_ms(utc: Any) -> Any:
    """``strftime("%Y-%m-%dT%H:%M:%SZ")`` of a millisecond UTC column, in numpy (a twentieth of its cost).

    Dates from the civil calendar by day number (H. Hinnant's days-to-civil algorithm), once per
    day of the column's range when it is short (a load's events span few days); the time of day
    from tables of digits. None when a year is outside 1000-9999, where the caller keeps Arrow's strftime.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(utc)
    ms = pc.cast(utc, pa.int64())
    ms = ms.fill_null(_scalar(0)) if ms.null_count else ms
    # From the buffer: Array.to_numpy imports pandas (~45 MB of memory) the first time.
    ms = np.frombuffer(ms.buffers()[1], dtype=np.int64)[ms.offset : ms.offset + n]
    days, rest = np.divmod(ms, _DAY_MS)
    first = int(days.min()) if n else 0
    short = n and int(days.max()) - first < n
    dates = _civil(np.arange(first, int(days.max()) + 1) if short else days)
    if dates is None:
        return None
    # One row per character position (contiguous writes), transposed into 24-byte values at the end.
    out = np.empty((24, n), dtype=np.uint8)
    if short:
        at = days - first
        for i in range(10):
            out[i] = dates[:, i][at]
    else:
        out[:10] = dates.T
    out[[10, 13, 16, 19, 23]] = np.frombuffer(b"T::.Z", dtype=np.uint8)[:, None]
    for value, start, width in ((rest // 3_600_000, 11, 2), (rest // 60_000 % 60, 14, 2), (rest // 1000 % 60, 17, 2),
                                (rest % 1000, 20, 3)):
        table = _digit_table(width)
        for i in range(width):
            out[start + i] = table[:, i][value]
    out = np.ascontiguousarray(out.T)
    offsets = np.arange(0, 24 * (n + 1), 24, dtype=np.int32)
    text = pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(out)])
    return pc.if_else(pc.is_valid(utc), text, pa.nulls(1, pa.string())[0]) if utc.null_count else text


def _civil(days: Any) -> Any:
    """YYYY-MM-DD of each day number (days since 1970-01-01) as rows of 10 ASCII bytes; None outside 1000-9999."""
    import numpy as np

    z = days + 719_468
    era = np.floor_divide(z, 146_097)
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    if len(days) and (year.min() < 1000 or year.max() > 9999):
        return None
    out = np.empty((10, len(days)), dtype=np.uint8).T  # each column contiguous: one gather per character
    out[:, 4] = out[:, 7] = ord("-")
    out[:, 0:4] = _digit_table(4)[year]
    out[:, 5:7], out[:, 8:10] = _digit_table(2)[month], _digit_table(2)[day]
    return out


@functools.cache
def _digit_table(width: int) -> Any:
    """Row ``i`` holds ``i`` in ``width`` ASCII digits, zero-padded."""
    import numpy as np

    table = np.frombuffer(b"".join(b"%0*d" % (width, i) for i in range(10**width)), dtype=np.uint8)
    return np.ascontiguousarray(table.reshape(-1, width).T).T  # each column contiguous: one gather per digit


def _iso_column(arr: Any) -> list[Any]:
    return _iso_array(arr).to_pylist()  # type: ignore[no-any-return]


def _timestamp_array(arr: Any) -> Any:
    """A timestamp or date column as the ISO text calls carry (None for other types: parsed per row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_timestamp(arr.type):
        return _iso_array(arr)
    if pa.types.is_date(arr.type):
        return pc.strftime(pc.cast(arr, pa.timestamp("s", tz="UTC")), format="%Y-%m-%dT%H:%M:%SZ")
    return None


def _string_array(arr: Any) -> Any:
    """An id-like column as Arrow strings (None when Arrow cannot cast it: the caller uses ``str``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_floating(arr.type):
        # 42.0 as an id means 42: pandas turns integer ids with gaps into floats.
        arr = pc.cast(arr, pa.int64(), safe=False) if _all_integral(arr) else arr
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        try:
            arr = pc.cast(arr, pa.string())
        except Exception:
            return None
    return arr


def _epoch_ms(ts: str) -> int:
    import datetime as dt

    return int(dt.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp() * 1000)


def _value_size(v: Any) -> int:
    if v is None or isinstance(v, bool | int | float):
        return 0
    if isinstance(v, str):
        return len(v) if len(v) * 4 <= C.TRACK_MAX_ATTRIBUTE_VALUE_BYTES else len(v.encode())
    try:
        return len(dumps(v))
    except ValidationError:
        return 0
