"""Size limits through the real emulator: exactly at, and one byte over, 32 KB per call and 500 KB per batch."""

from __future__ import annotations

import gzip

import httpx2
import orjson
import pytest

from cio_toolkit import PayloadTooLargeError
from cio_toolkit.pipelines import BatchPacker, build_call, calls

from .conftest import uid

CALL_LIMIT = 32 * 1024
BATCH_LIMIT = 500 * 1024
CONTEXT = {"library": {"name": "limits-test", "version": "1"}}
INTEGRATIONS = {"All": True}


def call_of_size(n: int, user: str, i: int = 0) -> dict:
    """A track call whose serialized size is exactly ``n`` bytes."""
    call = build_call("track", user_id=user, event="Sized", properties={"pad": ""}, message_id=f"{user}-{i:06d}")
    call["properties"]["pad"] = "x" * (n - len(orjson.dumps(call)))
    assert len(orjson.dumps(call)) == n
    return call


def stored_ids(emulator, user: str) -> list[str]:
    return [e["message_id"] for e in emulator.store.events() if (e["message_id"] or "").startswith(user)]


def test_a_call_of_exactly_32kb_is_sent_and_stored(cio, emulator):
    user = uid()
    call = call_of_size(CALL_LIMIT, user)
    cio.pipelines.send(call)
    # Other clients of the session emulator may log in between: look at the latest few entries.
    recent = [(e["path"], e["status"], e["validation"]) for e in emulator.requests[-10:]]
    assert ("/v1/track", 200, "ok") in recent
    assert stored_ids(emulator, user) == [call["messageId"]]


@pytest.mark.parametrize("how", ["send", "batch"])
def test_a_call_one_byte_over_32kb_is_refused_before_anything_is_sent(cio, emulator, how):
    user = uid()
    before = len(emulator.requests)
    with pytest.raises(PayloadTooLargeError) as ei:
        if how == "send":
            cio.pipelines.send(call_of_size(CALL_LIMIT + 1, user))
        else:
            cio.pipelines.batch([call_of_size(300, user, 1), call_of_size(CALL_LIMIT + 1, user, 2)])
    assert (ei.value.limit, ei.value.actual) == (CALL_LIMIT, CALL_LIMIT + 1)
    assert "track call" in str(ei.value)
    assert len(emulator.requests) == before and stored_ids(emulator, user) == []


def test_every_call_type_is_size_checked(cio):
    big = {"blob": "x" * CALL_LIMIT}
    for build in (
        lambda: calls.identify(user_id="u", traits=big),
        lambda: calls.page(user_id="u", properties=big),
        lambda: calls.screen(user_id="u", properties=big),
        lambda: calls.group(user_id="u", group_id="g", traits=big),
        lambda: calls.alias(previous_id="a", user_id="u", context=big),
    ):
        call = build()
        with pytest.raises(PayloadTooLargeError) as ei:
            cio.pipelines.send(call)
        assert ei.value.field == f"{call['type']} call"
        with pytest.raises(PayloadTooLargeError):
            cio.pipelines.batch([call])


