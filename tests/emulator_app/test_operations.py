"""Every one of the 115 App API operations against the demo-seeded emulator, over real HTTP.

Each case sends a request built from the spec's path (ids taken from the seeded workspace through
the list operations), expects the documented status and checks the answer validates against
app_api.json (see ``AppHTTP.call``); most also check a fact about the seeded data.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx2
import pytest

from cio_toolkit.specs import operations

from .conftest import AppHTTP

ALL_OPS = sorted(op["operationId"] for _, _, op in operations("app_api"))
CASES: dict[str, Callable[[AppHTTP, Seeded], None]] = {}


def case(*ops: str) -> Callable[[Callable[[AppHTTP, Seeded], None]], Callable[[AppHTTP, Seeded], None]]:
    def register(fn: Callable[[AppHTTP, Seeded], None]) -> Callable[[AppHTTP, Seeded], None]:
        for op in ops:
            CASES[op] = fn
        return fn

    return register


@dataclass
class Seeded:
    campaign: int
    campaign_action: int
    broadcast: int
    broadcast_action: int
    trigger: int
    newsletter: int
    content: int
    test_group: str
    transactional: int
    tx_content: int
    person_id: str
    person_email: str
    message_id: str


@pytest.fixture(scope="module")
def seeded(app: AppHTTP) -> Seeded:
    campaign = app.get("/v1/campaigns")["campaigns"][0]["id"]
    action = app.get(f"/v1/campaigns/{campaign}/actions")["actions"][0]["id"]
    broadcast = app.get("/v1/broadcasts")["broadcasts"][0]["id"]
    b_action = app.get(f"/v1/broadcasts/{broadcast}/actions")["actions"][0]["id"]
    trigger = app.get(f"/v1/broadcasts/{broadcast}/triggers")["triggers"][0]["id"]
    newsletter = app.get("/v1/newsletters")["newsletters"][0]["id"]
    content = app.get(f"/v1/newsletters/{newsletter}/contents")["contents"][0]["id"]
    group = app.get(f"/v1/newsletters/{newsletter}/test_groups")["test_groups"][0]["id"]
    tx = app.get("/v1/transactional")["messages"][0]["id"]
    tx_content = app.get(f"/v1/transactional/{tx}/contents")["contents"][0]["id"]
    people = app.call("POST", "/v1/customers", json={"filter": {"attribute": {"field": "email", "operator": "exists"}}},
                      params={"limit": 1}).json()
    person = people["identifiers"][0]
    message = app.get("/v1/messages", params={"limit": 1})["messages"][0]["id"]
    return Seeded(campaign, action, broadcast, b_action, trigger, newsletter, content, str(group), tx, tx_content,
                  person["id"], person["email"], message)


def test_every_operation_has_a_case() -> None:
    assert len(ALL_OPS) == 115
    assert sorted(CASES) == ALL_OPS


@pytest.mark.parametrize("op", ALL_OPS)
def test_operation(op: str, app: AppHTTP, seeded: Seeded) -> None:
    CASES[op](app, seeded)


# --- customers and activities ------------------------------------------------------------------------


@case("getPeopleEmail")
def _(app: AppHTTP, s: Seeded) -> None:
    found = app.get("/v1/customers", params={"email": s.person_email.upper()})["results"]
    assert [p["id"] for p in found] == [s.person_id]


@case("getPeopleFilter")
def _(app: AppHTTP, s: Seeded) -> None:
    body = {"filter": {"and": [{"segment": {"id": 3}}, {"not": {"attribute": {"field": "plan", "operator": "eq",
                                                                               "value": "pro"}}}]}}
    first = app.call("POST", "/v1/customers", json=body, params={"limit": 5}).json()
    assert len(first["identifiers"]) == 5 and first["next"]
    everyone = app.call("POST", "/v1/customers", json=body, params={"limit": 1000}).json()["ids"]
    enterprise = app.call("POST", "/v1/customers", params={"limit": 1000}, json={
        "filter": {"attribute": {"field": "plan", "operator": "eq", "value": "enterprise"}}}).json()["ids"]
    assert sorted(everyone) == sorted(enterprise)


@case("getPersonAttributes")
def _(app: AppHTTP, s: Seeded) -> None:
    customer = app.get(f"/v1/customers/{s.person_id}/attributes")["customer"]
    assert customer["identifiers"]["email"] == s.person_email
    assert customer["attributes"]["plan"] in ("free", "pro", "enterprise")
    by_email = app.get(f"/v1/customers/{s.person_email}/attributes", params={"id_type": "email"})["customer"]
    assert by_email["identifiers"] == customer["identifiers"]
    app.call("GET", "/v1/customers/nobody-here/attributes", expect=404)


@case("getPersonRelationships")
def _(app: AppHTTP, s: Seeded) -> None:
    people = app.call("POST", "/v1/customers", params={"limit": 100},
                      json={"filter": {"attribute": {"field": "plan", "operator": "exists"}}}).json()["ids"]
    related = [app.get(f"/v1/customers/{pid}/relationships")["cio_relationships"] for pid in people[:10]]
    assert any(r and r[0]["object_type_id"] == 1 for r in related)


@case("getPeopleById")
def _(app: AppHTTP, s: Seeded) -> None:
    found = app.call("POST", "/v1/customers/attributes", json={"ids": [s.person_id, "nobody-here"]}).json()
    assert [c["customer"]["id"] for c in found["customers"]] == [s.person_id]


@case("getPersonSegments")
def _(app: AppHTTP, s: Seeded) -> None:
    mine = {seg["id"] for seg in app.get(f"/v1/customers/{s.person_id}/segments")["segments"]}
    expected = {seg["id"] for seg in app.get("/v1/segments")["segments"]
                if s.person_id in app.get(f"/v1/segments/{seg['id']}/membership")["ids"]}
    assert mine == expected and mine


@case("getPersonMessages")
def _(app: AppHTTP, s: Seeded) -> None:
    messages = app.get(f"/v1/customers/{s.person_id}/messages", params={"limit": 5})["messages"]
    assert all(m["customer_id"] == s.person_id for m in messages)


@case("getPersonActivities")
def _(app: AppHTTP, s: Seeded) -> None:
    acts = app.get(f"/v1/customers/{s.person_id}/activities", params={"limit": 20})["activities"]
    assert acts and all(a["customer_identifiers"]["id"] == s.person_id for a in acts)
    assert [a["timestamp"] for a in acts] == sorted((a["timestamp"] for a in acts), reverse=True)


@case("getPersonSubscriptionPreferences")
def _(app: AppHTTP, s: Seeded) -> None:
    prefs = app.get(f"/v1/customers/{s.person_id}/subscription_preferences")["customer"]
    assert [t["id"] for t in prefs["topics"]] == ["topic_1", "topic_2", "topic_3"]


@case("listActivities")
def _(app: AppHTTP, s: Seeded) -> None:
    page = app.get("/v1/activities", params={"type": "opened_email", "limit": 10})
    assert len(page["activities"]) == 10 and page["next"]
    assert {a["type"] for a in page["activities"]} == {"opened_email"}
    nxt = app.get("/v1/activities", params={"type": "opened_email", "limit": 10, "start": page["next"]})
    assert not {a["id"] for a in nxt["activities"]} & {a["id"] for a in page["activities"]}
    events = app.get("/v1/activities", params={"type": "event", "name": "purchase", "limit": 5})["activities"]
    assert events and all(a["type"] == "event" and a["name"] == "purchase" for a in events)


# --- segments ----------------------------------------------------------------------------------------


@case("listSegments")
def _(app: AppHTTP, s: Seeded) -> None:
    segments = {seg["name"]: seg for seg in app.get("/v1/segments")["segments"]}
    assert segments["VIP customers"]["type"] == "manual" and segments["Pro plan"]["type"] == "dynamic"


@case("createManSegment", "deleteManSegment")
def _(app: AppHTTP, s: Seeded) -> None:
    created = app.call("POST", "/v1/segments", json={"segment": {"name": "Test segment", "description": "x"}}).json()
    sid = created["segment"]["id"]
    assert created["segment"]["type"] == "manual"
    app.call("DELETE", f"/v1/segments/{sid}", expect=204)
    app.call("GET", f"/v1/segments/{sid}", expect=404)
    app.call("DELETE", "/v1/segments/1", expect=400)  # data-driven segments are not deletable


@case("getSegment")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get("/v1/segments/6")["segment"]["name"] == "VIP customers"


@case("getSegmentDependencies")
def _(app: AppHTTP, s: Seeded) -> None:
    used = app.get("/v1/segments/8/used_by")["used_by"]
    assert 2 in used["campaigns"] and 1 in used["sent_newsletters"]


@case("getSegmentCount")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get("/v1/segments/6/customer_count")["count"] == 20


@case("getSegmentMembership")
def _(app: AppHTTP, s: Seeded) -> None:
    page = app.get("/v1/segments/7/membership", params={"limit": 20})
    rest = app.get("/v1/segments/7/membership", params={"limit": 20, "start": page["next"]})
    assert len(page["identifiers"]) == 20 and len(rest["identifiers"]) == 10 and rest["next"] == ""


# --- objects and data index --------------------------------------------------------------------------


@case("getObjectTypes")
def _(app: AppHTTP, s: Seeded) -> None:
    assert [t["name"] for t in app.get("/v1/object_types")["types"]][:2] == ["Companies", "Projects"]


@case("getObjectsFilter")
def _(app: AppHTTP, s: Seeded) -> None:
    body = {"object_type_id": "1", "filter": {"or": [
        {"object_attribute": {"field": "name", "operator": "eq", "value": "Acme", "type_id": "1"}},
        {"object_attribute": {"field": "name", "operator": "eq", "value": "Globex", "type_id": "1"}}]}}
    found = app.call("POST", "/v1/objects", json=body).json()
    assert sorted(found["ids"]) == ["acme", "globex"]


@case("getObjectRelationships")
def _(app: AppHTTP, s: Seeded) -> None:
    related = app.get("/v1/objects/1/acme/relationships", params={"limit": 1000})["cio_relationships"]
    assert all(r["object_type_id"] == "1" for r in related)


@case("getObjectAttributes")
def _(app: AppHTTP, s: Seeded) -> None:
    obj = app.get("/v1/objects/1/acme/attributes")["object"]
    assert obj["attributes"]["name"] == "Acme"
    cio = obj["identifiers"]["cio_object_id"]
    again = app.get(f"/v1/objects/1/{cio}/attributes", params={"id_type": "cio_object_id"})["object"]
    assert again["attributes"] == obj["attributes"]


@case("updateAttributeMetadata")
def _(app: AppHTTP, s: Seeded) -> None:
    app.call("POST", "/v1/data_index/attributes", expect=204,
             json={"attributes": [{"name": "plan", "description": "Billing plan", "privacy_level": 0}]})


@case("updateEventMetadata")
def _(app: AppHTTP, s: Seeded) -> None:
    app.call("POST", "/v1/data_index/events", expect=204, json={"events": [{"name": "purchase", "description": "x"}]})


# --- campaigns ---------------------------------------------------------------------------------------


@case("listCampaigns")
def _(app: AppHTTP, s: Seeded) -> None:
    campaigns = app.get("/v1/campaigns")["campaigns"]
    assert {c["type"] for c in campaigns} >= {"event", "segment", "date"}


@case("getCampaigns")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/campaigns/{s.campaign}")["campaign"]["id"] == s.campaign
    app.call("GET", "/v1/campaigns/999999", expect=404)


@case("campaignMetrics")
def _(app: AppHTTP, s: Seeded) -> None:
    v1 = app.get(f"/v1/campaigns/{s.campaign}/metrics", params={"version": "1", "period": "days", "steps": 30})
    assert len(v1["metric"]["series"]["sent"]) == 30 and sum(v1["metric"]["series"]["sent"]) > 0
    end = int(time.time())
    v2 = app.get(f"/v1/campaigns/{s.campaign}/metrics",
                 params={"version": "2", "res": "weeks", "start": end - 35 * 86400, "end": end, "tz": "Europe/Berlin"})
    assert 5 <= len(v2["metric"]["series"]["delivered"]) <= 7


@case("campaignLinkMetrics")
def _(app: AppHTTP, s: Seeded) -> None:
    links = app.get(f"/v1/campaigns/{s.campaign}/metrics/links", params={"period": "days", "steps": 30})["links"]
    assert links and sum(sum(lk["metric"]["series"]["clicked"]) for lk in links) > 0


@case("listCampaignActions")
def _(app: AppHTTP, s: Seeded) -> None:
    actions = app.get(f"/v1/campaigns/{s.campaign}/actions")["actions"]
    assert [a["campaign_id"] for a in actions] == [s.campaign] * len(actions)


@case("getCampaignMessages")
def _(app: AppHTTP, s: Seeded) -> None:
    page = app.get(f"/v1/campaigns/{s.campaign}/messages", params={"limit": 5, "metric": "opened"})
    assert len(page["messages"]) == 5 and all("opened" in m["metrics"] for m in page["messages"])


@case("getCampaignAction")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/campaigns/{s.campaign}/actions/{s.campaign_action}")["action"]["id"] == s.campaign_action


@case("updateCampaignAction")
def _(app: AppHTTP, s: Seeded) -> None:
    path = f"/v1/campaigns/{s.campaign}/actions/{s.campaign_action}"
    app.call("PUT", path, json={"subject": "Updated subject", "headers": [{"name": "X-Test", "value": "1"}]})
    assert app.get(path)["action"]["subject"] == "Updated subject"


@case("getCampaignActionTranslation")
def _(app: AppHTTP, s: Seeded) -> None:
    fr = app.get(f"/v1/campaigns/{s.campaign}/actions/{s.campaign_action}/language/fr")["action"]
    assert fr["language"] == "fr"
    app.call("GET", f"/v1/campaigns/{s.campaign}/actions/{s.campaign_action}/language/xx", expect=404)


@case("updateCampaignActionTranslation")
def _(app: AppHTTP, s: Seeded) -> None:
    path = f"/v1/campaigns/{s.campaign}/actions/{s.campaign_action}/language/de"
    app.call("PUT", path, json={"body": "<p>Hallo</p>"})
    assert app.get(path)["action"]["body"] == "<p>Hallo</p>"


@case("campaignActionMetrics")
def _(app: AppHTTP, s: Seeded) -> None:
    series = app.get(f"/v1/campaigns/{s.campaign}/actions/{s.campaign_action}/metrics",
                     params={"version": "1", "period": "hours", "steps": 24})["metric"]["series"]
    assert len(series["sent"]) == 24


@case("campaignActionLinks")
def _(app: AppHTTP, s: Seeded) -> None:
    links = app.get(f"/v1/campaigns/{s.campaign}/actions/{s.campaign_action}/metrics/links")["links"]
    assert {lk["link"]["href"] for lk in links} >= {"https://acme.example/help"}


@case("campaignJourneyMetrics")
def _(app: AppHTTP, s: Seeded) -> None:
    end = int(time.time())
    journey = app.get(f"/v1/campaigns/{s.campaign}/journey_metrics",
                      params={"start": end - 30 * 86400, "end": end, "res": "days"})["journey_metric"]
    assert sum(journey["started"]) > 0
    assert [a + b for a, b in zip(journey["activated"], journey["never_activated"], strict=True)] == journey["started"]


# --- broadcasts and triggers -------------------------------------------------------------------------


@case("listBroadcasts")
def _(app: AppHTTP, s: Seeded) -> None:
    assert {b["state"] for b in app.get("/v1/broadcasts")["broadcasts"]} == {"running", "draft"}


@case("getBroadcast")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/broadcasts/{s.broadcast}")["broadcast"]["type"] == "triggered_broadcast"


@case("broadcastStatus")
def _(app: AppHTTP, s: Seeded) -> None:
    status = app.get(f"/v1/campaigns/{s.broadcast}/triggers/{s.trigger}")
    assert status["broadcast_id"] == s.broadcast and status["processed_at"] >= status["created_at"]


@case("broadcastErrors")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/campaigns/{s.broadcast}/triggers/{s.trigger}/errors")["errors"] == []


@case("listBroadcastTriggers")
def _(app: AppHTTP, s: Seeded) -> None:
    assert s.trigger in [t["id"] for t in app.get(f"/v1/broadcasts/{s.broadcast}/triggers")["triggers"]]


@case("broadcastMetrics")
def _(app: AppHTTP, s: Seeded) -> None:
    series = app.get(f"/v1/broadcasts/{s.broadcast}/metrics", params={"period": "days", "steps": 30})["metric"]["series"]
    assert sum(series["sent"]) > 0


@case("broadcastLinks")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/broadcasts/{s.broadcast}/metrics/links", params={"unique": "true"})["links"]


@case("broadcastActions")
def _(app: AppHTTP, s: Seeded) -> None:
    actions = app.get(f"/v1/broadcasts/{s.broadcast}/actions")["actions"]
    assert [a["broadcast_id"] for a in actions] == [s.broadcast] * len(actions)


@case("broadcastMessages")
def _(app: AppHTTP, s: Seeded) -> None:
    page = app.get(f"/v1/broadcasts/{s.broadcast}/messages", params={"limit": 3, "state": "sent"})
    assert len(page["messages"]) == 3 and all(m["broadcast_id"] == s.broadcast for m in page["messages"])


@case("getBroadcastAction")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/broadcasts/{s.broadcast}/actions/{s.broadcast_action}")["action"]["id"] == s.broadcast_action


@case("updateBroadcastAction")
def _(app: AppHTTP, s: Seeded) -> None:
    path = f"/v1/broadcasts/{s.broadcast}/actions/{s.broadcast_action}"
    app.call("PUT", path, json={"preheader_text": "Now with more"})
    assert app.get(path)["action"]["preheader_text"] == "Now with more"


@case("getBroadcastActionLanguage")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/broadcasts/{s.broadcast}/actions/{s.broadcast_action}/language/de")["action"]["language"] == "de"


@case("updateBroadcastActionLanguage")
def _(app: AppHTTP, s: Seeded) -> None:
    path = f"/v1/broadcasts/{s.broadcast}/actions/{s.broadcast_action}/language/fr"
    app.call("PUT", path, json={"subject": "Voici Acme 4.0"})
    assert app.get(path)["action"]["subject"] == "Voici Acme 4.0"


@case("broadcastActionMetrics")
def _(app: AppHTTP, s: Seeded) -> None:
    series = app.get(f"/v1/broadcasts/{s.broadcast}/actions/{s.broadcast_action}/metrics",
                     params={"period": "weeks", "steps": 6})["metric"]["series"]
    assert len(series["opened"]) == 6


@case("broadcastActionLinks")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/broadcasts/{s.broadcast}/actions/{s.broadcast_action}/metrics/links")["links"]


@case("triggerBroadcast")
def _(app: AppHTTP, s: Seeded) -> None:
    trigger = app.call("POST", f"/v1/campaigns/{s.broadcast}/triggers",
                       json={"ids": [s.person_id, "nobody-here"], "data": {"promo": "X"}}).json()["id"]
    errors = app.get(f"/v1/campaigns/{s.broadcast}/triggers/{trigger}/errors")["errors"]
    assert errors == ["no person with id 'nobody-here'"]
    app.call("POST", "/v1/campaigns/999999/triggers", json={}, expect=404)


# --- send messages and messages ----------------------------------------------------------------------


@case("sendEmail")
def _(app: AppHTTP, s: Seeded) -> None:
    sent = app.call("POST", "/v1/send/email", json={
        "transactional_message_id": s.transactional, "to": s.person_email,
        "identifiers": {"id": s.person_id}, "message_data": {"token": "abc"}}).json()
    assert app.get(f"/v1/messages/{sent['delivery_id']}")["message"]["recipient"] == s.person_email


@case("sendPush")
def _(app: AppHTTP, s: Seeded) -> None:
    sent = app.call("POST", "/v1/send/push", json={"transactional_message_id": 4, "to": "last_used",
                                                   "identifiers": {"id": s.person_id}, "title": "Hi"}).json()
    assert app.get(f"/v1/messages/{sent['delivery_id']}")["message"]["type"] == "push"


@case("sendSMS")
def _(app: AppHTTP, s: Seeded) -> None:
    sent = app.call("POST", "/v1/send/sms", json={"transactional_message_id": "login_code", "to": "+15550001111",
                                                  "identifiers": {"id": s.person_id},
                                                  "message_data": {"code": "123456"}}).json()
    archived = app.get(f"/v1/messages/{sent['delivery_id']}/archived_message")["archived_message"]
    assert archived["body"] == "Your Acme login code is 123456"


@case("listMessages")
def _(app: AppHTTP, s: Seeded) -> None:
    page = app.get("/v1/messages", params={"newsletter_id": s.newsletter, "limit": 10})
    assert len(page["messages"]) == 10 and {m["newsletter_id"] for m in page["messages"]} == {s.newsletter}
    drafts = app.get("/v1/messages", params={"drafts": "true", "limit": 10})["messages"]
    assert all("drafted" in m["metrics"] for m in drafts)


@case("getMessage")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/messages/{s.message_id}")["message"]["id"] == s.message_id
    app.call("GET", "/v1/messages/not-a-delivery", expect=404)


@case("getArchivedMessage")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/messages/{s.message_id}/archived_message")["archived_message"]["id"] == s.message_id


# --- transactional -----------------------------------------------------------------------------------


@case("listTransactional")
def _(app: AppHTTP, s: Seeded) -> None:
    assert next(m["name"] for m in app.get("/v1/transactional")["messages"]) == "password_reset"


@case("getTransactional")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/transactional/{s.transactional}")["message"]["id"] == s.transactional


@case("listTransactionalVariants")
def _(app: AppHTTP, s: Seeded) -> None:
    contents = app.get(f"/v1/transactional/{s.transactional}/contents")["contents"]
    assert {c["language"] for c in contents} >= {"", "fr"}


@case("updateTransactional")
def _(app: AppHTTP, s: Seeded) -> None:
    path = f"/v1/transactional/{s.transactional}/content/{s.tx_content}"
    updated = app.call("PUT", path, json={"preheader_text": "Reset it now"}).json()["content"][0]
    assert updated["preheader_text"] == "Reset it now"
    contents = app.get(f"/v1/transactional/{s.transactional}/contents")["contents"]
    assert any(c["preheader_text"] == "Reset it now" for c in contents)


@case("getTransactionalVariant")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/transactional/{s.transactional}/language/fr")["content"][0]["language"] == "fr"


@case("updateTransactionalVariant")
def _(app: AppHTTP, s: Seeded) -> None:
    app.call("PUT", f"/v1/transactional/{s.transactional}/language/es", json={"subject": "Restablece tu contraseña"})
    assert app.get(f"/v1/transactional/{s.transactional}/language/es")["content"][0]["subject"] == (
        "Restablece tu contraseña")


@case("transactionalMetrics")
def _(app: AppHTTP, s: Seeded) -> None:
    series = app.get(f"/v1/transactional/{s.transactional}/metrics", params={"period": "days", "steps": 45})
    assert len(series["metric"]["series"]["sent"]) == 45


@case("transactionalLinks")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/transactional/{s.transactional}/metrics/links")["links"]


@case("transactionalMessages")
def _(app: AppHTTP, s: Seeded) -> None:
    messages = app.get(f"/v1/transactional/{s.transactional}/messages", params={"limit": 5})["messages"]
    assert len(messages) == 5


# --- newsletters -------------------------------------------------------------------------------------


@case("listNewsletters")
def _(app: AppHTTP, s: Seeded) -> None:
    first = app.get("/v1/newsletters", params={"limit": 2})
    rest = app.get("/v1/newsletters", params={"limit": 2, "start": first["next"]})
    assert len(first["newsletters"]) == 2 and rest["newsletters"]


@case("getNewsletters")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/newsletters/{s.newsletter}")["newsletter"]["sent_at"] > 0


@case("deletetNewsletters")
def _(app: AppHTTP, s: Seeded) -> None:
    drafts = [n["id"] for n in app.get("/v1/newsletters")["newsletters"] if "sent_at" not in n]
    app.call("DELETE", f"/v1/newsletters/{drafts[-1]}", expect=204)
    app.call("GET", f"/v1/newsletters/{drafts[-1]}", expect=404)


@case("getNewsletterMetrics")
def _(app: AppHTTP, s: Seeded) -> None:
    series = app.get(f"/v1/newsletters/{s.newsletter}/metrics", params={"period": "days", "steps": 30})
    assert sum(series["metric"]["series"]["delivered"]) > 100


@case("getNewsletterLinks")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/newsletters/{s.newsletter}/metrics/links")["links"]


@case("listNewsletterVariants")
def _(app: AppHTTP, s: Seeded) -> None:
    contents = app.get(f"/v1/newsletters/{s.newsletter}/contents")["contents"]
    assert {c["language"] for c in contents} == {"", "fr"}


@case("getNewsletterMsgMeta")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/newsletters/{s.newsletter}/messages", params={"limit": 3})["messages"]


@case("getNewsletterVariant")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/newsletters/{s.newsletter}/contents/{s.content}")["content"]["id"] == s.content


@case("updateNewsletterVariant")
def _(app: AppHTTP, s: Seeded) -> None:
    path = f"/v1/newsletters/{s.newsletter}/contents/{s.content}"
    app.call("PUT", path, json={"subject": "A better subject"})
    assert app.get(path)["content"]["subject"] == "A better subject"


@case("getNewsletterVariantTranslation")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/newsletters/{s.newsletter}/language/fr")["content"]["language"] == "fr"


@case("updateNewsletterVariantTranslation")
def _(app: AppHTTP, s: Seeded) -> None:
    path = f"/v1/newsletters/{s.newsletter}/language/fr"
    content_id = app.call("PUT", path, json={"preheader_text": "Nouveautés"}).json()["content"]["id"]
    assert app.get(f"/v1/newsletters/{s.newsletter}/contents/{content_id}")["content"]["preheader_text"] == "Nouveautés"


@case("getNewsletterTestGroups")
def _(app: AppHTTP, s: Seeded) -> None:
    groups = app.get(f"/v1/newsletters/{s.newsletter}/test_groups")["test_groups"]
    assert [g["label"] for g in groups] == ["A", "B"] and sum(g["winner"] for g in groups) == 1


@case("getNewsletterVariantTranslationTest")
def _(app: AppHTTP, s: Seeded) -> None:
    content = app.get(f"/v1/newsletters/{s.newsletter}/test_group/{s.test_group}/language/fr")["content"]
    group = app.get(f"/v1/newsletters/{s.newsletter}/test_groups")["test_groups"][0]
    assert str(content["id"]) in group["content_ids"]


@case("updateNewsletterTestTranslation")
def _(app: AppHTTP, s: Seeded) -> None:
    path = f"/v1/newsletters/{s.newsletter}/test_group/{s.test_group}/language/fr"
    app.call("PUT", path, json={"subject": "Quoi de neuf"})
    assert app.get(path)["content"]["subject"] == "Quoi de neuf"


@case("getVariantMetrics")
def _(app: AppHTTP, s: Seeded) -> None:
    series = app.get(f"/v1/newsletters/{s.newsletter}/contents/{s.content}/metrics", params={"steps": 30})
    assert sum(series["metric"]["series"]["sent"]) > 0


@case("getVariantLinks")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get(f"/v1/newsletters/{s.newsletter}/contents/{s.content}/metrics/links")["links"]


# --- exports and imports -----------------------------------------------------------------------------


@case("exportPeopleData", "getExport", "downloadExport", "listExports")
def _(app: AppHTTP, s: Seeded) -> None:
    export = app.call("POST", "/v1/exports/customers", json={"filters": {"segment": {"id": 6}}}).json()["export"]
    assert export["status"] == "pending"
    done = app.get(f"/v1/exports/{export['id']}")["export"]
    assert done["status"] == "done" and done["total"] == 20
    url = app.get(f"/v1/exports/{export['id']}/download")["url"]
    rows = gzip.decompress(httpx2.get(url).content).decode().splitlines()
    assert rows[0].startswith("id,email,cio_id,") and len(rows) == 21
    assert export["id"] in [e["id"] for e in app.get("/v1/exports")["exports"]]


@case("exportDeliveriesData")
def _(app: AppHTTP, s: Seeded) -> None:
    export = app.call("POST", "/v1/exports/deliveries", json={
        "newsletter_id": s.newsletter, "metric": "opened", "attributes": ["plan"]}).json()["export"]
    done = app.get(f"/v1/exports/{export['id']}")["export"]
    url = app.get(f"/v1/exports/{export['id']}/download")["url"]
    lines = gzip.decompress(httpx2.get(url).content).decode().splitlines()
    assert lines[0].split(",")[-1] == "plan" and len(lines) == done["total"] + 1 > 1


@case("import", "getImport")
def _(app: AppHTTP, s: Seeded) -> None:
    created = app.call("POST", "/v1/imports", json={"import": {
        "name": "unreachable", "data_file_url": "http://127.0.0.1:9/people.csv", "type": "people",
        "identifier": "id"}}).json()["import"]
    assert created["state"] == "preprocessing"
    assert app.get(f"/v1/imports/{created['id']}")["import"]["state"] == "failed"


# --- ESP suppression, info, workspaces ---------------------------------------------------------------


@case("getSuppressionByType")
def _(app: AppHTTP, s: Seeded) -> None:
    page = app.get("/v1/esp/suppression/bounces", params={"limit": 3, "offset": 0})
    assert page["category"] == "bounces" and len(page["suppressions"]) == 3


@case("getSuppression", "postSuppression", "deleteSuppression")
def _(app: AppHTTP, s: Seeded) -> None:
    address = "someone.blocked@example.com"
    app.call("POST", f"/v1/esp/suppression/spam_reports/{address}")
    assert app.get(f"/v1/esp/search_suppression/{address}")["category"] == "spam"
    app.call("DELETE", f"/v1/esp/suppression/spam_reports/{address}", expect=204)
    assert app.get(f"/v1/esp/search_suppression/{address}")["suppressions"] == []


@case("getCioAllowlist")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get("/v1/info/ip_addresses")["ip_addresses"]


@case("listWorkspaces")
def _(app: AppHTTP, s: Seeded) -> None:
    current = app.get("/v1/workspaces")["workspaces"][0]
    assert current["people"] >= 300 and current["messages_sent"] > 1000


# --- content -----------------------------------------------------------------------------------------


@case("listSnippets")
def _(app: AppHTTP, s: Seeded) -> None:
    assert "footer" in [sn["name"] for sn in app.get("/v1/snippets")["snippets"]]


@case("updateSnippets", "deleteSnippet")
def _(app: AppHTTP, s: Seeded) -> None:
    app.call("PUT", "/v1/snippets", json={"name": "test_snippet", "value": "v1"})
    app.call("PUT", "/v1/snippets", json={"name": "test_snippet", "value": "v2"})
    values = {sn["name"]: sn["value"] for sn in app.get("/v1/snippets")["snippets"]}
    assert values["test_snippet"] == "v2"
    app.call("DELETE", "/v1/snippets/test_snippet", expect=204)
    app.call("DELETE", "/v1/snippets/test_snippet", expect=404)
    app.call("DELETE", "/v1/snippets/footer", expect=400)  # used by seeded messages


@case("getCollections")
def _(app: AppHTTP, s: Seeded) -> None:
    assert {c["name"] for c in app.get("/v1/collections")["collections"]} >= {"upcoming_events", "store_locations"}


@case("addCollection", "getCollection", "updateCollection", "deleteCollection", "getCollectionContents",
      "updateCollectionContents")
def _(app: AppHTTP, s: Seeded) -> None:
    created = app.call("POST", "/v1/collections", json={"name": "prices", "data": [{"sku": "a", "price": 1}]}).json()
    cid = created["collection"]["id"]
    assert created["collection"]["rows"] == 1 and created["collection"]["schema"] == ["price", "sku"]
    app.call("PUT", f"/v1/collections/{cid}", json={"name": "prices_v2", "data": [{"sku": "a"}, {"sku": "b"}]})
    assert app.get(f"/v1/collections/{cid}")["collection"]["name"] == "prices_v2"
    assert app.get(f"/v1/collections/{cid}/content") == {"data": [{"sku": "a"}, {"sku": "b"}]}
    app.call("PUT", f"/v1/collections/{cid}/content", json={"currency": "EUR"})
    assert app.get(f"/v1/collections/{cid}/content") == {"currency": "EUR"}
    app.call("DELETE", f"/v1/collections/{cid}", expect=204)
    app.call("GET", f"/v1/collections/{cid}", expect=404)


@case("listSenders")
def _(app: AppHTTP, s: Seeded) -> None:
    assert [x["template_type"] for x in app.get("/v1/sender_identities")["sender_identities"]] == [
        "email", "email", "phone"]


@case("getSender")
def _(app: AppHTTP, s: Seeded) -> None:
    assert app.get("/v1/sender_identities/1")["sender_identity"]["email"] == "team@acme.example"


@case("getSenderUsage")
def _(app: AppHTTP, s: Seeded) -> None:
    usage = app.get("/v1/sender_identities/1/used_by")
    assert s.campaign in usage["campaigns"] and s.newsletter in usage["sent_newsletters"]


@case("getTopics")
def _(app: AppHTTP, s: Seeded) -> None:
    assert [t["identifier"] for t in app.get("/v1/subscription_topics")["topics"]] == ["topic_1", "topic_2", "topic_3"]


# --- reporting webhooks ------------------------------------------------------------------------------


@case("listWebhooks", "createWebhook", "getWebhook", "updateWebhook", "deleteWebhook")
def _(app: AppHTTP, s: Seeded) -> None:
    hook = {"name": "Test", "endpoint": "https://example.com/hook", "events": ["email_sent", "email_opened"]}
    created = app.call("POST", "/v1/reporting_webhooks", json=hook).json()
    wid = created["id"]
    assert created["disabled"] is False
    app.call("PUT", f"/v1/reporting_webhooks/{wid}", json={**hook, "disabled": True})
    assert app.get(f"/v1/reporting_webhooks/{wid}")["disabled"] is True
    assert wid in [w["id"] for w in app.get("/v1/reporting_webhooks")["reporting_webhooks"]]
    app.call("DELETE", f"/v1/reporting_webhooks/{wid}")
    app.call("GET", f"/v1/reporting_webhooks/{wid}", expect=404)

