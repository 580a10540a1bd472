"""An import's data_file_url is read with a byte cap: a gzip bomb is refused naming the limit."""

from __future__ import annotations

import gzip
import http.server
import threading
import zlib
from typing import Any

from cio_toolkit.emulator.services.deliveries import IMPORT_FILE_BYTES

from .conftest import AppHTTP


def _serve(data: bytes) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except OSError:
                pass  # the emulator may stop reading once it has seen enough

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/people.csv"


def _bomb(size: int) -> bytes:
    # Streamed through zlib, so the test never holds the expanded bytes.
    z = zlib.compressobj(1, zlib.DEFLATED, 31)
    chunk = b"0" * (1 << 20)
    parts = [z.compress(b"id\n")]
    for _ in range(size // len(chunk) + 1):
        parts.append(z.compress(chunk))
    parts.append(z.flush())
    return b"".join(parts)


def test_import_whose_file_gunzips_past_the_cap_is_refused_naming_the_limit(app: AppHTTP) -> None:
    httpd, url = _serve(_bomb(IMPORT_FILE_BYTES))
    try:
        response = app.call("POST", "/v1/imports", expect=400, json={"import": {
            "name": "bomb", "data_file_url": url, "type": "people", "identifier": "id"}})
    finally:
        httpd.shutdown()
        httpd.server_close()
    error = response.json()["meta"]["error"]
    assert error.startswith("body.import.data_file_url: ") and str(IMPORT_FILE_BYTES) in error


def test_import_of_a_small_gzip_file_still_works(app: AppHTTP, uid: str) -> None:
    httpd, url = _serve(gzip.compress(f"id,plan\ncap-{uid},pro\n".encode()))
    try:
        created = app.call("POST", "/v1/imports", json={"import": {
            "name": "small", "data_file_url": url, "type": "people", "identifier": "id"}}).json()["import"]
    finally:
        httpd.shutdown()
        httpd.server_close()
    report = app.get(f"/v1/imports/{created['id']}")["import"]
    assert (report["state"], report["rows_imported"]) == ("imported", 1)
