from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx2
import orjson
import pytest

from cio_toolkit.webhooks import Receiver, WebhookStore, create_receiver, sign

from .conftest import KEY, payload, signed


def test_delivery_is_stored_then_acknowledged(receiver: Receiver) -> None:
    body, headers = signed(payload("ok-1", metric="clicked", href="https://example.com", link_id=3))
    r = httpx2.post(receiver.url, content=body, headers=headers)
    assert r.status_code == 200 and r.json() == {"status": "stored", "event_id": "ok-1"}
    # The 200 came after the commit: the event is readable right away.
    assert receiver.store.raw("ok-1") == body
    row = receiver.store.to_arrow().to_pylist()[0]
    assert row["metric"] == "clicked" and row["link_id"] == 3


def test_duplicate_deliveries_are_acknowledged_and_stored_once(receiver: Receiver) -> None:
    body, headers = signed(payload("dup-1"))
    answers = [httpx2.post(receiver.url, content=body, headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["status"] for a in answers] == ["stored", "duplicate", "duplicate"]
    # A retry re-signed with a later timestamp is still the same event.
    body2, headers2 = signed(payload("dup-1"), timestamp=int(time.time()) + 5)
    assert httpx2.post(receiver.url, content=body2, headers=headers2).json()["status"] == "duplicate"
    assert receiver.store.count() == 1


def test_concurrent_duplicate_bursts_store_once(receiver: Receiver) -> None:
    async def burst() -> list[str]:
        async with httpx2.AsyncClient(limits=httpx2.Limits(max_connections=16)) as client:
            posts = []
            for i in range(60):
                body, headers = signed(payload(f"burst-{i % 20}"))
                posts.append(client.post(receiver.url, content=body, headers=headers))
            answers = await asyncio.gather(*posts)
        assert all(a.status_code == 200 for a in answers)
        return [a.json()["status"] for a in answers]

    statuses = asyncio.run(burst())
    assert statuses.count("stored") == 20 and statuses.count("duplicate") == 40
    assert receiver.store.count() == 20


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda b, h: (b + b" ", h), "bad_signature"),
        (lambda b, h: (b, {**h, "X-CIO-Timestamp": str(int(h["X-CIO-Timestamp"]) + 1)}), "bad_signature"),
        (lambda b, h: (b, {k: v for k, v in h.items() if k != "X-CIO-Signature"}), "missing_signature"),
        (lambda b, h: (b, {k: v for k, v in h.items() if k != "X-CIO-Timestamp"}), "missing_timestamp"),
        (lambda b, h: (b, {**h, "X-CIO-Timestamp": "noon"}), "bad_timestamp"),
    ],
)
def test_bad_signatures_get_401_with_the_reason(receiver: Receiver, mutate, reason: str) -> None:  # type: ignore[no-untyped-def]
    body, headers = mutate(*signed(payload("sig-1")))
    r = httpx2.post(receiver.url, content=body, headers=headers)
    assert r.status_code == 401
    assert r.json()["reason"] == reason
    assert KEY not in r.text
    assert receiver.store.count() == 0


def test_stale_and_replayed_requests_get_401(receiver: Receiver) -> None:
    old = int(time.time()) - 3600
    body, headers = signed(payload("old-1"), timestamp=old)
    r = httpx2.post(receiver.url, content=body, headers=headers)
    assert r.status_code == 401 and r.json()["reason"] == "stale_timestamp"
    future = int(time.time()) + 3600
    body, headers = signed(payload("future-1"), timestamp=future)
    assert httpx2.post(receiver.url, content=body, headers=headers).json()["reason"] == "stale_timestamp"
    assert receiver.store.count() == 0


