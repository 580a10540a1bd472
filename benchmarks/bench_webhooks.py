"""Benchmark: signed reporting webhooks per second the receiver accepts and stores durably.

Runs ``cio webhooks serve`` (as ``python -m cio_toolkit.webhooks serve``) in its own process on a
free loopback port with a fresh DuckDB file, then posts pre-signed, unique email events:

* single: one connection, one request at a time (latency floor: one commit per event);
* burst-N: N concurrent connections (httpx2 async), the shape of a Customer.io backlog.

A 200 is only sent after the event is committed, so accepted/s is durable events/s. After each
scenario the server is stopped and the store is opened to check every acknowledged event is there.
The default load generator is a minimal keep-alive HTTP/1.1 client over asyncio streams: on a
2-core machine the httpx2 async client costs more CPU per request than the receiver does, so it
measures itself. One burst is repeated with httpx2, and one with the thread writer, to compare.
Prints a table and writes benchmarks/results/webhooks.json. Target: >= 2000 events/s, p99 < 100 ms.

    .venv/bin/python benchmarks/bench_webhooks.py [--events 4000] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx2
import orjson

from cio_toolkit.webhooks import WebhookStore, sign

KEY = "bench-signing-key"
RESULTS = Path(__file__).resolve().parent / "results" / "webhooks.json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(store: Path, port: int, writer: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CIO_WEBHOOK_SIGNING_KEY": KEY}
    # A file, not a pipe: an unread pipe fills up and blocks the server on its next log line.
    log = store.with_suffix(".log").open("ab")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cio_toolkit.webhooks",
            "serve",
            "--port",
            str(port),
            "--store",
            str(store),
            "--writer",
            writer,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    log.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return proc
        except httpx2.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("receiver did not start")


def _requests(prefix: str, count: int) -> list[tuple[bytes, dict[str, str]]]:
    now = int(time.time())
    out = []
    for i in range(count):
        body = orjson.dumps(
            {
                "event_id": f"{prefix}-{i:07}",
                "object_type": "email",
                "metric": ("sent", "delivered", "opened", "clicked")[i % 4],
                "timestamp": now,
                "data": {
                    "action_id": 42,
                    "campaign_id": 23,
                    "delivery_id": f"dlv-{prefix}-{i}",
                    "identifiers": {"id": f"user-{i % 1000}", "email": f"user-{i % 1000}@example.com"},
                    "recipient": f"user-{i % 1000}@example.com",
                    "subject": "Your weekly digest",
                    "href": "https://example.com/article",
                    "link_id": 3,
                },
            }
        )
        headers = sign(body, KEY, now)
        headers["Content-Type"] = "application/json"
        out.append((body, headers))
    return out


async def _read_response(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    status_line = await reader.readuntil(b"\r\n")
    response_head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in response_head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return status_line, await reader.readexactly(length)


async def _raw_worker(
    port: int, queue: asyncio.Queue[tuple[bytes, dict[str, str]]], latencies: list[float]
) -> int:
    """A minimal keep-alive HTTP/1.1 client: the load generator must cost less CPU than the server."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    failures = 0
    try:
        while True:
            try:
                body, headers = queue.get_nowait()
            except asyncio.QueueEmpty:
                return failures
            head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            request = (
                f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {len(body)}\r\n{head}\r\n"
            ).encode() + body
            t0 = time.perf_counter()
            writer.write(request)
            status_line, _ = await asyncio.wait_for(_read_response(reader), timeout=30)
            latencies.append(time.perf_counter() - t0)
            if status_line.split(b" ", 2)[1] != b"200":
                failures += 1
    finally:
        writer.close()


async def _httpx2_worker(
    client: httpx2.AsyncClient,
    url: str,
    queue: asyncio.Queue[tuple[bytes, dict[str, str]]],
    latencies: list[float],
) -> int:
    failures = 0
    while True:
        try:
            body, headers = queue.get_nowait()
        except asyncio.QueueEmpty:
            return failures
        t0 = time.perf_counter()
        r = await client.post(url, content=body, headers=headers)
        latencies.append(time.perf_counter() - t0)
        if r.status_code != 200:
            failures += 1


