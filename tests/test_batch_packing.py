"""Byte-exact packing at and around the 32 KB per-call and 500 KB per-batch limits."""

from __future__ import annotations

import orjson
import pytest

from cio_toolkit import PayloadTooLargeError, ValidationError
from cio_toolkit.pipelines import BatchPacker, build_call, encode_call, message_id_for, pack_calls

CALL_LIMIT = 32 * 1024
BATCH_LIMIT = 500 * 1024


def call_of_size(n: int, i: int = 0) -> dict:
    """A track call whose encoded size is exactly ``n`` bytes."""
    call = build_call("track", user_id=f"u{i}", event="e", properties={"pad": ""}, message_id=f"m{i:08d}")
    base = len(orjson.dumps(call))
    call["properties"]["pad"] = "x" * (n - base)
    assert len(orjson.dumps(call)) == n
    return call


def test_call_exactly_at_32kb_passes_and_one_byte_over_is_rejected_with_its_size():
    assert len(encode_call(call_of_size(CALL_LIMIT))) == CALL_LIMIT
    with pytest.raises(PayloadTooLargeError) as ei:
        encode_call(call_of_size(CALL_LIMIT + 1, 7))
    err = ei.value
    assert err.limit == CALL_LIMIT and err.actual == CALL_LIMIT + 1
    assert "track call" in str(err) and "m00000007" in str(err) and str(CALL_LIMIT + 1) in str(err)


def test_batches_are_filled_exactly_to_500kb_and_never_over():
    # 15 calls of 32 KB plus separators: work out a call size that makes a batch land exactly on the limit.
    head_tail = len(b'{"batch":[') + len(b"]}")
    n = 16
    size = (BATCH_LIMIT - head_tail - (n - 1)) // n
    rest = BATCH_LIMIT - head_tail - (n - 1) - size * n
    calls = [call_of_size(size + (rest if i == 0 else 0), i) for i in range(n)] + [call_of_size(100, 99)]
    batches = list(pack_calls(calls))
    assert [b.size for b in batches] == [BATCH_LIMIT, head_tail + 100]
    first = orjson.loads(batches[0].body)
    assert len(first["batch"]) == n
    assert batches[0].message_ids == [f"m{i:08d}" for i in range(n)]


def test_one_byte_over_starts_a_new_batch():
    head_tail = len(b'{"batch":[') + len(b"]}")
    packer = BatchPacker(max_batch_bytes=head_tail + 200 + 1 + 150)
    assert packer.add(call_of_size(200, 1)) is None
    assert packer.add(call_of_size(150, 2)) is None  # exactly at the limit
    done = packer.add(call_of_size(100, 3))
    assert done is not None and done.size == head_tail + 351
    assert packer.flush().message_ids == ["m00000003"]


def test_context_and_integrations_count_toward_the_batch_size():
    ctx = {"library": {"name": "cio_toolkit"}}
    integ = {"All": True}
    batches = list(pack_calls([call_of_size(1000, i) for i in range(600)], context=ctx, integrations=integ))
    for b in batches:
        assert b.size <= BATCH_LIMIT
        body = orjson.loads(b.body)
        assert body["context"] == ctx and body["integrations"] == integ
    assert sum(len(orjson.loads(b.body)["batch"]) for b in batches) == 600
    assert len(batches) == 2


def test_oversized_call_in_a_stream_is_rejected_before_anything_is_packed():
    with pytest.raises(PayloadTooLargeError):
        list(pack_calls([call_of_size(100, 1), call_of_size(CALL_LIMIT + 10, 2)]))


def test_message_ids_are_random_or_derived_from_a_key():
    a = build_call("identify", user_id="u1")
    b = build_call("identify", user_id="u1")
    assert a["messageId"] != b["messageId"]
    k1 = build_call("identify", user_id="u1", idempotency_key="row-42")
    k2 = build_call("identify", user_id="u1", idempotency_key="row-42")
    assert k1["messageId"] == k2["messageId"] == message_id_for("row-42")


def test_calls_need_an_identity():
    with pytest.raises(ValidationError, match="user_id or anonymous_id"):
        build_call("track", event="x")
    with pytest.raises(ValidationError) as ei:
        build_call("bogus", user_id="1")
    assert ei.value.field == "type"
