from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from cio_toolkit.webhooks import Receiver, WebhookStore, sign

KEY = "whsec_test_signing_key_0123456789"


def payload(
    event_id: str, *, metric: str = "delivered", object_type: str = "email", **data: Any
) -> dict[str, Any]:
    """A valid email event payload (spec shape, campaign variant)."""
    return {
        "event_id": event_id,
        "object_type": object_type,
        "metric": metric,
        "timestamp": int(time.time()),
        "data": {
            "action_id": 42,
            "campaign_id": 23,
            "customer_id": "user-1",
            "delivery_id": f"dlv-{event_id}",
            "identifiers": {"id": "user-1", "email": "user-1@example.com", "cio_id": "c1"},
            "recipient": "user-1@example.com",
            "subject": "Hello",
            **data,
        },
    }


def signed(
    body: dict[str, Any] | bytes, key: str = KEY, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    raw = body if isinstance(body, bytes) else orjson.dumps(body)
    headers = sign(raw, key, timestamp)
    headers["Content-Type"] = "application/json"
    return raw, headers


@pytest.fixture
def store(tmp_path: Path) -> Iterator[WebhookStore]:
    s = WebhookStore(tmp_path / "events.duckdb")
    yield s
    s.close()


@pytest.fixture
def receiver(store: WebhookStore) -> Iterator[Receiver]:
    with Receiver(KEY, store, max_body=64_000) as r:
        yield r
