"""The plain orjson + http.client ceiling: the same events, packed into 500 KB batches, sent in a loop.

No validation, no journal, no retries, no compression, one connection: the least work any
Python client can do to deliver these events, and so the most it can do per second here.
Events are built from the same Parquet file the toolkit loads (``to_pylist`` per record batch),
each gets a messageId, and the batch body is the exact ``{"batch":[...]}`` shape.
"""

from __future__ import annotations

import base64
import http.client
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

import orjson

__all__ = ["send_plain"]

MAX_BATCH = 500 * 1024


def send_plain(batches: Iterable[Any], url: str, *, write_key: str = "bench") -> dict[str, int]:
    """Send every row of the Arrow record ``batches`` (user_id, event, timestamp, ...) as track calls to ``url``."""
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname or "127.0.0.1", u.port or 80, timeout=60)
    auth = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
    headers = {"Content-Type": "application/json", "Authorization": auth}
    props: list[str] | None = None
    sent = requests = failed = 0
    parts: list[bytes] = []
    size = 12  # {"batch":[ + ]}

    def post() -> None:
        nonlocal requests, failed, parts, size
        conn.request("POST", "/v1/batch", body=b'{"batch":[' + b",".join(parts) + b"]}", headers=headers)
        resp = conn.getresponse()
        resp.read()
        requests += 1
        if resp.status >= 300:
            failed += len(parts)
        parts, size = [], 12

    seq = 0
    for batch in batches:
        if props is None:
            props = [c for c in batch.schema.names if c not in ("user_id", "event", "timestamp")]
        for row in batch.to_pylist():
            ts = row["timestamp"]
            call = {"type": "track", "userId": row["user_id"], "event": row["event"],
                    "properties": {k: row[k] for k in props}, "timestamp": ts.isoformat(),
                    "messageId": f"plain-{seq}"}
            seq += 1
            raw = orjson.dumps(call)
            if size + len(raw) + 1 > MAX_BATCH:
                post()
            parts.append(raw)
            size += len(raw) + (1 if len(parts) > 1 else 0)
            sent += 1
    if parts:
        post()
    conn.close()
    return {"sent": sent, "requests": requests, "failed": failed}
