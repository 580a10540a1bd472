from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest

from cio_toolkit._exceptions import ConfigError, CustomerIOError
from cio_toolkit.webhooks import EventStore, WebhookEvent, WebhookStore, flat_schema, parse_event

from .conftest import payload


def _event(event_id: str, **data: Any) -> tuple[WebhookEvent, bytes]:
    raw = payload(event_id, **data)
    return parse_event(raw), orjson.dumps(raw)


def test_add_is_idempotent_by_event_id_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = WebhookStore(path)
    event, raw = _event("e1")
    assert store.add(event, raw) is True
    assert store.add(event, raw) is False
    assert store.count() == 1
    store.close()
    store.close()  # closing twice is harmless
    with pytest.raises(CustomerIOError):
        store.add(event, raw)
    with WebhookStore(path) as again:
        assert again.count() == 1
        assert again.raw("e1") == raw
        assert again.add(event, raw) is False
        assert list(again.iter_raw()) == [raw]


def test_concurrent_writers_store_each_id_once(any_store: EventStore) -> None:
    store = any_store
    # 8 threads race over 200 ids, each id submitted 4 times; each id must be "new" exactly once.
    results: list[tuple[str, bool]] = []
    lock = threading.Lock()

    def worker(offset: int) -> None:
        futures = []
        for i in range(200):
            event, raw = _event(f"id-{(i + offset * 25) % 200}")
            futures.append((event.event_id, store.submit(event, raw)))
        done = [(eid, f.result(timeout=30)) for eid, f in futures]
        with lock:
            results.extend(done)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1600
    new_ids = [eid for eid, new in results if new]
    assert sorted(new_ids) == sorted(f"id-{i}" for i in range(200))
    assert store.count() == 200


def test_same_id_twice_in_one_group_commit(any_store: EventStore) -> None:
    store = any_store
    event, raw = _event("twin")
    futures = [store.submit(event, raw) for _ in range(30)]
    assert sorted(f.result() for f in futures) == [False] * 29 + [True]


def test_to_arrow_pandas_and_parquet_share_the_flat_schema(any_store: EventStore, tmp_path: Path) -> None:
    store = any_store
    for i in range(20):
        assert store.add(*_event(f"e{i:02}", href=f"https://example.com/{i}"))
    table = store.to_arrow()
    assert table.schema.names == [*flat_schema().names, "received_at"]
    assert table.schema.field("timestamp").type == flat_schema().field("timestamp").type
    assert table.column("event_id").to_pylist() == [f"e{i:02}" for i in range(20)]
    assert table.column("campaign_id").to_pylist() == [23] * 20
    df = store.to_pandas()
    assert str(df["action_id"].dtype) == "Int64" and df["href"].iloc[3] == "https://example.com/3"
    target = tmp_path / "out dir" / "it's.parquet"
    assert store.export_parquet(target) == 20
    exported = pq.read_table(target)
    assert exported.num_rows == 20
    assert exported.column("event_id").to_pylist() == table.column("event_id").to_pylist()


def test_a_table_with_other_columns_is_refused(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE webhook_events (event_id VARCHAR)")
    con.close()
    with pytest.raises(ConfigError, match="webhook_events"):
        WebhookStore(path)


@pytest.mark.parametrize("size", [4, 40])  # the VALUES path and the Arrow path
def test_a_group_with_stored_ids_inserts_only_the_new_ones(
    any_store: EventStore, size: int, caplog: pytest.LogCaptureFixture
) -> None:
    store = any_store
    items = [_event(f"g{i:03}") for i in range(size * 2)]
    assert store.write_batch(items[:size]) == [True] * size
    results = store.write_batch(items[size // 2 :])
    assert results == [False] * (size // 2) + [True] * size
    assert store.count() == size * 2
    # Duplicates are expected traffic (retries): no error is logged for them.
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    # The connection is healthy afterwards: the next group still commits.
    assert store.write_batch([_event("after")]) == [True]


def test_a_waiter_that_gives_up_neither_stops_the_writer_nor_gets_stored(store: WebhookStore) -> None:
    # A caller may cancel its future (asyncio.wait_for around wrap_future, a server's shutdown
    # cancelling a request). Resolving a cancelled future raises, and that used to end the writer
    # thread: every later submit then waited forever.
    import httpx2

    from cio_toolkit.webhooks import Receiver

    from .conftest import KEY, signed

    futures = [store.submit(*_event(f"q-{i}")) for i in range(2000)]
    # The writer takes at most 256 per commit, so the tail is still queued when cancelled.
    cancelled = {f"q-{i}" for i in range(1800, 2000) if futures[i].cancel()}
    assert cancelled
    kept = {f"q-{i}" for i in range(2000)} - cancelled
    assert all(futures[int(i[2:])].result(timeout=60) is True for i in kept)
    assert store.submit(*_event("after")).result(timeout=60) is True
    assert store.event_ids() == kept | {"after"}  # a cancelled waiter was never acknowledged
    with Receiver(KEY, store, writer="thread") as receiver:
        body, headers = signed(payload("after-http"))
        r = httpx2.post(receiver.url, content=body, headers=headers, timeout=30)
        assert r.status_code == 200 and r.json()["status"] == "stored"
