"""Benchmark: signed reporting webhooks per second the receiver accepts and stores durably.

Every server runs in its own process on a free loopback port with a fresh store; the load is
pre-signed, unique email events, N concurrent keep-alive connections (32 by default, the shape of
a Customer.io backlog). A 200 is only sent after the event is committed, so accepted/s is durable
events/s; after each scenario the store is opened to check every acknowledged event is there.

In interleaved rounds, side by side:

* baseline: a plain receiver (``webhooks_baseline.py``: verify, then one INSERT and commit per
  request, same server, same DuckDB table), the reference for the ratio;
* duckdb: ``cio webhooks serve`` on DuckDB (one process: DuckDB allows one writer);
* postgres-1 / postgres-2: ``cio webhooks serve --store postgresql://... --workers 1|2`` on a
  throwaway PostgreSQL server started for the run (fsync on, as in production).

Then once: one connection (latency floor), 8 connections, the httpx2 client instead of the minimal
one, the thread writer, a redelivery storm (every event again: 200, stored once), and the kill
run: 2 Postgres workers, two of them SIGKILLed mid-stream, every unacknowledged event retried as
Customer.io does; it reports events acknowledged, kills, missing and duplicate rows.

The default load generator is a minimal keep-alive HTTP/1.1 client over asyncio streams: on a
2-core machine the httpx2 async client costs more CPU per request than the receiver does. It
shares the machine with the servers (and PostgreSQL). Writes benchmarks/results/webhooks.json and
webhooks.md. Target (DuckDB, 32 connections): >= 2000 events/s, p99 < 100 ms, >= 7x the baseline.

    .venv/bin/python benchmarks/bench_webhooks.py [--events 4000] [--connections 32] [--rounds 3]
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

from cio_toolkit.webhooks import open_store, sign

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests._postgres import PostgresServer, find_bin_dir  # the repository's throwaway server

KEY = "bench-signing-key"
RESULTS = Path(__file__).resolve().parent / "results" / "webhooks.json"
BASELINE = Path(__file__).resolve().parent / "webhooks_baseline.py"
TARGET = {"events_per_s": 2000, "p99_ms": 100, "ratio_to_baseline": 7}
Request = tuple[str, bytes, dict[str, str]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command(kind: str, store: str, port: int, writer: str, workers: int) -> list[str]:
    if kind == "baseline":
        return [sys.executable, str(BASELINE), "--port", str(port), "--store", store]
    cmd = [sys.executable, "-m", "cio_toolkit.webhooks", "serve", "--port", str(port), "--store", store]
    return [*cmd, "--writer", writer, "--workers", str(workers)]


def _start(cmd: list[str], port: int, log_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CIO_WEBHOOK_SIGNING_KEY": KEY}
    # A file, not a pipe: an unread pipe fills up and blocks the server on its next log line.
    with log_path.open("ab") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                time.sleep(0.3)  # with workers, let every one of them come up
                return proc
        except httpx2.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"server did not start: {log_path.read_text()[-2000:]}")


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of ``pid`` and its live children (workers), from /proc; 0 elsewhere."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _stop(proc: subprocess.Popen[bytes]) -> float | None:
    proc.send_signal(signal.SIGTERM)
    started = time.monotonic()
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
    return round(time.monotonic() - started, 2)


def _requests(prefix: str, count: int) -> list[Request]:
    now = int(time.time())
    out = []
    for i in range(count):
        event_id = f"{prefix}-{i:07}"
        body = orjson.dumps(
            {
                "event_id": event_id,
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
        out.append((event_id, body, headers))
    return out


async def _read_response(reader: asyncio.StreamReader) -> bytes:
    status_line = await reader.readuntil(b"\r\n")
    response_head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in response_head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status_line


class _Load:
    """What the load generator saw: latencies, failures, acknowledged ids, reconnections."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.failures = 0
        self.acked: list[str] = []
        self.retries = 0


