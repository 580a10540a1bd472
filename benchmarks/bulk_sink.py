"""A local counting sink for bulk benchmarks: accepts /v1/batch, counts events and distinct messageIds.

Runs in its own process (so it never competes with the client under test for the GIL), answers
HTTP/1.1 with keep-alive, and can inject a share of 500s and a fixed latency. A request answered
with 500 is not counted: its events were not accepted. With a rate limit it also answers 429 to a
request beyond ``rate_limit`` accepted requests in the last second (``Retry-After`` when given), and
counts accepted requests per second since its first request (``per_second``, and
``admitted_per_second``: those it let through its window, accepted or failed) for convergence
benchmarks, and the most requests that arrived in any one second (``max_in_1s``, 429s included).
``GET /stats`` returns the counts, ``POST /reset`` clears them.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson

__all__ = ["CountingSink"]


class _State:
    def __init__(self, error_rate: float, latency_ms: float, seed: int, rate_limit: int = 0,
                 retry_after: float | None = None) -> None:
        self.error_rate = error_rate
        self.latency = latency_ms / 1000
        self.rate_limit = rate_limit
        self.retry_after = retry_after
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.ids: set[str] = set()
        self.reset()

    def throttle(self, arrived: float) -> bool:
        """Whether this request is over the rate limit (429); if not, it takes a place in the window."""
        with self.lock:
            self.arrivals.append(arrived)
            if not self.rate_limit:
                return False
            now = time.monotonic()
            while self.window and self.window[0] <= now - 1.0:
                self.window.popleft()
            if len(self.window) >= self.rate_limit:
                self.throttled += 1
                return True
            self.window.append(now)
            second = self._second(now)
            self.admitted_per_second[second] = self.admitted_per_second.get(second, 0) + 1
            return False

    def _second(self, now: float) -> int:
        # Lock held: the second since the first request.
        if self.started is None:
            self.started = now
        return int(now - self.started)

    def accepted_at(self) -> None:
        # Lock held: one more accepted request in the second since the first request.
        now = time.monotonic()
        second = self._second(now)
        self.per_second[second] = self.per_second.get(second, 0) + 1
        self.accepted.append(now)

    def reset(self) -> None:
        with self.lock:
            self.requests = 0
            self.errors = 0
            self.events = 0
            self.ids = set()
            self.bytes = 0
            self.throttled = 0
            self.window: collections.deque[float] = collections.deque()
            self.started: float | None = None
            self.per_second: dict[int, int] = {}
            self.admitted_per_second: dict[int, int] = {}  # let through the window: accepted or failed with 500
            self.arrivals: list[float] = []  # every /v1/batch request, answered 429 or not
            self.accepted: list[float] = []

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {"requests": self.requests, "errors": self.errors, "events": self.events,
                    "distinct": len(self.ids), "bytes": self.bytes, "throttled": self.throttled,
                    "per_second": [self.per_second.get(i, 0) for i in range(max(self.per_second, default=-1) + 1)],
                    "admitted_per_second": [self.admitted_per_second.get(i, 0)
                                            for i in range(max(self.per_second, default=-1) + 1)],
                    "max_in_1s": _max_in_window(self.arrivals, 1.0),
                    "accepted_span": self.accepted[-1] - self.accepted[0] if len(self.accepted) > 1 else 0.0}


def _max_in_window(times: list[float], width: float) -> int:
    """The most arrivals in any window of ``width`` seconds (half-open, as the rate limit counts them)."""
    best, start = 0, 0
    ordered = sorted(times)
    for end, t in enumerate(ordered):
        while ordered[start] <= t - width:
            start += 1
        best = max(best, end - start + 1)
    return best


def _serve(error_rate: float, latency_ms: float, seed: int, rate_limit: int = 0,
           retry_after: float | None = None) -> None:
    state = _State(error_rate, latency_ms, seed, rate_limit, retry_after)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes; without NODELAY, Nagle plus the
            # client's delayed ACK adds ~40 ms to every answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: bytes = b"{}", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.startswith("/stats"):
                self._answer(200, json.dumps(state.stats()).encode())
            else:
                self._answer(404)

        def do_POST(self) -> None:
            arrived = time.monotonic()  # the request's head is in: when it reached the API
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.startswith("/reset"):
                state.reset()
                self._answer(200)
                return
            if state.throttle(arrived):
                wait = {"Retry-After": f"{state.retry_after:g}"} if state.retry_after is not None else {}
                self._answer(429, b'{"errors":[{"message":"rate limit exceeded"}]}', wait)
                return
            if state.latency:
                time.sleep(state.latency)
            with state.lock:
                fail = state.error_rate > 0 and state.rng.random() < state.error_rate
            if fail:
                with state.lock:
                    state.errors += 1
                self._answer(500, b'{"errors":[{"message":"injected"}]}')
                return
            if self.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            data = orjson.loads(raw)
            batch = data.get("batch", []) if isinstance(data, dict) else []
            ids = [e.get("messageId") for e in batch if isinstance(e, dict)]
            with state.lock:
                state.accepted_at()
                state.requests += 1
                state.events += len(batch)
                state.ids.update(i for i in ids if i)
                state.bytes += length
            self._answer(200)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    print(server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.05)


class CountingSink:
    """``with CountingSink(error_rate=0.05, latency_ms=20, rate_limit=10) as sink:`` -> ``sink.url``, ``sink.stats()``."""

    def __init__(self, *, error_rate: float = 0.0, latency_ms: float = 0.0, seed: int = 7, rate_limit: int = 0,
                 retry_after: float | None = None) -> None:
        self.error_rate = error_rate
        self.latency_ms = latency_ms
        self.seed = seed
        self.rate_limit = rate_limit
        self.retry_after = retry_after
        self._proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> CountingSink:
        # A separate interpreter: the sink's parsing never competes with the client for the GIL.
        limit = ["--rate-limit", str(self.rate_limit)] if self.rate_limit else []
        if self.retry_after is not None:
            limit += ["--retry-after", str(self.retry_after)]
        self._proc = subprocess.Popen(
            [sys.executable, __file__, "--error-rate", str(self.error_rate), "--latency-ms", str(self.latency_ms),
             "--seed", str(self.seed), *limit],
            stdout=subprocess.PIPE, text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()
        if not line.isdigit():
            self._proc.kill()
            raise RuntimeError(f"counting sink did not start: {line!r}")
        self.url = f"http://127.0.0.1:{line}"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=10)
            self._proc = None

    def stats(self) -> dict[str, Any]:
        """Counts so far: requests, errors, events, distinct messageIds, bytes."""
        import httpx2

        return dict(httpx2.get(self.url + "/stats", timeout=10).json())

    def reset(self) -> None:
        """Clear the counts."""
        import httpx2

        httpx2.post(self.url + "/reset", timeout=10)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="counting sink for bulk benchmarks")
    ap.add_argument("--error-rate", type=float, default=0.0)
    ap.add_argument("--latency-ms", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rate-limit", type=int, default=0, help="429 above this many accepted requests per second")
    ap.add_argument("--retry-after", type=float, default=None, help="Retry-After seconds sent with each 429")
    a = ap.parse_args()
    _serve(a.error_rate, a.latency_ms, a.seed, a.rate_limit, a.retry_after)
