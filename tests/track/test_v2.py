"""Track v2: every type and action through /entity and /batch, item errors, idempotent retries."""

from __future__ import annotations

from typing import Any

import httpx2
import orjson
import pytest

from cio_toolkit._exceptions import ServerError, ValidationError
from cio_toolkit._transport import RetryPolicy
from cio_toolkit.emulator import Emulator
from cio_toolkit.track import TrackClient, v2
from cio_toolkit.track._ulid import event_id_for, is_ulid
from tests._servers import Action, ScriptedServer

from .conftest import uid

FAST = RetryPolicy(max_retries=3, backoff_base=0.01, backoff_cap=0.02)


def person(emulator: Emulator, pid: str) -> dict[str, Any] | None:
    rows = emulator.store.query("SELECT * FROM people WHERE id = ?", (pid,))
    return rows[0] if rows else None


def test_every_person_action(track: TrackClient, emulator: Emulator) -> None:
    a, b, org = uid("a"), uid("b"), uid("org")
    rel = v2.object_relationship(object_type_id="1", object_id=org, relationship_attributes={"role": "admin"})
    result = track.v2.batch([
        v2.person_identify(id=a, attributes={"plan": "pro"}, cio_relationships=[rel]),
        v2.person_identify(id=b, attributes={"plan": "free", "city": "Lyon"}),
        v2.person_event(id=a, name="upgraded", attributes={"to": "pro"}, timestamp=1_700_000_000),
        v2.person_screen(id=a, name="Settings"),
        v2.person_page(id=a, name="/pricing", attributes={"url": "https://example.com/pricing"}),
        v2.person_add_device(id=a, token="tok-a", platform="android", attributes={"push_enabled": True}),
        v2.person_add_device(id=a, token="tok-b", platform="ios"),
        v2.person_delete_device(id=a, token="tok-b"),
        v2.person_merge(primary={"id": a}, secondary={"id": b}),
    ])
    assert result.ok and result.delivered == 9 and result.requests == 1
    p = person(emulator, a)
    assert p is not None and p["attributes"] == {"plan": "pro", "city": "Lyon"}
    assert person(emulator, b) is None
    kinds = sorted((e["type"], e["name"]) for e in emulator.store.events(person_pk=p["pk"]))
    assert kinds == [("page", "/pricing"), ("screen", "Settings"), ("track", "upgraded")]
    devices = emulator.store.query("SELECT device_id, attributes FROM devices WHERE person_pk = ?", (p["pk"],))
    assert devices == [{"device_id": "tok-a", "attributes": {"push_enabled": "true"}}]
    rels = emulator.store.query("SELECT attributes FROM relationships WHERE object_id = ?", (org,))
    assert rels == [{"attributes": {"role": "admin"}}]

    track.v2.entity(v2.person_delete_relationships(id=a, cio_relationships=[rel]))
    assert emulator.store.query("SELECT 1 FROM relationships WHERE object_id = ?", (org,)) == []
    track.v2.entity(v2.person_add_relationships(id=a, cio_relationships=[rel]))
    assert len(emulator.store.query("SELECT 1 FROM relationships WHERE object_id = ?", (org,))) == 1

    track.v2.entity(v2.person_suppress(id=a))
    assert person(emulator, a) is None
    track.v2.entity(v2.person_identify(id=a))
    assert person(emulator, a) is None  # suppressed: dropped
    track.v2.entity(v2.person_unsuppress(id=a))
    track.v2.entity(v2.person_identify(id=a))
    assert person(emulator, a) is not None
    track.v2.entity(v2.person_delete(id=a))
    assert person(emulator, a) is None