async def _raw_worker(port: int, queue: asyncio.Queue[Request], load: _Load, retry: bool) -> None:
    """A minimal keep-alive HTTP/1.1 client; with ``retry``, like Customer.io, it resends until a 200."""
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    try:
        while True:
            try:
                event_id, body, headers = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            request = (
                f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {len(body)}\r\n{head}\r\n"
            ).encode() + body
            for _attempt in range(200 if retry else 1):
                try:
                    if conn is None:
                        conn = await asyncio.open_connection("127.0.0.1", port)
                    t0 = time.perf_counter()
                    conn[1].write(request)
                    status_line = await asyncio.wait_for(_read_response(conn[0]), timeout=30)
                except (OSError, asyncio.IncompleteReadError):
                    if not retry:
                        raise
                    load.retries += 1
                    if conn is not None:
                        conn[1].close()
                    conn = None
                    await asyncio.sleep(0.01)
                    continue
                load.latencies.append(time.perf_counter() - t0)
                if status_line.split(b" ", 2)[1] == b"200":
                    load.acked.append(event_id)
                    break
                load.failures += 1
    finally:
        if conn is not None:
            conn[1].close()


async def _httpx2_worker(client: httpx2.AsyncClient, url: str, queue: asyncio.Queue[Request], load: _Load) -> None:
    while True:
        try:
            event_id, body, headers = queue.get_nowait()
        except asyncio.QueueEmpty:
            return
        t0 = time.perf_counter()
        r = await client.post(url, content=body, headers=headers)
        load.latencies.append(time.perf_counter() - t0)
        if r.status_code == 200:
            load.acked.append(event_id)
        else:
            load.failures += 1


async def _run(
    port: int, reqs: list[Request], connections: int, client: str, retry: bool = False, during: Any = None
) -> tuple[dict[str, Any], _Load]:
    load = _Load()
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for r in reqs:
        queue.put_nowait(r)
    url = f"http://127.0.0.1:{port}/"
    side = asyncio.ensure_future(during(load)) if during is not None else None
    if client == "raw":
        start = time.perf_counter()
        await asyncio.gather(*(_raw_worker(port, queue, load, retry) for _ in range(connections)))
        elapsed = time.perf_counter() - start
    else:
        limits = httpx2.Limits(max_connections=connections, max_keepalive_connections=connections)
        async with httpx2.AsyncClient(limits=limits, timeout=30) as http:
            # Warm the pool up so the figures show steady state, not TCP handshakes.
            await asyncio.gather(*(http.get(url + "healthz") for _ in range(connections)))
            start = time.perf_counter()
            await asyncio.gather(*(_httpx2_worker(http, url, queue, load) for _ in range(connections)))
            elapsed = time.perf_counter() - start
    if side is not None:
        await side
    latencies = sorted(load.latencies)
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "events": len(reqs),
        "failures": load.failures,
        "seconds": round(elapsed, 3),
        "events_per_s": round(len(load.acked) / elapsed, 1),
        "p50_ms": round(q[49] * 1000, 2),
        "p99_ms": round(q[98] * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2),
    }, load


def _stored(store: str) -> tuple[int, set[str]]:
    with open_store(store) as s:
        return s.count(), s.event_ids()


