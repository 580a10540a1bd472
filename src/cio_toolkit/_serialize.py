"""JSON for the wire: orjson plus the coercions data engineers need, and exact size measurement.

Rules (documented once, applied everywhere):
- timezone-aware datetimes are converted to UTC and written as ISO 8601 with ``Z``;
  naive datetimes are rejected (a naive value is ambiguous, and guessing shifts history);
- ``date`` -> ``YYYY-MM-DD``; ``Decimal`` -> number (int when integral); UUID -> string;
- NaN, +/-inf, ``None``, pandas ``NA``/``NaT`` -> ``null`` (Customer.io reads null as "remove");
- numpy and pandas scalars and arrays -> their plain JSON values, recursively; sets -> lists.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Mapping
from typing import Any

import orjson

from ._exceptions import ValidationError

__all__ = ["dumps", "loads", "to_jsonable", "wire_size", "to_timestamp"]

# OPT_NAIVE_UTC only reaches numpy datetime64 (plain datetimes pass through to _default).
# OPT_NON_STR_KEYS doubles the cost of every dict, so it is only used when a first try without it
# meets a key that is not a str (the output is the same when every key is one).
_STR_KEY_OPTS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NAIVE_UTC
_OPTS = _STR_KEY_OPTS | orjson.OPT_NON_STR_KEYS


class _NaiveDatetime(TypeError):
    pass


class _Unserializable(TypeError):
    pass


def _iso_utc(value: dt.datetime) -> str:
    # ISO 8601 in UTC with "Z", to the second, or to the millisecond (truncated) when there is a fraction.
    # orjson writes it several times faster than isoformat(timespec=...), microseconds included: cut to ms.
    if value.tzinfo is not dt.UTC:
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise _NaiveDatetime(value)
        value = value.astimezone(dt.UTC)
    if type(value) is not dt.datetime:  # a subclass (pandas.Timestamp): orjson takes only the class itself
        value = dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                            value.microsecond, dt.UTC)
    text = orjson.dumps(value, option=orjson.OPT_UTC_Z)[1:-1].decode()
    return text[:23] + "Z" if value.microsecond else text


def _default(obj: Any) -> Any:
    if isinstance(obj, dt.datetime):
        # pandas.NaT is a datetime subclass that is "not a time": null.
        if obj != obj:
            return None
        return _iso_utc(obj)
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, dt.time):
        return obj.isoformat()
    if isinstance(obj, decimal.Decimal):
        if not obj.is_finite():
            return None
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    mod = type(obj).__module__
    if mod.startswith("pandas"):
        import pandas as pd

        if obj is pd.NA or obj is pd.NaT:
            return None
        if isinstance(obj, pd.Timedelta):
            return obj.total_seconds()
        if hasattr(obj, "to_pydatetime"):
            return _default(obj.to_pydatetime())
    if mod.startswith("numpy"):
        import numpy as np

        if isinstance(obj, np.datetime64):
            if np.isnat(obj):
                return None
            # numpy datetimes carry no zone; they are UTC by numpy's own convention.
            return _iso_utc(obj.astype("datetime64[us]").item().replace(tzinfo=dt.UTC))
        if isinstance(obj, np.generic):
            return obj.item()
    if hasattr(obj, "isoformat") and callable(obj.isoformat):
        return obj.isoformat()
    raise _Unserializable(obj)


def _find_path(obj: Any, pred: Any, path: str = "") -> str | None:
    if pred(obj):
        return path or "<root>"
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            found = _find_path(v, pred, f"{path}.{k}" if path else str(k))
            if found:
                return found
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            found = _find_path(v, pred, f"{path}[{i}]")
            if found:
                return found
    return None


def dumps(obj: Any) -> bytes:
    """Serialize ``obj`` to compact JSON bytes, applying the module's coercion rules."""
    try:
        return orjson.dumps(obj, default=_default, option=_STR_KEY_OPTS)
    except orjson.JSONEncodeError:
        pass  # a non-str key, or a value refused: the full rules decide, and name the problem
    try:
        return orjson.dumps(obj, default=_default, option=_OPTS)
    except orjson.JSONEncodeError as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, _NaiveDatetime):
            naive = cause.args[0]
            field = _find_path(obj, lambda v: v is naive) or "<unknown>"
            raise ValidationError(
                f"{field}: naive datetime {naive!s} has no time zone; attach one "
                "(e.g. .replace(tzinfo=datetime.UTC)) so the instant is unambiguous",
                field=field,
                limit="timezone-aware datetime",
            ) from None
        if isinstance(cause, _Unserializable):
            bad = cause.args[0]
            field = _find_path(obj, lambda v: v is bad) or "<unknown>"
            hint = ("; binary is not JSON: decode it to text or base64 first" if isinstance(bad, bytes | bytearray |
                    memoryview) else "")
            raise ValidationError(f"{field}: {type(bad).__name__} is not JSON serializable{hint}", field=field,
                                  limit="a JSON value") from None
        raise ValidationError(f"value is not JSON serializable: {exc}", field=None) from None


def loads(data: bytes | str) -> Any:
    """Parse JSON bytes or text."""
    return orjson.loads(data)


def to_jsonable(obj: Any) -> Any:
    """Return ``obj`` as plain JSON types (dict/list/str/int/float/bool/None), coerced as on the wire."""
    return orjson.loads(dumps(obj))


def wire_size(obj: Any) -> int:
    """Exact size in bytes of ``obj`` as it will be sent."""
    return len(dumps(obj))


def to_timestamp(value: Any, *, field: str = "timestamp") -> str | None:
    """Normalize a timestamp (aware datetime, ISO string, epoch seconds) to ISO 8601 UTC."""
    if type(value) is dt.datetime and value.utcoffset() is not None:
        return _iso_utc(value)  # the common case first, without the round trip through JSON below
    if value is None:
        return None
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(
                f"{field}: {value!r} is not an ISO 8601 timestamp", field=field, limit="ISO 8601"
            ) from None
        if parsed.tzinfo is None:
            raise ValidationError(
                f"{field}: {value!r} has no time zone offset", field=field, limit="timezone-aware"
            )
        return _iso_utc(parsed)
    if isinstance(value, bool):
        raise ValidationError(f"{field}: a bool is not a timestamp", field=field, limit="timestamp")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValidationError(f"{field}: {value} is not finite", field=field, limit="finite")
        return _iso_utc(dt.datetime.fromtimestamp(value, dt.UTC))
    out = orjson.loads(dumps(value))
    if not isinstance(out, str):
        raise ValidationError(f"{field}: {value!r} is not a timestamp", field=field, limit="timestamp")
    return out
