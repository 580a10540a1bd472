"""Column mapping and row encoding: Arrow record batches -> validated, size-checked API calls.

This is the hot path of a bulk load, so it works column-wise where Arrow can (casts, timestamp
formatting) and keeps the per-row Python work to building one dict and serializing it once.
Every row either becomes an :class:`Encoded` call (bytes with its messageId spliced in) or a
:class:`Rejected` record naming the field, the reason and the limit. NaN and infinity have no
JSON form: in payload columns they are treated as empty cells (left out, or null with
``nulls="send"``) and counted per column in :attr:`RowEncoder.non_finite`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypedDict

import orjson

from .. import _constants as C
from .._exceptions import ValidationError
from .._serialize import _OPTS, _default, dumps, to_timestamp
from .._wire import call_limit
from ._cells import (
    _as_finite,
    _empty_tuples,
    _epoch_ms,
    _invalid_rows,
    _iso_column,
    _parse_json,
    _string_array,
    _timestamp_array,
    _value_size,
)
from ._message_ids import _ulid_from, fast_message_id, row_message_id

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "COLUMN_DEFAULTS", "KINDS", "ColumnMap", "ColumnOptions", "Encoded", "Rejected", "RowEncoder", "fast_message_id",
    "row_message_id",
]

Kind = Literal["identify", "track", "page", "screen", "group", "alias", "delete", "suppress", "unsuppress"]
KINDS: tuple[str, ...] = ("identify", "track", "page", "screen", "group", "alias", "delete", "suppress", "unsuppress")
API = Literal["pipelines", "track"]
# Customer.io's semantic events for the privacy actions on the Pipelines API.
PRIVACY_EVENTS = {"delete": "User Deleted", "suppress": "User Suppressed", "unsuppress": "User Unsuppressed"}
# Which kinds carry a payload, and under which key.
_PAYLOAD_KEY = {"identify": "traits", "group": "traits", "track": "properties", "page": "properties",
                "screen": "properties"}
_USER_ID_CANDIDATES = ("userId", "user_id", "id", "customer_id")
_ANON_CANDIDATES = ("anonymousId", "anonymous_id")
_TRACK_V2_KINDS = ("identify", "track", "screen", "page", "group", "delete", "suppress", "unsuppress")


@dataclass(frozen=True)
class ColumnMap:
    """Which source column plays which role; unspecified roles are detected from common names.

    ``fields`` lists the trait/property columns explicitly (default: every column not used for
    a role). ``json_columns`` hold JSON text that is parsed and sent nested. ``key`` names the
    column(s) forming the stable row key (default: the row's position in the source).
    """

    user_id: str | None = None
    anonymous_id: str | None = None
    email: str | None = None
    event: str | None = None
    event_name: str | None = None
    name: str | None = None
    group_id: str | None = None
    previous_id: str | None = None
    timestamp: str | None = None
    key: tuple[str, ...] = ()
    fields: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    json_columns: tuple[str, ...] = ()
    nulls: Literal["skip", "send"] = "skip"

    def __post_init__(self) -> None:
        if self.nulls not in ("skip", "send"):
            raise ValidationError(f"nulls: must be 'skip' or 'send', got {self.nulls!r}", field="nulls",
                                  limit=("skip", "send"))

    @classmethod
    def of(cls, *, key: str | Sequence[str] | None = None, **roles: Any) -> ColumnMap:
        """A map from the keywords of ``load`` and ``plan_sync``: ``key`` is one column or several."""
        lists = {k: tuple(v) for k, v in roles.items() if k in ("fields", "exclude", "json_columns") and v is not None}
        return cls(key=(key,) if isinstance(key, str) else tuple(key or ()), **{**roles, **lists})


class ColumnOptions(TypedDict, total=False):
    """Which columns are the payload and how they are read, for ``load``, ``plan_sync`` and ``sync``.

    ``fields`` (default: every column without a role), ``exclude``, ``json_columns``, ``nulls``
    (``"skip"`` or ``"send"``): see :class:`ColumnMap`, which holds their defaults.
    """

    fields: Sequence[str] | None
    exclude: Sequence[str]
    json_columns: Sequence[str]
    nulls: str


COLUMN_DEFAULTS = {f.name: f.default for f in dataclasses.fields(ColumnMap) if f.name in ColumnOptions.__annotations__}


@dataclass(slots=True)
class Encoded:
    """One valid call ready to pack: its bytes (messageId included), ordinal, key and messageId."""

    ordinal: int
    key: str
    message_id: str
    body: bytes


@dataclass
class Rejected:
    """A row refused before sending: where it is, which field, why, and the limit it broke."""

    ordinal: int
    key: str
    field: str
    reason: str
    limit: Any = None
    actual: Any = None


@dataclass
class _Plan:
    kind: str
    api: str
    id_col: str | None
    anon_col: str | None
    email_col: str | None
    event_col: str | None
    event_name: str | None
    name_col: str | None
    group_col: str | None
    previous_col: str | None
    ts_col: str | None
    key_cols: tuple[str, ...]
    payload_cols: list[str] = field(default_factory=list)
    json_cols: frozenset[str] = frozenset()


def _pick(explicit: str | None, candidates: Sequence[str], names: Sequence[str], role: str) -> str | None:
    if explicit is not None:
        if explicit not in names:
            raise ValidationError(
                f"{role}: column {explicit!r} is not in the source (columns: {', '.join(names)})",
                field=role, limit=list(names),
            )
        return explicit
    for c in candidates:
        if c in names:
            return c
    return None


class RowEncoder:
    """Turns record batches of one source into calls for ``kind`` on ``api`` ("pipelines" or "track")."""

    def __init__(self, kind: str, schema: pa.Schema, columns: ColumnMap | None = None, *, api: str = "pipelines") -> None:
        if kind not in KINDS:
            raise ValidationError(f"kind: {kind!r} is not one of {', '.join(KINDS)}", field="kind", limit=KINDS)
        if api not in ("pipelines", "track"):
            raise ValidationError(f"api: must be 'pipelines' or 'track', got {api!r}", field="api",
                                  limit=("pipelines", "track"))
        if api == "track" and kind not in _TRACK_V2_KINDS:
            raise ValidationError(f"kind: {kind!r} has no Track v2 equivalent; use api='pipelines'",
                                  field="kind", limit=_TRACK_V2_KINDS)
        self.kind = kind
        self.api = api
        self.columns = columns or ColumnMap()
        self.schema = schema
        self.plan = self._resolve(schema)
        self._check_schema(schema)
        # NaN/inf cells per payload column, treated as empty (JSON cannot carry them).
        self.non_finite: Counter[str] = Counter()

    # ------------------------------------------------------------ planning

    def _resolve(self, schema: pa.Schema) -> _Plan:
        m, kind, names = self.columns, self.kind, list(schema.names)
        id_col = _pick(m.user_id, () if (m.anonymous_id or m.email) else _USER_ID_CANDIDATES, names, "user_id")
        anon_col = _pick(m.anonymous_id, () if id_col else _ANON_CANDIDATES, names, "anonymous_id")
        email_col = _pick(m.email, (), names, "email")
        if email_col is None and id_col is None and anon_col is None and "email" in names:
            email_col = "email"
        if not (id_col or anon_col or email_col):
            raise ValidationError(
                f"user_id: no id column found; name one with user_id=, anonymous_id= or email= "
                f"(columns: {', '.join(names)})", field="user_id", limit=list(names),
            )
        if kind in ("alias", "delete", "suppress", "unsuppress") and not (id_col or email_col):
            raise ValidationError(f"user_id: {kind} needs a user id (or email) column", field="user_id")
        event_col = event_name = None
        if kind == "track":
            event_name = m.event_name
            if event_name is None:
                event_col = _pick(m.event, ("event", "event_name"), names, "event")
                if event_col is None:
                    raise ValidationError(
                        "event: name the event column with event= or give one name for every row with event_name=",
                        field="event",
                    )
            elif not event_name or len(event_name.encode()) > C.TRACK_MAX_EVENT_NAME_BYTES:
                raise ValidationError(f"event_name: must be 1-{C.TRACK_MAX_EVENT_NAME_BYTES} bytes",
                                      field="event_name", limit=C.TRACK_MAX_EVENT_NAME_BYTES)
        name_col = _pick(m.name, ("name",), names, "name") if kind in ("page", "screen") else None
        group_col = None
        if kind == "group":
            group_col = _pick(m.group_id, ("groupId", "group_id", "object_id"), names, "group_id")
            if group_col is None:
                raise ValidationError("group_id: name the group (object) id column with group_id=", field="group_id")
        previous_col = None
        if kind == "alias":
            previous_col = _pick(m.previous_id, ("previousId", "previous_id"), names, "previous_id")
            if previous_col is None:
                raise ValidationError("previous_id: alias needs the previous id column (previous_id=)",
                                      field="previous_id")
        ts_col = _pick(m.timestamp, ("timestamp",), names, "timestamp")
        for k in m.key:
            _pick(k, (), names, "key")
        for c in (*m.json_columns, *m.exclude):
            _pick(c, (), names, "json_columns" if c in m.json_columns else "exclude")
        used = {c for c in (id_col, anon_col, event_col, name_col, group_col, previous_col, ts_col) if c}
        if m.fields is not None:
            for c in m.fields:
                _pick(c, (), names, "fields")
            payload = list(m.fields)
        elif kind in _PAYLOAD_KEY:
            payload = [c for c in names if c not in used and c not in m.exclude]
        else:
            payload = []
        if email_col in payload:
            # The email column is sent as the email trait by the builder; not twice.
            payload.remove(email_col)
        return _Plan(kind, self.api, id_col, anon_col, email_col, event_col, event_name, name_col, group_col,
                     previous_col, ts_col, tuple(m.key), payload, frozenset(m.json_columns))

    def _check_schema(self, schema: pa.Schema) -> None:
        import pyarrow as pa

        p = self.plan
        for col in p.payload_cols:
            if len(col.encode()) > C.TRACK_MAX_ATTRIBUTE_NAME_BYTES:
                raise ValidationError(
                    f"{col[:40]}...: column name is {len(col.encode())} bytes, over the "
                    f"{C.TRACK_MAX_ATTRIBUTE_NAME_BYTES}-byte attribute name limit",
                    field=col, limit=C.TRACK_MAX_ATTRIBUTE_NAME_BYTES, actual=len(col.encode()),
                )
        naive = [f.name for f in schema if pa.types.is_timestamp(f.type) and f.type.tz is None
                 and (f.name == p.ts_col or f.name in p.payload_cols)]
        if naive:
            raise ValidationError(
                f"{', '.join(naive)}: timestamp column(s) without a time zone; a naive time is ambiguous. "
                "Attach one first (pandas: df[col].dt.tz_localize('UTC'); polars: .dt.replace_time_zone('UTC'); "
                "Spark: a TIMESTAMP column, F.col(col).cast('timestamp'))",
                field=naive[0], limit="timezone-aware timestamp",
            )
        binary = [f.name for f in schema if (pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)
                                             or pa.types.is_fixed_size_binary(f.type)) and f.name in p.payload_cols]
        if binary:
            raise ValidationError(
                f"{', '.join(binary)}: binary column(s) have no JSON form; decode them to text (or base64) first, "
                "or leave them out (exclude=)", field=binary[0], limit="a text, number, boolean or nested column",
            )

    @property
    def payload_key(self) -> str | None:
        """Where the remaining columns go: ``traits``, ``properties`` or nowhere."""
        if self.api == "track":
            return "attributes" if self.kind in _PAYLOAD_KEY else None
        return _PAYLOAD_KEY.get(self.kind)

    def describe(self) -> dict[str, Any]:
        """The resolved mapping, for reports and the CLI."""
        p = self.plan
        out: dict[str, Any] = {"kind": p.kind, "api": p.api}
        for role, col in (("user_id", p.id_col), ("anonymous_id", p.anon_col), ("email", p.email_col),
                          ("event", p.event_col), ("name", p.name_col), ("group_id", p.group_col),
                          ("previous_id", p.previous_col), ("timestamp", p.ts_col)):
            if col:
                out[role] = col
        if p.event_name:
            out["event_name"] = p.event_name
        if p.key_cols:
            out["key"] = list(p.key_cols)
        if self.payload_key:
            out[self.payload_key] = list(p.payload_cols)
        return out

    # ------------------------------------------------------------ encoding

    def _strings(self, batch: pa.RecordBatch, col: str | None) -> list[Any]:
        if col is None:
            return [None] * batch.num_rows
        arr = batch.column(col)
        text = _string_array(arr)
        if text is None:
            return [None if v is None else str(v) for v in arr.to_pylist()]
        return text.to_pylist()  # type: ignore[no-any-return]

    def _timestamps(self, batch: pa.RecordBatch, col: str | None) -> tuple[list[Any], bool]:
        """Timestamp values and whether they are already ISO strings (False: parse per row)."""
        if col is None:
            return [None] * batch.num_rows, True
        arr = batch.column(col)
        iso = _timestamp_array(arr)
        if iso is not None:
            return iso.to_pylist(), True
        return arr.to_pylist(), False

    def _payload_values(self, batch: pa.RecordBatch) -> list[list[Any]]:
        import pyarrow as pa

        out = []
        for col in self.plan.payload_cols:
            arr = batch.column(col)
            if pa.types.is_floating(arr.type):
                arr = self._finite(col, arr)
            if pa.types.is_timestamp(arr.type):
                out.append(_iso_column(arr))
            elif pa.types.is_map(arr.type):
                out.append([None if v is None else dict(v) for v in arr.to_pylist()])
            else:
                out.append(arr.to_pylist())
        return out

    def _finite(self, col: str, arr: Any) -> Any:
        """``arr`` with NaN and infinity as nulls (counted), so they follow the ``nulls`` rule like empty cells."""
        arr, bad = _as_finite(arr)
        if bad:
            self.non_finite[col] += bad
        return arr

    def encode(self, batch: pa.RecordBatch, first_ordinal: int,
               ordinals: Sequence[int] | None = None) -> Iterator[Encoded | Rejected]:
        """Encode every row of ``batch`` (ordinals start at ``first_ordinal``, or are ``ordinals``), in order."""
        p = self.plan
        n = batch.num_rows
        ids = self._strings(batch, p.id_col)
        anons = self._strings(batch, p.anon_col)
        emails = self._strings(batch, p.email_col)
        events = self._strings(batch, p.event_col) if p.event_col else [p.event_name] * n
        names = self._strings(batch, p.name_col)
        groups = self._strings(batch, p.group_col)
        previous = self._strings(batch, p.previous_col)
        stamps, stamps_iso = self._timestamps(batch, p.ts_col)
        keys = [self._strings(batch, k) for k in p.key_cols]
        payload_names = p.payload_cols
        payload_vals = self._payload_values(batch) if payload_names else []
        json_idx = [i for i, c in enumerate(payload_names) if c in p.json_cols]
        skip_nulls = self.columns.nulls == "skip"
        build = self._builder()
        check = self._check_payload
        checks_payload = self.kind in ("identify", "group")
        checks_other = self.kind in ("group", "alias")
        is_track = self.kind == "track"
        max_event = C.TRACK_MAX_EVENT_NAME_BYTES
        pipelines = self.api == "pipelines"
        limit = call_limit(self.api)
        max_id = C.TRACK_MAX_ID_BYTES
        prefix = (self.kind + "\x1f").encode()
        id_field = p.id_col or p.anon_col or p.email_col or "user_id"
        ts_field = p.ts_col or "timestamp"
        orjson_dumps, json_default, json_opts = orjson.dumps, _default, _OPTS
        rows: Any = zip(*payload_vals, strict=True) if payload_vals else _empty_tuples(n)
        invalid = _invalid_rows(batch)
        ordinal = first_ordinal - 1
        for i, values in enumerate(rows):
            ordinal = ordinal + 1 if ordinals is None else ordinals[i]
            uid = ids[i]
            aid = anons[i]
            email = emails[i]
            shown = uid or aid or email or ""
            if invalid and i in invalid:
                yield Rejected(ordinal, shown, *invalid[i])
                continue
            if keys:
                parts = [k[i] for k in keys]
                if None in parts:
                    missing = ",".join(c for c, part in zip(p.key_cols, parts, strict=True) if part is None)
                    yield Rejected(ordinal, shown, missing, "missing row key")
                    continue
                shown = "\x1f".join(parts)  # type: ignore[arg-type]
                row_key = prefix + shown.encode()
            else:
                row_key = prefix + b"#%d" % ordinal
            if not (uid or aid or email):
                yield Rejected(ordinal, shown, id_field, "missing id")
                continue
            if (uid is not None and len(uid) * 4 > max_id and len(uid.encode()) > max_id) or (
                aid is not None and len(aid) * 4 > max_id and len(aid.encode()) > max_id
            ):
                long_id = uid if uid is not None and len(uid.encode()) > max_id else aid
                yield Rejected(ordinal, shown[:60], "userId" if long_id is uid else "anonymousId",
                               f"id over {max_id} bytes", max_id, len((long_id or "").encode()))
                continue
            ts = stamps[i]
            if ts is not None and not stamps_iso:
                try:
                    ts = to_timestamp(ts, field=ts_field)
                    if ts is not None and "." not in ts:
                        # One canonical form (milliseconds), as from Arrow timestamp columns.
                        ts = ts[:-1] + ".000Z"
                except ValidationError as exc:
                    yield Rejected(ordinal, shown, ts_field, f"bad timestamp: {exc.message}",
                                   "ISO 8601 with a time zone, or epoch seconds", str(ts)[:40])
                    continue
            if payload_names:
                if json_idx:
                    values, bad = _parse_json(values, json_idx, payload_names)
                    if bad is not None:
                        yield Rejected(ordinal, shown, bad, "invalid JSON in a json column")
                        continue
                # Lengths match by construction (one value per payload column).
                if skip_nulls:
                    payload = {k: v for k, v in zip(payload_names, values, strict=False) if v is not None}
                else:
                    payload = dict(zip(payload_names, values, strict=False))
            else:
                payload = None
            event = events[i]
            if is_track:
                # The common case inline: a short, present event name needs no further check.
                if not event or len(event) * 4 > max_event:
                    problem = check(payload, event, None, None)
                    if problem is not None:
                        yield Rejected(ordinal, shown, *problem)
                        continue
            elif checks_other or (checks_payload and payload):
                problem = check(payload, event, groups[i], previous[i])
                if problem is not None:
                    yield Rejected(ordinal, shown, *problem)
                    continue
            call = build(uid, aid, email, event, names[i], groups[i], previous[i], ts, payload)
            try:
                try:
                    raw = orjson_dumps(call, default=json_default, option=json_opts)
                except orjson.JSONEncodeError:
                    raw = dumps(call)  # the package's encoder names the field that cannot be sent
            except ValidationError as exc:
                yield Rejected(ordinal, shown, exc.field or "value", exc.message, exc.limit)
                continue
            mid = fast_message_id(row_key + b"\x1f" + raw)
            body = raw[:-1] + b',"messageId":"' + mid.encode() + b'"}' if pipelines else self._splice(raw, mid, ts)
            if len(body) > limit:
                yield Rejected(ordinal, shown, "call", f"call over {limit // 1024} KB", limit, len(body))
                continue
            yield Encoded(ordinal, shown, mid, body)

    def _splice(self, raw: bytes, mid: str, ts: str | None) -> bytes:
        if self.api == "pipelines":
            return raw[:-1] + b',"messageId":"' + mid.encode() + b'"}'
        if self.kind in ("track", "page", "screen"):
            ms = _epoch_ms(ts) if ts else 0
            return raw[:-1] + b',"id":"' + _ulid_from(mid, ms).encode() + b'"}'
        return raw

    def _check_payload(self, payload: dict[str, Any] | None, event: str | None, group: str | None,
                       previous: str | None) -> tuple[str, str, Any, Any] | None:
        kind = self.kind
        if kind == "track":
            if not event:
                return ("event", "missing event name", None, None)
            if len(event.encode()) > C.TRACK_MAX_EVENT_NAME_BYTES:
                return ("event", f"event name over {C.TRACK_MAX_EVENT_NAME_BYTES} bytes",
                        C.TRACK_MAX_EVENT_NAME_BYTES, len(event.encode()))
        elif kind == "group" and not group:
            return (self.plan.group_col or "group_id", "missing group id", None, None)
        elif kind == "alias" and not previous:
            return (self.plan.previous_col or "previous_id", "missing previous id", None, None)
        if payload and kind in ("identify", "group"):
            if len(payload) > C.TRACK_MAX_ATTRIBUTES:
                return ("traits", f"too many attributes (over {C.TRACK_MAX_ATTRIBUTES})",
                        C.TRACK_MAX_ATTRIBUTES, len(payload))
            for k, v in payload.items():
                size = _value_size(v)
                if size > C.TRACK_MAX_ATTRIBUTE_VALUE_BYTES:
                    return (k, f"attribute value over {C.TRACK_MAX_ATTRIBUTE_VALUE_BYTES} bytes",
                            C.TRACK_MAX_ATTRIBUTE_VALUE_BYTES, size)
        return None

    def _builder(self) -> Callable[..., dict[str, Any]]:
        return self._pipelines_builder() if self.api == "pipelines" else self._track_v2_builder()

    def _pipelines_builder(self) -> Callable[..., dict[str, Any]]:
        kind = self.kind
        ctype = "track" if kind in PRIVACY_EVENTS else kind
        privacy_event = PRIVACY_EVENTS.get(kind)
        payload_key = self.payload_key
        email_is_id = self.plan.id_col is None and self.plan.email_col is not None

        def build(uid: Any, aid: Any, email: Any, event: Any, name: Any, group: Any, previous: Any,
                  ts: Any, payload: Any) -> dict[str, Any]:
            call: dict[str, Any] = {"type": ctype}
            if uid is not None:
                call["userId"] = uid
            elif email_is_id and email is not None:
                call["userId"] = email
            if aid is not None:
                call["anonymousId"] = aid
            if kind == "track":
                call["event"] = event
            elif privacy_event:
                call["event"] = privacy_event
            elif kind in ("page", "screen") and name is not None:
                call["name"] = name
            elif kind == "group":
                call["groupId"] = group
            elif kind == "alias":
                call["previousId"] = previous
            if payload_key is not None:
                call[payload_key] = payload if payload is not None else {}
            if kind == "identify" and email is not None and "email" not in call["traits"]:
                call["traits"]["email"] = email
            if ts is not None:
                call["timestamp"] = ts
            return call

        return build

    def _track_v2_builder(self) -> Callable[..., dict[str, Any]]:
        kind = self.kind
        action = {"identify": "identify", "track": "event", "page": "page", "screen": "screen",
                  "group": "add_relationships", "delete": "delete", "suppress": "suppress",
                  "unsuppress": "unsuppress"}[kind]

        def build(uid: Any, aid: Any, email: Any, event: Any, name: Any, group: Any, previous: Any,
                  ts: Any, payload: Any) -> dict[str, Any]:
            if uid is not None:
                ident: dict[str, Any] = {"id": uid}
            elif email is not None:
                ident = {"email": email}
            else:
                ident = {"anonymous_id": aid}
            call: dict[str, Any] = {"type": "person", "identifiers": ident, "action": action}
            if kind == "track":
                call["name"] = event
            elif kind in ("page", "screen"):
                call["name"] = name or ""
            elif kind == "group":
                rel: dict[str, Any] = {"identifiers": {"object_type_id": str((payload or {}).pop("object_type_id", "1")),
                                                       "object_id": group}}
                if payload:
                    rel["relationship_attributes"] = payload
                payload = None
                call["cio_relationships"] = [rel]
            if kind == "identify" and email is not None and uid is not None:
                payload = {**(payload or {}), "email": email}
            if payload:
                call["attributes"] = payload
            if ts is not None:
                call["timestamp"] = _epoch_ms(ts) // 1000
            return call

        return build