def test_a_batch_of_exactly_500kb_with_context_and_integrations_is_one_request(cio, emulator):
    user = uid()
    overhead = BatchPacker(context=CONTEXT, integrations=INTEGRATIONS).overhead
    n = 16
    room = BATCH_LIMIT - overhead - (n - 1)
    sizes = [room // n] * n
    sizes[0] += room - sum(sizes)
    batch = [call_of_size(size, user, i) for i, size in enumerate(sizes)]
    result = cio.pipelines.batch(batch, context=CONTEXT, integrations=INTEGRATIONS)
    assert result.batch_sizes == [BATCH_LIMIT]
    last = emulator.requests[-1]
    assert (last["operationId"], last["status"], last["validation"]) == ("batch", 200, "ok")
    assert stored_ids(emulator, user) == [c["messageId"] for c in batch]
    assert all(e["context"] == CONTEXT for e in emulator.store.events() if (e["message_id"] or "").startswith(user))
    # One byte more and the last call moves to a second request.
    user2 = uid()
    sizes[-1] += 1
    result = cio.pipelines.batch([call_of_size(s, user2, i) for i, s in enumerate(sizes)], context=CONTEXT,
                                 integrations=INTEGRATIONS)
    assert len(result.batch_sizes) == 2 and max(result.batch_sizes) <= BATCH_LIMIT
    assert result.batch_sizes[1] == overhead + sizes[-1]
    assert len(stored_ids(emulator, user2)) == n


def test_fifteen_full_size_calls_fit_a_batch_and_the_sixteenth_starts_another(cio, emulator):
    user = uid()
    result = cio.pipelines.batch([call_of_size(CALL_LIMIT, user, i) for i in range(16)])
    assert [s > 15 * CALL_LIMIT for s in result.batch_sizes] == [True, False]
    assert len(stored_ids(emulator, user)) == 16


# --- the emulator enforces the limits the way the API does (raw HTTP; invalid on purpose) ---------


def post(emu, path: str, payload: bytes, *, strict: bool, gzipped: bool = False) -> httpx2.Response:
    headers = {"content-type": "application/json"}
    if strict:
        headers["X-Strict-Mode"] = "1"
    if gzipped:
        payload = gzip.compress(payload)
        headers["content-encoding"] = "gzip"
    return httpx2.post(f"{emu.url}/v1{path}", content=payload, headers=headers,
                       auth=(emu.keys.pipelines_api_key, ""), timeout=30)


@pytest.mark.parametrize("gzipped", [False, True])
def test_emulator_drops_an_oversized_call_unless_strict(quiet, gzipped):
    emu, _ = quiet
    big = orjson.dumps(call_of_size(CALL_LIMIT + 1, "big"))
    r = post(emu, "/track", big, strict=False, gzipped=gzipped)
    assert r.status_code == 200 and r.json() == {}
    assert emu.store.events() == [] and emu.store.counters["dropped"] == 1
    r = post(emu, "/track", big, strict=True, gzipped=gzipped)
    assert r.status_code == 400 and "32768" in r.json()["message"]
    ok = orjson.dumps(call_of_size(CALL_LIMIT, "ok"))
    assert post(emu, "/track", ok, strict=True, gzipped=gzipped).status_code == 200
    assert len(emu.store.events()) == 1


def test_emulator_refuses_an_oversized_batch_item_alone_and_applies_the_rest(quiet):
    emu, _ = quiet
    items = [call_of_size(200, "a", 0), call_of_size(CALL_LIMIT + 5, "a", 1), call_of_size(200, "a", 2)]
    body = orjson.dumps({"batch": items})
    r = post(emu, "/batch", body, strict=True)
    assert r.status_code == 400 and r.json()["message"].startswith("body.batch[1]: ")
    assert [e["message_id"] for e in emu.store.events()] == ["a-000000", "a-000002"]
    assert emu.store.counters["dropped"] == 0  # strict mode answers for it instead
    # Without strict mode it is dropped; the others, sent again, are deduplicated by messageId.
    assert post(emu, "/batch", body, strict=False).status_code == 200
    assert [e["message_id"] for e in emu.store.events()] == ["a-000000", "a-000002"]
    assert emu.store.counters["dropped"] == 1
    [dropped] = httpx2.get(f"{emu.url}/_emulator/dropped").json()
    assert dropped["messageId"] == "a-000001" and "batch[1]" in dropped["errors"][0]


@pytest.mark.parametrize("gzipped", [False, True])
def test_emulator_drops_a_batch_over_500kb_unless_strict(quiet, gzipped):
    emu, _ = quiet
    items = [call_of_size(30_000, "b", i) for i in range(18)]  # about 540 KB
    body = orjson.dumps({"batch": items})
    assert len(body) > BATCH_LIMIT
    assert post(emu, "/batch", body, strict=False, gzipped=gzipped).status_code == 200
    assert emu.store.events() == [] and emu.store.counters["dropped"] == 1
    r = post(emu, "/batch", body, strict=True, gzipped=gzipped)
    assert r.status_code == 400 and str(BATCH_LIMIT) in r.json()["message"]
    assert emu.store.events() == []
