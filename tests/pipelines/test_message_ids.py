"""Random messageIds: version 4 UUIDs, never repeated, not even by a forked child."""

from __future__ import annotations

import multiprocessing
import uuid

from cio_toolkit.pipelines import calls
from cio_toolkit.pipelines._calls import random_message_id


def test_random_ids_are_version_4_uuids_and_never_repeat():
    ids = [random_message_id() for _ in range(5000)] + [calls.track(user_id="u", event="e")["messageId"]
                                                        for _ in range(1000)]
    assert len(set(ids)) == len(ids)
    for mid in ids:
        parsed = uuid.UUID(mid)
        assert str(parsed) == mid and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def _draw(out) -> None:
    out.put([random_message_id() for _ in range(300)])


def test_a_forked_child_draws_other_ids_than_its_parent():
    random_message_id()  # the parent holds a block of ids a child inherits
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_draw, args=(out,))
    child.start()
    theirs = out.get(timeout=20)
    child.join(20)
    ours = [random_message_id() for _ in range(300)]
    assert child.exitcode == 0 and not set(theirs) & set(ours)


def test_an_encoded_call_takes_about_its_own_size_in_memory():
    # A queue of encoded calls must not hold a serializer's whole write buffer per call.
    import tracemalloc

    from cio_toolkit.pipelines import encode_call

    call = calls.track(user_id="u", event="e", properties={"i": 1})
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [encode_call(call) for _ in range(1000)]
        per_call = (tracemalloc.get_traced_memory()[0] - before) / len(kept)
    finally:
        tracemalloc.stop()
    assert per_call < 4 * len(kept[0]) + 100
