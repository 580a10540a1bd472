"""Run one streaming client over N generated track events against a sink, in a fresh process; print JSON.

    python benchmarks/sender_runner.py ours-sync|ours-async|official-default|official-tuned|plain N SINK_URL

Every client gets the same events one by one, as an application would hand them over: a user
id, an event name, a timestamp and three properties, then a final flush. The events are made
before the clock starts; the clock covers handing them over and the flush. The output is
``{"client", "handed", "seconds", "peak_rss_mb"}`` (peak RSS of the whole process, imports included).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CLIENTS = ("ours-sync", "ours-async", "official-default", "official-tuned", "plain")
Row = tuple[str, str, dt.datetime, dict[str, Any]]


def events(n: int) -> list[Row]:
    """N distinct track events: (user id, event, timestamp, properties)."""
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    return [(f"user-{i % 50_000}", "purchase" if i % 3 else "signup", t0 + dt.timedelta(milliseconds=i),
             {"plan": "pro" if i % 2 else "free", "amount": i * 0.25, "seq": i}) for i in range(n)]


def _ours_sync(rows: list[Row], url: str) -> int:
    from cio_toolkit import CustomerIO

    with CustomerIO(pipelines_api_key="bench", base_url=url) as cio:
        sender = cio.pipelines.sender(max_queue=1_000_000)
        for user, event, ts, props in rows:
            sender.track(user_id=user, event=event, properties=props, timestamp=ts)
        report = sender.close(timeout=3600)
    return report.accepted


def _ours_async(rows: list[Row], url: str) -> int:
    from cio_toolkit import AsyncCustomerIO

    async def run() -> int:
        async with AsyncCustomerIO(pipelines_api_key="bench", base_url=url) as cio:
            sender = cio.pipelines.sender(max_queue=1_000_000)
            for user, event, ts, props in rows:
                await sender.track(user_id=user, event=event, properties=props, timestamp=ts)
            report = await sender.aclose(timeout=3600)
        return report.accepted

    return asyncio.run(run())


def _official(rows: list[Row], url: str, *, tuned: bool) -> int:
    import customerio.analytics as analytics

    kw: dict[str, Any] = {"max_queue_size": 1_000_000, "upload_size": 1000} if tuned else {}
    client = analytics.Client("bench", host=url, **kw)
    for user, event, ts, props in rows:
        client.track(user_id=user, event=event, properties=props, timestamp=ts)
    client.flush()
    client.shutdown()
    return len(rows)


def _plain(rows: list[Row], url: str) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.bulk_ceiling import send_plain

    class _Batch:  # the shape send_plain reads: a schema and rows
        def __init__(self, part: list[Row]) -> None:
            self.part = part
            self.schema = type("S", (), {"names": ["user_id", "event", "timestamp", "plan", "amount", "seq"]})

        def to_pylist(self) -> Iterator[dict[str, Any]]:
            for user, event, ts, props in self.part:
                yield {"user_id": user, "event": event, "timestamp": ts, **props}

    chunks = (_Batch(rows[i:i + 20_000]) for i in range(0, len(rows), 20_000))
    return int(send_plain(chunks, url)["sent"])


def _import(client: str) -> None:
    # Imports happen before the clock starts: the benchmark times sending, not interpreter start-up.
    if client.startswith("ours"):
        import cio_toolkit.pipelines  # noqa: F401
    elif client.startswith("official"):
        import customerio.analytics  # noqa: F401
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import benchmarks.bulk_ceiling  # noqa: F401


def run(client: str, n: int, url: str) -> dict[str, Any]:
    """Hand ``n`` events to ``client`` one by one and flush; return how many and how long it took."""
    _import(client)
    rows = events(n)
    runners = {"ours-sync": _ours_sync, "ours-async": _ours_async, "plain": _plain,
               "official-default": lambda r, u: _official(r, u, tuned=False),
               "official-tuned": lambda r, u: _official(r, u, tuned=True)}
    if client not in runners:
        raise SystemExit(f"client must be one of {CLIENTS}")
    started = time.perf_counter()
    handed = runners[client](rows, url)
    seconds = time.perf_counter() - started
    from benchmarks.bulk_runner import peak_rss_mb

    return {"client": client, "handed": handed, "seconds": round(seconds, 3), "peak_rss_mb": round(peak_rss_mb(), 1)}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(json.dumps(run(sys.argv[1], int(sys.argv[2]), sys.argv[3])))
