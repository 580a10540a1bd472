"""The App API reads what the Pipelines and Track APIs wrote, and its own writes show up everywhere.

All traffic is real HTTP to the demo-seeded emulator; people get unique ids per test.
"""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator.services.deliveries import off_delivery_event, on_delivery_event

from .conftest import AppHTTP


def identify(pipelines: httpx2.Client, user_id: str, traits: dict[str, Any]) -> None:
    response = pipelines.post("/v1/identify", json={"type": "identify", "userId": user_id, "traits": traits})
    assert response.status_code == 200, response.text


def test_person_identified_through_pipelines_is_found_with_attributes(
    app: AppHTTP, pipelines: httpx2.Client, uid: str
) -> None:
    email = f"Pat.{uid}@Example.com"
    identify(pipelines, f"pat-{uid}", {"email": email, "plan": "pro", "seats": 12, "beta": True, "team": uid})

    found = app.get("/v1/customers", params={"email": email.lower()})["results"]
    assert [(p["id"], p["email"]) for p in found] == [(f"pat-{uid}", email)]

    flt = {"and": [{"attribute": {"field": "team", "operator": "eq", "value": uid}},
                   {"attribute": {"field": "seats", "operator": "eq", "value": "12"}},
                   {"attribute": {"field": "beta", "operator": "eq", "value": "true"}},
                   {"not": {"segment": {"id": 2}}}]}
    assert app.call("POST", "/v1/customers", json={"filter": flt}).json()["ids"] == [f"pat-{uid}"]
    assert app.call("POST", "/v1/customers", json={"filter": {"or": [
        {"attribute": {"field": "team", "operator": "eq", "value": uid}},
        {"attribute": {"field": "team", "operator": "eq", "value": "nobody"}}]}}).json()["ids"] == [f"pat-{uid}"]

    customer = app.get(f"/v1/customers/pat-{uid}/attributes")["customer"]
    assert customer["attributes"]["plan"] == "pro"
    assert customer["attributes"]["seats"] == "12" and customer["attributes"]["beta"] == "true"
    # The data-driven "Pro plan" segment (id 1) now counts this person.
    assert 1 in {s["id"] for s in app.get(f"/v1/customers/pat-{uid}/segments")["segments"]}

    identify(pipelines, f"pat-{uid}", {"plan": "enterprise"})
    assert app.call("POST", "/v1/customers", json={"filter": flt}).json()["ids"] == []


def test_track_event_and_device_show_up_as_activities_and_devices(
    app: AppHTTP, track: httpx2.Client, uid: str
) -> None:
    person = f"trk-{uid}"
    assert track.put(f"/api/v1/customers/{person}", json={"email": f"{person}@example.com"}).status_code == 200
    assert track.post(f"/api/v1/customers/{person}/events",
                      json={"name": "watched_demo", "data": {"minutes": 7}}).status_code == 200
    assert track.put(f"/api/v1/customers/{person}/devices",
                     json={"device": {"id": f"tok-{uid}", "platform": "ios"}}).status_code == 200

    acts = app.get(f"/v1/customers/{person}/activities", params={"type": "event"})["activities"]
    assert [(a["name"], a["data"]["minutes"]) for a in acts] == [("watched_demo", 7)]
    devices = app.get(f"/v1/customers/{person}/attributes")["customer"]["devices"]
    assert [(d["id"], d["platform"]) for d in devices] == [(f"tok-{uid}", "ios")]


