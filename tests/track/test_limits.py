"""Every documented Track limit, at its bound and one byte over: our client refuses before
sending (naming the field and the limit), and the emulator answers 400 naming the field."""

from __future__ import annotations

from typing import Any

import httpx2
import orjson
import pytest

from cio_toolkit import _constants as C
from cio_toolkit._exceptions import PayloadTooLargeError, ValidationError
from cio_toolkit.emulator import Emulator
from cio_toolkit.track import TrackClient, v2
from cio_toolkit.track.v2 import normalize_item

from .._errors import error_fields
from .conftest import uid

EVENT_ID = "01HZZZZZZZZZZZZZZZZZZZZZZZ"


def sized(prefix: str, n: int) -> str:
    """A string of exactly ``n`` UTF-8 bytes starting with ``prefix``, filled with 2-byte characters."""
    rest = n - len(prefix.encode())
    return prefix + "é" * (rest // 2) + "x" * (rest % 2)


def data_of_size(n: int) -> dict[str, str]:
    """Event data whose JSON is exactly ``n`` bytes."""
    return {"k": "x" * (n - len(b'{"k":""}'))}


def person_count(emulator: Emulator, person_id: str) -> int:
    return len(emulator.store.query("SELECT pk FROM people WHERE id = ?", (person_id,)))


# ---------------------------------------------------------------- id: 150 bytes


def test_id_at_150_bytes_is_sent_and_151_refused(track: TrackClient, emulator: Emulator) -> None:
    at = sized(uid("id") + "-", C.TRACK_MAX_ID_BYTES)
    assert len(at.encode()) == 150 and len(at) < 150  # bytes, not characters, are what counts
    track.customers.identify(id=at, attributes={"plan": "free"})
    assert person_count(emulator, at) == 1
    with pytest.raises(ValidationError) as info:
        track.customers.identify(id=at + "x", attributes={"plan": "free"})
    assert (info.value.field, info.value.limit, info.value.actual) == ("id", 150, 151)
    assert "150 bytes" in str(info.value)
    assert person_count(emulator, at + "x") == 0


def test_emulator_answers_400_for_a_151_byte_id(raw: httpx2.Client) -> None:
    at = sized(uid("id") + "-", 150)
    assert raw.put(f"/api/v1/customers/{at}", json={"a": "b"}).status_code == 200
    r = raw.put(f"/api/v1/customers/{at}x", json={"a": "b"})
    assert r.status_code == 400
    assert error_fields(r)[0] == "path.identifier"


def test_v2_person_id_over_150_bytes_is_reported_in_a_batch(track: TrackClient) -> None:
    ok_id = sized(uid("v2id") + "-", 150)
    result = track.v2.batch([v2.person_identify(id=ok_id), v2.person_identify(id=ok_id + "x")])
    assert [(e.index, e.field, e.reason) for e in result.errors] == [(1, "identifiers.id", "too_long")]
    assert result.delivered == 1


# ---------------------------------------------------------------- attribute name: 150 bytes


def test_attribute_name_at_150_bytes_and_over(track: TrackClient, emulator: Emulator) -> None:
    person = uid()
    name = sized("n", 150)
    track.customers.identify(id=person, attributes={name: "v"})
    stored = emulator.store.query("SELECT attributes FROM people WHERE id = ?", (person,))[0]["attributes"]
    assert stored[name] == "v"
    with pytest.raises(ValidationError) as info:
        track.customers.identify(id=person, attributes={name + "x": "v"})
    assert info.value.field == f"attributes.{name}x"
    assert (info.value.limit, info.value.actual) == (150, 151)


def test_emulator_rejects_a_151_byte_attribute_name(raw: httpx2.Client) -> None:
    name = sized("n", 151)
    r = raw.put(f"/api/v1/customers/{uid()}", json={name: "v"})
    assert r.status_code == 400
    assert error_fields(r)[0] == f"body.{name}"


# ---------------------------------------------------------------- attribute value: 1000 bytes


def test_attribute_value_at_1000_bytes_and_over(track: TrackClient, emulator: Emulator) -> None:
    person = uid()
    track.customers.identify(id=person, attributes={"bio": sized("", 1000)})
    assert len(emulator.store.query("SELECT attributes FROM people WHERE id = ?", (person,))[0]["attributes"]["bio"]) == 500
    with pytest.raises(ValidationError) as info:
        track.customers.identify(id=person, attributes={"bio": sized("", 1001)})
    assert (info.value.field, info.value.limit, info.value.actual) == ("attributes.bio", 1000, 1001)


def test_v2_attribute_value_measured_as_json(track: TrackClient) -> None:
    # A nested value counts by its serialized size.
    assert len(orjson.dumps(["x" * 996])) == 1000
    item_ok = v2.person_identify(id=uid(), attributes={"tags": ["x" * 996]})  # exactly 1000 bytes
    item_over = v2.person_identify(id=uid(), attributes={"tags": ["x" * 997]})
    result = track.v2.batch([item_ok, item_over])
    assert [(e.index, e.field, e.reason) for e in result.errors] == [(1, "attributes.tags", "value_too_long")]


def test_emulator_rejects_a_1001_byte_value(raw: httpx2.Client) -> None:
    r = raw.put(f"/api/v1/customers/{uid()}", json={"bio": "x" * 1001})
    assert r.status_code == 400
    assert error_fields(r)[0] == "body.bio"
    assert "1000 bytes" in r.json()["meta"]["errors"][0]


# ---------------------------------------------------------------- 300 attributes


def test_300_attributes_pass_and_301_fail(track: TrackClient, emulator: Emulator) -> None:
    person = uid()
    track.customers.identify(id=person, attributes={f"a{i}": i for i in range(300)})
    assert len(emulator.store.query("SELECT attributes FROM people WHERE id = ?", (person,))[0]["attributes"]) == 300
    with pytest.raises(ValidationError) as info:
        track.customers.identify(id=person, attributes={f"a{i}": i for i in range(301)})
    assert (info.value.field, info.value.limit, info.value.actual) == ("attributes", 300, 301)


def test_created_at_counts_as_an_attribute_like_the_api_counts_it(track: TrackClient) -> None:
    track.customers.identify(id=uid(), attributes={f"a{i}": i for i in range(299)}, created_at=1700000000)
    with pytest.raises(ValidationError) as info:
        track.customers.identify(id=uid(), attributes={f"a{i}": i for i in range(300)}, created_at=1700000000)
    assert info.value.limit == 300


def test_emulator_rejects_301_attributes(raw: httpx2.Client) -> None:
    r = raw.put(f"/api/v1/customers/{uid()}", json={f"a{i}": i for i in range(301)})
    assert r.status_code == 400
    assert "300" in r.json()["meta"]["errors"][0]


# ---------------------------------------------------------------- event name: 100 bytes


def test_event_name_at_100_bytes_and_over(track: TrackClient, emulator: Emulator) -> None:
    person = uid()
    name = sized(uid("ev"), 100)
    track.events.track(id=person, name=name)
    assert len(emulator.store.events(name=name)) == 1
    with pytest.raises(ValidationError) as info:
        track.events.track(id=person, name=name + "x")
    assert (info.value.field, info.value.limit, info.value.actual) == ("name", 100, 101)
    with pytest.raises(ValidationError):
        track.events.track_anonymous(anonymous_id=uid(), name=name + "x")


def test_emulator_rejects_a_101_byte_event_name(raw: httpx2.Client) -> None:
    r = raw.post(f"/api/v1/customers/{uid()}/events", json={"name": "e" * 101})
    assert r.status_code == 400
    assert error_fields(r)[0] == "body.name"
    assert raw.post("/api/v1/events", json={"name": "e" * 100}).status_code == 200


# ---------------------------------------------------------------- event data: 100,000 bytes


def test_event_data_at_100000_bytes_and_over(track: TrackClient, emulator: Emulator) -> None:
    name = uid("big")
    track.events.track(id=uid(), name=name, data=data_of_size(100_000))
    assert len(emulator.store.events(name=name)) == 1
    with pytest.raises(ValidationError) as info:
        track.events.track(id=uid(), name=name, data=data_of_size(100_001))
    assert (info.value.field, info.value.limit, info.value.actual) == ("data", 100_000, 100_001)


def test_emulator_rejects_event_data_over_100000_bytes(raw: httpx2.Client) -> None:
    r = raw.post("/api/v1/events", json={"name": "e", "data": data_of_size(100_001)})
    assert r.status_code == 400
    assert error_fields(r)[0] == "body.data"
    assert raw.post("/api/v1/events", json={"name": "e", "data": data_of_size(100_000)}).status_code == 200


# ---------------------------------------------------------------- /entity: 32 KB


def entity_of_size(n: int, person: str) -> dict[str, Any]:
    """A v2 event item whose wire form is exactly ``n`` bytes."""
    def make(pad: int) -> dict[str, Any]:
        return v2.person_event(id=person, name="pad", event_id=EVENT_ID, timestamp=1700000000,
                               attributes={"pad": "x" * pad})

    base = len(normalize_item(make(0), limit=10**9)[1] or b"")
    item = make(n - base)
    assert len(normalize_item(item, limit=10**9)[1] or b"") == n
    return item


def test_entity_at_32kb_is_sent_and_one_byte_more_refused(track: TrackClient, emulator: Emulator) -> None:
    person = uid()
    track.v2.entity(entity_of_size(C.TRACK_V2_MAX_ENTITY_BYTES, person))
    assert emulator.store.query("SELECT pk FROM people WHERE id = ?", (person,))
    with pytest.raises(PayloadTooLargeError) as info:
        track.v2.entity(entity_of_size(C.TRACK_V2_MAX_ENTITY_BYTES + 1, person))
    assert (info.value.limit, info.value.actual) == (32 * 1024, 32 * 1024 + 1)


def test_emulator_rejects_an_entity_over_32kb(raw: httpx2.Client) -> None:
    at = orjson.dumps(entity_of_size(32 * 1024, uid()))
    assert raw.post("/api/v2/entity", content=at, headers={"content-type": "application/json"}).status_code == 200
    over = orjson.dumps(entity_of_size(32 * 1024 + 1, uid()))
    r = raw.post("/api/v2/entity", content=over, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["reason"] == "request_too_large"


def test_a_batch_item_over_32kb_is_reported_not_sent(track: TrackClient) -> None:
    result = track.v2.batch([entity_of_size(32 * 1024 + 1, uid()), v2.person_identify(id=uid())])
    assert [(e.index, e.reason) for e in result.errors] == [(0, "request_too_large")]
    assert result.delivered == 1


# ---------------------------------------------------------------- /batch: 500 KB


def batch_items(total_body: int, person: str) -> list[dict[str, Any]]:
    """Items whose single /batch body would be exactly ``total_body`` bytes: 49 of 10,000 bytes and a remainder."""
    overhead = len(b'{"batch":[]}') + 49  # brackets and 49 commas between 50 items
    last = total_body - overhead - 49 * 10_000
    return [entity_of_size(10_000, person) for _ in range(49)] + [entity_of_size(last, person)]


def test_batch_at_500kb_is_one_request_and_one_byte_more_is_two(track: TrackClient) -> None:
    person = uid()
    at = track.v2.batch(batch_items(C.TRACK_V2_MAX_BATCH_BYTES, person))
    assert (at.requests, at.bytes_sent, at.delivered, at.ok) == (1, 500 * 1024, 50, True)
    over = track.v2.batch(batch_items(C.TRACK_V2_MAX_BATCH_BYTES + 1, person))
    assert (over.requests, over.delivered, over.ok) == (2, 50, True)
    assert over.bytes_sent <= 2 * 500 * 1024


def test_emulator_rejects_a_batch_over_500kb(raw: httpx2.Client) -> None:
    body = orjson.dumps({"batch": batch_items(500 * 1024 + 1, uid())})
    assert len(body) == 500 * 1024 + 1
    r = raw.post("/api/v2/batch", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["reason"] == "request_too_large"


def test_v2_attribute_count_and_object_id_limits(track: TrackClient, emulator: Emulator) -> None:
    org = sized(uid("org") + "-", 150)
    result = track.v2.batch([
        v2.person_identify(id=uid(), attributes={f"a{i}": i for i in range(300)}),
        v2.person_identify(id=uid(), attributes={f"a{i}": i for i in range(301)}),
        v2.object_identify(object_type_id="1", object_id=org, attributes={"plan": "team"}),
        v2.object_identify(object_type_id="1", object_id=org + "x"),
        v2.person_add_relationships(id=uid(), cio_relationships=[v2.object_relationship(
            object_type_id="1", object_id=org, relationship_attributes={sized("r", 151): "v"})]),
    ])
    assert [(e.index, e.field, e.reason) for e in result.errors] == [
        (1, "attributes", "too_many_attributes"),
        (3, "identifiers.object_id", "too_long"),
        (4, f"cio_relationships[0].relationship_attributes.{sized('r', 151)}", "name_too_long"),
    ]
    assert emulator.store.query("SELECT attributes FROM objects WHERE object_id = ?", (org,)) == [
        {"attributes": {"plan": "team"}}
    ]


def test_pipelines_calls_and_track_items_share_one_per_call_size_rule() -> None:
    from cio_toolkit._wire import call_limit, oversize
    from cio_toolkit.pipelines import build_call, encode_call

    over = C.TRACK_V2_MAX_ENTITY_BYTES + 1
    _, _, [issue] = normalize_item(entity_of_size(over, uid()), limit=call_limit("track"))
    assert (issue.reason, issue.limit, issue.actual) == ("request_too_large", call_limit("track"), over)
    assert issue.message == oversize(over, call_limit("track"), "the person event item")
    call = build_call("track", user_id="u", event="e", message_id="m", properties={"k": "x" * call_limit("pipelines")})
    with pytest.raises(PayloadTooLargeError) as info:
        encode_call(call)
    size = info.value.actual
    assert size > call_limit("pipelines") and info.value.limit == call_limit("pipelines")
    assert info.value.message == oversize(size, call_limit("pipelines"), "track call (messageId m)")
