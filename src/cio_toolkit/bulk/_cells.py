"""Per-cell helpers of the row encoder: unreadable rows, JSON columns, timestamps, value sizes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from .. import _constants as C
from .._exceptions import ValidationError
from .._serialize import dumps
from ._sources import INVALID


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


def _iso_array(arr: Any) -> Any:
    """A timestamp column as ISO 8601 text in UTC with milliseconds (an Arrow string array)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    utc = pc.cast(arr, pa.timestamp("ms", tz="UTC"), safe=False)
    # With millisecond resolution %S carries the fraction: 2024-01-01T00:00:00.000Z.
    return pc.strftime(utc, format="%Y-%m-%dT%H:%M:%SZ")


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
