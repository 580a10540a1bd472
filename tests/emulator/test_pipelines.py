"""Pipelines identify and track against the emulator: stored, merged, deduplicated, strict vs permissive."""

from __future__ import annotations

import gzip

import httpx2
import orjson

from cio_toolkit.emulator import Emulator

from ._util import pipelines_auth


def post(
    emu: Emulator, client: httpx2.Client, op: str, body: object, strict: bool = False
) -> httpx2.Response:
    headers = {"X-Strict-Mode": "1"} if strict else {}
    return client.post(f"/v1/{op}", json=body, auth=pipelines_auth(emu), headers=headers)


def test_identify_creates_then_merges_traits_and_null_removes(emu: Emulator, client: httpx2.Client) -> None:
    r = post(
        emu,
        client,
        "identify",
        {"userId": "u1", "traits": {"email": "u1@example.com", "plan": "pro", "n": 1}},
    )
    assert r.status_code == 200 and r.json() == {}
    post(emu, client, "identify", {"userId": "u1", "traits": {"plan": None, "n": 2, "city": "Oslo"}})
    [person] = emu.store.people()
    assert person["id"] == "u1" and person["email"] == "u1@example.com"
    assert person["attributes"] == {"email": "u1@example.com", "n": 2, "city": "Oslo"}
    assert emu.store.find_person(email="u1@example.com")["cio_id"] == person["cio_id"]


def test_identify_by_anonymous_id_then_by_user_id_promotes_the_profile(
    emu: Emulator, client: httpx2.Client
) -> None:
    post(emu, client, "identify", {"anonymousId": "anon-1", "traits": {"seen": True}})
    post(emu, client, "identify", {"userId": "u2", "anonymousId": "anon-1", "traits": {"plan": "free"}})
    [person] = emu.store.people()
    assert (person["id"], person["anonymous_id"]) == ("u2", "anon-1")
    assert person["attributes"] == {"seen": True, "plan": "free"}


def test_track_stores_event_once_per_message_id(emu: Emulator, client: httpx2.Client) -> None:
    event = {
        "type": "track",
        "userId": "u3",
        "event": "Clicked",
        "messageId": "m-1",
        "properties": {"button": "buy"},
        "timestamp": "2024-05-01T12:00:00Z",
        "context": {"ip": "1.2.3.4"},
    }
    assert post(emu, client, "track", event).status_code == 200
    assert post(emu, client, "track", event).status_code == 200
    post(emu, client, "track", {**event, "messageId": "m-2"})
    events = emu.store.events()
    assert [e["message_id"] for e in events] == ["m-1", "m-2"]
    person = emu.store.find_person(id="u3")
    assert person is not None and events[0]["person_pk"] == person["pk"]
    assert events[0]["properties"] == {"button": "buy"} and events[0]["context"] == {"ip": "1.2.3.4"}
    assert events[0]["timestamp"] == 1714564800.0
    assert emu.store.counters["events_deduplicated"] == 1


def test_track_anonymous_event(emu: Emulator, client: httpx2.Client) -> None:
    post(emu, client, "track", {"type": "track", "anonymousId": "a-9", "event": "Viewed"})
    [event] = emu.store.events()
    assert event["anonymous_id"] == "a-9" and event["person_pk"] is None and event["name"] == "Viewed"


def test_invalid_body_is_dropped_with_200_unless_strict(emu: Emulator, client: httpx2.Client) -> None:
    bad = {"type": "track", "event": "NoOne"}
    r = post(emu, client, "track", bad)
    assert r.status_code == 200 and r.json() == {}
    assert emu.store.events() == [] and emu.store.counters["dropped"] == 1
    dropped = client.get("/_emulator/dropped").json()
    assert dropped[0]["operationId"] == "track" and "body.userId" in dropped[0]["errors"][0]
    r = post(emu, client, "track", bad, strict=True)
    assert r.status_code == 400
    assert r.json() == {"code": "invalid_request", "message": "body.userId: is required (or anonymousId, groupId)"}
    assert emu.store.events() == []


def test_over_32_kb_call_is_dropped_or_rejected_in_strict_mode(emu: Emulator, client: httpx2.Client) -> None:
    big = {"userId": "u4", "traits": {"blob": "x" * 33_000}}
    assert post(emu, client, "identify", big).status_code == 200
    assert emu.store.people() == []
    r = post(emu, client, "identify", big, strict=True)
    assert r.status_code == 400 and r.json()["message"].startswith("body: ") and "32768" in r.json()["message"]


def test_malformed_json_and_gzip_bodies(emu: Emulator, client: httpx2.Client) -> None:
    headers = {"content-type": "application/json", "X-Strict-Mode": "1"}
    r = client.post("/v1/identify", content=b"{not json", headers=headers, auth=pipelines_auth(emu))
    assert r.status_code == 400 and r.json()["message"].startswith("body: ")
    payload = gzip.compress(orjson.dumps({"userId": "gz", "traits": {"a": 1}}))
    r = client.post(
        "/v1/identify",
        content=payload,
        auth=pipelines_auth(emu),
        headers={**headers, "content-encoding": "gzip"},
    )
    assert r.status_code == 200
    assert emu.store.find_person(id="gz")["attributes"] == {"a": 1}


def test_not_strict_emulator_passes_invalid_requests_to_handlers() -> None:
    with Emulator(log=False, strict=False) as emu, httpx2.Client(base_url=emu.url) as client:
        r = client.post(
            "/v1/identify",
            json={"userId": "u5", "traits": "oops"},
            auth=pipelines_auth(emu),
            headers={"X-Strict-Mode": "1"},
        )
        assert r.status_code == 200
        assert emu.store.find_person(id="u5") is not None
        assert emu.requests[-1]["validation"] == ["body.traits: expected type object, got string"]
        assert emu.store.counters["invalid_accepted"] == 1


def test_page_is_handled_and_stored_as_an_event(emu: Emulator, client: httpx2.Client) -> None:
    r = post(emu, client, "page", {"type": "page", "userId": "u1", "name": "Home"}, strict=True)
    assert r.status_code == 200 and [e["type"] for e in emu.store.events()] == ["page"]
