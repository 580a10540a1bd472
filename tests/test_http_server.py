"""Slow, idle and surplus connections, against both servers built on cio_toolkit._http_server.

Every case talks raw TCP to a real server (the emulator, and the webhook receiver) started with
small limits. Closes are awaited with a generous deadline; nothing asserts how long they took.
"""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
import orjson
import pytest

from cio_toolkit import ValidationError
from cio_toolkit._http_server import ServerLimits, default_max_connections
from cio_toolkit.emulator import Emulator
from cio_toolkit.webhooks import Receiver, sign

KEY = "whsec_http_server_test_key"
GENEROUS = 15.0  # seconds to wait for a close that should happen after well under one


@dataclass
class Served:
    host: str
    port: int
    # Sends one valid request over HTTP and returns its status.
    valid_request: Callable[[], int]
    # A request line and headers whose handler goes on to read the body.
    body_request: str


def _delivery(url: str, n: list[int]) -> int:
    n[0] += 1
    body = orjson.dumps(
        {
            "event_id": f"ok-{n[0]}",
            "object_type": "email",
            "metric": "sent",
            "timestamp": int(time.time()),
            "data": {"customer_id": "u1"},
        }
    )
    return httpx2.post(url, content=body, headers=sign(body, KEY), timeout=10).status_code


def _basic(emu: Emulator) -> str:
    return base64.b64encode(f"{emu.keys.site_id}:{emu.keys.track_api_key}".encode()).decode()


@contextmanager
def _serve(kind: str, limits: ServerLimits, tmp_path: Path) -> Iterator[Served]:
    if kind == "emulator":
        # log=False: these requests are broken on purpose; the suite's request log stays clean.
        with Emulator(log=False, server_limits=limits) as emu:
            yield Served(
                emu.host,
                emu.port,
                lambda: httpx2.get(f"{emu.url}/_emulator/health", timeout=10).status_code,
                f"PUT /api/v1/customers/slow-1 HTTP/1.1\r\nAuthorization: Basic {_basic(emu)}\r\n",
            )
    else:
        with Receiver(KEY, tmp_path / "events.duckdb", server_limits=limits) as rec:
            port = int(rec.url.rstrip("/").rsplit(":", 1)[1])
            counter = [0]
            yield Served("127.0.0.1", port, lambda: _delivery(rec.url, counter), "POST / HTTP/1.1\r\n")


SERVERS = ["emulator", "receiver"]
QUICK = ServerLimits(header_timeout=0.5, read_timeout=0.5, keep_alive=0.5, max_connections=64)


def _read_until_closed(sock: socket.socket, deadline: float = GENEROUS) -> bytes:
    """Everything the server sends until it closes; fails if it is still open after ``deadline``."""
    sock.settimeout(deadline)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except TimeoutError:
        pytest.fail(f"the server kept the connection open for {deadline} s (got {received[:80]!r})")
    except ConnectionResetError:
        pass
    return received


@pytest.mark.parametrize("kind", SERVERS)
def test_unfinished_request_headers_are_cut_off(kind: str, tmp_path: Path) -> None:
    with _serve(kind, QUICK, tmp_path) as served:
        with socket.create_connection((served.host, served.port)) as partial:
            partial.sendall(b"POST / HTTP/1.1\r\n")
            assert _read_until_closed(partial).startswith(b"HTTP/1.1 408 ")
        with socket.create_connection((served.host, served.port)) as silent:
            assert _read_until_closed(silent) == b""  # never sent a byte: closed without an answer
        assert served.valid_request() == 200


@pytest.mark.parametrize("kind", SERVERS)
def test_a_stalled_request_body_is_cut_off(kind: str, tmp_path: Path) -> None:
    with _serve(kind, QUICK, tmp_path) as served:
        with socket.create_connection((served.host, served.port)) as stalled:
            stalled.sendall(
                f"{served.body_request}Host: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 100\r\n\r\n".encode()
                + b'{"a": 1234'
            )
            # The handler is waiting for the other 90 bytes: the read deadline answers.
            assert _read_until_closed(stalled).startswith(b"HTTP/1.1 408 ")
        assert served.valid_request() == 200


