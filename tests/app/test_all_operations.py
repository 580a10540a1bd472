"""Every App API operation through the client against the emulator (seed "demo").

Each answer must be 2xx (the client raises otherwise) and its body must validate against the
spec's response schema for that status; answers are captured at the HTTP layer with an httpx
event hook, so what is checked is exactly what the client received.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from cio_toolkit._exceptions import BadRequestError, CustomerIOError
from cio_toolkit._serialize import loads
from cio_toolkit.app import AppClient
from cio_toolkit.app.filters import attr, object_attr, segment
from cio_toolkit.emulator._validate import shared_validator
from cio_toolkit.specs import operations

from ._local import RoutedServer

ALL_OPS = {op["operationId"] for _, _, op in operations("app_api")}


class Recorder:
    """Collects (operationId, status, body) of every answer the client receives."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, int, Any]] = []
        self.validator = shared_validator("app_api")

    def hook(self, response: Any) -> None:
        response.read()
        request = response.request
        found = self.validator.match(request.method, request.url.path)
        if found is None:
            return  # the export file download: not an API operation
        body = loads(response.content) if response.content else None
        self.answers.append((found[0], response.status_code, body))

    def first_accepted(self, candidates: list[Any], call: Any) -> Any:
        """``call(c)`` for each candidate until one is accepted; refusals (400) are not kept as problems."""
        for c in candidates:
            before = len(self.answers)
            try:
                return call(c)
            except BadRequestError:
                del self.answers[before:]
        raise Missing("no template of the demo seed was accepted")

    def problems(self) -> list[str]:
        out = []
        for op_id, status, body in self.answers:
            if not 200 <= status < 300:
                out.append(f"{op_id}: HTTP {status} {str(body)[:200]}")
                continue
            for err in self.validator.validate_response(op_id, status, body)[:3]:
                out.append(f"{op_id}: {err}")
        return out


@pytest.fixture
def recorded(app: AppClient) -> Iterator[tuple[AppClient, Recorder]]:
    rec = Recorder()
    app._transport.client.event_hooks["response"].append(rec.hook)
    yield app, rec


class Missing(Exception):
    """The demo seed lacks something a section needs."""


def first(items: Any, what: str, key: str = "id") -> Any:
    for item in items:
        if isinstance(item, dict) and item.get(key) is not None:
            return item[key]
    raise Missing(f"the demo seed has no {what}")


def _s00(app: AppClient, ctx: dict[str, Any]) -> None:
    """Workspace-level information."""
    tag = ctx["tag"]
    app.workspaces.list().to_list()
    app.info.ip_addresses()
    app.subscription_center.topics()
    app.data_index.update_attributes(attributes=[{"name": f"plan_{tag}"}])
    app.data_index.update_events(events=[{"name": f"event_{tag}"}])


def _s01(app: AppClient, ctx: dict[str, Any]) -> None:
    """People."""
    people = app.customers.search(filter=attr("email").exists(), limit=5)
    person = next(iter(people))
    customer_id = person.get("id") or person["cio_id"]
    id_type = "id" if person.get("id") else "cio_id"
    email = person.get("email")
    if email:
        app.customers.find(email=email).to_list()
    else:
        app.customers.find(email="nobody@example.com").to_list()
    app.customers.attributes(customer_id=customer_id, id_type=id_type)
    app.customers.relationships(customer_id=customer_id).to_list()
    app.customers.get_many(ids=[str(customer_id)]).to_list()
    app.customers.segments(customer_id=customer_id, id_type=id_type).to_list()
    app.customers.messages(customer_id=customer_id, id_type=id_type, limit=5)
    app.customers.activities(customer_id=customer_id, id_type=id_type, limit=5)
    app.customers.subscription_preferences(customer_id=customer_id, id_type=id_type)
    app.activities.list(limit=5)
    ctx.update(customer_id=customer_id, id_type=id_type, email=email)


def _s02(app: AppClient, ctx: dict[str, Any]) -> None:
    """Segments."""
    tag = ctx["tag"]
    segments = app.segments.list().to_list()
    seg_id = first(segments, "segment")
    app.segments.get(segment_id=seg_id)
    app.segments.used_by(segment_id=seg_id)
    app.segments.customer_count(segment_id=seg_id)
    app.segments.members(segment_id=seg_id, limit=5)
    ctx["segment_id"] = seg_id
    manual = app.segments.create(name=f"manual {tag}")
    app.segments.delete(segment_id=manual["id"])


