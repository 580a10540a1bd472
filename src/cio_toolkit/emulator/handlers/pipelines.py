"""Data Pipelines API handlers (identify, track)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from .._registry import RequestContext, handler

__all__ = ["identify", "track"]


def _timestamp(value: Any) -> float:
    """Epoch seconds of an ISO 8601 timestamp; the receive time when absent or unreadable."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return time.time()
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=datetime.now().astimezone().tzinfo).timestamp()
        return parsed.timestamp()
    return time.time()


def _ids(ctx: RequestContext) -> tuple[str | None, str | None]:
    body = ctx.body if isinstance(ctx.body, dict) else {}
    user_id, anonymous_id = body.get("userId"), body.get("anonymousId")
    return (
        str(user_id) if user_id not in (None, "") else None,
        str(anonymous_id) if anonymous_id not in (None, "") else None,
    )


def _drop(ctx: RequestContext, reason: str) -> dict[str, Any]:
    # Only reachable when validation is not enforced (emulator started with strict=False).
    ctx.state.count("dropped")
    ctx.state.dropped.append({"operationId": ctx.operation_id, "errors": [reason]})
    return {}


@handler("pipelines_api", "identify")
async def identify(ctx: RequestContext) -> dict[str, Any]:
    """Create or update the person by userId or anonymousId; traits merge, a null trait is removed."""
    user_id, anonymous_id = _ids(ctx)
    if user_id is None and anonymous_id is None:
        return _drop(ctx, "body.userId: is required (or anonymousId)")
    body = ctx.body if isinstance(ctx.body, dict) else {}
    traits = body.get("traits") if isinstance(body.get("traits"), dict) else {}
    ctx.store.upsert_person(id=user_id, anonymous_id=anonymous_id, attributes=traits)
    return {}


@handler("pipelines_api", "track")
async def track(ctx: RequestContext) -> dict[str, Any]:
    """Store the event for userId or anonymousId; a repeated messageId is stored once."""
    user_id, anonymous_id = _ids(ctx)
    body = ctx.body if isinstance(ctx.body, dict) else {}
    if (user_id is None and anonymous_id is None) or not isinstance(body.get("event"), str):
        return _drop(ctx, "body.event and one of userId, anonymousId are required")
    store = ctx.store
    person = None
    if user_id is not None:
        person = store.find_person(id=user_id) or store.upsert_person(id=user_id, anonymous_id=anonymous_id)
    elif anonymous_id is not None:
        person = store.find_person(anonymous_id=anonymous_id)
    message_id = body.get("messageId")
    store.add_event(
        type="track",
        name=body["event"],
        person_pk=person["pk"] if person else None,
        anonymous_id=anonymous_id,
        properties=body.get("properties") if isinstance(body.get("properties"), dict) else {},
        context=body.get("context") if isinstance(body.get("context"), dict) else {},
        timestamp=_timestamp(body.get("timestamp")),
        message_id=str(message_id) if message_id not in (None, "") else None,
        api=ctx.api,
    )
    return {}