@pytest.mark.parametrize("kind", SERVERS)
def test_an_idle_keep_alive_connection_is_closed(kind: str, tmp_path: Path) -> None:
    with _serve(kind, QUICK, tmp_path) as served:
        with socket.create_connection((served.host, served.port)) as idle:
            idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            # Shorter than uvicorn's own default (5 s), still eight times the limit set here.
            answer = _read_until_closed(idle, deadline=4.0)
        # One complete answer (not a 408: the request was served), then the idle close.
        assert answer.startswith(b"HTTP/1.1 ") and b" 408 " not in answer


@pytest.mark.parametrize("kind", SERVERS)
def test_connections_beyond_the_cap_are_refused_and_service_resumes(kind: str, tmp_path: Path) -> None:
    limits = ServerLimits(header_timeout=10, read_timeout=10, keep_alive=10, max_connections=4)
    with _serve(kind, limits, tmp_path) as served:
        slow = [socket.create_connection((served.host, served.port)) for _ in range(4)]
        try:
            for s in slow:
                s.sendall(b"POST / HTTP/1.1\r\n")
            with socket.create_connection((served.host, served.port)) as extra:
                answer = _read_until_closed(extra)
            assert answer == b"" or answer.startswith(b"HTTP/1.1 503 ")
        finally:
            for s in slow:
                s.close()
        # Customer.io retries: once the slow sockets are gone, a real delivery goes through.
        deadline = time.monotonic() + GENEROUS
        status = 0
        while status != 200 and time.monotonic() < deadline:
            try:
                status = served.valid_request()
            except httpx2.TransportError:
                status = 0
            if status != 200:
                time.sleep(0.05)
        assert status == 200


def test_slow_but_steady_bodies_and_slow_answers_are_not_cut(tmp_path: Path) -> None:
    limits = ServerLimits(header_timeout=0.5, read_timeout=3.0, keep_alive=0.5, max_connections=64)
    with _serve("receiver", limits, tmp_path) as served:
        body = orjson.dumps(
            {
                "event_id": "steady-1",
                "object_type": "email",
                "metric": "sent",
                "timestamp": int(time.time()),
                "data": {"customer_id": "u1"},
            }
        )
        head = "".join(f"{k}: {v}\r\n" for k, v in sign(body, KEY).items())
        with socket.create_connection((served.host, served.port)) as conn:
            conn.sendall(f"POST / HTTP/1.1\r\nHost: x\r\n{head}Content-Length: {len(body)}\r\n\r\n".encode())
            # Longer in total than the header deadline, each pause far inside the read deadline.
            for i in range(0, len(body), len(body) // 4 + 1):
                time.sleep(0.2)
                conn.sendall(body[i : i + len(body) // 4 + 1])
            conn.settimeout(GENEROUS)
            assert conn.recv(65536).startswith(b"HTTP/1.1 200 ")
    # An answer slower than every deadline is not cut: the server, not the client, is busy.
    quick = ServerLimits(header_timeout=0.3, read_timeout=0.3, keep_alive=0.3, max_connections=64)
    with Emulator(log=False, server_limits=quick, faults={"latency_ms": 1200}) as emu:
        assert httpx2.get(f"{emu.url}/_emulator/health", timeout=GENEROUS).status_code == 200


def test_limits_are_validated_naming_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        ServerLimits(header_timeout=0)
    assert info.value.field == "header_timeout"
    with pytest.raises(ValidationError) as info:
        ServerLimits(read_timeout=float("inf"))
    assert info.value.field == "read_timeout"
    with pytest.raises(ValidationError) as info:
        ServerLimits(max_connections=0)
    assert info.value.field == "max_connections" and info.value.limit == 1
    import resource

    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert 1 <= default_max_connections() <= min(4096, soft)
    assert ServerLimits().max_connections == default_max_connections()


def test_the_emulator_cli_refuses_bad_limits_naming_the_option() -> None:
    import typer
    from typer.testing import CliRunner

    from cio_toolkit.emulator._cli import emulator_command

    app = typer.Typer()
    app.command()(emulator_command)
    for option, value in (("--keep-alive", "0"), ("--header-timeout", "nan"), ("--max-connections", "0")):
        result = CliRunner().invoke(app, ["--port", "0", option, value])
        assert result.exit_code == 2 and "Invalid value for" in result.output, result.output
        assert option in result.output