def _s03(app: AppClient, ctx: dict[str, Any]) -> None:
    """Campaigns and their actions."""
    tag = ctx["tag"]
    campaigns = app.campaigns.list().to_list()
    campaign_id = ctx["campaign_id"] = first(campaigns, "campaign")
    app.campaigns.get(campaign_id=campaign_id)
    app.campaigns.metrics(campaign_id=campaign_id, version="2", res="days", start=1700000000, end=1700864000)
    app.campaigns.link_metrics(campaign_id=campaign_id, period="days", steps=7).to_list()
    app.campaigns.messages(campaign_id=campaign_id, limit=5)
    app.campaigns.journey_metrics(campaign_id=campaign_id, start=1700000000, end=1700864000, res="days")
    actions = app.campaigns.actions.list(campaign_id=campaign_id).to_list()
    action = next(a for a in actions if a.get("id") is not None)
    action_id = action["id"]
    language = action.get("language") or "fr"
    app.campaigns.actions.get(campaign_id=campaign_id, action_id=action_id)
    app.campaigns.actions.update(campaign_id=campaign_id, action_id=action_id, subject=f"Hello {tag}")
    app.campaigns.actions.update_translation(campaign_id=campaign_id, action_id=action_id, language=language,
                                             subject=f"Bonjour {tag}")
    app.campaigns.actions.get_translation(campaign_id=campaign_id, action_id=action_id, language=language)
    app.campaigns.actions.metrics(campaign_id=campaign_id, action_id=action_id, version="1", period="days")
    app.campaigns.actions.link_metrics(campaign_id=campaign_id, action_id=action_id).to_list()


def _s04(app: AppClient, ctx: dict[str, Any]) -> None:
    """Broadcasts: trigger one, then read its trigger."""
    tag, customer_id = ctx["tag"], ctx["customer_id"]
    broadcasts = app.broadcasts.list().to_list()
    broadcast_id = first(broadcasts, "broadcast")
    app.broadcasts.get(broadcast_id=broadcast_id)
    app.broadcasts.metrics(broadcast_id=broadcast_id, period="days", steps=7)
    app.broadcasts.link_metrics(broadcast_id=broadcast_id).to_list()
    app.broadcasts.messages(broadcast_id=broadcast_id, limit=5)
    b_actions = app.broadcasts.actions.list(broadcast_id=broadcast_id).to_list()
    b_action = next(a for a in b_actions if a.get("id") is not None)
    b_language = b_action.get("language") or "fr"
    app.broadcasts.actions.get(broadcast_id=broadcast_id, action_id=b_action["id"])
    app.broadcasts.actions.update(broadcast_id=broadcast_id, action_id=b_action["id"], subject=f"News {tag}")
    app.broadcasts.actions.update_translation(broadcast_id=broadcast_id, action_id=b_action["id"],
                                              language=b_language, subject=f"Nouvelles {tag}")
    app.broadcasts.actions.get_translation(broadcast_id=broadcast_id, action_id=b_action["id"], language=b_language)
    app.broadcasts.actions.metrics(broadcast_id=broadcast_id, action_id=b_action["id"])
    app.broadcasts.actions.link_metrics(broadcast_id=broadcast_id, action_id=b_action["id"]).to_list()
    trigger = app.send.broadcast(broadcast_id=broadcast_id, ids=[str(customer_id)], data={"tag": tag},
                                 id_ignore_missing=True)
    app.broadcasts.triggers.list(broadcast_id=broadcast_id).to_list()
    app.broadcasts.triggers.get(broadcast_id=broadcast_id, trigger_id=trigger["id"])
    app.broadcasts.triggers.errors(broadcast_id=broadcast_id, trigger_id=trigger["id"]).to_list()