def test_oversized_bodies_get_413_by_length_and_while_streaming(receiver: Receiver) -> None:
    big = orjson.dumps(payload("big-1", subject="x" * 70_000))
    headers = sign(big, KEY)
    r = httpx2.post(receiver.url, content=big, headers=headers)
    assert r.status_code == 413 and r.json()["limit"] == 64_000

    def chunks():  # no Content-Length: the limit must hold while reading
        for i in range(0, len(big), 8192):
            yield big[i : i + 8192]

    r = httpx2.post(receiver.url, content=chunks(), headers=headers)
    assert r.status_code == 413
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert receiver.store.count() == 0
    # A body just under the limit, chunked, still goes through.
    small = orjson.dumps(payload("chunked-ok"))
    r = httpx2.post(receiver.url, content=iter([small[:10], small[10:]]), headers=sign(small, KEY))
    assert r.status_code == 200 and receiver.store.count() == 1


def test_invalid_json_and_non_events_get_400(receiver: Receiver) -> None:
    for raw, error in (
        (b"{not json", "invalid_json"),
        (b"[1,2]", "invalid_event"),
        (b'{"metric":"sent"}', "invalid_event"),
    ):
        r = httpx2.post(receiver.url, content=raw, headers=sign(raw, KEY))
        assert r.status_code == 400, raw
        assert r.json()["error"] == error
    assert receiver.store.count() == 0


def test_unknown_metric_is_still_stored(receiver: Receiver) -> None:
    body, headers = signed(payload("new-metric", metric="teleported"))
    assert httpx2.post(receiver.url, content=body, headers=headers).status_code == 200
    assert receiver.store.to_arrow().column("metric").to_pylist() == ["teleported"]


def test_other_methods_and_paths_are_refused(receiver: Receiver) -> None:
    r = httpx2.get(receiver.url)
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert httpx2.get(receiver.url + "healthz").json() == {"status": "ok"}
    assert httpx2.post(receiver.url + "healthz").status_code == 405
    body, headers = signed(payload("elsewhere"))
    r = httpx2.post(receiver.url + "other", content=body, headers=headers)
    assert r.status_code == 404 and r.json() == {"error": "not_found"}
    assert receiver.store.count() == 0


def test_receiver_owns_a_store_given_by_path_and_stops_quickly(tmp_path: Path) -> None:
    path = tmp_path / "owned.duckdb"
    receiver = Receiver(KEY, path).start()
    assert KEY not in repr(receiver)
    # An idle keep-alive connection must not hold up stop().
    client = httpx2.Client()
    body, headers = signed(payload("own-1"))
    assert client.post(receiver.url, content=body, headers=headers).status_code == 200
    started = time.monotonic()
    receiver.stop()
    assert time.monotonic() - started < 8
    client.close()
    with WebhookStore(path) as store:  # the receiver closed its store, so the file opens again
        assert store.event_ids() == {"own-1"}


def test_create_receiver_rejects_bad_settings(store: WebhookStore) -> None:
    from cio_toolkit._exceptions import ConfigError, ValidationError

    with pytest.raises(ConfigError):
        create_receiver("", store)
    with pytest.raises(ValidationError) as info:
        create_receiver(KEY, store, max_body=0)
    assert info.value.field == "max_body"


def test_thread_writer_stores_and_deduplicates(store: WebhookStore) -> None:
    with Receiver(KEY, store, writer="thread") as receiver:
        body, headers = signed(payload("thr-1"))
        statuses = [
            httpx2.post(receiver.url, content=body, headers=headers).json()["status"] for _ in range(2)
        ]
    assert statuses == ["stored", "duplicate"]
    assert store.event_ids() == {"thr-1"}


def test_a_duplicate_inside_a_group_commit_does_not_fail_its_neighbours(store: WebhookStore) -> None:
    first, first_headers = signed(payload("grp-0"))
    with Receiver(KEY, store) as receiver:
        assert httpx2.post(receiver.url, content=first, headers=first_headers).status_code == 200

        async def burst() -> list[tuple[int, str]]:
            async with httpx2.AsyncClient() as client:
                posts = []
                for i in range(12):  # grp-0 is already stored; the rest are new, all in a few commits
                    body, headers = signed(payload(f"grp-{i}"))
                    posts.append(client.post(receiver.url, content=body, headers=headers))
                answers = await asyncio.gather(*posts)
            return [(a.status_code, a.json()["status"]) for a in answers]

        answers = asyncio.run(burst())
    assert answers[0] == (200, "duplicate")
    assert answers[1:] == [(200, "stored")] * 11
    assert store.count() == 12


