"""All seven operations, sync and async, against the emulator: what each call does to the workspace."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from cio_toolkit import AsyncCustomerIO, BadRequestError, CustomerIO, ValidationError
from cio_toolkit.pipelines import AsyncPipelinesClient, PipelinesClient, calls, message_id_for
from cio_toolkit.specs import operations
from cio_toolkit.specs._registry import _ATTR, build_registry

from .conftest import uid


def person(emulator, user_id):
    return emulator.store.find_person(id=user_id)


def events_of(emulator, message_ids):
    wanted = set(message_ids)
    return [e for e in emulator.store.events() if e["message_id"] in wanted]


def test_identify_merges_traits_and_a_null_trait_is_removed(cio, emulator):
    user = uid()
    first = cio.pipelines.identify(user_id=user, traits={"email": f"{user}@example.com", "plan": "pro", "n": 1})
    second = cio.pipelines.identify(user_id=user, traits={"plan": None, "n": 2})
    assert first != second
    assert person(emulator, user)["attributes"] == {"email": f"{user}@example.com", "n": 2}


def test_page_and_screen_are_stored_as_events_with_their_names(cio, emulator):
    user = uid()
    when = dt.datetime(2023, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    pid = cio.pipelines.page(user_id=user, name="Pricing", properties={"url": "https://example.com/pricing"},
                             timestamp=when)
    sid = cio.pipelines.screen(user_id=user, name="Settings", properties={"tab": "privacy"})
    page, screen = events_of(emulator, [pid, sid])
    assert (page["type"], page["name"], page["properties"]["url"]) == ("page", "Pricing", "https://example.com/pricing")
    assert page["timestamp"] == when.timestamp()  # a backfilled timestamp is kept
    assert (screen["type"], screen["name"], screen["properties"]) == ("screen", "Settings", {"tab": "privacy"})
    assert page["person_pk"] == screen["person_pk"] == person(emulator, user)["pk"]


def test_group_creates_objects_and_relationships_with_attributes(cio, emulator):
    user, company = uid(), uid("acme")
    cio.pipelines.group(user_id=user, group_id=company, object_type_id=2, traits={"name": "Acme", "tier": "gold"},
                        relationship_attributes={"role": "admin"})
    cio.pipelines.group(user_id=user, group_id=company, object_type_id="2", traits={"tier": None, "seats": 5},
                        relationship_attributes={"role": "owner"})
    [obj] = emulator.store.query("SELECT * FROM objects WHERE object_id = ?", (company,))
    assert (obj["object_type_id"], obj["attributes"]) == ("2", {"name": "Acme", "seats": 5})
    [rel] = emulator.store.query("SELECT * FROM relationships WHERE object_id = ?", (company,))
    assert rel["person_pk"] == person(emulator, user)["pk"] and rel["attributes"] == {"role": "owner"}
    # Without object_type_id the object is of type 1, as the API assumes.
    other = uid("class")
    cio.pipelines.group(user_id=user, group_id=other)
    assert emulator.store.query("SELECT object_type_id FROM objects WHERE object_id = ?", (other,)) == [
        {"object_type_id": "1"}
    ]


def test_alias_merges_the_anonymous_profile_and_its_events_follow(cio, emulator):
    anon, user = uid("anon"), uid()
    cio.pipelines.identify(anonymous_id=anon, traits={"utm": "ads", "plan": "free"})
    seen = cio.pipelines.track(anonymous_id=anon, event="Viewed Pricing")
    cio.pipelines.identify(user_id=user, traits={"plan": "pro"})
    cio.pipelines.alias(previous_id=anon, user_id=user)
    assert emulator.store.find_person(anonymous_id=anon)["id"] == user
    kept = person(emulator, user)
    assert kept["attributes"] == {"utm": "ads", "plan": "pro"}  # the kept profile wins on conflicts
    assert [e["person_pk"] for e in events_of(emulator, [seen])] == [kept["pk"]]
    assert sum(1 for p in emulator.store.people() if p["id"] == user or p["anonymous_id"] == anon) == 1


def test_alias_of_an_unknown_target_renames_the_previous_profile(cio, emulator):
    old, new = uid("old"), uid("new")
    cio.pipelines.identify(user_id=old, traits={"x": 1})
    cio.pipelines.alias(previous_id=old, user_id=new)
    assert person(emulator, old) is None and person(emulator, new)["attributes"] == {"x": 1}


def test_batch_takes_every_call_type_in_order(cio, emulator):
    anon, user, team = uid("anon"), uid(), uid("team")
    batch = [
        calls.identify(anonymous_id=anon, traits={"source": "batch"}),
        calls.track(anonymous_id=anon, event="Signed Up"),
        calls.page(anonymous_id=anon, name="Welcome"),
        calls.identify(user_id=user, traits={"plan": "team"}),
        calls.alias(previous_id=anon, user_id=user),  # not a batch item in the spec: sent on its own, in order
        calls.screen(user_id=user, name="Home"),
        calls.group(user_id=user, group_id=team, traits={"name": "Team"}),
    ]
    result = cio.pipelines.batch(batch, context={"library": {"name": "tests"}})
    assert result.message_ids == [c["messageId"] for c in batch]
    assert result.requests == 3 and len(result.batch_sizes) == 2 and result.calls == 7
    kept = person(emulator, user)
    assert kept["attributes"] == {"source": "batch", "plan": "team"}
    stored = events_of(emulator, [c["messageId"] for c in batch])
    assert {e["type"] for e in stored} == {"track", "page", "screen"}
    assert {e["person_pk"] for e in stored} == {kept["pk"]}
    assert all(e["context"]["library"] == {"name": "tests"} for e in stored)  # batch context applies to each call
    assert emulator.store.query("SELECT person_pk FROM relationships WHERE object_id = ?", (team,)) == [
        {"person_pk": kept["pk"]}
    ]


def test_resending_any_call_type_with_the_same_key_is_applied_once(cio, emulator):
    user, company = uid(), uid("co")
    before = emulator.store.counters["pipelines_deduplicated"]
    for name in ("first", "second"):
        cio.pipelines.group(user_id=user, group_id=company, traits={"name": name}, idempotency_key=f"{company}-g")
        cio.pipelines.identify(user_id=user, traits={"name": name}, idempotency_key=f"{user}-i")
    assert emulator.store.query("SELECT attributes FROM objects WHERE object_id = ?", (company,)) == [
        {"attributes": {"name": "first"}}
    ]
    assert person(emulator, user)["attributes"] == {"name": "first"}
    assert emulator.store.counters["pipelines_deduplicated"] - before == 2
    assert message_id_for(f"{user}-i") == calls.identify(user_id=user, idempotency_key=f"{user}-i")["messageId"]


def test_send_takes_a_prebuilt_call_to_its_own_endpoint(cio, emulator):
    user = uid()
    call = calls.screen(user_id=user, name="Cart")
    assert cio.pipelines.send(call) == call["messageId"]
    assert emulator.requests[-1]["operationId"] == "screen"
    handmade = {"type": "track", "userId": user, "event": "Handmade"}  # no messageId: one is added
    mid = cio.pipelines.send(handmade)
    assert "messageId" not in handmade and [e["name"] for e in events_of(emulator, [mid])] == ["Handmade"]


async def test_async_client_covers_every_operation(emulator):
    user, anon, obj = uid(), uid("anon"), uid("obj")
    async with AsyncCustomerIO(**emulator.settings()) as cio:
        await cio.pipelines.identify(anonymous_id=anon, traits={"a": 1})
        await cio.pipelines.identify(user_id=user, traits={"b": 2})
        await cio.pipelines.alias(previous_id=anon, user_id=user)
        pid = await cio.pipelines.page(user_id=user, name="Docs")
        sid = await cio.pipelines.screen(user_id=user, name="Feed")
        tid = await cio.pipelines.track(user_id=user, event="Clicked", properties={"n": 1})
        await cio.pipelines.group(user_id=user, group_id=obj, object_type_id=3)
        result = await cio.pipelines.batch([calls.track(user_id=user, event=f"E{i}") for i in range(5)])
        await cio.pipelines.delete_relationship(user_id=user, object_id=obj, object_type_id=3)
    kept = person(emulator, user)
    assert kept["attributes"] == {"a": 1, "b": 2}
    assert len(events_of(emulator, [pid, sid, tid, *result.message_ids])) == 8
    assert emulator.store.query("SELECT * FROM objects WHERE object_id = ?", (obj,))[0]["object_type_id"] == "3"
    assert emulator.store.query("SELECT * FROM relationships WHERE object_id = ?", (obj,)) == []


def test_strict_mode_is_on_by_default_and_can_be_turned_off(quiet):
    emu, cio = quiet
    bad_context = {"ip": 5}  # the spec wants a string
    with pytest.raises(BadRequestError) as ei:
        cio.pipelines.track(user_id=uid(), event="x", context=bad_context)
    assert ei.value.status == 400 and "context" in str(ei.value)
    with CustomerIO(**emu.settings(), strict=False) as permissive:
        permissive.pipelines.track(user_id=uid(), event="x", context=bad_context)  # 200: the API drops it
    assert emu.store.counters["dropped"] == 1 and emu.store.events() == []
    assert [r["status"] for r in emu.requests] == [400, 200]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: calls.group(user_id="u", group_id="g", object_type_id="abc"), "object_type_id"),
        (lambda: calls.group(user_id="u", group_id="g", object_type_id=0), "object_type_id"),
        (lambda: calls.group(user_id="u", group_id=""), "group_id"),
        (lambda: calls.alias(previous_id="u", user_id="u"), "previous_id"),
        (lambda: calls.track(user_id="u", event=" "), "event"),
        (lambda: calls.page(name="Home"), "user_id"),
        (lambda: calls.identify(user_id="u", traits=["not", "a", "mapping"]), "traits"),
        (lambda: calls.track(user_id="u", event="e", timestamp="yesterday"), "timestamp"),
        (lambda: calls.track(user_id="u", event="e", timestamp=dt.datetime(2024, 1, 1)), "timestamp"),
    ],
)
def test_bad_input_names_the_field(build, field):
    with pytest.raises(ValidationError) as ei:
        build()
    assert ei.value.field == field


def test_batch_rejects_what_is_not_a_call_before_sending(cio, emulator):
    before = len(emulator.requests)
    with pytest.raises(ValidationError) as ei:
        cio.pipelines.batch([calls.track(user_id="u", event="ok"), {"type": "delete", "userId": "u"}])
    assert ei.value.field == "type" and len(emulator.requests) == before


@pytest.mark.parametrize("client_cls", [PipelinesClient, AsyncPipelinesClient])
def test_registry_covers_every_operation_with_keyword_only_spec_names(client_cls):
    registry = build_registry(client_cls)
    assert {op["operationId"] for _, _, op in operations("pipelines_api")} == {k[1] for k in registry}
    for name, member in inspect.getmembers(client_cls):
        mark = getattr(member, _ATTR, None)
        if mark is None:
            continue
        doc = inspect.getdoc(member) or ""
        assert f"operation ``{mark[1]}``" in doc and "\n" not in doc, name
        params = list(inspect.signature(member).parameters.values())[1:]
        if name != "batch":
            assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params), name


async def test_async_call_methods_are_coroutines_and_raise_at_await(emulator):
    for name, member in inspect.getmembers(AsyncPipelinesClient, inspect.isfunction):
        if getattr(member, _ATTR, None) is not None or name == "send":
            assert inspect.iscoroutinefunction(member), name
    async with AsyncCustomerIO(**emulator.settings()) as cio:
        before = len(emulator.requests)
        pending = cio.pipelines.track(user_id="", event="x")  # invalid: nothing raises yet
        with pytest.raises(ValidationError) as ei:
            await pending
        assert ei.value.field == "user_id" and len(emulator.requests) == before
