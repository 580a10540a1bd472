"""A tiny scripted HTTP server for fault cases the emulator should not have to fake."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, no access log, and the request body read (and gunzipped) by :meth:`body`."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def body(self, *, gunzip: bool = True) -> bytes:
        """The request body (decompressed when it says gzip and ``gunzip``)."""
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        return gzip.decompress(data) if gunzip and self.headers.get("Content-Encoding") == "gzip" else data


class LocalServer:
    """A ThreadingHTTPServer on a free loopback port, serving from a thread while the ``with`` block lasts."""

    url: str

    def _serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    peer: tuple[str, int] = ("", 0)  # the client's address: one per connection


@dataclass
class Action:
    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    raw: bytes | None = None  # sent as it is (text/plain), instead of ``body`` as JSON


class ScriptedServer(LocalServer):
    """Answers each request with the next scripted :class:`Action` (then 200 ``{}``), recording requests."""

    def __init__(self, *actions: Action) -> None:
        self.script: deque[Action] = deque(actions)
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(QuietHandler):
            def _handle(self) -> None:
                body = self.body()
                with outer._lock:
                    outer.seen.append(Seen(self.command, self.path, dict(self.headers), body, time.monotonic(),
                                            self.client_address[:2]))
                    action = outer.script.popleft() if outer.script else Action()
                if action.delay:
                    time.sleep(action.delay)
                if action.drop:
                    # Close without any HTTP answer: the client sees a dropped connection.
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                payload = action.raw if action.raw is not None else json.dumps(action.body).encode()
                try:
                    self.send_response(action.status)
                    for k, v in action.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", "text/plain" if action.raw is not None else "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self._serve(Handler)



class RateLimitedServer(LocalServer):
    """A /v1/batch sink that accepts at most ``per_second`` requests in any second and answers 429 above it.

    It counts every messageId it accepted (``accepted``: messageId -> times), the requests it
    took and the ones it refused; ``retry_after`` (seconds) is sent with each 429 when given.
    """

    def __init__(self, per_second: int, *, retry_after: float | None = None) -> None:
        self.per_second = per_second
        self.retry_after = retry_after
        self.accepted: dict[str, int] = {}
        self.ok = 0
        self.refused = 0
        self._window: deque[float] = deque()
        self._lock = threading.Lock()
        outer = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                body = self.body()
                status, headers = outer._admit(body)
                payload = b"{}" if status == 200 else b'{"errors":[{"message":"rate limit exceeded"}]}'
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._serve(Handler)

    def _admit(self, body: bytes) -> tuple[int, dict[str, str]]:
        with self._lock:
            now = time.monotonic()
            while self._window and self._window[0] <= now - 1.0:
                self._window.popleft()
            if len(self._window) >= self.per_second:
                self.refused += 1
                return 429, ({"Retry-After": f"{self.retry_after:g}"} if self.retry_after is not None else {})
            self._window.append(now)
            self.ok += 1
            data = json.loads(body)
            for call in data.get("batch", [data]):
                mid = call.get("messageId", "")
                self.accepted[mid] = self.accepted.get(mid, 0) + 1
            return 200, {}