def test_manual_segment_membership_follows_track_api(app: AppHTTP, track: httpx2.Client, uid: str) -> None:
    segment = app.call("POST", "/v1/segments", json={"segment": {"name": f"seg {uid}"}}).json()["segment"]["id"]
    people = [f"m{i}-{uid}" for i in range(3)]
    for p in people:
        assert track.put(f"/api/v1/customers/{p}", json={"plan": "free"}).status_code == 200
    assert track.post(f"/api/v1/segments/{segment}/add_customers", json={"ids": people}).status_code == 200

    assert app.get(f"/v1/segments/{segment}/customer_count")["count"] == 3
    assert sorted(app.get(f"/v1/segments/{segment}/membership")["ids"]) == sorted(people)
    assert segment in {s["id"] for s in app.get(f"/v1/customers/{people[0]}/segments")["segments"]}
    filtered = app.call("POST", "/v1/customers", json={"filter": {"segment": {"id": segment}}}).json()["ids"]
    assert sorted(filtered) == sorted(people)

    assert track.post(f"/api/v1/segments/{segment}/remove_customers", json={"ids": people[:2]}).status_code == 200
    assert app.get(f"/v1/segments/{segment}/membership")["ids"] == people[2:]
    app.call("DELETE", f"/v1/segments/{segment}", expect=204)
    assert segment not in {s["id"] for s in app.get(f"/v1/customers/{people[2]}/segments")["segments"]}


def test_transactional_send_appears_in_messages_and_metrics(app: AppHTTP, pipelines: httpx2.Client, uid: str) -> None:
    def sent_today() -> int:
        series = app.get("/v1/transactional/2/metrics", params={"period": "days", "steps": 2})["metric"]["series"]
        return int(series["sent"][-1])

    before = sent_today()
    email = f"buyer-{uid}@example.com"
    identify(pipelines, f"buyer-{uid}", {"email": email, "first_name": "Robin"})
    sent = app.call("POST", "/v1/send/email", json={
        "transactional_message_id": 2, "to": email, "identifiers": {"id": f"buyer-{uid}"}}).json()

    message = app.get(f"/v1/messages/{sent['delivery_id']}")["message"]
    assert message["customer_id"] == f"buyer-{uid}" and "sent" in message["metrics"]
    person_messages = app.get(f"/v1/customers/buyer-{uid}/messages")["messages"]
    assert [m["id"] for m in person_messages] == [sent["delivery_id"]]
    assert sent["delivery_id"] in [m["id"] for m in app.get("/v1/transactional/2/messages")["messages"]]
    assert sent_today() == before + 1
    archived = app.get(f"/v1/messages/{sent['delivery_id']}/archived_message")["archived_message"]
    assert "Hi Robin," in archived["body"]  # the template's {{customer.first_name}} was rendered
    acts = app.get(f"/v1/customers/buyer-{uid}/activities", params={"type": "sent_email"})["activities"]
    assert [a["delivery_id"] for a in acts] == [sent["delivery_id"]]


def test_unknown_identifier_creates_the_person_and_suppressed_address_is_dropped(app: AppHTTP, uid: str) -> None:
    email = f"new-{uid}@example.com"
    app.call("POST", f"/v1/esp/suppression/bounces/{email}")
    sent = app.call("POST", "/v1/send/email", json={
        "to": email, "identifiers": {"email": email}, "from": "x@acme.example", "subject": "Hi", "body": "Hello",
        "disable_message_retention": True}).json()
    assert app.get("/v1/customers", params={"email": email})["results"]
    message = app.get(f"/v1/messages/{sent['delivery_id']}")["message"]
    assert "dropped" in message["metrics"] and "sent" not in message["metrics"]
    assert "bounces" in message["failure_message"]
    assert app.get(f"/v1/messages/{sent['delivery_id']}/archived_message")["archived_message"]["body"] == ""


