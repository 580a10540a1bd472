"""A tiny routed HTTP server for flows the scripted server cannot express (exports, file downloads)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any

from tests._servers import QuietHandler

Reply = tuple[int, dict[str, str], bytes]


def json_reply(body: Any, status: int = 200) -> Reply:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


class RoutedServer:
    """Calls ``route(method, path, headers, body)`` for each request; records (method, path, headers)."""

    def __init__(self, route: Callable[[str, str, dict[str, str], bytes], Reply]) -> None:
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        outer = self

        class Handler(QuietHandler):
            def _handle(self) -> None:
                body = self.body(gunzip=False)
                outer.seen.append((self.command, self.path, dict(self.headers)))
                status, headers, payload = route(self.command, self.path, dict(self.headers), body)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> RoutedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