def _s05(app: AppClient, ctx: dict[str, Any]) -> None:
    """Transactional templates and sends."""
    tag, customer_id, id_type, email = ctx["tag"], ctx["customer_id"], ctx["id_type"], ctx["email"]
    templates = app.transactional.list().to_list()
    tx_id = first(templates, "transactional message")
    app.transactional.get(transactional_id=tx_id)
    contents = app.transactional.contents(transactional_id=tx_id).to_list()
    content = next(c for c in contents if c.get("id") is not None)
    tx_language = content.get("language") or "fr"
    app.transactional.update_content(transactional_id=tx_id, content_id=content["id"], subject=f"Receipt {tag}")
    app.transactional.update_translation(transactional_id=tx_id, language=tx_language, subject=f"Reçu {tag}")
    app.transactional.get_translation(transactional_id=tx_id, language=tx_language)
    app.transactional.metrics(transactional_id=tx_id, period="days")
    app.transactional.link_metrics(transactional_id=tx_id).to_list()
    app.transactional.messages(transactional_id=tx_id, limit=5)
    # Each send needs a template with content of its channel; the content listing does not always say
    # which (SMS content is listed with type "email"), so try the templates until one is accepted.
    ident = {id_type: str(customer_id)}
    app.send.email(transactional_message_id=tx_id, to=email or f"{tag}@example.com", identifiers=ident,
                   message_data={"tag": tag})
    ids = [t["id"] for t in templates]
    ctx["rec"].first_accepted(ids, lambda i: app.send.push(transactional_message_id=i, identifiers=ident, to="all"))
    ctx["rec"].first_accepted(ids, lambda i: app.send.sms(transactional_message_id=i, to="+15555550100",
                                                          identifiers=ident))


def _s06(app: AppClient, ctx: dict[str, Any]) -> None:
    """Messages."""
    messages = app.messages.list(limit=5)
    message_id = first(messages.items, "message (after the sends above)")
    app.messages.get(message_id=message_id)
    app.messages.archived(message_id=message_id)


def _s07(app: AppClient, ctx: dict[str, Any]) -> None:
    """Newsletters."""
    tag = ctx["tag"]
    newsletters = app.newsletters.list(limit=10).to_list()
    newsletter_id = ctx["newsletter_id"] = first(newsletters, "newsletter")
    app.newsletters.get(newsletter_id=newsletter_id)
    app.newsletters.metrics(newsletter_id=newsletter_id, period="days")
    app.newsletters.link_metrics(newsletter_id=newsletter_id).to_list()
    app.newsletters.messages(newsletter_id=newsletter_id, limit=5)
    groups = app.newsletters.test_groups(newsletter_id=newsletter_id).to_list()
    n_contents = app.newsletters.contents.list(newsletter_id=newsletter_id).to_list()
    n_content = next(c for c in n_contents if c.get("id") is not None)
    n_language = n_content.get("language") or "fr"
    app.newsletters.contents.get(newsletter_id=newsletter_id, content_id=n_content["id"])
    app.newsletters.contents.update(newsletter_id=newsletter_id, content_id=n_content["id"], subject=f"N {tag}")
    app.newsletters.contents.metrics(newsletter_id=newsletter_id, content_id=n_content["id"])
    app.newsletters.contents.link_metrics(newsletter_id=newsletter_id, content_id=n_content["id"]).to_list()
    app.newsletters.contents.update_translation(newsletter_id=newsletter_id, language=n_language, subject=f"T {tag}")
    app.newsletters.contents.get_translation(newsletter_id=newsletter_id, language=n_language)
    group_id = str(first(groups, "newsletter test group"))
    app.newsletters.contents.update_test_translation(newsletter_id=newsletter_id, test_group_id=group_id,
                                                     language=n_language, subject=f"G {tag}")
    app.newsletters.contents.get_test_translation(newsletter_id=newsletter_id, test_group_id=group_id,
                                                  language=n_language)


def _s08(app: AppClient, ctx: dict[str, Any]) -> None:
    """Exports and imports."""
    tag, seg_id, campaign_id = ctx["tag"], ctx.get("segment_id", 1), ctx.get("campaign_id", 1)
    exp = app.exports.create_customers(filters=segment(seg_id))
    app.exports.create_deliveries(campaign_id=campaign_id)
    app.exports.list().to_list()
    app.exports.get(export_id=exp["id"])
    app.exports.fetch("customers", filters=segment(seg_id), poll_interval=0.05, timeout=30)
    # The emulator reads the import file: serve it locally (tests never leave 127.0.0.1).
    csv = f"id,email,plan\nimp-{tag},imp-{tag}@example.com,pro\n".encode()
    with RoutedServer(lambda m, p, h, b: (200, {"Content-Type": "text/csv"}, csv)) as files:
        imp = app.imports.create(name=f"import {tag}", data_file_url=f"{files.url}/people.csv", type="people",
                                 identifier="id")
        app.imports.get(import_id=imp["id"])


