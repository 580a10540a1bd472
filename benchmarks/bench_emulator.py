"""Benchmark: how fast the emulator validates, seeds and answers (run on demand, not in tests).

* validate: one 500 KB Pipelines /batch body checked against the spec (compiled validator), median of 20;
* seed: loading the ``demo`` workspace into a fresh in-memory store, median of 3;
* serve: small POST /v1/track requests answered by ``cio emulator`` in its own process (rate limits
  off), from 4 keep-alive http.client connections in threads of this process: requests/s and
  p50/p99 latency. Client and server share the 2 cores, so this is a floor for the server.

Prints a table and writes benchmarks/results/emulator.json.

    .venv/bin/python benchmarks/bench_emulator.py [--requests 2000] [--connections 4]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson

RESULTS = Path(__file__).resolve().parent / "results" / "emulator.json"
KEY = "bench-pipelines-key"


def bench_validate(runs: int = 20) -> dict[str, float]:
    from cio_toolkit.emulator import SpecValidator

    items, size = [], 0
    while size < 500_000:
        item = {"type": "track", "userId": f"u{len(items)}", "event": "Clicked", "messageId": f"m{len(items)}",
                "properties": {"plan": "pro", "n": len(items), "note": "x" * 80}}
        items.append(item)
        size += len(orjson.dumps(item)) + 1
    body = {"batch": items}
    v = SpecValidator("pipelines_api")
    headers = {"authorization": "Basic x"}
    assert v.validate_request("POST", "/batch", {}, headers, body) == []
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        v.validate_request("POST", "/batch", {}, headers, body)
        times.append(time.perf_counter() - t0)
    return {"items": len(items), "bytes": len(orjson.dumps(body)), "median_ms": statistics.median(times) * 1000}


def bench_seed(runs: int = 3) -> dict[str, float]:
    from cio_toolkit.emulator import Store
    from cio_toolkit.emulator.registry import run_seed

    times = []
    for _ in range(runs):
        store = Store()
        t0 = time.perf_counter()
        run_seed("demo", store)
        times.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(times)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_serve(total: int, connections: int) -> dict[str, float]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIO_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cio_toolkit.emulator", "--port", str(port), "--no-rate-limits",
         "--pipelines-key", KEY, "--site-id", "s", "--track-key", "t", "--app-key", "a"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        auth = "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
        headers = {"Authorization": auth, "Content-Type": "application/json", "X-Strict-Mode": "1"}
        latencies: list[float] = []
        lock = threading.Lock()
        per = total // connections

        def worker(w: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine = []
            for i in range(per):
                body = orjson.dumps({"type": "track", "userId": f"u{w}", "event": "E", "messageId": f"{w}-{i}"})
                t0 = time.perf_counter()
                conn.request("POST", "/v1/track", body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                mine.append(time.perf_counter() - t0)
                if resp.status != 200:
                    raise RuntimeError(f"status {resp.status}")
            conn.close()
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=worker, args=(w,)) for w in range(connections)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    latencies.sort()
    return {
        "requests": len(latencies), "connections": connections, "requests_per_s": len(latencies) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000, "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
    }


def main() -> int:
    """Run the three measurements, print them and write the JSON results."""
    parser = argparse.ArgumentParser(description="emulator validation, seeding and serving speed")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=4)
    args, _ = parser.parse_known_args()
    validate = bench_validate()
    seed = bench_seed()
    serve = bench_serve(args.requests, args.connections)
    print(f"validate 500 KB batch ({validate['items']} items): {validate['median_ms']:.1f} ms median")
    print(f"seed 'demo' workspace:                 {seed['median_s'] * 1000:.0f} ms median")
    print(f"serve small /v1/track ({serve['connections']} conns):      {serve['requests_per_s']:,.0f} req/s, "
          f"p50 {serve['p50_ms']:.1f} ms, p99 {serve['p99_ms']:.1f} ms")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "arch": platform.machine()},
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "validate": validate, "seed": seed, "serve": serve,
    }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
