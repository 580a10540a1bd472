"""The plain webhook receiver the benchmark compares against: verify, then one INSERT and commit per request.

A minimal ASGI app on the same server (uvicorn, httptools, uvloop) writing the same table in the
same DuckDB store, without group commit: what a straightforward receiver does. Run by
``bench_webhooks.py``:

    python benchmarks/webhooks_baseline.py --port 8081 --store baseline.duckdb
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from typing import Any

import duckdb
import orjson
import uvicorn

from cio_toolkit.webhooks import WebhookStore, flatten_event, parse_event, verify
from cio_toolkit.webhooks._store_base import ALL_COLUMNS


def make_app(store: str, key: str) -> Any:
    with WebhookStore(store):  # creates the table, in the receiver's schema
        pass
    con = duckdb.connect(store)
    insert = (
        f"INSERT INTO webhook_events ({', '.join(ALL_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(ALL_COLUMNS))})"
    )

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        status = 200
        if scope["path"] != "/healthz":
            try:
                verify(body, headers, key)
                event = parse_event(orjson.loads(body))
                row = flatten_event(event)
                # Autocommit: each statement is its own transaction, committed before the answer. A
                # stored id fails the primary key: a duplicate, answered 200 (ON CONFLICT DO NOTHING
                # would cost DuckDB about 3 ms more CPU per statement, measured).
                con.execute(insert, [*row.values(), datetime.now(UTC), body])
            except duckdb.ConstraintException:
                pass
            except Exception:
                status = 400
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--store", required=True)
    args = parser.parse_args()
    app = make_app(args.store, os.environ["CIO_WEBHOOK_SIGNING_KEY"])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False, lifespan="off")


if __name__ == "__main__":
    main()
