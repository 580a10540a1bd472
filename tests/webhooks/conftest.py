from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from cio_toolkit.webhooks import EventStore, PostgresWebhookStore, Receiver, WebhookStore, sign

from .._postgres import PostgresServer, find_bin_dir

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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session; skipped only outside CI when none is installed."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = "no PostgreSQL server binaries (initdb, pg_ctl) on PATH, in $PG_BIN or /usr/lib/postgresql"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install them (.ci/run does)")
        pytest.skip(reason)
    # Without fsync: these tests kill receivers, never the database, and it saves seconds.
    server = PostgresServer(bin_dir, durable=False).start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return postgres_server.database()


@pytest.fixture(params=["duckdb", "postgres"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """Each store implementation in turn, empty."""
    if request.param == "duckdb":
        opened: EventStore = WebhookStore(tmp_path / "events.duckdb")
    else:
        opened = PostgresWebhookStore(request.getfixturevalue("pg_url"))
    yield opened
    opened.close()