def scenario(
    name: str,
    events: int,
    connections: int,
    store: str,
    workdir: Path,
    *,
    kind: str = "receiver",
    client: str = "raw",
    writer: str = "loop",
    workers: int = 1,
    prefix: str | None = None,
) -> dict[str, Any]:
    """One load against a fresh server; ``prefix`` re-sends an earlier scenario's events (redelivery)."""
    port = _free_port()
    reqs = _requests(prefix or name, events)
    proc = _start(_command(kind, store, port, writer, workers), port, workdir / f"{name}.log")
    error = None
    cpu_before = _cpu_seconds(proc.pid)
    try:
        result, load = asyncio.run(_run(port, reqs, connections, client))
        # CPU per event is steadier than events/s on a shared machine (it ignores waiting for a core).
        result["server_cpu_ms_per_event"] = round((_cpu_seconds(proc.pid) - cpu_before) * 1000 / events, 3)
    except Exception as exc:  # keep the other scenarios' figures
        error = f"{type(exc).__name__}: {exc}"
        result = {"events": events, "failures": events, "seconds": None, "events_per_s": 0.0}
        result.update(p50_ms=float("nan"), p99_ms=float("nan"), max_ms=float("nan"))
        load = _Load()
    finally:
        result_stop = _stop(proc)
    count, ids = _stored(store)
    if error is None and proc.returncode not in (0, -signal.SIGTERM):
        error = f"server exited with {proc.returncode}"
    result.update(
        scenario=name,
        kind=kind,
        store="postgres" if store.startswith("postgresql://") else "duckdb",
        workers=workers,
        client=client,
        writer=writer,
        connections=connections,
        stop_seconds=result_stop,
        stored=count,
        missing=len(set(load.acked) - ids),
        all_stored=count == events and not set(load.acked) - ids,
    )
    if error:
        result["error"] = error
    return result


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def kill_run(events: int, connections: int, store: str, workdir: Path, kills_at: tuple[float, ...]) -> dict[str, Any]:
    """2 Postgres workers, one SIGKILLed at each fraction of ``kills_at``; every delivery retried until a 200."""
    port = _free_port()
    proc = _start(_command("receiver", store, port, "loop", 2), port, workdir / "kill.log")
    kills: list[dict[str, Any]] = []

    async def killer(load: _Load) -> None:
        for fraction in kills_at:
            while len(load.acked) < fraction * events:
                await asyncio.sleep(0.002)
            victims = _children(proc.pid)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                kills.append({"pid": victims[0], "after_acknowledged": len(load.acked)})

    try:
        result, load = asyncio.run(_run(port, _requests("kill", events), connections, "raw", True, killer))
        workers_after = len(_children(proc.pid))
    finally:
        result_stop = _stop(proc)
    count, ids = _stored(store)
    acked = set(load.acked)
    result.update(
        scenario="kill",
        kind="receiver",
        store="postgres",
        workers=2,
        connections=connections,
        acknowledged=len(acked),
        kills=len(kills),
        kill_points=kills,
        retries=load.retries,
        missing=len(acked - ids),
        stored=count,
        distinct_sent=events,
        workers_after=workers_after,
        stop_seconds=result_stop,
        all_stored=count == events and not acked - ids,
    )
    return result


def _spread(values: list[float], digits: int = 1) -> dict[str, float]:
    return {k: round(f(values), digits) for k, f in (("median", statistics.median), ("min", min), ("max", max))}