def test_every_object_action_and_delivery_events(track: TrackClient, emulator: Emulator) -> None:
    org, p1, anon = uid("org"), uid("p"), uid("anon")
    track.customers.identify(id=p1)
    track.customers.identify(id=uid(), anonymous_id=anon)
    result = track.v2.batch([
        v2.object_identify(object_type_id="2", object_id=org, attributes={"tier": "gold"},
                           cio_relationships=[v2.person_relationship(id=p1)]),
        v2.object_identify_anonymous(object_type_id="2", object_id=org, attributes={"region": "eu"},
                                     cio_relationships=[v2.person_relationship(anonymous_id=anon)]),
        v2.delivery_event(delivery_id=uid("dlv"), name="delivered", device_token="tok"),
    ])
    assert result.ok
    obj = emulator.store.query("SELECT attributes FROM objects WHERE object_id = ?", (org,))
    assert obj == [{"attributes": {"tier": "gold", "region": "eu"}}]
    assert len(emulator.store.query("SELECT 1 FROM relationships WHERE object_id = ?", (org,))) == 2
    track.v2.entity(v2.object_delete_relationships(object_type_id="2", object_id=org,
                                                   cio_relationships=[v2.person_relationship(id=p1)]))
    assert len(emulator.store.query("SELECT 1 FROM relationships WHERE object_id = ?", (org,))) == 1
    track.v2.entity(v2.object_add_relationships(object_type_id="2", object_id=org,
                                                cio_relationships=[v2.person_relationship(id=p1)]))
    assert len(emulator.store.query("SELECT 1 FROM relationships WHERE object_id = ?", (org,))) == 2
    track.v2.entity(v2.object_delete(object_type_id="2", object_id=org))
    assert emulator.store.query("SELECT 1 FROM objects WHERE object_id = ?", (org,)) == []
    assert emulator.store.query("SELECT 1 FROM relationships WHERE object_id = ?", (org,)) == []


def test_one_invalid_item_is_reported_and_the_rest_delivered(track: TrackClient, emulator: Emulator) -> None:
    ids = [uid() for _ in range(4)]
    items: list[Any] = [
        v2.person_identify(id=ids[0], attributes={"n": 0}),
        v2.person_identify(id=ids[1], attributes={"bio": "x" * 1001}),
        {"type": "person", "action": "identify", "identifiers": {"id": ids[2]}, "atributes": {"typo": 1}},
        v2.person_event(id=ids[3], name="ok"),
        "not an item",
    ]
    result = track.v2.batch(items)
    assert [(e.index, e.field, e.reason, e.source) for e in result.errors] == [
        (1, "attributes.bio", "value_too_long", "client"),
        (2, "atributes", "invalid", "client"),
        (4, "item", "invalid", "client"),
    ]
    assert (result.total, result.sent, result.delivered, result.failed_indexes) == (5, 2, 2, [1, 2, 4])
    assert person(emulator, ids[0]) is not None and person(emulator, ids[3]) is not None
    assert person(emulator, ids[1]) is None and person(emulator, ids[2]) is None
    frame = result.errors_frame()
    assert list(frame["index"]) == [1, 2, 4]
    with pytest.raises(ValidationError, match="batch item 1"):
        result.raise_for_errors()


def test_entity_refuses_an_invalid_item_naming_the_field(track: TrackClient) -> None:
    with pytest.raises(ValidationError) as info:
        track.v2.entity(v2.person_identify(id="a", email="a@example.com"))
    assert info.value.field == "identifiers" and "exactly one" in str(info.value)
    with pytest.raises(ValidationError) as info:
        track.v2.entity({"type": "person", "action": "fly", "identifiers": {"id": "a"}})
    assert info.value.field == "action"
    with pytest.raises(ValidationError) as info:
        track.v2.entity(v2.person_add_device(id="a", token="t", platform="windows"))  # type: ignore[arg-type]
    assert info.value.field == "device.platform"
    with pytest.raises(ValidationError) as info:
        track.v2.entity(v2.person_event(id="a", name="e", event_id="not-a-ulid"))
    assert info.value.field == "id"


def test_emulator_answers_207_with_batch_index_and_applies_the_rest(private_emu: Emulator, raw: httpx2.Client) -> None:
    ok1, bad, ok2 = uid(), uid(), uid()
    body = {"batch": [
        {"type": "person", "identifiers": {"id": ok1}, "action": "identify", "attributes": {"a": 1}},
        {"type": "person", "identifiers": {"id": bad}, "action": "identify", "attributes": {"bio": "x" * 1001}},
        {"type": "person", "identifiers": {"id": ok2}, "action": "event", "name": "e" * 101},
        {"type": "person", "identifiers": {"id": ok2}, "action": "identify"},
    ]}
    r = raw.post("/api/v2/batch", json=body)
    assert r.status_code == 207
    assert [(e["batch_index"], e["field"], e["reason"]) for e in r.json()["errors"]] == [
        (1, "attributes.bio", "value_too_long"), (2, "name", "name_too_long"),
    ]
    assert private_emu.store.query("SELECT id FROM people WHERE id IN (?, ?, ?) ORDER BY id", (ok1, bad, ok2)) == sorted(
        [{"id": ok1}, {"id": ok2}], key=lambda r: r["id"]
    )


