"""Per-field limits of Pipelines calls, the same ones bulk.load applies, on every sending path.

Ids over 150 bytes, event names over 100 bytes, more than 300 traits, trait values over 1000
bytes and trait or property names over 150 bytes are refused with a ValidationError naming the
field, the limit and the size, before any request leaves; values exactly at a limit go through.
The limits are the shared constants (``_constants``) that bulk.load checks rows against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cio_toolkit import CustomerIO, ValidationError
from cio_toolkit import _constants as C
from cio_toolkit.emulator import Emulator
from cio_toolkit.pipelines import AsyncPipelinesClient, Sender, calls

from .conftest import uid

# (builder of the bad call, field named, limit, actual size)
CASES: dict[str, tuple[Callable[[], dict[str, Any]], str, int, int]] = {
    "user_id 151 bytes": (lambda: calls.identify(user_id="u" * 151), "userId", C.TRACK_MAX_ID_BYTES, 151),
    "user_id 10 KB": (lambda: calls.identify(user_id="u" * 10_240), "userId", C.TRACK_MAX_ID_BYTES, 10_240),
    "user_id 76 two-byte characters": (lambda: calls.identify(user_id="é" * 76), "userId", 150, 152),
    "anonymous_id 151 bytes": (lambda: calls.track(anonymous_id="a" * 151, event="Viewed"), "anonymousId",
                               150, 151),
    "alias user_id 151 bytes": (lambda: calls.alias(previous_id="p", user_id="u" * 151), "userId", 150, 151),
    "event 101 bytes": (lambda: calls.track(user_id="u", event="e" * 101), "event",
                        C.TRACK_MAX_EVENT_NAME_BYTES, 101),
    "301 traits": (lambda: calls.identify(user_id="u", traits={f"t{i}": i for i in range(301)}), "traits",
                   C.TRACK_MAX_ATTRIBUTES, 301),
    "trait value 1001 bytes": (lambda: calls.identify(user_id="u", traits={"bio": "b" * 1001}), "traits.bio",
                               C.TRACK_MAX_ATTRIBUTE_VALUE_BYTES, 1001),
    "group trait name 151 bytes": (lambda: calls.group(user_id="u", group_id="g", traits={"n" * 151: 1}),
                                   "traits." + "n" * 151, C.TRACK_MAX_ATTRIBUTE_NAME_BYTES, 151),
    "property name 151 bytes": (lambda: calls.page(user_id="u", name="Home", properties={"p" * 151: 1}),
                                "properties." + "p" * 151, C.TRACK_MAX_ATTRIBUTE_NAME_BYTES, 151),
}


@pytest.fixture(scope="module")
def quiet() -> Iterator[tuple[Emulator, CustomerIO]]:
    """One private emulator for the module (no suite log): nothing invalid should reach it anyway."""
    with Emulator(log=False) as emu, CustomerIO(**emu.settings()) as cio:
        yield emu, cio


def check_refusal(err: ValidationError, field: str, limit: int, actual: int) -> None:
    assert (err.field, err.limit, err.actual) == (field, limit, actual)
    text = str(err)
    assert field[:20] in text and str(limit) in text and str(actual) in text, text


RENAMED = {"userId": "user_id", "anonymousId": "anonymous_id", "groupId": "group_id",
           "previousId": "previous_id"}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("path", ["method", "send", "batch", "sender"])
def test_a_field_over_its_limit_is_refused_before_anything_is_sent(quiet, case, path):
    emu, cio = quiet
    build, field, limit, actual = CASES[case]
    bad = build()
    good = calls.track(user_id=uid(), event="Fine")
    before = len(emu.requests)
    if path == "sender":
        with Sender(settings=cio.settings, linger=0) as sender:
            sender.send(good)
            with pytest.raises(ValidationError) as ei:
                sender.send(bad)
            report = sender.flush(timeout=30)
        # The good call was accepted and delivered; the bad one was never accepted.
        assert (report.accepted, report.sent, report.failed) == (1, 1, 0)
        assert [e["operationId"] for e in emu.requests[before:]] == ["batch"]
    else:
        with pytest.raises(ValidationError) as ei:
            if path == "method":
                kw = {RENAMED.get(k, k): v for k, v in bad.items() if k not in ("type", "messageId")}
                getattr(cio.pipelines, bad["type"])(**kw)
            elif path == "send":
                cio.pipelines.send(bad)
            else:
                cio.pipelines.batch([good, bad])
        assert len(emu.requests) == before
    check_refusal(ei.value, field, limit, actual)


async def test_the_async_client_applies_the_same_limits(quiet):
    emu, cio = quiet
    before = len(emu.requests)
    async with AsyncPipelinesClient(settings=cio.settings) as client:
        with pytest.raises(ValidationError) as ei:
            await client.identify(user_id="u" * 151)
        check_refusal(ei.value, "userId", 150, 151)
        with pytest.raises(ValidationError) as ei:
            await client.track(user_id="u", event="e" * 101)
        check_refusal(ei.value, "event", 100, 101)
    assert len(emu.requests) == before


def test_values_exactly_at_each_limit_are_sent_and_one_byte_more_is_refused(cio, emulator):
    user = "u" * 140 + uid()[-10:]
    anon = "a" * 140 + uid()[-10:]
    assert len(user.encode()) == len(anon.encode()) == C.TRACK_MAX_ID_BYTES
    at_limit = [
        calls.identify(user_id=user, traits={f"t{i:03d}": "v" * (1000 if i == 0 else 1) for i in range(300)}),
        calls.track(user_id=user, event="e" * C.TRACK_MAX_EVENT_NAME_BYTES, properties={"p" * 150: 1}),
        calls.track(anonymous_id=anon, event="Anonymous"),
        calls.group(user_id=user, group_id=uid(), traits={"n" * 150: "x" * 1000}),
    ]
    result = cio.pipelines.batch(at_limit)
    assert result.calls == 4
    stored = {e["message_id"] for e in emulator.store.events()}
    assert {c["messageId"] for c in at_limit if c["type"] == "track"} <= stored
    assert len(emulator.store.find_person(id=user)["attributes"]) == 300
    # One byte (or one trait) more on each of them.
    over = [
        ({**at_limit[0], "traits": {**at_limit[0]["traits"], "t300": 1}}, "traits"),
        ({**at_limit[0], "traits": {**at_limit[0]["traits"], "t000": "v" * 1001}}, "traits.t000"),
        ({**at_limit[1], "userId": user + "x"}, "userId"),
        ({**at_limit[1], "event": at_limit[1]["event"] + "e"}, "event"),
        ({**at_limit[1], "properties": {"p" * 151: 1}}, "properties." + "p" * 151),
        ({**at_limit[2], "anonymousId": anon + "x"}, "anonymousId"),
        ({**at_limit[3], "traits": {"n" * 151: "x"}}, "traits." + "n" * 151),
    ]
    for call, field in over:
        with pytest.raises(ValidationError) as ei:
            cio.pipelines.send(call)
        assert ei.value.field == field
