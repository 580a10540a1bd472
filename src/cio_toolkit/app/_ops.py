"""App API operations described as data, and the pure functions around them.

The generated table (``_generated/operations.py``) describes every operation of app_api.json:
method, path, parameters (where each goes, limits), body shape, how to read the answer. Here
:func:`build_request` turns keyword arguments into a :class:`RequestSpec` and
:func:`parse_result` turns an answer into what a method returns. Resource classes, sync and
async, only call these two around one ``client.request``, so the two flavours cannot drift apart.

Optional query parameters default to ``None`` (not sent). Optional body fields default to
``UNSET`` (not sent), because an explicit ``None`` is sent as JSON ``null``, which the App API
reads as "clear this value" (``reply_to_id``, for example).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .._exceptions import ValidationError
from .._pagination import CursorKind, PageState
from .._paths import path_segment
from .._transport import RequestSpec
from .._types import UNSET
from .filters import Filter

__all__ = ["Param", "Op", "build_request", "parse_result", "page_state", "with_page"]

Location = Literal["path", "query", "header", "body"]
BodyKind = Literal["none", "fields", "wrap", "free"]
ResultKind = Literal["none", "raw", "unwrap", "page"]


@dataclass(frozen=True)
class Param:
    """One argument of an operation: its spec name, Python keyword, location and documented limits."""

    name: str
    arg: str
    location: Location
    required: bool = False
    type: str | None = None
    unix: bool = False  # a unix-timestamp field: datetimes are converted to epoch seconds
    limits: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Op:
    """One App API operation: how to build its request and read its answer."""

    operation_id: str
    method: str
    path: str
    params: tuple[Param, ...] = ()
    body: BodyKind = "none"
    wrap_key: str | None = None  # body kind "wrap": fields go under this key ({"segment": {...}})
    result: ResultKind = "raw"
    result_key: str | None = None  # "unwrap": the key returned; "page": the items key
    cursor: CursorKind = "none"
    endpoint_class: str = "default"
    idempotent: bool | None = None


def _unix(value: Any, name: str) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValidationError(f"{name}: datetime {value.isoformat()} has no time zone", field=name,
                                  limit="timezone-aware")
        return int(value.timestamp())
    if isinstance(value, dt.date):
        return int(dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp())
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"{name}: {value} is not a timestamp", field=name, limit="finite")
        return int(value)
    return value


def _check_limits(p: Param, value: Any) -> None:
    if not p.limits:
        return
    size: int | None = None
    if isinstance(value, str):
        size = len(value)
        lo, hi, unit = p.limits.get("minLength"), p.limits.get("maxLength"), "characters"
    elif isinstance(value, Sequence):
        size = len(value)
        lo, hi, unit = p.limits.get("minItems"), p.limits.get("maxItems"), "items"
    else:
        return
    if hi is not None and size > hi:
        raise ValidationError(f"{p.name}: at most {hi} {unit} allowed, got {size}", field=p.name, limit=hi,
                              actual=size)
    if lo is not None and size < lo:
        raise ValidationError(f"{p.name}: at least {lo} {unit} required, got {size}", field=p.name, limit=lo,
                              actual=size)


def _check_type(p: Param, value: Any) -> None:
    # Scalars in the path and query are checked here: a wrong type would otherwise surface as a
    # 400 (or a 404 for a path) from the server, far from the argument that caused it.
    if p.location not in ("path", "query") or p.type not in ("integer", "boolean", "number"):
        return
    if p.type == "boolean":
        ok = isinstance(value, bool)
    elif p.type == "integer":
        ok = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.strip().lstrip("-").isdigit())
    else:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok:
        raise ValidationError(f"{p.name}: expected {p.type}, got {type(value).__name__} {value!r:.40}",
                              field=p.name, limit=p.type, actual=value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Filter):
        return value.to_dict()
    return value


def build_request(op: Op, args: Mapping[str, Any]) -> RequestSpec:
    """The request for ``op`` called with keyword ``args`` (Python names); raises ValidationError on bad input."""
    path = op.path
    query: dict[str, Any] = {}
    headers: dict[str, str] = {}
    body: dict[str, Any] = {}
    free: Any = None
    for p in op.params:
        value = args.get(p.arg, UNSET)
        if value is UNSET or (value is None and p.location != "body"):
            if p.required:
                raise ValidationError(f"{p.name}: is required for {op.operation_id}", field=p.name, limit="required")
            continue
        if p.unix:
            value = _unix(value, p.name)
        _check_type(p, value)
        _check_limits(p, value)
        if p.location == "path":
            path = path.replace("{" + p.name + "}", path_segment(value, p.name))
        elif p.location == "query":
            query[p.name] = value
        elif p.location == "header":
            headers[p.name] = str(value)
        elif op.body == "free":
            if not isinstance(value, Mapping):
                raise ValidationError(f"{p.name}: expected a mapping, got {type(value).__name__}", field=p.name,
                                      limit="object")
            free = dict(value)
        else:
            body[p.name] = _jsonable(value)
    json: Any = None
    if op.body == "fields":
        json = body
    elif op.body == "wrap":
        assert op.wrap_key is not None
        json = {op.wrap_key: body}
    elif op.body == "free":
        json = free if free is not None else {}
    return RequestSpec(
        op.method, path, operation_id=op.operation_id, params=query or None, json=json, headers=headers,
        idempotent=op.idempotent, endpoint_class=op.endpoint_class,
    )


def page_state(op: Op, spec: RequestSpec) -> PageState:
    """The pagination state of the first page of ``spec``."""
    params = dict(spec.params or {})
    cursor = params.get("offset") if op.cursor == "offset" else params.get("start")
    return PageState(op.cursor, params, cursor)


def with_page(spec: RequestSpec, state: PageState) -> RequestSpec:
    """``spec`` re-aimed at the page ``state`` describes."""
    return RequestSpec(
        spec.method, spec.path, operation_id=spec.operation_id, params=dict(state.params), json=spec.json,
        content=spec.content, headers=dict(spec.headers), idempotent=spec.idempotent,
        endpoint_class=spec.endpoint_class,
    )


def parse_result(op: Op, data: Any) -> Any:
    """What a non-paginated method returns for the answer ``data``."""
    if op.result == "none":
        return None
    if op.result == "unwrap":
        assert op.result_key is not None
        if isinstance(data, Mapping) and op.result_key in data:
            return data[op.result_key]
        return data
    return data