def test_per_item_errors_from_the_api_map_back_to_input_indexes() -> None:
    # Item 1 fails our own check, so the request holds items 0, 2, 3: the API's batch_index 1 is input 2.
    answer = {"errors": [{"batch_index": 1, "reason": "rejected", "field": "identifiers", "message": "nope"}]}
    with ScriptedServer(Action(207, answer)) as server, TrackClient("s", "k", base_url=server.url) as client:
        result = client.v2.batch([
            v2.person_identify(id="a"), v2.person_identify(id=""), v2.person_identify(id="c"),
            v2.person_identify(id="d"),
        ])
    assert [(e.index, e.source) for e in result.errors] == [(1, "client"), (2, "api")]
    assert (result.errors[1].field, result.errors[1].message) == ("identifiers", "nope")
    assert (result.sent, result.delivered) == (3, 2)
    assert [i["identifiers"]["id"] for i in orjson.loads(server.seen[0].body)["batch"]] == ["a", "c", "d"]


def test_a_rejected_chunk_is_reported_and_later_chunks_still_go() -> None:
    big = "x" * 30_000
    items = [v2.person_identify(id=f"p{i}", attributes={f"k{j}": big[:900] for j in range(30)}) for i in range(40)]
    error = {"errors": [{"reason": "invalid", "field": "batch", "message": "bad chunk"}]}
    with ScriptedServer(Action(400, error)) as server, TrackClient("s", "k", base_url=server.url, retry=FAST) as client:
        result = client.v2.batch(items)
    assert result.requests == len(server.seen) >= 2
    first_chunk = len(orjson.loads(server.seen[0].body)["batch"])
    assert result.failed_indexes == list(range(first_chunk))
    assert result.delivered == 40 - first_chunk


def test_batches_of_events_are_retried_with_the_same_ids() -> None:
    items = [v2.person_event(id="a", name="e", idempotency_key="order-1"), v2.person_identify(id="a")]
    with ScriptedServer(Action(503), Action(200)) as server, TrackClient("s", "k", base_url=server.url,
                                                                         retry=FAST) as client:
        assert client.v2.batch(items).ok
    assert len(server.seen) == 2 and server.seen[0].body == server.seen[1].body
    assert orjson.loads(server.seen[0].body)["batch"][0]["id"] == event_id_for("order-1")


def test_delivery_metrics_are_not_blindly_retried() -> None:
    # A delivery event has no dedupe id: a 503 after it may have been counted is not re-sent.
    with (
        ScriptedServer(Action(503), Action(200)) as server,
        TrackClient("s", "k", base_url=server.url, retry=FAST) as client,
        pytest.raises(ServerError),
    ):
        client.v2.batch([v2.delivery_event(delivery_id="d", name="opened", device_token="t")])
    assert len(server.seen) == 1


def test_event_ids_are_ulids_and_keys_are_stable(track: TrackClient, emulator: Emulator) -> None:
    pid, name = uid(), uid("ev")
    item = v2.person_event(id=pid, name=name, idempotency_key=f"{name}-1")
    assert is_ulid(item["id"]) and item["id"] == v2.person_event(id=pid, name=name, idempotency_key=f"{name}-1")["id"]
    track.v2.batch([item])
    track.v2.batch([item])  # a re-run of the same load
    sent = track.v2.entity(v2.person_event(id=pid, name=name))
    assert is_ulid(sent["id"])
    assert len(emulator.store.events(name=name)) == 2


def test_items_must_be_an_iterable(track: TrackClient) -> None:
    with pytest.raises(ValidationError, match="iterable"):
        track.v2.batch(v2.person_identify(id="a"))  # type: ignore[arg-type]
