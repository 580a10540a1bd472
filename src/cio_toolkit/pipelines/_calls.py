"""Pure builders for Data Pipelines calls: bodies, messageIds, and the checks every call passes.

:func:`encode_call` is the one place a call is serialized for single calls, ``batch`` and the
:class:`Sender`; it enforces the 32 KB per-call limit and :func:`check_call_limits`, the per-field
limits ``bulk.load`` applies too: ``userId`` and ``anonymousId`` at most 150 bytes, a track
``event`` name 1-100 bytes, identify and group ``traits`` at most 300 with values of at most 1000
bytes, and trait and property names at most 150 bytes.
"""

from __future__ import annotations

import functools
import inspect
import os
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Concatenate, ParamSpec, TypeVar

from .. import _constants as C
from .._exceptions import PayloadTooLargeError, ValidationError
from .._options import with_options
from .._serialize import dumps, to_timestamp
from .._types import UNSET, Unset
from .._wire import BATCHABLE_TYPES, call_limit, oversize
from ..track._checks import (
    IssueList,
    check_attribute_count,
    check_attribute_name,
    check_attribute_value,
    check_event,
    check_id,
    raise_first,
)

__all__ = [
    "BATCHABLE_TYPES", "CALL_TYPES", "build_call", "check_call_limits", "encode_call", "message_id_for",
    "preset", "random_message_id",
]

_A = TypeVar("_A")
_R = TypeVar("_R")
_P = ParamSpec("_P")

CALL_TYPES = ("identify", "track", "page", "screen", "group", "alias")
# Where each type keeps its payload, and whether its values are attributes (limited) or free properties.
_PAYLOADS: dict[str, tuple[str, bool]] = {
    "identify": ("traits", True), "group": ("traits", True),
    "track": ("properties", False), "page": ("properties", False), "screen": ("properties", False),
}
# Fixed namespace so the same idempotency key gives the same messageId in every process, forever.
_NAMESPACE = uuid.UUID("6f1c2a52-93c1-4f55-8d0e-2c9a3c1d7e10")


def message_id_for(key: str) -> str:
    """A stable messageId derived from ``key``: re-sending the same key deduplicates."""
    return str(uuid.uuid5(_NAMESPACE, key))


# Random ids are cut from one read of the OS's random source per 4096 (a read per id cost more
# than the rest of building a call); a forked child drops what it inherited, so it never repeats
# the parent's ids.
_random_ids: list[str] = []
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def random_message_id() -> str:
    """A random messageId: a version 4 UUID as text, as ``str(uuid.uuid4())`` gives."""
    try:
        return _random_ids.pop()  # atomic: threads never get the same id
    except IndexError:
        pass
    raw = os.urandom(16 * 4096).hex()
    _random_ids.extend(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"
                       for h in (raw[i:i + 32] for i in range(0, len(raw), 32)))
    return _random_ids.pop()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_random_ids.clear)


def preset(
    builder: Callable[Concatenate[_A, _P], _R], first: _A, name: str, doc: str, *, options: type[Any] | None = None
) -> Callable[_P, _R]:
    """``builder`` with its first, positional-only argument fixed (and its ``options`` spelled out).

    Builders that differ only by that argument (page and screen, the person events) share one signature.
    """

    @functools.wraps(builder)
    def build(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        return builder(first, *args, **kwargs)

    signature = inspect.signature(builder)
    build.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=list(signature.parameters.values())[1:])
    build.__name__ = build.__qualname__ = name
    build.__doc__ = doc
    return build if options is None else with_options(options)(build)


def _identifier(name: str, value: Any) -> str:
    if type(value) is str and value:
        return value
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
        raise ValidationError(f"{name}: must be a non-empty string, got {value!r}", field=name)
    return str(value)


def _timestamp(name: str, value: Any) -> str | None:
    try:
        return to_timestamp(value, field=name)
    except ValidationError as exc:
        if exc.field == name:
            raise
        # A naive datetime is reported by the serializer without knowing which argument it was.
        message = exc.message.split(": ", 1)[-1]
        raise ValidationError(f"{name}: {message}", field=name, limit=exc.limit) from None


def _mapping(name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"{name}: must be a mapping, got {type(value).__name__}", field=name)
    return dict(value)