def test_delivery_listeners_see_every_metric(app: AppHTTP, uid: str) -> None:
    seen: list[dict[str, Any]] = []

    def listener(store: Any, event: dict[str, Any]) -> None:
        seen.append(event)

    on_delivery_event(listener)
    try:
        sent = app.call("POST", "/v1/send/email", json={
            "transactional_message_id": "order_confirmation", "to": f"bounce-{uid}@example.com",
            "identifiers": {"id": f"l-{uid}"}}).json()
    finally:
        off_delivery_event(listener)
    mine = [e for e in seen if e["delivery_id"] == sent["delivery_id"]]
    # Addresses starting with "bounce" always bounce: attempted, sent, then bounced.
    assert [e["metric"] for e in mine] == ["attempted", "sent", "bounced"]
    assert {e["channel"] for e in mine} == {"email"} and mine[-1]["failure_message"]
    assert mine[0]["transactional_message_id"] == 2 and mine[0]["customer_id"] == f"l-{uid}"
    found = app.get(f"/v1/esp/search_suppression/bounce-{uid}@example.com")
    assert found["category"] == "bounces"  # the hard bounce reached the ESP's list


def test_broadcast_trigger_with_per_user_data_renders_and_counts(app: AppHTTP, pipelines: httpx2.Client,
                                                                 uid: str) -> None:
    people = [f"bc{i}-{uid}" for i in range(2)]
    for p in people:
        identify(pipelines, p, {"email": f"{p}@example.com", "phone": "+15550009999"})
    trigger = app.call("POST", "/v1/campaigns/1/triggers", json={"per_user_data": [
        {"id": people[0], "data": {"code": "A"}}, {"id": people[1], "data": {"code": "B"}},
        {"email": f"missing-{uid}@example.com"}], "email_ignore_missing": True}).json()["id"]
    status = app.get(f"/v1/campaigns/1/triggers/{trigger}")
    assert status["broadcast_id"] == 1
    assert app.get(f"/v1/campaigns/1/triggers/{trigger}/errors")["errors"] == []
    messages = app.get("/v1/broadcasts/1/messages", params={"limit": 100})["messages"]
    mine = [m for m in messages if m["customer_id"] in people]
    assert sorted(m["type"] for m in mine) == ["email", "email", "twilio", "twilio"]


def test_export_download_returns_the_people(app: AppHTTP, pipelines: httpx2.Client, uid: str) -> None:
    for i in range(3):
        identify(pipelines, f"x{i}-{uid}", {"email": f"x{i}-{uid}@example.com", "cohort": uid, "score": i})
    export = app.call("POST", "/v1/exports/customers", json={
        "filters": {"attribute": {"field": "cohort", "operator": "eq", "value": uid}}}).json()["export"]
    url = app.get(f"/v1/exports/{export['id']}/download")["url"]
    response = httpx2.get(url)
    assert response.headers["content-type"] == "application/gzip"
    lines = gzip.decompress(response.content).decode().splitlines()
    header = lines[0].split(",")
    rows = sorted(dict(zip(header, line.split(","), strict=True))["id"] for line in lines[1:])
    assert rows == [f"x{i}-{uid}" for i in range(3)]
    assert app.get(f"/v1/exports/{export['id']}")["export"]["downloads"] == 1


class _CSVServer:
    def __init__(self, files: dict[str, bytes]) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                data = files.get(self.path)
                self.send_response(200 if data is not None else 404)
                self.send_header("Content-Length", str(len(data or b"")))
                self.end_headers()
                self.wfile.write(data or b"")

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> _CSVServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_import_of_people_and_events_is_applied_and_reported(app: AppHTTP, uid: str) -> None:
    people_csv = f"id,email,plan\nimp1-{uid},imp1-{uid}@example.com,pro\nimp2-{uid},,free\n,orphan@example.com,x\n"
    events_csv = f"id,name,timestamp,amount\nimp1-{uid},refund,1700000000,12.5\n"
    with _CSVServer({"/people.csv": people_csv.encode(), "/events.csv": events_csv.encode()}) as files:
        people = app.call("POST", "/v1/imports", json={"import": {
            "name": "people", "data_file_url": f"{files.url}/people.csv", "type": "people",
            "identifier": "id"}}).json()["import"]
        events = app.call("POST", "/v1/imports", json={"import": {
            "name": "events", "data_file_url": f"{files.url}/events.csv", "type": "event",
            "identifier": "id"}}).json()["import"]
    report = app.get(f"/v1/imports/{people['id']}")["import"]
    assert (report["state"], report["rows_to_import"], report["rows_imported"]) == ("imported", 3, 2)
    errors = httpx2.get(report["error_download_url"]).text
    assert "4,id is empty" in errors
    assert app.get(f"/v1/customers/imp1-{uid}/attributes")["customer"]["attributes"]["plan"] == "pro"
    assert app.get(f"/v1/imports/{events['id']}")["import"]["rows_imported"] == 1
    acts = app.get(f"/v1/customers/imp1-{uid}/activities", params={"type": "event", "name": "refund"})["activities"]
    assert [(a["timestamp"], a["data"]["amount"]) for a in acts] == [(1700000000, "12.5")]


