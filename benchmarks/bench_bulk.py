"""Benchmark: bulk track events delivered per second, lost events and peak memory, side by side.

Clients (each in a fresh process, reading the same Parquet file of N track events):

* ours: ``cio_toolkit.bulk.load(cio, "events.parquet", kind="track")`` with its defaults;
* official-default: customerio-cdp-analytics ``Client(write_key, host=sink)`` with its defaults;
* official-tuned: the same with ``max_queue_size=1_000_000, upload_size=1000``;
* plain: orjson + http.client, 500 KB batches, one connection, no retries (the ceiling).

Sinks (benchmarks/bulk_sink.py, its own process): ``clean``, and ``faulty`` (5% of requests
answered 500, every answer after 20 ms). The sink counts distinct messageIds it accepted;
lost = events in the file - distinct accepted. events/s = distinct accepted / wall seconds.

Targets (issue 7): ours >= 5x official-tuned, >= 70% of plain, 0 lost everywhere, and a
1,000,000-row Parquet load under 300 MB peak RSS. Writes benchmarks/results/bulk.json and
benchmarks/results/bulk.md.

    .venv/bin/python -m benchmarks.bench_bulk [--sizes 100000,1000000] [--clients ours,plain]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SINKS = {"clean": {"error_rate": 0.0, "latency_ms": 0.0}, "faulty": {"error_rate": 0.05, "latency_ms": 20.0}}
CLIENTS = ("ours", "official-default", "official-tuned", "plain")
MEMORY_BOUND_MB = 300


def write_events(path: Path, n: int) -> None:
    """N distinct track events (user_id, event, timestamp, plan, amount, seq) as Parquet, streamed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t0 = int(dt.datetime(2024, 1, 1, tzinfo=dt.UTC).timestamp() * 1000)
    schema = pa.schema([("user_id", pa.string()), ("event", pa.string()), ("timestamp", pa.timestamp("ms", tz="UTC")),
                        ("plan", pa.string()), ("amount", pa.float64()), ("seq", pa.int64())])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, n, 100_000):
            seq = range(start, min(n, start + 100_000))
            writer.write_table(pa.table({
                "user_id": [f"user-{i % 50_000}" for i in seq],
                "event": ["purchase" if i % 3 else "signup" for i in seq],
                "timestamp": pa.array([t0 + i for i in seq], pa.timestamp("ms", tz="UTC")),
                "plan": ["pro" if i % 2 else "free" for i in seq],
                "amount": [i * 0.25 for i in seq],
                "seq": list(seq),
            }, schema=schema))


def run_client(client: str, path: Path, url: str, timeout: float) -> dict[str, Any]:
    """Run one client in a fresh interpreter and return its JSON line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIO_")}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, str(HERE / "bulk_runner.py"), client, str(path), url], env=env,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        return {"client": client, "error": proc.stderr.strip().splitlines()[-1][:200] if proc.stderr else "failed"}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def measure(sizes: list[int], clients: list[str], sinks: list[str], timeout: float) -> list[dict[str, Any]]:
    """Every (size, sink, client) combination; each client against a freshly reset sink."""
    sys.path.insert(0, str(HERE.parent))
    from benchmarks.bulk_sink import CountingSink

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-bulk-") as tmp:
        for n in sizes:
            path = Path(tmp) / f"events-{n}.parquet"
            write_events(path, n)
            for sink_name in sinks:
                with CountingSink(**SINKS[sink_name]) as sink:
                    for client in clients:
                        sink.reset()
                        print(f"  {n:>9,} events  {sink_name:<6}  {client:<17}", end="", flush=True)
                        started = time.perf_counter()
                        out = run_client(client, path, sink.url, timeout)
                        stats = sink.stats()
                        row = {"events": n, "sink": sink_name, **out, "requests": stats["requests"],
                               "server_errors": stats["errors"], "delivered": stats["distinct"],
                               "lost": n - stats["distinct"], "wall": round(time.perf_counter() - started, 2)}
                        if "seconds" in out:
                            row["events_per_s"] = round(stats["distinct"] / out["seconds"])
                        rows.append(row)
                        print(f"  {row.get('events_per_s', 0):>9,} ev/s  lost {row['lost']:>8,}  "
                              f"rss {row.get('peak_rss_mb', 0):>6} MB  {row.get('error', '')}")
    return rows


def _cell(rows: list[dict[str, Any]], n: int, sink: str, client: str) -> dict[str, Any] | None:
    return next((r for r in rows if r["events"] == n and r["sink"] == sink and r["client"] == client), None)


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """Each target, met or not, per (size, sink)."""
    out = []
    for n in sorted({r["events"] for r in rows}):
        for sink in SINKS:
            ours = _cell(rows, n, sink, "ours")
            if not ours or "events_per_s" not in ours:
                continue
            tuned, plain = _cell(rows, n, sink, "official-tuned"), _cell(rows, n, sink, "plain")
            parts = [f"{n:,} events, {sink} sink: ours {ours['events_per_s']:,} ev/s, lost {ours['lost']}"]
            if tuned and tuned.get("events_per_s"):
                ratio = ours["events_per_s"] / tuned["events_per_s"]
                parts.append(f"{ratio:.1f}x official-tuned ({'met' if ratio >= 5 else 'NOT met'}: >= 5x)")
            if plain and plain.get("events_per_s"):
                share = ours["events_per_s"] / plain["events_per_s"]
                parts.append(f"{share:.0%} of plain ({'met' if share >= 0.7 else 'NOT met'}: >= 70%)")
            if n >= 1_000_000:
                ok = ours.get("peak_rss_mb", 1e9) < MEMORY_BOUND_MB
                parts.append(f"peak RSS {ours.get('peak_rss_mb')} MB ({'met' if ok else 'NOT met'}: < {MEMORY_BOUND_MB} MB)")
            out.append("; ".join(parts))
    return out


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """The results as a Markdown table plus the target verdicts."""
    lines = [
        "# Bulk load benchmark",
        "",
        f"{meta['machine']}; {meta['date']}. Each client reads the same Parquet file of track events and",
        "sends it to a local counting sink in its own process. faulty = 5% of requests answered 500 and",
        "20 ms latency on every answer. lost = events - distinct messageIds the sink accepted.",
        "",
        "| events | sink | client | events/s | lost | requests | 500s | seconds | peak RSS MB |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['events']:,} | {r['sink']} | {r['client']} | error: {r['error']} | | | | | |")
            continue
        lines.append(f"| {r['events']:,} | {r['sink']} | {r['client']} | {r['events_per_s']:,} | {r['lost']:,} | "
                     f"{r['requests']:,} | {r['server_errors']:,} | {r['seconds']:.2f} | {r['peak_rss_mb']:.0f} |")
    lines += ["", "Targets:", ""] + [f"- {v}" for v in verdicts(rows)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--clients", default=",".join(CLIENTS))
    ap.add_argument("--sinks", default=",".join(SINKS))
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args(argv if argv is not None else [])
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows = measure(sizes, args.clients.split(","), args.sinks.split(","), args.timeout)
    meta = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
                       f"Python {platform.python_version()}",
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bulk.json").write_text(json.dumps({"meta": meta, "rows": rows, "targets": verdicts(rows)}, indent=2))
    (RESULTS / "bulk.md").write_text(markdown(rows, meta))
    print(markdown(rows, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
