"""The ``demo`` workspace: a small online shop ("Acme") with 30 days of messaging history.

``Emulator(seed="demo")`` / ``cio emulator --seed demo`` loads, in well under a second:

- 300 people (ids ``u1001``... , attributes such as first_name, plan, country, language,
  lifetime_value, phone), some with push devices, ~1,200 events, 25 companies (object type 1)
  and 8 projects (object type 2) with relationships;
- segments: data-driven (``Pro plan``, ``Enterprise``, ``Paying customers``, ``Europe``,
  ``Has phone``, ``Newsletter subscribers``) and manual (``VIP customers``, ``Beta testers``);
- campaigns with email, push, SMS and webhook actions (some translated), API-triggered
  broadcasts with triggers, newsletters with A/B test groups and translations, transactional
  templates (email in two languages, SMS, push), sender identities, snippets, collections,
  subscription topics, workspaces, a (disabled) reporting webhook and ESP suppressions;
- ~8,000 deliveries over the last 30 days, whose simulated metrics (sent, delivered, opened,
  clicked, converted, bounced, unsubscribed, ...) feed every metrics, link-metrics, message,
  activity and export endpoint.

Everything is drawn from a fixed random seed, and times are laid out relative to the current
UTC hour, so the workspace is the same on every run within an hour.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from typing import Any

import orjson

from ..models import Store
from ..models import devices as devices_model
from ..models import events as events_model
from ..models import objects as objects_model
from ..models import people as people_model
from ..models import segments as segments_model
from ..models.content import dedup_id, doc_keys, doc_put, ensure, links_of, register_links, set_sequence
from ..models.messages import MESSAGE_COLUMNS, insert_messages
from ..models.segments import Audience
from ..registry import seed
from ..services.deliveries import delivery_id_for, render, simulate, unit

__all__ = ["demo"]

DAY = 86400
_FIRST = ["Ada", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kara", "Liam", "Maya",
          "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoe"]
_LAST = ["Adams", "Berg", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Khan", "Lopez",
         "Martin", "Novak", "Okafor", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber"]
_COUNTRIES = [("US", "en", "+1"), ("GB", "en", "+44"), ("DE", "de", "+49"), ("FR", "fr", "+33"),
              ("ES", "es", "+34"), ("BR", "pt", "+55"), ("CA", "en", "+1"), ("IN", "en", "+91")]
_INDUSTRIES = ["Retail", "Software", "Healthcare", "Finance", "Education", "Logistics", "Media"]
_COMPANIES = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell", "cyberdyne",
              "soylent", "oscorp", "vandelay", "dunder", "prestige", "gringotts", "monarch", "aperture", "black-mesa",
              "massive", "nakatomi", "virtucon", "sirius", "weyland", "zorg"]


def _email_body(title: str, cta: str, path: str) -> str:
    return (
        f"<h1>{title}</h1><p>Hi {{{{customer.first_name | default: 'there'}}}},</p>"
        f"<p><a href=\"https://acme.example/{path}\">{cta}</a></p>"
        "<p><a href=\"https://acme.example/help\">Help center</a></p>{% snippet \"footer\" %}"
    )


class _Builder:
    def __init__(self, store: Store) -> None:
        self.store = ensure(store)
        self.rng = random.Random(20240601)
        # Times hang off the start of the current hour, so two seeds within an hour are identical.
        self.now = time.time() // 3600 * 3600
        self.today = self.now - self.now % DAY  # the current UTC day
        self.created = int(self.today - 120 * DAY)
        self.seq = {"action": 0, "content": 200, "trigger": 0, "delivery": 0}
        self.messages: list[dict[str, Any]] = []
        self.people: list[dict[str, Any]] = []

    # --- helpers ---------------------------------------------------------------------

    def _next(self, name: str) -> int:
        self.seq[name] += 1
        return self.seq[name]

    def _ts(self, days_ago: float) -> float:
        """A time ``days_ago`` days before the seed's anchor hour."""
        return self.now - days_ago * DAY

    def _deliver(self, person: dict[str, Any], template: dict[str, Any], created: float, link_owner: str,
                 **refs: Any) -> None:
        msg_type = template.get("_msg_type") or template.get("type") or "email"
        attrs = person["attributes"]
        if msg_type == "email":
            recipient = person.get("email")
        elif msg_type == "twilio":
            recipient = attrs.get("phone")
        elif msg_type == "push":
            recipient = person.get("_device")
        else:
            recipient = template.get("url")
        if not recipient:
            return
        n = self._next("delivery")
        delivery_id = delivery_id_for(n)
        links = links_of(self.store, link_owner)
        suppressed = None
        if msg_type == "email" and person.get("_suppressed"):
            suppressed = person["_suppressed"]
        fate = simulate(delivery_id, msg_type, created, recipient=recipient, suppressed=suppressed,
                        has_links=bool(links), spread=6 * 3600)
        row: dict[str, Any] = dict.fromkeys(MESSAGE_COLUMNS)
        row.update(refs)
        row.update(
            id=delivery_id, person_pk=person["pk"], customer_id=person["id"], email=person.get("email"),
            cio_id=person["cio_id"], recipient=recipient, type=msg_type, forgotten=0, created=created,
            subject=render(template.get("subject") or template.get("name"), person, None),
            body=render(template.get("body"), person, None), sender=template.get("from"),
        )
        row["failure_message"] = fate.pop("failure_message", None)
        for metric, ts in fate.items():
            row[metric] = ts if ts <= self.now else None  # history never reaches into the future
        if row.get("clicked") is not None and links:
            row["link_id"] = links[int(unit(delivery_id, "link") * len(links))]["id"]
        self.messages.append(row)

    def _audience(self, condition: Any) -> list[dict[str, Any]]:
        pks = {p["pk"] for p in Audience(self.store).select(condition)}
        return [p for p in self.people if p["pk"] in pks]

    # --- workspace -------------------------------------------------------------------

    def people_and_data(self) -> None:
        rng = self.rng
        rows, events, devices, relationships = [], [], [], []
        for n in range(300):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            country, language, dial = rng.choice(_COUNTRIES)
            plan = rng.choices(["free", "pro", "enterprise"], [55, 35, 10])[0]
            signed_up = int(self.now - rng.uniform(5, 700) * DAY)
            attrs: dict[str, Any] = {
                "first_name": first, "last_name": last, "plan": plan, "country": country, "language": language,
                "created_at": signed_up, "lifetime_value": round(rng.lognormvariate(4, 1.1), 2),
                "orders_count": rng.randint(0, 40), "signup_source": rng.choice(["web", "ios", "android", "referral"]),
                "birthday": f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
            email = f"{first}.{last}{n + 1}@example.com".lower() if n % 60 != 59 else None
            if email:
                attrs["email"] = email
            if rng.random() < 0.6:
                attrs["phone"] = f"{dial}555{rng.randint(1000000, 9999999)}"
            if rng.random() < 0.04:
                attrs["unsubscribed"] = True
            person = {"pk": n + 1, "cio_id": f"{rng.getrandbits(80):020x}", "id": f"u{1001 + n}", "email": email,
                      "attributes": attrs, "created_at": float(signed_up), "updated_at": self._ts(rng.uniform(0, 5))}
            if rng.random() < 0.35:
                token = f"{rng.getrandbits(256):064x}"
                person["_device"] = token
                platform = rng.choice(["ios", "android"])
                devices.append((person["pk"], token, platform, self._ts(rng.uniform(0, 10)), orjson.dumps({
                    "device_os": "17.4" if platform == "ios" else "14", "app_version": rng.choice(["3.2.0", "3.3.1"]),
                    "push_enabled": "true"}).decode()))
            self.people.append(person)
            rows.append((person["pk"], person["cio_id"], person["id"], email, orjson.dumps(attrs).decode(),
                         person["created_at"], person["updated_at"]))
            names = ["viewed_pricing", "added_to_cart", "purchase", "viewed_product"]
            for _ in range(rng.randint(1, 7)):
                name = rng.choice(names)
                props: dict[str, Any] = {"product_id": f"p{rng.randint(100, 160)}"}
                if name == "purchase":
                    props.update(amount=round(rng.uniform(9, 400), 2), currency="USD")
                events.append((person["pk"], "track", name, orjson.dumps(props).decode(), self._ts(rng.uniform(0, 30))))
            if rng.random() < 0.3:
                events.append((person["pk"], "page", "/pricing", "{}", self._ts(rng.uniform(0, 30))))
            if rng.random() < 0.7:
                company = rng.choice(_COMPANIES)
                relationships.append((person["pk"], "1", company,
                                      orjson.dumps({"role": rng.choice(["admin", "member", "member"])}).decode()))
        objects = [("1", c, orjson.dumps({"name": c.replace("-", " ").title(), "industry": rng.choice(_INDUSTRIES),
                                          "employees": rng.choice([12, 40, 180, 950, 4000]),
                                          "plan": rng.choice(["pro", "enterprise"])}).decode()) for c in _COMPANIES]
        objects += [("2", f"proj-{i}", orjson.dumps({"name": f"Project {i}", "status": rng.choice(["active", "paused"])
                                                     }).decode()) for i in range(1, 9)]
        with self.store.transaction() as conn:
            people_model.insert_rows(conn, rows)
            events_model.insert_rows(conn, events, api="seed")
            devices_model.insert_rows(conn, devices)
            objects_model.insert_rows(conn, objects, relationships,
                                      [(f"{rng.getrandbits(64):016x}", t, o) for t, o, _ in objects])
        for type_id, name, singular, icon in (("1", "Companies", "Company", "building"),
                                              ("2", "Projects", "Project", "folder")):
            doc_put(self.store, "object_type", type_id, {
                "id": type_id, "name": name, "singular_name": singular, "slug": name.lower(),
                "singular_slug": singular.lower(), "enabled": True, "icon": icon})

    def segments(self) -> None:
        def attr(field: str, value: str | None = None) -> dict[str, Any]:
            cond: dict[str, Any] = {"field": field, "operator": "exists" if value is None else "eq"}
            if value is not None:
                cond["value"] = value
            return {"attribute": cond}

        dynamic = [
            (1, "Pro plan", "People on the Pro plan", attr("plan", "pro")),
            (2, "Enterprise", "People on the Enterprise plan", attr("plan", "enterprise")),
            (3, "Paying customers", "Pro or Enterprise", {"or": [attr("plan", "pro"), attr("plan", "enterprise")]}),
            (4, "Europe", "People in European countries",
             {"or": [attr("country", c) for c in ("DE", "FR", "ES", "GB")]}),
            (5, "Has phone", "People with a phone number", attr("phone")),
            (8, "Newsletter subscribers", "Everyone with an email who has not unsubscribed",
             {"and": [attr("email"), {"not": attr("unsubscribed", "true")}]}),
        ]
        manual = [(6, "VIP customers", "Hand-picked top customers", 20), (7, "Beta testers", "Early access group", 30)]
        created = self.created
        with self.store.transaction() as conn:
            for sid, name, desc, cond in dynamic:
                meta = {"created_at": created + sid * 3600, "updated_at": created + sid * 3600,
                        "tags": ["demo"], "_filter": cond}
                segments_model.insert_segment(conn, sid, name, desc, "dynamic", meta)
            for sid, name, desc, size in manual:
                meta = {"created_at": created + sid * 3600, "updated_at": created + sid * 3600, "tags": ["demo"]}
                members = self.rng.sample(self.people, size)
                segments_model.insert_segment(conn, sid, name, desc, "manual", meta, [p["pk"] for p in members])

    def settings(self) -> None:
        store, c = self.store, self.created
        senders = [(1, "Acme Team", "team@acme.example", "email"), (2, "Acme Support", "support@acme.example", "email"),
                   (3, "Acme SMS", "+15550100200", "phone")]
        for sid, name, email, kind in senders:
            doc_put(store, "sender", sid, {"id": sid, "deduplicate_id": dedup_id(sid, c), "name": name, "email": email,
                                           "address": email, "template_type": kind, "auto_generated": False})
        snippets = {"footer": "<p>Acme Inc., 1 Market St, San Francisco · <a href=\"{% unsubscribe_url %}\">Unsubscribe"
                              "</a></p>",
                    "social_links": "<a href=\"https://social.example/acme\">Follow us</a>",
                    "support_signature": "The Acme support team", "promo_banner": "<strong>Free shipping this week"
                                                                                   "</strong>"}
        for i, (name, value) in enumerate(snippets.items()):
            doc_put(store, "snippet", name, {"name": name, "value": value, "updated_at": c + i * DAY})
        collections = [
            (1, "upcoming_events", [{"eventName": "Spring meetup", "eventDate": "2025-04-12", "city": "Berlin"},
                                    {"eventName": "Product webinar", "eventDate": "2025-05-03", "city": "Online"},
                                    {"eventName": "Customer summit", "eventDate": "2025-06-20", "city": "Austin"}]),
            (2, "store_locations", [{"city": "Berlin", "address": "Friedrichstr. 1"},
                                    {"city": "Paris", "address": "1 Rue de Rivoli"},
                                    {"city": "Austin", "address": "100 Congress Ave"},
                                    {"city": "Toronto", "address": "1 Front St W"}]),
        ]
        for cid, name, rows in collections:
            keys = sorted({k for r in rows for k in r})
            doc_put(store, "collection", cid, {"id": cid, "name": name, "rows": len(rows),
                                               "bytes": len(orjson.dumps(rows)), "schema": keys, "created_at": c,
                                               "updated_at": c, "_content": rows})
        topics = [(1, "Product updates", "New features and improvements", True),
                  (2, "Weekly digest", "A summary of your week", True),
                  (3, "Offers and promotions", "Discounts and special offers", False)]
        for tid, name, desc, default in topics:
            doc_put(store, "topic", tid, {"id": tid, "identifier": f"topic_{tid}", "name": name, "description": desc,
                                          "subscribed_by_default": default})
        doc_put(store, "workspace", 1, {"id": 1, "name": "Acme Production"})
        doc_put(store, "workspace", 2, {"id": 2, "name": "Acme Staging", "messages_sent": 1240,
                                        "billable_messages_sent": 0, "people": 57, "object_types": 1, "objects": 4})
        doc_put(store, "webhook", 1, {"id": 1, "name": "Data warehouse feed", "endpoint": "https://hooks.example.com/cio",
                                      "events": ["email_sent", "email_delivered", "email_opened", "email_clicked",
                                                 "email_bounced", "email_unsubscribed"],
                                      "disabled": True, "full_resolution": True, "with_content": False})
        # Earlier bounces and spam reports, on addresses of real demo people.
        with_email = [p for p in self.people if p.get("email")]
        for kind, count, reason, status in (("bounces", 8, "550 5.1.1 mailbox does not exist", "5.1.1"),
                                            ("spam_reports", 3, "reported as spam", "complaint")):
            for p in self.rng.sample(with_email, count):
                if p.get("_suppressed"):
                    continue
                p["_suppressed"] = kind
                doc_put(store, f"esp_{kind}", p["email"], {"created": int(self._ts(self.rng.uniform(30, 90))),
                                                           "email": p["email"], "reason": reason, "status": status})

    # --- messaging -------------------------------------------------------------------

    def _action(self, owner: str, action_type: str, name: str, *, subject: str = "", body: str = "",
                sender: int = 1, url: str = "", translations: Sequence[str] = (), state: str = "automatic",
                ) -> dict[str, Any]:
        aid = self._next("action")
        kind, owner_id = owner.split(":")
        c = self.created + aid * 600
        doc: dict[str, Any] = {"id": aid, f"{kind}_id": int(owner_id), "deduplicate_id": dedup_id(aid, c),
                               "name": name, "layout": "", "created": c, "updated": c, "body": body,
                               "type": action_type, "sending_state": state, "_owner": owner}
        if kind == "campaign":
            doc["parent_action_id"] = 0
        if action_type in ("email", "push"):
            doc.update(language="", subject=subject, preheader_text="", body_amp="", headers="{}", bcc="",
                       fake_bcc=False, preprocessor="premailer")
        if action_type == "email":
            from_name, from_email = {1: ("Acme Team", "team@acme.example"),
                                     2: ("Acme Support", "support@acme.example")}[sender]
            doc.update(**{"from": f"{from_name} <{from_email}>", "from_id": sender, "reply_to": from_email,
                          "reply_to_id": sender, "recipient": "{{customer.email}}"})
        elif action_type == "twilio":
            doc.update(language="", recipient="{{customer.phone}}", image_url="")
        elif action_type == "webhook":
            doc.update(url=url, method="post", headers="{\"Content-Type\": \"application/json\"}")
        doc_put(self.store, "action", aid, doc, parent=owner)
        register_links(self.store, f"action:{aid}", body)
        for lang in translations:
            t = dict(doc, language=lang, subject=f"[{lang}] {subject}", body=body.replace("<h1>", f"<h1>[{lang}] "))
            doc_put(self.store, "action_lang", f"{aid}:{lang}", t, parent=aid)
        return doc

    def campaigns(self) -> None:
        specs: list[dict[str, Any]] = [
            {"id": 1, "name": "Welcome series", "type": "event", "event_name": "signed_up", "state": "running",
             "per_day": 12, "actions": [
                 ("email", "Welcome email", "Welcome to Acme, {{customer.first_name}}!", "welcome", ("fr", "de")),
                 ("email", "Getting started tips", "3 tips to get started", "tips", ()),
                 ("push", "Finish your profile", "Finish your profile", "", ())]},
            {"id": 2, "name": "Trial ending reminder", "type": "segment", "state": "running", "per_day": 20,
             "trigger_segment_ids": [8], "filter_segment_ids": [3], "actions": [
                 ("email", "Trial ends soon", "Your trial ends in 3 days", "upgrade", ("fr",)),
                 ("twilio", "Trial SMS", "", "", ())]},
            {"id": 3, "name": "Win-back", "type": "segment", "state": "running", "per_day": 10,
             "trigger_segment_ids": [8], "filter_segment_ids": [], "actions": [
                 ("email", "We miss you", "We miss you, {{customer.first_name}}", "comeback", ()),
                 ("email", "A gift for you", "20% off your next order", "offer", ())]},
            {"id": 4, "name": "Order follow-up", "type": "event", "event_name": "purchase", "state": "running",
             "per_day": 16, "actions": [
                 ("webhook", "Notify ERP", "", "", ()),
                 ("email", "How was your order?", "How was your order?", "review", ())]},
            {"id": 5, "name": "Birthday greetings", "type": "date", "state": "running", "per_day": 1,
             "date_attribute": "birthday", "frequency": "yearly", "actions": [
                 ("email", "Happy birthday", "Happy birthday, {{customer.first_name}}!", "birthday", ())]},
            {"id": 6, "name": "Spring promo 2024", "type": "segment", "state": "stopped", "per_day": 0,
             "trigger_segment_ids": [3], "filter_segment_ids": [], "actions": [
                 ("email", "Spring sale", "Spring sale starts now", "spring", ())]},
        ]
        subscribed = self._audience({"segment": {"id": 8}})
        for spec in specs:
            cid = spec["id"]
            c = self.created + cid * DAY
            actions = []
            for action_type, name, subject, path, langs in spec["actions"]:
                body = _email_body(subject, "Open Acme", path) if action_type == "email" else (
                    "Your Acme trial ends soon: https://acme.example/upgrade" if action_type == "twilio" else
                    "{\"order\": \"{{event.order_id}}\"}" if action_type == "webhook" else "Tap to finish your profile")
                actions.append(self._action(f"campaign:{cid}", action_type, name, subject=subject, body=body,
                                            url="https://erp.example.com/hooks/orders", translations=langs,
                                            sender=2 if cid == 4 else 1))
            doc: dict[str, Any] = {
                "id": cid, "deduplicate_id": dedup_id(cid, c + DAY), "name": spec["name"], "type": spec["type"],
                "created": c, "updated": c + DAY, "active": spec["state"] == "running", "state": spec["state"],
                "actions": [{"type": a["type"], "id": a["id"]} for a in actions],
                "first_started": c + DAY, "tags": ["demo", spec["type"]],
            }
            for key in ("event_name", "trigger_segment_ids", "filter_segment_ids", "date_attribute", "frequency"):
                if key in spec:
                    doc[key] = spec[key]
            if spec["type"] == "segment":
                doc["msg_templates"] = [{"type": "sms" if a["type"] == "twilio" else a["type"], "id": a["id"]}
                                        for a in actions if a["type"] in ("email", "twilio", "push")]
            if spec["type"] == "date":
                doc.update(timezone="America/New_York", use_customer_timezone=False, start_hour=9, start_minutes=0)
            doc_put(self.store, "campaign", cid, doc)
            self._campaign_history(cid, actions, spec["per_day"], subscribed)

    def _campaign_history(self, cid: int, actions: list[dict[str, Any]], per_day: int,
                          audience: list[dict[str, Any]]) -> None:
        rng = self.rng
        for day in range(30, 0, -1):
            weekday = (self.today / DAY - day + 4) % 7  # 0 = Monday
            n = int(per_day * (0.6 if weekday >= 5 else 1.0) * rng.uniform(0.7, 1.3))
            for person in rng.sample(audience, min(n, len(audience))):
                start = self._ts(day - rng.uniform(0, 1))
                for step, action in enumerate(actions):
                    created = start + step * 2 * DAY  # the journey waits two days between steps
                    if created >= self.now:
                        break
                    self._deliver(person, action, created, f"action:{action['id']}", campaign_id=cid,
                                  action_id=action["id"], template_id=action["id"])

    def broadcasts(self) -> None:
        specs: list[tuple[int, str, str, dict[str, Any], list[tuple[str, str, str, str, tuple[str, ...]]], list[int]]] = [
            (1, "Product launch", "running", {"segment": {"id": 3}},
             [("email", "Launch announcement", "Meet Acme 4.0", "launch", ("fr", "de")),
              ("twilio", "Launch SMS", "", "", ())], [10]),
            (2, "Service maintenance notice", "running", {"segment": {"id": 8}},
             [("email", "Maintenance notice", "Scheduled maintenance on Sunday", "status", ("fr",))], [3, 17]),
            (3, "Flash sale", "draft", {"segment": {"id": 1}},
             [("email", "Flash sale", "24 hours only: 30% off", "sale", ())], []),
        ]
        for bid, name, state, audience, action_specs, trigger_days in specs:
            c = self.created + (10 + bid) * DAY
            actions = []
            for action_type, aname, subject, path, langs in action_specs:
                body = _email_body(subject, "See what's new", path) if action_type == "email" else (
                    "Acme 4.0 is here: https://acme.example/launch")
                actions.append(self._action(f"broadcast:{bid}", action_type, aname, subject=subject, body=body,
                                            translations=langs, state="draft" if state == "draft" else "automatic"))
            refs = [{"id": a["id"], "type": "sms" if a["type"] == "twilio" else a["type"]} for a in actions]
            doc: dict[str, Any] = {"id": bid, "deduplicate_id": dedup_id(bid, c), "name": name,
                                   "type": "triggered_broadcast", "created": c, "updated": c,
                                   "active": state == "running", "state": state, "actions": refs,
                                   "msg_template_ids": refs, "tags": ["demo"], "_audience": audience}
            if trigger_days:
                doc["first_started"] = int(self._ts(max(trigger_days)))
            doc_put(self.store, "broadcast", bid, doc)
            people = self._audience(audience)
            for days in sorted(trigger_days, reverse=True):
                tid = self._next("trigger")
                at = self._ts(days)
                for person in people:
                    if person["attributes"].get("unsubscribed"):
                        continue
                    for action in actions:
                        self._deliver(person, action, at + self.rng.uniform(0, 600), f"action:{action['id']}",
                                      broadcast_id=bid, action_id=action["id"], trigger_id=tid,
                                      template_id=action["id"])
                doc_put(self.store, "trigger", tid, {"id": tid, "broadcast_id": bid, "created_at": int(at),
                                                     "processed_at": int(at) + 42, "_errors": [],
                                                     "_recipients": len(people)}, parent=bid)

    def _content(self, newsletter_id: int, name: str, subject: str, path: str, language: str = "",
                 test_group: int | None = None) -> dict[str, Any]:
        cid = self._next("content")
        body = _email_body(subject, "Read more", path)
        c = self.created + cid * 60
        doc = {"id": cid, "newsletter_id": newsletter_id, "deduplicate_id": dedup_id(cid, c), "name": name,
               "layout": "", "body": body, "body_amp": "", "language": language, "type": "email",
               "from": "Acme Team <team@acme.example>", "from_id": 1, "reply_to": "team@acme.example",
               "reply_to_id": 1, "preprocessor": "premailer", "recipient": "{{customer.email}}", "subject": subject,
               "bcc": "", "fake_bcc": False, "preheader_text": "", "headers": "{}", "created": c, "updated": c,
               "_test_group": test_group}
        doc_put(self.store, "content", cid, doc, parent=newsletter_id)
        register_links(self.store, f"content:{cid}", body)
        return doc

    def newsletters(self) -> None:
        specs = [
            (1, "March product update", 20, [8], True),
            (2, "April newsletter", 6, [8], False),
            (3, "Pro tips", 12, [3], False),
            (4, "May newsletter (draft)", None, [8], False),
        ]
        group_ids = iter(range(1, 10))
        for nid, name, sent_days, segments, ab in specs:
            c = self.created + (20 + nid) * DAY
            groups: list[tuple[int, list[dict[str, Any]]]] = []
            if ab:
                for label, subject in (("A", "What's new in March"), ("B", "5 new features you asked for")):
                    gid = next(group_ids)
                    base = self._content(nid, f"Variant {label}", subject, "march", test_group=gid)
                    fr = self._content(nid, f"Variant {label} (fr)", f"[fr] {subject}", "march", "fr", gid)
                    groups.append((gid, [base, fr]))
                    doc_put(self.store, "test_group", gid, {"id": gid, "name": f"Variant {label}", "label": label,
                                                            "winner": label == "A",
                                                            "content_ids": [str(base["id"]), str(fr["id"])],
                                                            "_newsletter_id": nid}, parent=nid)
                contents = [x for _, pair in groups for x in pair]
            else:
                base = self._content(nid, name, name, f"newsletter-{nid}")
                contents = [base]
                if nid == 2:
                    contents.append(self._content(nid, f"{name} (de)", f"[de] {name}", f"newsletter-{nid}", "de"))
            doc: dict[str, Any] = {"id": nid, "deduplicate_id": dedup_id(nid, c), "name": name,
                                   "content_ids": [x["id"] for x in contents if not x["language"]],
                                   "created": c, "updated": c, "type": "email", "tags": ["demo"],
                                   "recipient_segment_ids": segments, "subscription_topic_id": 1 if nid != 3 else 2}
            if sent_days is not None:
                doc["sent_at"] = int(self._ts(sent_days))
            doc_put(self.store, "newsletter", nid, doc)
            if sent_days is None:
                continue
            for person in self._audience({"segment": {"id": segments[0]}}):
                lang = person["attributes"].get("language", "")
                pool = [x for x in contents if x["language"] in ("", lang)]
                if ab:
                    gid = groups[0][0] if unit("ab", nid, person["pk"]) < 0.5 else groups[1][0]
                    pool = [x for x in contents if x["_test_group"] == gid and x["language"] in ("", lang)]
                chosen = next((x for x in pool if x["language"] == lang), pool[0])
                self._deliver(person, chosen, self._ts(sent_days) + self.rng.uniform(0, 900), f"content:{chosen['id']}",
                              newsletter_id=nid, content_id=chosen["id"], template_id=chosen["id"])

    def transactional(self) -> None:
        specs = [
            (1, "password_reset", "Password reset", "email", 9, [("", "Reset your password"),
                                                                 ("fr", "Réinitialisez votre mot de passe")]),
            (2, "order_confirmation", "Order confirmation", "email", 22, [("", "Your order is confirmed")]),
            (3, "login_code", "Login code (SMS)", "sms", 7, [("", "Your Acme login code is {{trigger.code}}")]),
            (4, "order_shipped", "Order shipped (push)", "push", 9, [("", "Your order is on its way")]),
        ]
        with_email = [p for p in self.people if p.get("email")]
        with_phone = [p for p in self.people if p["attributes"].get("phone")]
        with_device = [p for p in self.people if p.get("_device")]
        for tid, trigger_name, name, channel, per_day, variants in specs:
            c = self.created + (30 + tid) * DAY
            doc_put(self.store, "transactional", tid, {
                "id": tid, "name": trigger_name, "description": name, "send_to_unsubscribed": True,
                "link_tracking": channel == "email", "open_tracking": channel == "email", "hide_message_body": False,
                "queue_drafts": False, "created_at": c, "updated_at": c})
            contents = []
            for language, subject in variants:
                cid = self._next("content")
                body = (_email_body(subject, "Continue", trigger_name) if channel == "email" else subject)
                content = {"id": cid, "name": f"{name} {language or 'default'}".strip(), "created": c, "updated": c,
                           "body": body, "language": language, "type": "push" if channel == "push" else "email",
                           "from": "Acme Support <support@acme.example>", "from_id": 2,
                           "reply_to": "support@acme.example", "reply_to_id": 2, "preprocessor": "premailer",
                           "recipient": "{{customer.email}}", "subject": subject, "bcc": "", "fake_bcc": False,
                           "preheader_text": "", "body_amp": "", "headers": "{}", "_transactional_id": tid,
                           "_msg_type": {"email": "email", "sms": "twilio", "push": "push"}[channel]}
                if channel == "sms":
                    content["_channel"] = "sms"
                doc_put(self.store, "tx_content", cid, content, parent=tid)
                register_links(self.store, f"tx_content:{cid}", body)
                contents.append(content)
            pool = {"email": with_email, "sms": with_phone, "push": with_device}[channel]
            for day in range(30, 0, -1):
                for _ in range(int(per_day * self.rng.uniform(0.6, 1.4))):
                    person = self.rng.choice(pool)
                    lang = person["attributes"].get("language", "")
                    content = next((x for x in contents if x["language"] == lang), contents[0])
                    self._deliver(person, content, self._ts(day - self.rng.uniform(0, 1)), f"tx_content:{content['id']}",
                                  transactional_id=tid, content_id=content["id"], template_id=tid)

    def finish(self) -> None:
        insert_messages(self.store, self.messages)
        for name, value in self.seq.items():
            set_sequence(self.store, name, value)
        for name, value in (("link", max(int(k) for k in doc_keys(self.store, "link"))), ("collection", 2), ("webhook", 1)):
            set_sequence(self.store, name, value)
        # Deliveries that bounced in the history put their address on the ESP's bounce list.
        for row in self.messages:
            if row.get("bounced") is not None and row.get("email"):
                doc_put(self.store, "esp_bounces", row["email"], {
                    "created": int(row["bounced"]), "email": row["email"],
                    "reason": row.get("failure_message") or "bounced", "status": "5.1.1"})

    def build(self) -> None:
        self.people_and_data()
        self.segments()
        self.settings()
        self.campaigns()
        self.broadcasts()
        self.newsletters()
        self.transactional()
        self.finish()


@seed("demo")
def demo(store: Store) -> None:
    """Load the Acme demo workspace (deterministic; see the module docstring)."""
    _Builder(store).build()