def test_objects_written_through_track_v2_are_searchable(app: AppHTTP, track: httpx2.Client, uid: str) -> None:
    entity = {"type": "object", "action": "identify", "identifiers": {"object_type_id": "1", "object_id": f"co-{uid}"},
              "attributes": {"name": f"Company {uid}", "tier": "gold"}}
    assert track.post("/api/v2/entity", json=entity).status_code == 200
    person = {"type": "person", "action": "identify", "identifiers": {"id": f"emp-{uid}"},
              "cio_relationships": [{"identifiers": {"object_type_id": "1", "object_id": f"co-{uid}"},
                                     "relationship_attributes": {"role": "owner"}}]}
    assert track.post("/api/v2/entity", json=person).status_code == 200

    found = app.call("POST", "/v1/objects", json={"object_type_id": "1", "filter": {"and": [
        {"object_attribute": {"field": "tier", "operator": "eq", "value": "gold", "type_id": "1"}},
        {"object_attribute": {"field": "name", "operator": "eq", "value": f"Company {uid}", "type_id": "1"}}]}}).json()
    assert found["ids"] == [f"co-{uid}"]
    related = app.get(f"/v1/objects/1/co-{uid}/relationships")["cio_relationships"]
    assert [r["identifiers"]["id"] for r in related] == [f"emp-{uid}"]
    mine = app.get(f"/v1/customers/emp-{uid}/relationships")["cio_relationships"]
    assert [(r["identifiers"]["object_id"], r["attributes"]) for r in mine] == [(f"co-{uid}", {"role": "owner"})]


def test_customer_search_pages_cover_everyone_once(app: AppHTTP) -> None:
    body = {"filter": {"attribute": {"field": "plan", "operator": "exists"}}}
    ids: list[str] = []
    start = None
    while True:
        params: dict[str, Any] = {"limit": 70}
        if start:
            params["start"] = start
        page = app.call("POST", "/v1/customers", json=body, params=params).json()
        ids += page["ids"]
        start = page["next"]
        if not start:
            break
    everyone = app.call("POST", "/v1/customers", json=body, params={"limit": 1000}).json()["ids"]
    assert ids == everyone and len(set(ids)) == len(ids) >= 300


@pytest.fixture
def strict_emu() -> Iterator[Emulator]:
    """A fresh emulator with rate limits on; invalid requests stay out of the suite log."""
    with Emulator(log=False) as emu:
        yield emu


def test_bad_cursor_and_unknown_ids_answer_clear_errors(strict_emu: Emulator) -> None:
    headers = {"Authorization": f"Bearer {strict_emu.keys.app_api_key}"}
    with httpx2.Client(base_url=strict_emu.url, headers=headers, timeout=10) as http:
        bad = http.post("/v1/customers", params={"start": "not-a-cursor"},
                        json={"filter": {"segment": {"id": 1}}})
        assert bad.status_code == 400 and bad.json()["meta"]["error"].startswith("query.start: ")
        missing = http.get("/v1/campaigns/42")
        assert missing.status_code == 404 and missing.json()["meta"]["error"].startswith("path.campaign_id: ")
