from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def events_table(n: int, *, prefix: str | None = None, start: int = 0) -> pa.Table:
    """``n`` distinct track events for unique users (user_id, event, timestamp, plan, amount, seq)."""
    prefix = prefix or uuid.uuid4().hex[:8]
    seq = list(range(start, start + n))
    return pa.table({
        "user_id": [f"{prefix}-u{i % 500}" for i in seq],
        "event": ["purchase" if i % 3 else "signup" for i in seq],
        "timestamp": pa.array([T0 + dt.timedelta(seconds=i) for i in seq], pa.timestamp("ms", tz="UTC")),
        "plan": ["pro" if i % 2 else "free" for i in seq],
        "amount": [round(i * 0.25, 2) for i in seq],
        "seq": seq,
    })


def people_table(n: int, *, prefix: str | None = None) -> pa.Table:
    """``n`` people: id, email, plan, score."""
    prefix = prefix or uuid.uuid4().hex[:8]
    return pa.table({
        "id": [f"{prefix}-p{i}" for i in range(n)],
        "email": [f"{prefix}-p{i}@example.com" for i in range(n)],
        "plan": ["pro" if i % 2 else "free" for i in range(n)],
        "score": list(range(n)),
    })


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite"


def sent_message_ids(entries: list[dict[str, Any]]) -> list[str]:
    """Every messageId carried by logged /v1/batch requests (bodies must be logged)."""
    out: list[str] = []
    for e in entries:
        if e.get("operationId") == "batch" and e.get("api") == "pipelines_api" and isinstance(e.get("body"), dict):
            out.extend(c.get("messageId") for c in e["body"].get("batch", []))
    return out