async def _run(
    port: int, reqs: list[tuple[bytes, dict[str, str]]], connections: int, client: str
) -> dict[str, Any]:
    latencies: list[float] = []
    queue: asyncio.Queue[tuple[bytes, dict[str, str]]] = asyncio.Queue()
    for r in reqs:
        queue.put_nowait(r)
    url = f"http://127.0.0.1:{port}/"
    if client == "raw":
        start = time.perf_counter()
        failures = sum(
            await asyncio.gather(*(_raw_worker(port, queue, latencies) for _ in range(connections)))
        )
        elapsed = time.perf_counter() - start
    else:
        limits = httpx2.Limits(max_connections=connections, max_keepalive_connections=connections)
        async with httpx2.AsyncClient(limits=limits, timeout=30) as http:
            # Warm the pool up so the figures show steady state, not TCP handshakes.
            await asyncio.gather(*(http.get(url + "healthz") for _ in range(connections)))
            start = time.perf_counter()
            failures = sum(
                await asyncio.gather(
                    *(_httpx2_worker(http, url, queue, latencies) for _ in range(connections))
                )
            )
            elapsed = time.perf_counter() - start
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "events": len(reqs),
        "failures": failures,
        "seconds": round(elapsed, 3),
        "events_per_s": round(len(reqs) / elapsed, 1),
        "p50_ms": round(q[49] * 1000, 2),
        "p99_ms": round(q[98] * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2),
    }


def scenario(
    name: str,
    events: int,
    connections: int,
    workdir: Path,
    client: str = "raw",
    writer: str = "loop",
    store_name: str | None = None,
) -> dict[str, Any]:
    """Run one load; ``store_name`` reuses an earlier scenario's store and events (redelivery)."""
    store = workdir / f"{store_name or f'{name}-{client}-{writer}'}.duckdb"
    port = _free_port()
    reqs = _requests(store_name or f"{name}-{client}-{writer}", events)
    proc = _start(store, port, writer)
    error = None
    try:
        result = asyncio.run(_run(port, reqs, connections, client))
    except Exception as exc:  # keep the other scenarios' figures
        error = f"{type(exc).__name__}: {exc}"
        result = {"events": events, "failures": events, "seconds": None, "events_per_s": 0.0}
        result.update(p50_ms=float("nan"), p99_ms=float("nan"), max_ms=float("nan"))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            stop_started = time.monotonic()
            proc.wait(60)
            result_stop = round(time.monotonic() - stop_started, 2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            result_stop = None
    result["stop_seconds"] = result_stop
    if error:
        result["error"] = error
    with WebhookStore(store) as s:
        stored = s.count()
    if result.get("error") is None and proc.returncode not in (0, -signal.SIGTERM):
        result["error"] = f"server exited with {proc.returncode}"
    result.update(
        scenario=name,
        client=client,
        writer=writer,
        connections=connections,
        stored=stored,
        all_stored=stored == events,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="webhook receiver throughput")
    parser.add_argument("--events", type=int, default=4000, help="events per burst scenario")
    parser.add_argument("--single-events", type=int, default=500, help="events in the single-connection run")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections in the big burst")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        big = f"burst-{args.connections}"
        rows = [
            scenario("single", args.single_events, 1, workdir),
            scenario("burst-8", args.events, 8, workdir),
            scenario(big, args.events, args.connections, workdir),
            # For comparison: the same burst with the httpx2 async client, and with the writer thread.
            scenario(big, args.events, args.connections, workdir, client="httpx2"),
            scenario(big, args.events, args.connections, workdir, writer="thread"),
            # Every event again, same store: a retry storm of duplicates (answered 200, stored once).
            scenario("redeliver", args.events, args.connections, workdir, store_name=f"{big}-raw-loop"),
        ]
    header = (
        f"{'scenario':<10} {'client':<7} {'writer':<7} {'conns':>5} {'events':>7} {'events/s':>9} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}  stored"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['scenario']:<10} {r['client']:<7} {r['writer']:<7} {r['connections']:>5} {r['events']:>7} "
            f"{r['events_per_s']:>9.0f} {r['p50_ms']:>7.1f} {r['p99_ms']:>7.1f} {r['max_ms']:>7.1f}  "
            f"{r['stored']}/{r['events']}"
        )
    burst = rows[2]
    ok = burst["events_per_s"] >= 2000 and burst["p99_ms"] < 100 and all(r["all_stored"] for r in rows)
    print(
        f"target on {big}/raw/loop (>= 2000 events/s, p99 < 100 ms, nothing lost): {'met' if ok else 'NOT met'}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "webhook receiver, signed email events, durable DuckDB store",
                "target": {"events_per_s": 2000, "p99_ms": 100},
                "target_met": ok,
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "duckdb": duckdb.__version__,
                },
                "results": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
