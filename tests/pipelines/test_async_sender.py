"""The asyncio sender: every accepted call delivered exactly once, under faults; full-queue policies; deadlines."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from cio_toolkit import AsyncCustomerIO, RetryPolicy, Settings, ValidationError
from cio_toolkit.emulator import Emulator
from cio_toolkit.pipelines import AsyncSender, QueueFullError, SenderClosedError, calls
from tests._servers import Action, RateLimitedServer, ScriptedServer

from .conftest import uid

RETRY = RetryPolicy(max_retries=25, backoff_base=0.02, backoff_cap=0.3, budget=60)


def settings_for(emu: Emulator) -> Settings:
    return Settings(base_url=emu.url, pipelines_api_key=emu.keys.pipelines_api_key)


def stored_counts(emu: Emulator, prefix: str) -> dict[str, int]:
    rows = emu.store.query("SELECT message_id, COUNT(*) AS n FROM events WHERE message_id LIKE ? GROUP BY message_id",
                           (prefix + "%",))
    return {r["message_id"]: r["n"] for r in rows}


def tracks(user: str, n: int, prefix: str) -> list[dict[str, Any]]:
    return [calls.track(user_id=user, event="Streamed", properties={"i": i}, message_id=f"{prefix}{i:06d}")
            for i in range(n)]


async def test_flush_reports_every_call_and_the_store_holds_each_once(emulator):
    user, prefix = uid(), uid("am") + "-"
    async with AsyncCustomerIO(**emulator.settings()) as cio:
        async with cio.pipelines.sender(linger=0.05) as sender:
            await sender.identify(user_id=user, traits={"plan": "pro"})
            mids = [await sender.send(c) for c in tracks(user, 500, prefix)]
            await sender.alias(previous_id=uid("anon"), user_id=user)
            report = await sender.flush(timeout=30)
    assert (report.accepted, report.sent, report.failed, report.dropped, report.pending) == (502, 502, 0, 0, 0)
    assert report.ok and report.requests < 20  # batched, not one request per call
    assert stored_counts(emulator, prefix) == dict.fromkeys(mids, 1)
    assert emulator.store.find_person(id=user)["attributes"] == {"plan": "pro"}


async def test_exactly_once_under_429s_5xx_and_dropped_connections(private_emulator):
    emu = private_emulator(rate_limits=False)
    emu.faults.update(error_rate=0.2, error_status=503, drop_rate=0.15, force_429=3, retry_after=1, seed=11)
    user, prefix = uid(), uid("af") + "-"
    sender = AsyncSender(settings=settings_for(emu), retry=RETRY, in_flight=4, linger=0.01, max_queue=200,
                         max_batch_bytes=4000)
    mids = [await sender.send(c) for c in tracks(user, 1200, prefix)]
    report = await sender.aclose(timeout=60)
    injected = emu.faults.as_dict()["injected"]
    assert injected["drop"] > 0 and injected["error"] > 0 and injected["429"] == 3
    assert (report.accepted, report.sent, report.failed, report.pending) == (1200, 1200, 0, 0), report.errors
    assert stored_counts(emu, prefix) == dict.fromkeys(mids, 1)


async def test_strict_mode_rejection_isolates_the_bad_call_and_delivers_the_rest(quiet):
    emu, _ = quiet
    good = tracks(uid(), 19, "aok-")
    bad = {"type": "track", "userId": "u", "event": "Bad", "properties": "not an object", "messageId": "abad-1"}
    sender = AsyncSender(settings=settings_for(emu), linger=5)
    for call in [*good[:7], bad, *good[7:]]:
        await sender.send(call)
    report = await sender.aclose(timeout=30)
    assert (report.sent, report.failed) == (19, 1)
    assert list(report.errors) == ["abad-1"] and "BadRequestError" in report.errors["abad-1"]
    assert len(stored_counts(emu, "aok-")) == 19


def slow_sender(emu: Emulator, **kw: Any) -> AsyncSender:
    emu.faults.update(latency_ms=400)
    return AsyncSender(settings=settings_for(emu), in_flight=1, linger=0, max_queue=5, **kw)


async def test_full_queue_policy_raise(private_emulator):
    sender = slow_sender(private_emulator(rate_limits=False), on_full="raise")
    with pytest.raises(QueueFullError, match="queue is full"):
        for call in tracks(uid(), 200, uid("ar")):
            await sender.send(call)
    report = await sender.aclose(timeout=30)
    assert report.sent == report.accepted and report.dropped == 0 and report.accepted < 200


async def test_full_queue_policy_block_waits_then_raises(private_emulator):
    sender = slow_sender(private_emulator(rate_limits=False), on_full="block", block_timeout=0.2)
    with pytest.raises(QueueFullError, match="stayed full"):
        for call in tracks(uid(), 200, uid("ab")):
            await sender.send(call)
    report = await sender.aclose(timeout=30)
    assert report.sent == report.accepted and report.pending == 0


async def test_full_queue_policy_drop_calls_back_and_counts(private_emulator):
    emu = private_emulator(rate_limits=False)
    seen: list[tuple[str, str]] = []
    sender = slow_sender(emu, on_full="drop", on_drop=lambda call, why: seen.append((call["messageId"], why)))
    prefix = uid("ad") + "-"
    for call in tracks(uid(), 100, prefix):
        await sender.send(call)
    report = await sender.aclose(timeout=30)
    assert report.dropped == len(seen) > 0 and report.accepted + report.dropped == 100
    assert report.sent == report.accepted and "queue full" in seen[0][1]
    stored = stored_counts(emu, prefix)
    assert len(stored) == report.accepted and not {mid for mid, _ in seen} & set(stored)


async def test_a_flush_deadline_leaves_calls_pending_and_aclose_fails_them_with_the_reason():
    # The server answers after 3 s: the flush gives up at its deadline, aclose at its own.
    with ScriptedServer(*[Action(delay=3)] * 3) as srv:
        sender = AsyncSender(settings=Settings(base_url=srv.url, pipelines_api_key="k" * 10), linger=0, in_flight=1,
                             max_batch_bytes=600)
        mids = [await sender.track(user_id="u", event="Slow", properties={"i": i}) for i in range(12)]
        report = await sender.flush(timeout=0.3)
        assert report.pending == 12 and report.sent == 0
        report = await sender.aclose(timeout=0.3)
    assert (report.accepted, report.sent, report.failed, report.pending) == (12, 0, 12, 0)
    assert set(report.errors) == set(mids) and not report.ok
    assert all("closed" in why for why in report.errors.values())
    assert (await sender.aclose()).failed == 12  # closing twice is fine
    with pytest.raises(SenderClosedError):
        await sender.send(calls.track(user_id="u", event="Late"))


async def test_bad_settings_and_oversized_calls_fail_in_the_caller(emulator):
    with pytest.raises(ValidationError) as ei:
        AsyncSender(settings=settings_for(emulator), on_full="wait")  # type: ignore[arg-type]
    assert ei.value.field == "on_full"
    async with AsyncSender(settings=settings_for(emulator)) as sender:
        with pytest.raises(ValidationError) as ei:
            await sender.track(user_id="u", event="Big", properties={"x": "y" * 40_000})
        assert ei.value.field == "track call"
        with pytest.raises(ValidationError):
            await sender.track(user_id="u", event="")  # the builder's own check, raised at await
        assert sender.report().accepted == 0


async def test_tasks_of_one_loop_share_the_sender_and_the_rate_controller():
    # Several producer tasks, one server that takes 60 requests a second: nothing lost, few 429s.
    with RateLimitedServer(60) as srv:
        sender = AsyncSender(settings=Settings(base_url=srv.url, pipelines_api_key="k" * 10), linger=0.01,
                             max_batch_bytes=2000, max_queue=500)

        async def produce(n: int) -> list[str]:
            return [await sender.track(user_id=f"u{n}", event="Paced", properties={"i": i}) for i in range(600)]

        mids = [m for ms in await asyncio.gather(*(produce(n) for n in range(4))) for m in ms]
        report = await sender.aclose(timeout=120)
    assert (report.sent, report.failed, report.pending) == (2400, 0, 0), report.errors
    assert srv.accepted == dict.fromkeys(mids, 1)
    assert srv.refused / (srv.ok + srv.refused) < 0.2