def _deep_body(event_id: str, depth: int) -> tuple[bytes, str]:
    """A signed-ready event whose data nests ``depth`` levels, and its data as the store writes it."""
    data = '{"campaign_id":23,"customer_id":"user-1","deep":' + "[" * depth + "]" * depth + "}"
    head = f'{{"event_id":"{event_id}","object_type":"email","metric":"sent","timestamp":{int(time.time())},'
    return f'{head}"data":{data}}}'.encode(), data


@pytest.mark.parametrize("writer", ["loop", "thread"])
def test_deeply_nested_events_are_stored_and_only_storage_failures_answer_503(
    store: WebhookStore, writer: str
) -> None:
    # 254-1,022 levels used to fail flattening (503 on every retry), deeper ones orjson's parser
    # (400): either way Customer.io retries for days and holds every later delivery behind it.
    with Receiver(KEY, store, writer=writer, max_body=64_000) as receiver:  # type: ignore[arg-type]
        sent = {}
        for depth in (300, 1_100, 30_000):
            body, sent[f"deep-{depth}"] = _deep_body(f"deep-{depth}", depth)
            r = httpx2.post(receiver.url, content=body, headers=sign(body, KEY), timeout=30)
            assert r.status_code == 200 and r.json()["status"] == "stored", depth
            assert store.raw(f"deep-{depth}") == body
        rows = {row["event_id"]: row for row in store.to_arrow().to_pylist()}
        for event_id, data in sent.items():
            assert rows[event_id]["data"] == data  # the whole data, at any depth
            assert rows[event_id]["customer_id"] == "user-1" and rows[event_id]["campaign_id"] == 23
        # Deep bodies that are not events, or not JSON, are the client's fault: a permanent 400.
        for raw, error in ((b"[" * 5000 + b"]" * 5000, "invalid_event"), (b"[" * 5000, "invalid_json")):
            r = httpx2.post(receiver.url, content=raw, headers=sign(raw, KEY), timeout=30)
            assert (r.status_code, r.json()["error"]) == (400, error)
        # A real storage failure still answers 503 (Customer.io retries), and nothing hangs.
        store.close()
        body, _ = _deep_body("after-close", 300)
        r = httpx2.post(receiver.url, content=body, headers=sign(body, KEY), timeout=30)
        assert r.status_code == 503 and r.json()["error"] == "storage_failed"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("campaign_id", "²"),  # str.isdigit() says yes, int() says no
        ("campaign_id", "--5"),
        ("timestamp", "²"),
        ("timestamp", "9" * 5000),
    ],
)
def test_numbers_written_as_odd_text_are_stored_not_a_server_error(
    receiver: Receiver, field: str, value: str
) -> None:
    event = payload(f"odd-{field}-{len(value)}-{value[:2]}")
    if field == "timestamp":
        event["timestamp"] = value
    else:
        event["data"][field] = value
    body, headers = signed(event)
    r = httpx2.post(receiver.url, content=body, headers=headers)
    assert r.status_code == 200, r.text  # was 500 (int() raised while typing the event)
    row = receiver.store.to_arrow().to_pylist()[0]
    assert row["campaign_id"] is None if field == "campaign_id" else row["timestamp"] is None


def test_blank_signing_keys_are_refused_naming_the_setting(store: WebhookStore, tmp_path: Path) -> None:
    from cio_toolkit._exceptions import ConfigError

    for blank in ("", " ", "\t"):
        with pytest.raises(ConfigError, match="CIO_WEBHOOK_SIGNING_KEY"):
            create_receiver(blank, store)
        with pytest.raises(ConfigError, match="CIO_WEBHOOK_SIGNING_KEY"):
            Receiver(blank, tmp_path / "never.duckdb")
    assert not (tmp_path / "never.duckdb").exists()  # refused before a store file was made
