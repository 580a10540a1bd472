"""The receiver process is killed with SIGKILL mid-stream: nothing it acknowledged may be lost."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2

from cio_toolkit.webhooks import WebhookStore

from .conftest import KEY, payload, signed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(store: Path | str, port: int, *extra: str, log_path: Path | None = None) -> subprocess.Popen[bytes]:
    """Start ``cio webhooks serve`` in a new process and wait until it answers."""
    env = {**os.environ, "CIO_WEBHOOK_SIGNING_KEY": KEY}
    log_path = log_path or Path(store).with_suffix(".log")
    # A file, not a pipe: nobody reads a pipe here, and a full one would block the server.
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cio_toolkit.webhooks",
                "serve",
                "--port",
                str(port),
                "--store",
                str(store),
                *extra,
            ],
            env=env,
            stdout=log,
            stderr=log,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early: {log_path.read_text()}")
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                return proc
        except httpx2.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("serve did not come up")


def _send(url: str, ids: list[str], acked: set[str], lock: threading.Lock, stop: threading.Event) -> None:
    with httpx2.Client(timeout=5) as client:
        for event_id in ids:
            if stop.is_set():
                return
            body, headers = signed(payload(event_id))
            try:
                r = client.post(url, content=body, headers=headers)
            except httpx2.TransportError:
                continue  # the process died under this request: not acknowledged
            if r.status_code == 200:
                with lock:
                    acked.add(event_id)


def test_sigkill_mid_stream_loses_no_acknowledged_event(tmp_path: Path) -> None:
    store_path = tmp_path / "crash.duckdb"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    all_ids = [f"k-{i:04}" for i in range(600)]
    acked: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()

    proc = serve(store_path, port)
    try:
        # 6 concurrent senders, so requests are in flight (some mid-commit) when the process dies.
        threads = [
            threading.Thread(target=_send, args=(url, all_ids[n::6], acked, lock, stop)) for n in range(6)
        ]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(acked) < 150 and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        stop.set()
        for t in threads:
            t.join(15)
    finally:
        if proc.poll() is None:
            proc.kill()
    acked_before_kill = set(acked)
    assert 150 <= len(acked_before_kill) < len(all_ids), "the kill must land mid-stream"

    proc = serve(store_path, port)  # restart on the same file (DuckDB replays its WAL)
    try:
        # Customer.io retries whatever it did not get a 200 for; retries of stored ids are duplicates.
        retries = [
            threading.Thread(target=_send, args=(url, all_ids[n::6], acked, lock, threading.Event()))
            for n in range(6)
        ]
        for t in retries:
            t.start()
        for t in retries:
            t.join(30)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)

    with WebhookStore(store_path) as store:
        stored = store.event_ids()
        assert acked_before_kill <= stored
        assert stored == set(all_ids)
        assert store.count() == len(all_ids)
