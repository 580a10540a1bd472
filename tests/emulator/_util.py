"""Helpers shared by the emulator tests."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import zlib
from collections.abc import Iterator
from typing import Any

from cio_toolkit.emulator import Emulator, EmulatorConfig, create_app
from cio_toolkit.emulator._server import bind_socket, make_server
from cio_toolkit.specs import operations

SPECS = ("pipelines_api", "track_api", "app_api", "reporting_webhooks")
PREFIX = {"pipelines_api": "/v1", "track_api": "", "app_api": "", "reporting_webhooks": ""}


def pipelines_auth(emu: Emulator) -> tuple[str, str]:
    return (emu.keys.pipelines_api_key, "")


def track_auth(emu: Emulator) -> tuple[str, str]:
    return (emu.keys.site_id, emu.keys.track_api_key)


def app_headers(emu: Emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {emu.keys.app_api_key}"}


def auth_kwargs(emu: Emulator, api: str) -> dict[str, Any]:
    if api == "pipelines_api":
        return {"auth": pipelines_auth(emu)}
    if api == "track_api":
        return {"auth": track_auth(emu)}
    return {"headers": app_headers(emu)}


def concrete_path(api: str, template: str) -> str:
    """The spec path with every {param} filled with a value its schema accepts."""
    return PREFIX[api] + re.sub(r"\{[^}]+\}", "1", template)


def spec_operations(api: str) -> list[tuple[str, str, str]]:
    """(method, template, operationId) for every operation of ``api``."""
    return [(m, p, op["operationId"]) for m, p, op in operations(api)]  # type: ignore[arg-type]


def request_examples(api: str) -> list[tuple[str, Any]]:
    """(operationId, body) for every request example in the spec's requestBody content."""
    out = []
    for _, _, op in operations(api):  # type: ignore[arg-type]
        for media in (op.get("requestBody") or {}).get("content", {}).values():
            if "example" in media:
                out.append((op["operationId"], media["example"]))
            for ex in (media.get("examples") or {}).values():
                if "value" in ex:
                    out.append((op["operationId"], ex["value"]))
    return out


def curl_examples(api: str) -> list[tuple[str, Any]]:
    """(operationId, body) parsed from the specs' cURL code samples (--data / --data-raw)."""
    out = []
    for _, _, op in operations(api):  # type: ignore[arg-type]
        if "requestBody" not in op:
            continue
        for sample in op.get("x-codeSamples", []):
            label = f"{sample.get('lang', '')} {sample.get('label', '')}".lower()
            if "curl" not in label:
                continue
            m = re.search(
                r"(?:--data-raw|--data-binary|--data|-d)\s+'(.*?)'\s*(?:\\\n|$)", sample["source"], re.S
            )
            if m:
                out.append((op["operationId"], json.loads(m.group(1))))
    return out


def gzip_of_zeros(total: int, *, prefix: bytes = b"", chunk: int = 1 << 20) -> bytes:
    """A gzip body of ``prefix`` then ``total`` zero bytes, compressed chunk by chunk (cheap to build)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(prefix)]
    zeros = b"\0" * chunk
    for _ in range(total // chunk):
        parts.append(packer.compress(zeros))
    parts.append(packer.flush())
    return b"".join(parts)


@contextlib.contextmanager
def serve(config: EmulatorConfig) -> Iterator[str]:
    """Serve ``create_app(config)`` on a free loopback port in a thread; yields the base URL."""
    app = create_app(config)
    sock = bind_socket("127.0.0.1", 0)
    server = make_server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.005)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()
