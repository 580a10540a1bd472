"""Reporting-webhook payloads (pure): event ids and the spec's delivery and customer event JSON."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

__all__ = ["build_customer_payload", "build_delivery_payload", "event_id_for"]

_FAILURE_METRICS = frozenset({"bounced", "dropped", "failed", "undeliverable"})
_REF_KEYS = (
    "campaign_id",
    "broadcast_id",
    "newsletter_id",
    "action_id",
    "content_id",
    "transactional_message_id",
    "trigger_id",
)
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def event_id_for(salt: str, *parts: Any, timestamp: float) -> str:
    """A ULID-shaped event id: time-ordered by ``timestamp``, the rest a hash of ``salt`` and ``parts``."""
    millis = max(0, int(timestamp * 1000)) & ((1 << 48) - 1)
    digest = hashlib.blake2b("|".join(map(str, (salt, *parts))).encode(), digest_size=10).digest()
    value = (millis << 80) | int.from_bytes(digest, "big")
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def _identifiers(customer_id: Any, email: Any, cio_id: Any) -> dict[str, Any]:
    return {"id": customer_id, "email": email, "cio_id": cio_id}


def build_delivery_payload(
    event: Mapping[str, Any],
    *,
    event_id: str,
    content: str | None = None,
    device_platform: str | None = None,
) -> dict[str, Any]:
    """The reporting-webhook JSON of one delivery event from ``services.deliveries.on_delivery_event``."""
    channel = str(event["channel"])
    metric = str(event["metric"])
    ids = event.get("identifiers") or {}
    data: dict[str, Any] = {
        "customer_id": event.get("customer_id") or "",
        "identifiers": _identifiers(ids.get("id"), ids.get("email"), ids.get("cio_id")),
        "delivery_id": event["delivery_id"],
    }
    data.update({key: event[key] for key in _REF_KEYS if event.get(key) is not None})
    recipient = event.get("recipient")
    if channel == "push":
        device: dict[str, Any] = {"device_id": recipient or ""}
        if device_platform in ("ios", "android"):
            device["device_platform"] = device_platform
        if metric in _FAILURE_METRICS and event.get("failure_message"):
            device["failure_message"] = event["failure_message"]
        data["recipients"] = [device]
    else:
        data["recipient"] = recipient or ""
    if channel == "email":
        data["subject"] = event.get("subject") or ""
    if metric == "clicked":
        if event.get("href") is not None:
            data["href"] = event["href"]
        if event.get("link_id") is not None:
            data["link_id"] = event["link_id"]
    if metric in _FAILURE_METRICS and event.get("failure_message"):
        data["failure_message"] = event["failure_message"]
    if content is not None and metric == "sent":
        data["content"] = content
    return {
        "event_id": event_id,
        "object_type": channel,
        "metric": metric,
        "timestamp": int(event["timestamp"]),
        "data": data,
    }


def build_customer_payload(change: Mapping[str, Any], *, event_id: str) -> dict[str, Any]:
    """The reporting-webhook JSON of one subscription change (a row of the outbox)."""
    data: dict[str, Any] = {
        "customer_id": change.get("customer_id") or "",
        "email_address": change.get("email"),
        "identifiers": _identifiers(change.get("customer_id"), change.get("email"), change.get("cio_id")),
    }
    if change["metric"] == "cio_subscription_preferences_changed":
        data["content"] = change.get("content") or "{}"
    return {
        "event_id": event_id,
        "object_type": "customer",
        "metric": change["metric"],
        "timestamp": int(change["at"]),
        "data": data,
    }


# --- routing events to webhooks ----------------------------------------------------------