def build_call(
    type_: str,
    *,
    user_id: str | Unset | None = UNSET,
    anonymous_id: str | Unset | None = UNSET,
    message_id: str | None = None,
    idempotency_key: str | None = None,
    timestamp: Any = None,
    original_timestamp: Any = None,
    sent_at: Any = None,
    context: Mapping[str, Any] | None = None,
    integrations: Mapping[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Build one call body of ``type_`` with a messageId (random, or derived from ``idempotency_key``).

    ``fields`` are the type's own spec fields under their wire names (``traits``, ``event``,
    ``properties``, ``name``, ``groupId``, ``previousId``); None values are left out.
    """
    if type_ not in CALL_TYPES:
        raise ValidationError(f"type: {type_!r} is not one of {CALL_TYPES}", field="type", limit=CALL_TYPES)
    body: dict[str, Any] = {"type": type_}
    uid = None if user_id is UNSET else user_id
    aid = None if anonymous_id is UNSET else anonymous_id
    if uid is not None:
        body["userId"] = _identifier("user_id", uid)
    if aid is not None:
        if type_ == "alias":
            raise ValidationError("alias: takes previous_id and user_id, not anonymous_id", field="anonymous_id")
        body["anonymousId"] = _identifier("anonymous_id", aid)
    if "userId" not in body and "anonymousId" not in body:
        raise ValidationError(f"{type_}: user_id or anonymous_id is required", field="user_id")
    if type_ == "alias" and "userId" not in body:
        raise ValidationError("alias: user_id is required", field="user_id")
    for key, value in fields.items():
        if value is not None and value is not UNSET:
            body[key] = value
    if timestamp is not None:
        body["timestamp"] = _timestamp("timestamp", timestamp)
    if original_timestamp is not None or sent_at is not None:
        for param, wire, value in (("original_timestamp", "originalTimestamp", original_timestamp),
                                   ("sent_at", "sentAt", sent_at)):
            if value is not None:
                body[wire] = _timestamp(param, value)
    if context:
        body["context"] = _mapping("context", context)
    if integrations:
        body["integrations"] = _mapping("integrations", integrations)
    if message_id is not None:
        body["messageId"] = _identifier("message_id", message_id)
    else:  # derived ids are well formed by construction
        body["messageId"] = message_id_for(idempotency_key) if idempotency_key is not None else random_message_id()
    return body


def check_call_limits(call: Mapping[str, Any]) -> IssueList:
    """Every per-field limit ``call`` (a wire body) breaks, each naming its field, the limit and the size."""
    issues: IssueList = []
    for key in ("userId", "anonymousId"):
        if call.get(key) is not None:
            check_id(call[key], key, issues, what="the id")
    type_ = call.get("type")
    if type_ == "track":
        check_event(call.get("event"), None, issues, name_field="event")
    key, attributes = _PAYLOADS.get(str(type_), ("", False))
    payload = call.get(key) if key else None
    if isinstance(payload, Mapping):
        for name, value in payload.items():
            where = f"{key}.{name}"
            check_attribute_name(str(name), where, issues)
            if attributes:
                check_attribute_value(value, where, issues)
        if attributes:
            check_attribute_count(len(payload), key, issues)
    return issues


# Text of at most this many characters is within the byte limit whatever its characters (4 bytes at most each).
_SHORT_ID = C.TRACK_MAX_ID_BYTES // 4
_SHORT_NAME = C.TRACK_MAX_ATTRIBUTE_NAME_BYTES // 4
_SHORT_EVENT = C.TRACK_MAX_EVENT_NAME_BYTES // 4
_SHORT_VALUE = C.TRACK_MAX_ATTRIBUTE_VALUE_BYTES // 4
_SMALL_TYPES = (int, float, bool, type(None))
_NO_PAYLOAD = ("", False)


def _plainly_within_limits(call: Mapping[str, Any]) -> bool:
    """A quick yes for the common call (short ids and names, small values); no leaves it to :func:`check_call_limits`."""
    get = call.get
    uid, aid = get("userId"), get("anonymousId")
    if uid is not None and (type(uid) is not str or not 0 < len(uid) <= _SHORT_ID):
        return False
    if aid is not None and (type(aid) is not str or not 0 < len(aid) <= _SHORT_ID):
        return False
    type_ = get("type")
    if type_ == "track":
        event = get("event")
        if type(event) is not str or not 0 < len(event) <= _SHORT_EVENT:
            return False
    key, attributes = _PAYLOADS.get(type_, _NO_PAYLOAD)  # type: ignore[arg-type]
    payload = get(key) if key else None
    if not payload:
        return payload is None or type(payload) is dict
    if type(payload) is not dict or (attributes and len(payload) > C.TRACK_MAX_ATTRIBUTES):
        return False
    try:  # in C: joining fails unless every name is text, and short names add up to little
        if len("".join(payload)) > _SHORT_NAME and max(map(len, payload)) > _SHORT_NAME:
            return False
    except TypeError:
        return False
    if attributes:
        for value in payload.values():
            if type(value) not in _SMALL_TYPES and not (type(value) is str and len(value) <= _SHORT_VALUE):
                return False
    return True


def encode_call(call: Mapping[str, Any], *, limit: int = call_limit("pipelines")) -> bytes:
    """Serialize one call, enforcing the 32 KB per-call size and :func:`check_call_limits` before sending."""
    # orjson's bytes keep the buffer they were written in (4 KB at least): a call that waits in a
    # queue or a batch in progress would hold twenty times its size. The exact-size copy is cheap.
    raw = bytes(memoryview(dumps(call)))
    if len(raw) <= limit and _plainly_within_limits(call):
        return raw
    what = f"{call.get('type', 'call')} call"
    problem = oversize(len(raw), limit, f"{what} (messageId {call.get('messageId')})")
    if problem is not None:
        raise PayloadTooLargeError(problem, field=what, limit=limit, actual=len(raw))
    try:
        raise_first(check_call_limits(call))
    except ValidationError as exc:
        exc.message += f" ({what}, messageId {call.get('messageId')})"
        exc.args = (exc.message,)
        raise
    return raw
