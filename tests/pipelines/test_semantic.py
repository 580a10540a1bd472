"""Semantic events: the table matches the spec, calls are checked against it, and each effect happens."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from cio_toolkit import ValidationError
from cio_toolkit.pipelines import SEMANTIC_EVENTS, calls, semantic

from .conftest import uid

TABLE = Path(semantic.__file__).with_name("_semantic_table.py")
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def test_committed_table_is_what_the_generator_derives_from_the_spec():
    # The generator lives in scripts/ (the package only imports the table it writes).
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    gen = importlib.import_module("gen_semantic_events")
    assert TABLE.read_text() == gen.render(gen.derive())


def test_table_covers_every_family_the_spec_defines():
    names = set(SEMANTIC_EVENTS)
    assert {
        "Products Searched", "Product List Viewed", "Product Added", "Cart Viewed", "Checkout Started",
        "Payment Info Updated", "Order Completed", "Order Refunded", "Coupon Applied", "Coupon Denied",
        "Product Added to Wishlist", "Wishlisted Item Added to Cart", "Product Shared", "Cart Shared",
        "Product Reviewed", "Video Playback Started", "Video Content Playing", "Video Ad Completed",
        "Application Installed", "Application Opened", "Application Backgrounded", "Application Crashed",
        "Email Delivered", "Email Opened", "Email Link Clicked", "Email Bounced", "Email Marked as Spam",
        "Unsubscribed", "Device Created or Updated", "Device Deleted", "Object Deleted", "Relationship Deleted",
        "User Deleted", "User Suppressed", "User Unsuppressed", "Report Delivery Event",
    } <= names
    assert len(names) == 72
    by_category: dict[str, int] = {}
    for event in SEMANTIC_EVENTS.values():
        by_category[event.category] = by_category.get(event.category, 0) + 1
    assert by_category["ecommerce"] == 28 and by_category["video"] == 17 and by_category["mobile app"] == 7
    assert SEMANTIC_EVENTS["Device Created or Updated"].required_context == ("device.token",)
    assert SEMANTIC_EVENTS["Object Deleted"].identity == "anonymous"
    assert semantic.semantic_event("Email Unsubscribed").name == "Unsubscribed"
    frame = semantic.events_frame()
    assert len(frame) == 72 and set(frame["category"]) == set(by_category)


def minimal_call(event: semantic.SemanticEvent, user: str) -> dict:
    props = {p: (event.enums[p][0] if p in event.enums else f"{p}-1") for p in event.required_properties}
    context = {"device": {"token": f"tok-{user}", "type": "ios"}} if event.required_context else None
    ids = {"anonymous_id": user} if event.identity == "anonymous" else {"user_id": user}
    return semantic.semantic_call(event=event.name, properties=props or None, context=context, **ids)


def test_every_semantic_event_is_accepted_by_the_spec_and_stored(cio, emulator):
    # Each user id is new, so the privacy events here touch nobody else's data.
    batch = [minimal_call(e, uid("sem")) for e in SEMANTIC_EVENTS.values()]
    result = cio.pipelines.batch(batch)
    assert result.calls == 72
    stored = {e["message_id"]: e["name"] for e in emulator.store.events()}
    assert [stored.get(c["messageId"]) for c in batch] == [c["event"] for c in batch]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"event": "Order Complete", "user_id": "u"}, "event"),
        ({"event": "Email Opened", "user_id": "u", "properties": {"email_subject": "Hi"}}, "properties.email_id"),
        ({"event": "User Deleted", "anonymous_id": "a"}, "user_id"),
        ({"event": "Object Deleted", "user_id": "u", "properties": {"objectId": "o"}}, "anonymous_id"),
        ({"event": "Device Created or Updated", "user_id": "u"}, "context.device.token"),
        ({"event": "Device Deleted", "user_id": "u", "context": {"device": {"token": "t", "type": "windows"}}},
         "context.device.type"),
        ({"event": "Report Delivery Event", "anonymous_id": "a",
          "properties": {"deliveryId": "d", "metric": "bounced"}}, "properties.metric"),
        ({"event": "Video Ad Started", "user_id": "u", "properties": {"type": "pop-up"}}, "properties.type"),
    ],
)
def test_semantic_calls_are_checked_against_the_table(kwargs, field):
    with pytest.raises(ValidationError) as ei:
        semantic.semantic_call(**kwargs)
    assert ei.value.field == field


def test_unknown_name_suggests_the_spec_name():
    with pytest.raises(ValidationError, match="did you mean 'Order Completed'"):
        semantic.semantic_call(event="Order Complete", user_id="u")


def test_user_deleted_deletes_the_person_by_id_or_email(cio, emulator):
    a, b = uid(), uid()
    cio.pipelines.identify(user_id=a, traits={"x": 1})
    cio.pipelines.identify(user_id=b, traits={"email": f"{b}@example.com"})
    cio.pipelines.delete_person(user_id=a)
    cio.pipelines.delete_person(user_id=f"{b}@example.com")
    assert emulator.store.find_person(id=a) is None and emulator.store.find_person(id=b) is None


def test_suppression_blocks_the_id_until_unsuppressed(cio, emulator):
    user = uid()
    cio.pipelines.identify(user_id=user, traits={"plan": "pro"})
    cio.pipelines.suppress_person(user_id=user)
    assert emulator.store.find_person(id=user) is None
    ignored = cio.pipelines.track(user_id=user, event="Still Here")
    cio.pipelines.identify(user_id=user, traits={"plan": "back"})
    assert emulator.store.find_person(id=user) is None
    assert all(e["message_id"] != ignored for e in emulator.store.events())
    cio.pipelines.unsuppress_person(user_id=user)
    cio.pipelines.identify(user_id=user, traits={"plan": "again"})
    assert emulator.store.find_person(id=user)["attributes"] == {"plan": "again"}


def test_devices_are_added_updated_and_deleted(cio, emulator):
    user, token = uid(), uid("tok")
    cio.pipelines.add_device(user_id=user, token=token, type="android", properties={"app_version": "1.0"})
    cio.pipelines.add_device(user_id=user, token=token, properties={"app_version": "1.1", "push": True})
    pk = emulator.store.find_person(id=user)["pk"]
    [device] = emulator.store.query("SELECT * FROM devices WHERE person_pk = ?", (pk,))
    assert (device["device_id"], device["platform"]) == (token, "android")
    assert device["attributes"] == {"app_version": "1.1", "push": True}
    cio.pipelines.delete_device(user_id=user, token=token, type="android")
    assert emulator.store.query("SELECT * FROM devices WHERE person_pk = ?", (pk,)) == []


def test_object_deleted_removes_the_object_and_every_relationship(cio, emulator):
    a, b, org = uid(), uid(), uid("org")
    cio.pipelines.batch([calls.group(user_id=u, group_id=org, object_type_id=4, traits={"n": 1}) for u in (a, b)])
    assert len(emulator.store.query("SELECT * FROM relationships WHERE object_id = ?", (org,))) == 2
    cio.pipelines.delete_object(object_id=org, object_type_id=1)  # another type: nothing happens
    assert len(emulator.store.query("SELECT * FROM objects WHERE object_id = ?", (org,))) == 1
    cio.pipelines.delete_object(object_id=org, object_type_id=4)
    assert emulator.store.query("SELECT * FROM objects WHERE object_id = ?", (org,)) == []
    assert emulator.store.query("SELECT * FROM relationships WHERE object_id = ?", (org,)) == []


def test_relationship_deleted_removes_only_that_persons_relationship(cio, emulator):
    a, b, org = uid(), uid(), uid("org")
    for u in (a, b):
        cio.pipelines.group(user_id=u, group_id=org)
    cio.pipelines.delete_relationship(user_id=a, object_id=org)
    rows = emulator.store.query("SELECT person_pk FROM relationships WHERE object_id = ?", (org,))
    assert rows == [{"person_pk": emulator.store.find_person(id=b)["pk"]}]
    assert len(emulator.store.query("SELECT * FROM objects WHERE object_id = ?", (org,))) == 1


def test_report_delivery_event_records_the_metric(cio, emulator):
    delivery = uid("dlv")
    cio.pipelines.report_delivery_event(delivery_id=delivery, metric="opened", anonymous_id=uid("anon"),
                                        recipient="device-token-1")
    rows = emulator.store.query("SELECT metric, recipient, source FROM track_metrics WHERE delivery_id = ?",
                                (delivery,))
    assert rows == [{"metric": "opened", "recipient": "device-token-1", "source": "pipelines"}]


def test_a_semantic_event_resent_with_the_same_message_id_takes_effect_once(cio, emulator):
    user = uid()
    cio.pipelines.identify(user_id=user)
    call = semantic.add_device(user_id=user, token=uid("tok"), properties={"n": 1})
    cio.pipelines.send(call)
    cio.pipelines.delete_device(user_id=user, token=call["context"]["device"]["token"])
    cio.pipelines.send(call)  # a retry of the first call must not bring the device back
    pk = emulator.store.find_person(id=user)["pk"]
    assert emulator.store.query("SELECT * FROM devices WHERE person_pk = ?", (pk,)) == []
