from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pyarrow.parquet as pq
from typer.testing import CliRunner

from cio_toolkit.webhooks import WebhookStore, parse_event
from cio_toolkit.webhooks._cli import app

from .conftest import KEY, payload, signed

runner = CliRunner()


def test_export_writes_the_flat_schema_to_parquet(tmp_path: Path) -> None:
    store_path = tmp_path / "events.duckdb"
    with WebhookStore(store_path) as store:
        for i in range(5):
            raw = payload(f"x{i}", metric="opened")
            store.add(parse_event(raw), orjson.dumps(raw))
    target = tmp_path / "out.parquet"
    result = runner.invoke(app, ["export", "--store", str(store_path), "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert "wrote 5 events" in result.output
    table = pq.read_table(target)
    assert table.num_rows == 5 and set(table.column("metric").to_pylist()) == {"opened"}
    assert table.schema.field("timestamp").type.tz == "UTC"


def test_export_of_a_missing_store_fails_clearly(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", "--store", str(tmp_path / "nope.duckdb"), "--to", str(tmp_path / "o.parquet")]
    )
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not (tmp_path / "nope.duckdb").exists()


def test_serve_without_a_signing_key_names_the_variable(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("CIO_WEBHOOK_SIGNING_KEY", raising=False)
    result = runner.invoke(app, ["serve", "--store", str(tmp_path / "e.duckdb")])
    assert result.exit_code == 2 and "CIO_WEBHOOK_SIGNING_KEY" in result.output


def test_serve_refuses_a_blank_signing_key(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # CIO_WEBHOOK_SIGNING_KEY=" " used to start a receiver keyed with one space.
    monkeypatch.setenv("CIO_WEBHOOK_SIGNING_KEY", " ")
    result = runner.invoke(app, ["serve", "--store", str(tmp_path / "e.duckdb")])
    assert result.exit_code == 2 and "CIO_WEBHOOK_SIGNING_KEY" in result.output
    assert not (tmp_path / "e.duckdb").exists()


def test_serve_refuses_bad_server_limits_naming_the_option(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CIO_WEBHOOK_SIGNING_KEY", "whsec_cli_test")
    for option, value in (("--header-timeout", "0"), ("--read-timeout", "inf"), ("--max-connections", "0")):
        result = runner.invoke(app, ["serve", "--store", str(tmp_path / "e.duckdb"), option, value])
        assert result.exit_code == 2 and "Invalid value for" in result.output, result.output
        assert option in result.output
    assert not (tmp_path / "e.duckdb").exists()


def test_serve_runs_the_receiver_with_the_server_limits_given(tmp_path: Path) -> None:
    import httpx2

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CIO_WEBHOOK_SIGNING_KEY": KEY}
    command = [sys.executable, "-m", "cio_toolkit.webhooks", "serve", "--port", str(port)]
    command += ["--store", str(tmp_path / "e.duckdb"), "--header-timeout", "0.5", "--max-connections", "50"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port)) as slow:
            slow.sendall(b"POST / HTTP/1.1\r\n")
            slow.settimeout(15)
            assert slow.recv(1024).startswith(b"HTTP/1.1 408 ")  # the limit reached the server
        body, headers = signed(payload("cli-1"))
        assert httpx2.post(f"http://127.0.0.1:{port}/", content=body, headers=headers).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
