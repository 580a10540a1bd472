"""Pure builders for Data Pipelines calls: bodies, messageIds, and the 32 KB per-call check."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from .. import _constants as C
from .._exceptions import PayloadTooLargeError, ValidationError
from .._serialize import dumps, to_timestamp
from .._types import UNSET, Unset

__all__ = ["CALL_TYPES", "build_call", "encode_call", "message_id_for"]

CALL_TYPES = ("identify", "track", "page", "screen", "group", "alias")
# Fixed namespace so the same idempotency key gives the same messageId in every process, forever.
_NAMESPACE = uuid.UUID("6f1c2a52-93c1-4f55-8d0e-2c9a3c1d7e10")


def message_id_for(key: str) -> str:
    """A stable messageId derived from ``key``: re-sending the same key deduplicates."""
    return str(uuid.uuid5(_NAMESPACE, key))


def build_call(
    type_: str,
    *,
    user_id: str | Unset | None = UNSET,
    anonymous_id: str | Unset | None = UNSET,
    message_id: str | None = None,
    idempotency_key: str | None = None,
    timestamp: Any = None,
    context: Mapping[str, Any] | None = None,
    integrations: Mapping[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Build one call body of ``type_`` with a messageId (random, or derived from ``idempotency_key``)."""
    if type_ not in CALL_TYPES:
        raise ValidationError(f"type: {type_!r} is not one of {CALL_TYPES}", field="type", limit=CALL_TYPES)
    body: dict[str, Any] = {"type": type_}
    uid = None if user_id is UNSET else user_id
    aid = None if anonymous_id is UNSET else anonymous_id
    if uid is not None:
        if not isinstance(uid, str | int) or str(uid) == "":
            raise ValidationError(f"user_id: must be a non-empty string, got {uid!r}", field="user_id")
        body["userId"] = str(uid)
    if aid is not None:
        if not isinstance(aid, str | int) or str(aid) == "":
            raise ValidationError(f"anonymous_id: must be a non-empty string, got {aid!r}", field="anonymous_id")
        body["anonymousId"] = str(aid)
    if "userId" not in body and "anonymousId" not in body:
        raise ValidationError(f"{type_}: user_id or anonymous_id is required", field="user_id")
    for key, value in fields.items():
        if value is not None and value is not UNSET:
            body[key] = value
    if timestamp is not None:
        body["timestamp"] = to_timestamp(timestamp)
    if context:
        body["context"] = dict(context)
    if integrations:
        body["integrations"] = dict(integrations)
    if message_id is None:
        message_id = message_id_for(idempotency_key) if idempotency_key is not None else str(uuid.uuid4())
    body["messageId"] = message_id
    return body


def encode_call(call: Mapping[str, Any], *, limit: int = C.PIPELINES_MAX_CALL_BYTES) -> bytes:
    """Serialize one call and enforce the per-call size limit before anything is sent."""
    raw = dumps(call)
    if len(raw) > limit:
        raise PayloadTooLargeError(
            f"{call.get('type', 'call')} call (messageId {call.get('messageId')}) is {len(raw)} bytes, "
            f"over the {limit}-byte per-call limit",
            field=f"{call.get('type', 'call')} call",
            limit=limit,
            actual=len(raw),
        )
    return raw