def summarise(rounds: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Per kind: events/s and p99 over the rounds (median, min, max), and the ratio to the baseline."""
    out: dict[str, Any] = {}
    for name in [r["scenario"] for r in rounds[0]]:
        rows = [next(r for r in rnd if r["scenario"] == name) for rnd in rounds]
        out[name] = {
            "events_per_s": _spread([r["events_per_s"] for r in rows]),
            "p99_ms": _spread([r["p99_ms"] for r in rows]),
            "server_cpu_ms_per_event": _spread([r.get("server_cpu_ms_per_event", float("nan")) for r in rows], 3),
        }
        if name != "baseline":
            base = [next(r for r in rnd if r["scenario"] == "baseline")["events_per_s"] for rnd in rounds]
            out[name]["ratio_to_baseline"] = _spread([r["events_per_s"] / b for r, b in zip(rows, base, strict=True) if b])
    return out


def _markdown(report: dict[str, Any]) -> str:
    s = report["summary"]
    lines = [
        "# Webhook receiver benchmark",
        "",
        f"`benchmarks/bench_webhooks.py`, {report['rounds']} interleaved rounds of {report['events']} signed events "
        f"over {report['connections']} connections; load generator, receivers and PostgreSQL on one "
        f"{report['machine']['cpus']}-core machine. Receiver CPU is the receiver processes' user+system time "
        "per event (PostgreSQL's own processes not included). " + report["note"],
        "",
        "| scenario | events/s median (min-max) | p99 ms median (min-max) | x baseline median (min-max) "
        "| receiver CPU ms/event |",
        "|---|---|---|---|---:|",
    ]
    for name, row in s.items():
        ratio = row.get("ratio_to_baseline")
        e, p = row["events_per_s"], row["p99_ms"]
        cell = f"{ratio['median']:.1f} ({ratio['min']:.1f}-{ratio['max']:.1f})" if ratio else "1"
        lines.append(
            f"| {name} | {e['median']:,.0f} ({e['min']:,.0f}-{e['max']:,.0f}) | "
            f"{p['median']:.1f} ({p['min']:.1f}-{p['max']:.1f}) | {cell} | {row['server_cpu_ms_per_event']['median']:.3f} |"
        )
    k = report["kill"]
    lines += [
        "",
        f"Target on duckdb (>= {TARGET['events_per_s']} events/s, p99 < {TARGET['p99_ms']} ms, "
        f">= {TARGET['ratio_to_baseline']}x baseline, nothing lost): **{'met' if report['target_met'] else 'NOT met'}**.",
        "",
        f"Kill run (PostgreSQL, 2 workers): {k['acknowledged']:,} events acknowledged, {k['kills']} workers "
        f"SIGKILLed mid-stream, {k['retries']} deliveries retried after a reset, **{k['missing']} missing**, "
        f"{k['stored']:,} rows stored for {k['distinct_sent']:,} distinct events (each once), "
        f"{k['workers_after']} workers serving afterwards, "
        f"{k['events_per_s']:,.0f} events/s.",
        "",
        "Once each: " + "; ".join(
            f"{r['scenario']} ({r['connections']} conn, {r['client']}, {r['writer']}) {r['events_per_s']:,.0f} events/s, "
            f"p99 {r['p99_ms']:.1f} ms, {r['stored']}/{r['events']} stored"
            for r in report["once"]
        ) + ".",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="webhook receiver throughput")
    parser.add_argument("--events", type=int, default=4000, help="events per scenario and round")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the side-by-side scenarios")
    parser.add_argument("--note", default="", help="a line for the report (e.g. that the machine was shared)")
    args = parser.parse_args()
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise SystemExit("PostgreSQL server binaries not found (set PG_BIN)")
    n, conns = args.events, args.connections
    with tempfile.TemporaryDirectory() as tmp, PostgresServer(bin_dir, durable=True) as pg:
        workdir = Path(tmp)
        rounds: list[list[dict[str, Any]]] = []
        for i in range(args.rounds):
            rows = [
                # The baseline commits once per event: fewer events keep its run short.
                scenario("baseline", max(200, n // 4), conns, str(workdir / f"base{i}.duckdb"), workdir,
                         kind="baseline", prefix=f"base{i}"),
                scenario("duckdb", n, conns, str(workdir / f"duck{i}.duckdb"), workdir, prefix=f"duck{i}"),
                scenario("postgres-1", n, conns, pg.database(), workdir, prefix=f"pg1-{i}"),
                scenario("postgres-2", n, conns, pg.database(), workdir, workers=2, prefix=f"pg2-{i}"),
            ]  # fmt: skip
            rounds.append(rows)
            print(f"round {i + 1}: " + ", ".join(f"{r['scenario']} {r['events_per_s']:.0f}/s p99 {r['p99_ms']:.0f} ms" for r in rows), flush=True)
        duck0 = str(workdir / "duck0.duckdb")
        once = [
            scenario("single", 500, 1, str(workdir / "single.duckdb"), workdir),
            scenario("burst-8", n, 8, str(workdir / "b8.duckdb"), workdir),
            scenario("httpx2", n, conns, str(workdir / "httpx2.duckdb"), workdir, client="httpx2"),
            scenario("thread", n, conns, str(workdir / "thread.duckdb"), workdir, writer="thread"),
            # Every event of round 1 again, same store: a retry storm of duplicates (200, stored once).
            scenario("redeliver", n, conns, duck0, workdir, prefix="duck0"),
        ]
        kill = kill_run(n, conns, pg.database(), workdir, (0.25, 0.6))
    summary = summarise(rounds)
    duck = summary["duckdb"]
    everything = [r for rnd in rounds for r in rnd] + once
    ok = (
        duck["events_per_s"]["median"] >= TARGET["events_per_s"]
        and duck["p99_ms"]["median"] < TARGET["p99_ms"]
        and duck["ratio_to_baseline"]["median"] >= TARGET["ratio_to_baseline"]
        and all(r["all_stored"] for r in everything)
        and kill["missing"] == 0
        and kill["stored"] == n
    )
    report = {
        "benchmark": "webhook receiver, signed email events, durable stores (DuckDB, PostgreSQL)",
        "note": args.note,
        "events": n,
        "connections": conns,
        "rounds": args.rounds,
        "target": TARGET,
        "target_met": ok,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "duckdb": duckdb.__version__,
        },
        "summary": summary,
        "kill": kill,
        "once": once,
        "results": rounds,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    markdown = _markdown(report)
    RESULTS.with_suffix(".md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