def _s09(app: AppClient, ctx: dict[str, Any]) -> None:
    """Content: snippets, collections."""
    tag = ctx["tag"]
    app.snippets.upsert(name=f"snippet_{tag}", value="<p>Bye</p>")
    app.snippets.list().to_list()
    app.snippets.delete(snippet_name=f"snippet_{tag}")
    coll = app.collections.create(name=f"coll_{tag}", data=[{"sku": "a1", "price": 3}])
    app.collections.list().to_list()
    app.collections.get(collection_id=coll["id"])
    app.collections.update(collection_id=coll["id"], name=f"coll_{tag}_2", data=[{"sku": "a2"}])
    app.collections.update_contents(collection_id=coll["id"], contents={"items": [{"sku": "a3"}]})
    app.collections.contents(collection_id=coll["id"])
    app.collections.delete(collection_id=coll["id"])


def _s10(app: AppClient, ctx: dict[str, Any]) -> None:
    """Sender identities, ESP suppression."""
    tag = ctx["tag"]
    senders = app.sender_identities.list().to_list()
    sender_id = first(senders, "sender identity")
    app.sender_identities.get(sender_id=sender_id)
    app.sender_identities.used_by(sender_id=sender_id)
    address = f"bounce-{tag}@example.com"
    app.esp_suppression.add(suppression_type="bounces", email_address=address)
    app.esp_suppression.search(email_address=address)
    app.esp_suppression.list(suppression_type="bounces", limit=10).to_list()
    app.esp_suppression.remove(suppression_type="bounces", email_address=address)


def _s11(app: AppClient, ctx: dict[str, Any]) -> None:
    """Objects."""
    types = app.objects.types().to_list()
    type_id = str(first(types, "object type"))
    found = app.objects.search(object_type_id=type_id, filter=object_attr("name", type_id=type_id).exists(),
                               limit=5)
    obj = next(iter(found), None)
    object_id = str((obj or {}).get("object_id") or "missing")
    app.objects.attributes(object_type_id=int(type_id), object_id=object_id)
    app.objects.relationships(object_type_id=int(type_id), object_id=object_id).to_list()


def _s12(app: AppClient, ctx: dict[str, Any]) -> None:
    """Reporting webhooks."""
    tag = ctx["tag"]
    hook = app.reporting_webhooks.create(name=f"wh {tag}", endpoint="http://127.0.0.1:9/hook", events=["email_sent"])
    app.reporting_webhooks.list().to_list()
    app.reporting_webhooks.get(webhook_id=hook["id"])
    app.reporting_webhooks.update(webhook_id=hook["id"], name=f"wh {tag} 2", endpoint="http://127.0.0.1:9/h2",
                                  events=["email_opened"])
    app.reporting_webhooks.delete(webhook_id=hook["id"])


def _s13(app: AppClient, ctx: dict[str, Any]) -> None:
    """Destructive last: the newsletter goes away."""
    app.newsletters.delete(newsletter_id=ctx["newsletter_id"])


SECTIONS = [_s00, _s01, _s02, _s03, _s04, _s05, _s06, _s07, _s08, _s09, _s10, _s11, _s12, _s13]


def test_every_operation_answers_2xx_and_validates(recorded):
    """Run every section; one failing section does not hide the operations of the others."""
    app, rec = recorded
    ctx: dict[str, Any] = {"tag": uuid.uuid4().hex[:8], "rec": rec}
    aborted = []
    for section in SECTIONS:
        try:
            section(app, ctx)
        except (CustomerIOError, Missing, KeyError, StopIteration) as exc:
            aborted.append(f"{section.__doc__} stopped: {type(exc).__name__}: {str(exc)[:200]}")
    called = {op_id for op_id, _, _ in rec.answers}
    report = [*rec.problems(), *aborted]
    if called != ALL_OPS:
        report.append(f"never called ({len(ALL_OPS - called)}): {sorted(ALL_OPS - called)}")
    assert not report, "\n".join(report)
