"""A local counting sink for bulk benchmarks: accepts /v1/batch, counts events and distinct messageIds.

Runs in its own process (so it never competes with the client under test for the GIL), answers
HTTP/1.1 with keep-alive, and can inject a share of 500s, a fixed latency and a rate limit (requests
beyond ``rate`` per second answered 429 with ``Retry-After: 1``). A request answered with 500 or
429 is not counted: its events were not accepted. ``GET /stats`` returns the counts,
``POST /reset`` clears them.
"""

from __future__ import annotations

import argparse
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
    def __init__(self, error_rate: float, latency_ms: float, seed: int, rate: float = 0.0) -> None:
        self.error_rate = error_rate
        self.latency = latency_ms / 1000
        self.rate = rate
        self.tokens = rate
        self.refilled = time.monotonic()
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.ids: set[str] = set()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.requests = 0
            self.errors = 0
            self.limited = 0
            self.events = 0
            self.ids = set()
            self.bytes = 0

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {"requests": self.requests, "errors": self.errors, "limited": self.limited, "events": self.events,
                    "distinct": len(self.ids), "bytes": self.bytes}


    def allow(self) -> bool:
        """Take a token of the rate limit's bucket (one second of burst); False when it is empty."""
        if not self.rate:
            return True
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (now - self.refilled) * self.rate)
            self.refilled = now
            if self.tokens < 1:
                self.limited += 1
                return False
            self.tokens -= 1
            return True


def _serve(error_rate: float, latency_ms: float, seed: int, rate: float = 0.0) -> None:
    state = _State(error_rate, latency_ms, seed, rate)

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
            for k, v in (headers or {}).items():
                self.send_header(k, v)
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
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.startswith("/reset"):
                state.reset()
                self._answer(200)
                return
            if state.latency:
                time.sleep(state.latency)
            if not state.allow():
                self._answer(429, b'{"errors":[{"message":"rate limited"}]}', {"Retry-After": "1"})
                return
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
    """``with CountingSink(error_rate=0.05, latency_ms=20) as sink:`` -> ``sink.url``, ``sink.stats()``."""

    def __init__(self, *, error_rate: float = 0.0, latency_ms: float = 0.0, seed: int = 7, rate: float = 0.0) -> None:
        self.error_rate = error_rate
        self.latency_ms = latency_ms
        self.rate = rate
        self.seed = seed
        self._proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> CountingSink:
        # A separate interpreter: the sink's parsing never competes with the client for the GIL.
        self._proc = subprocess.Popen(
            [sys.executable, __file__, "--error-rate", str(self.error_rate), "--latency-ms", str(self.latency_ms),
             "--seed", str(self.seed), "--rate", str(self.rate)],
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
    ap.add_argument("--rate", type=float, default=0.0)
    a = ap.parse_args()
    _serve(a.error_rate, a.latency_ms, a.seed, a.rate)
