"""The PostgreSQL store on a real server: shared by several stores and processes, killed mid-stream."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx2
import orjson
import psycopg
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cio_toolkit._exceptions import ConfigError
from cio_toolkit.webhooks import PostgresWebhookStore, Receiver, WebhookEvent, open_store, parse_event
from cio_toolkit.webhooks._cli import app

from .conftest import KEY, payload, signed
from .test_crash import free_port, serve


def _event(event_id: str, **data: Any) -> tuple[WebhookEvent, bytes]:
    raw = payload(event_id, **data)
    return parse_event(raw), orjson.dumps(raw)


def test_reopened_store_keeps_events_and_stays_idempotent(pg_url: str) -> None:
    event, raw = _event("p1")
    with open_store(pg_url) as store:
        assert isinstance(store, PostgresWebhookStore)
        assert store.add(event, raw) is True
        assert store.add(event, raw) is False
    with PostgresWebhookStore(pg_url) as again:
        assert again.count() == 1 and again.raw("p1") == raw and again.raw("nope") is None
        assert again.add(event, raw) is False
        assert list(again.iter_raw()) == [raw]


def test_two_stores_racing_on_the_same_ids_store_each_once(pg_url: str) -> None:
    # Two connections stand for two receiver processes getting the same retries at once.
    stores = [PostgresWebhookStore(pg_url), PostgresWebhookStore(pg_url)]
    results: list[tuple[str, bool]] = []
    lock = threading.Lock()

    def worker(store: PostgresWebhookStore, offset: int) -> None:
        futures = [(f"r-{(i + offset) % 300}", store.submit(*_event(f"r-{(i + offset) % 300}"))) for i in range(300)]
        done = [(eid, f.result(timeout=60)) for eid, f in futures]
        with lock:
            results.extend(done)

    try:
        threads = [threading.Thread(target=worker, args=(stores[n % 2], n * 37)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 1200
        assert sorted(eid for eid, new in results if new) == sorted(f"r-{i}" for i in range(300))
        assert stores[0].count() == 300 and stores[1].event_ids() == {f"r-{i}" for i in range(300)}
    finally:
        for store in stores:
            store.close()


def test_a_table_with_other_columns_is_refused(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("CREATE TABLE webhook_events (event_id text)")
    with pytest.raises(ConfigError, match="webhook_events"):
        PostgresWebhookStore(pg_url)


def test_the_password_is_in_no_repr_or_error(postgres_server: Any, pg_url: str) -> None:
    secret_url = pg_url.replace("cio@", "cio:s3cret-pw@")  # the test server trusts loopback
    with PostgresWebhookStore(secret_url) as store:
        assert "s3cret" not in repr(store)
        with Receiver(KEY, store) as receiver:
            assert "s3cret" not in repr(receiver)
    unreachable = f"postgresql://cio:s3cret-pw@127.0.0.1:{free_port()}/nothing"
    with pytest.raises(ConfigError) as caught:
        PostgresWebhookStore(unreachable, connect_timeout=2)
    assert "s3cret" not in str(caught.value) and "cannot connect to postgresql://127.0.0.1:" in str(caught.value)


def test_the_receiver_stores_into_postgres_and_export_reads_it(pg_url: str, tmp_path: Path) -> None:
    with Receiver(KEY, pg_url) as receiver:
        for i in range(3):
            body, headers = signed(payload(f"h{i}", metric="opened"))
            r = httpx2.post(receiver.url, content=body, headers=headers)
            assert r.status_code == 200 and r.json()["status"] == "stored"
        r = httpx2.post(receiver.url, content=body, headers=headers)
        assert r.json()["status"] == "duplicate"
    target = tmp_path / "pg.parquet"
    result = CliRunner().invoke(app, ["export", "--store", pg_url, "--to", str(target)])
    assert result.exit_code == 0, result.output
    assert "wrote 3 events" in result.output
    table = pq.read_table(target)
    assert table.column("event_id").to_pylist() == ["h0", "h1", "h2"]
    assert table.schema.field("received_at").type.tz == "UTC"


def test_workers_are_refused_for_duckdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIO_WEBHOOK_SIGNING_KEY", KEY)
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "e.duckdb"), "--workers", "2"])
    assert result.exit_code == 2
    assert "DuckDB allows one writing process" in result.output and "postgresql://" in result.output
    assert not (tmp_path / "e.duckdb").exists()
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "e.duckdb"), "--reuse-port"])
    assert result.exit_code == 2 and "postgresql://" in result.output


def test_two_receivers_share_one_port_and_one_store(pg_url: str) -> None:
    port = free_port()
    with Receiver(KEY, pg_url, port=port, reuse_port=True) as first, Receiver(KEY, pg_url, port=port, reuse_port=True):
        assert first.url == f"http://127.0.0.1:{port}/"
        answers = []
        for i in range(20):  # a new connection each: the kernel spreads them over both listeners
            body, headers = signed(payload(f"both-{i % 10}"))
            answers.append(httpx2.post(first.url, content=body, headers=headers).json()["status"])
        assert sorted(answers) == ["duplicate"] * 10 + ["stored"] * 10
    with PostgresWebhookStore(pg_url) as store:
        assert store.count() == 10


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _deliver(url: str, ids: list[str], acked: dict[str, float], lock: threading.Lock) -> None:
    # Like Customer.io: an event without a 200 (connection reset by the kill, 503) is sent again.
    with httpx2.Client(timeout=10) as client:
        for event_id in ids:
            body, headers = signed(payload(event_id))
            for _attempt in range(50):
                try:
                    r = client.post(url, content=body, headers=headers)
                except httpx2.TransportError:
                    continue
                if r.status_code == 200:
                    with lock:
                        acked[event_id] = time.monotonic()
                    break


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker pids from /proc (Linux)")
def test_sigkill_of_workers_loses_no_acknowledged_event(pg_url: str, tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    all_ids = [f"w-{i:04}" for i in range(1200)]
    acked: dict[str, float] = {}
    lock = threading.Lock()
    proc = serve(pg_url, port, "--workers", "2", log_path=tmp_path / "serve.log")
    kills: list[tuple[int, float, int]] = []  # (pid, when, acknowledged so far)
    try:
        deadline = time.monotonic() + 20
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        threads = [threading.Thread(target=_deliver, args=(url, all_ids[n::8], acked, lock)) for n in range(8)]
        for t in threads:
            t.start()
        for threshold in (300, 700):  # each worker once: the first, then (a new one took its place) another
            while len(acked) < threshold and time.monotonic() < deadline + 60:
                time.sleep(0.002)
            victim = _children(proc.pid)[0]
            os.kill(victim, signal.SIGKILL)
            kills.append((victim, time.monotonic(), len(acked)))
        for t in threads:
            t.join(120)
        # The supervisor replaced the killed workers: two are serving again.
        assert len(_children(proc.pid)) == 2
        assert not {pid for pid, _, _ in kills} & set(_children(proc.pid))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
    assert proc.returncode == 0, (tmp_path / "serve.log").read_text()
    assert all(0 < seen < len(all_ids) for _, _, seen in kills), "each kill must land mid-stream"
    acked_before_last_kill = {eid for eid, when in acked.items() if when < kills[-1][1]}
    with PostgresWebhookStore(pg_url) as store:
        stored = store.event_ids()
        assert acked_before_last_kill <= stored
        assert set(acked) == set(all_ids) == stored  # every event acknowledged in the end; none missing
        assert store.count() == len(all_ids)  # each stored once, retries of stored ids included
    assert "ended with signal 9; starting a new one" in (tmp_path / "serve.log").read_text()


def test_a_lost_connection_is_replaced_and_nothing_is_acknowledged_unstored(pg_url: str) -> None:
    with PostgresWebhookStore(pg_url) as store, psycopg.connect(pg_url, autocommit=True) as admin:
        assert store.write_batch([_event("before")]) == [True]
        # What a database restart or a proxy's idle timeout does to the store's connection.
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                      "AND datname = current_database()")  # fmt: skip
        assert store.write_batch([_event("after-1"), _event("after-2")]) == [True, True]
        assert store.count() == 3
        assert store.write_batch([_event("after-1")]) == [False]
