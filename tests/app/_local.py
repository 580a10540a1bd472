"""A tiny routed HTTP server for flows the scripted server cannot express (exports, file downloads)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests._servers import LocalServer, QuietHandler

Reply = tuple[int, dict[str, str], bytes]


def json_reply(body: Any, status: int = 200) -> Reply:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


class RoutedServer(LocalServer):
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

        self._serve(Handler)

