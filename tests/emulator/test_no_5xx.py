"""Regressions of the fuzz test (test_fuzz.py): each input once answered 5xx or off its schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from cio_toolkit.emulator import Emulator
from tests._errors import error_fields

from ._util import app_headers, pipelines_auth, track_auth

BEYOND_64_BITS = 50818780750322829359356837888


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(log=False, rate_limits=False, seed="demo") as emulator:
        yield emulator


@pytest.fixture(scope="module")
def client(emu: Emulator) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=emu.url, timeout=10) as c:
        yield c


def _app(emu: Emulator, client: httpx2.Client, method: str, path: str, **kw: Any) -> httpx2.Response:
    return client.request(method, path, headers=app_headers(emu), **kw)


def _fields(response: httpx2.Response) -> list[str]:
    return error_fields(response)


@pytest.mark.parametrize("path", ["/v1/segments/{}", "/v1/segments/{}/customer_count",
                                  "/v1/segments/{}/membership", "/v1/segments/{}/used_by"])
@pytest.mark.parametrize("segment_id", [BEYOND_64_BITS, 2**63, -(2**63) - 1])
def test_an_app_path_id_beyond_64_bits_is_not_found(emu: Emulator, client: httpx2.Client, path: str,
                                                    segment_id: int) -> None:
    r = _app(emu, client, "GET", path.format(segment_id))
    assert r.status_code == 404 and _fields(r) == ["path.segment_id"]


def test_deleting_a_segment_beyond_64_bits_is_not_found(emu: Emulator, client: httpx2.Client) -> None:
    assert _app(emu, client, "DELETE", f"/v1/segments/{2**63}").status_code == 404


@pytest.mark.parametrize("action", ["add_customers", "remove_customers"])
def test_a_track_path_id_beyond_64_bits_is_answered_as_an_unknown_one(emu: Emulator, client: httpx2.Client,
                                                                      action: str) -> None:
    def add(segment_id: int) -> httpx2.Response:
        return client.post(f"/api/v1/segments/{segment_id}/{action}", auth=track_auth(emu), json={"ids": ["u1001"]})

    unknown = add(99999)
    assert unknown.status_code == 404
    assert (add(-919431766143258344966813673238560768).status_code, add(2**63).text) == (404, unknown.text)


@pytest.mark.parametrize(("path", "field"), [
    ("/v1/messages?campaign_id=542381222716619945410560", "query.campaign_id"),
    ("/v1/campaigns/1/messages?end_ts=1016039037043431964672", "query.end_ts"),
])
def test_a_filter_beyond_64_bits_is_refused(emu: Emulator, client: httpx2.Client, path: str, field: str) -> None:
    r = _app(emu, client, "GET", path)
    assert r.status_code == 400 and _fields(r) == [field]


def test_a_body_id_beyond_64_bits_is_refused(emu: Emulator, client: httpx2.Client) -> None:
    r = _app(emu, client, "POST", "/v1/exports/deliveries", json={"action_id": 2**63})
    assert r.status_code == 400 and _fields(r) == ["body.action_id"]


@pytest.mark.parametrize(("path", "field"), [
    ("/v1/campaigns/1/metrics?version=2&end=99999999999999", "query.end"),
    ("/v1/campaigns/1/metrics?version=2&start=-5383680673356108&end=27132169", "query.start"),
    ("/v1/campaigns/1/journey_metrics?res=days&start=-5383680673356108&end=27132169", "query.start"),
    ("/v1/campaigns/1/journey_metrics?res=monthly&start=1&end=99999999999999", "query.end"),
])
def test_metrics_times_no_calendar_has_are_refused(emu: Emulator, client: httpx2.Client, path: str,
                                                   field: str) -> None:
    r = _app(emu, client, "GET", path)
    assert r.status_code == 400 and _fields(r) == [field]


@pytest.mark.parametrize(("strict", "status"), [(True, 400), (False, 200)])
def test_a_batch_item_without_a_type_is_refused_alone(emu: Emulator, client: httpx2.Client, strict: bool,
                                                      status: int) -> None:
    mark = f"nt{int(strict)}"
    batch = [{"type": "track", "userId": f"{mark}-a", "event": "Before", "messageId": f"{mark}-1"},
             {"userId": f"{mark}-b", "messageId": ""},
             {"type": "identify", "userId": f"{mark}-c", "traits": {"plan": "pro"}},
             {"userId": f"{mark}-b", "type": {}}]
    r = client.post("/v1/batch", auth=pipelines_auth(emu), headers={"X-Strict-Mode": "1"} if strict else {},
                    json={"batch": batch})
    assert r.status_code == status
    if strict:
        assert _fields(r) == ["body.batch[1].type", "body.batch[3].type"]
    else:
        dropped = [d["errors"][0].split(":")[0] for d in client.get("/_emulator/dropped").json()[-2:]]
        assert dropped == ["body.batch[1].type", "body.batch[3].type"]
    assert [e["name"] for e in emu.store.events() if e["message_id"] == f"{mark}-1"] == ["Before"]
    assert emu.store.find_person(id=f"{mark}-c") is not None and emu.store.find_person(id=f"{mark}-b") is None


def _identifiers_email(emu: Emulator, client: httpx2.Client, customer_id: str) -> Any:
    r = _app(emu, client, "GET", f"/v1/customers/{customer_id}/attributes")
    return r.json()["customer"]["identifiers"]["email"]


@pytest.mark.parametrize(("person", "email"), [("em-1", "COM1"), ("em-3", "a@@b"), ("em-4", "with space@example.com")])
def test_only_a_valid_email_becomes_the_identifier(emu: Emulator, client: httpx2.Client, person: str,
                                                   email: str) -> None:
    assert client.put(f"/api/v1/customers/{person}", auth=track_auth(emu), json={"email": email}).status_code == 200
    assert client.post(f"/api/v1/customers/{person}/events", auth=track_auth(emu), json={"name": "x"}).status_code == 200
    assert _identifiers_email(emu, client, person) is None
    activity = _app(emu, client, "GET", f"/v1/customers/{person}/activities").json()["activities"][0]
    assert activity["customer_identifiers"]["email"] is None
    assert _app(emu, client, "GET", "/v1/customers", params={"email": email}).json()["results"] == []
    client.put(f"/api/v1/customers/{person}", auth=track_auth(emu), json={"email": f"{person}@example.com"})
    assert _identifiers_email(emu, client, person) == f"{person}@example.com"


@pytest.mark.parametrize(("person", "email"), [("em-5", "COM1"), ("em-6", "")])
def test_a_pipelines_trait_email_that_is_no_address_is_not_the_identifier(
    emu: Emulator, client: httpx2.Client, person: str, email: str
) -> None:
    r = client.post("/v1/identify", auth=pipelines_auth(emu), headers={"X-Strict-Mode": "1"},
                    json={"type": "identify", "userId": person, "traits": {"email": email}})
    assert r.status_code == 200
    assert _identifiers_email(emu, client, person) is None
    client.post("/v1/identify", auth=pipelines_auth(emu), headers={"X-Strict-Mode": "1"},
                json={"type": "identify", "userId": person, "traits": {"email": f"{person}@example.com"}})
    assert _identifiers_email(emu, client, person) == f"{person}@example.com"


def test_a_transactional_send_to_an_identifier_that_is_no_email_is_refused(
    emu: Emulator, client: httpx2.Client
) -> None:
    r = _app(emu, client, "POST", "/v1/send/email", json={
        "transactional_message_id": 1, "identifiers": {"email": "A \u001a!"}, "to": "x@example.com"})
    assert r.status_code == 400 and _fields(r) == ["body.identifiers.email"]
    assert _app(emu, client, "GET", "/v1/customers", params={"email": "A \u001a!"}).json()["results"] == []


@pytest.mark.parametrize("path", ["/v1/campaigns/1/actions/1", "/v1/campaigns/1/actions/1/language/de"])
def test_an_action_update_its_shape_cannot_hold_is_refused(emu: Emulator, client: httpx2.Client, path: str) -> None:
    before = _app(emu, client, "GET", path).json()["action"]
    r = _app(emu, client, "PUT", path, json={"reply_to_id": "COM1"})
    assert r.status_code == 400 and _fields(r) == ["body.reply_to_id"]
    assert _app(emu, client, "GET", path).json()["action"] == before
