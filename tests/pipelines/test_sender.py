"""The streaming Sender: every accepted call delivered exactly once, under faults; bounded waits; fork and exit."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import httpx2
import pytest

from cio_toolkit import RetryPolicy, Settings, ValidationError
from cio_toolkit.emulator import Emulator
from cio_toolkit.pipelines import QueueFullError, Sender, SenderClosedError, calls
from tests._servers import QuietHandler

from .conftest import uid

# Fast retries: the faults below are frequent on purpose, and the test must not sleep for minutes.
RETRY = RetryPolicy(max_retries=25, backoff_base=0.02, backoff_cap=0.3, budget=60)


def settings_for(emu: Emulator, base_url: str | None = None) -> Settings:
    return Settings(base_url=base_url or emu.url, pipelines_api_key=emu.keys.pipelines_api_key)


def stored_counts(emu: Emulator, prefix: str) -> dict[str, int]:
    rows = emu.store.query("SELECT message_id, COUNT(*) AS n FROM events WHERE message_id LIKE ? GROUP BY message_id",
                           (prefix + "%",))
    return {r["message_id"]: r["n"] for r in rows}


def tracks(user: str, n: int, prefix: str) -> list[dict[str, Any]]:
    return [calls.track(user_id=user, event="Streamed", properties={"i": i}, message_id=f"{prefix}{i:06d}")
            for i in range(n)]


def test_flush_reports_every_call_and_the_store_holds_each_once(emulator):
    user, prefix = uid(), uid("m") + "-"
    with Sender(settings=settings_for(emulator), linger=0.05) as sender:
        sender.send(calls.identify(user_id=user, traits={"plan": "pro"}))
        mids = [sender.send(c) for c in tracks(user, 500, prefix)]
        sender.send(calls.alias(previous_id=uid("anon"), user_id=user))
        report = sender.flush(timeout=30)
    assert (report.accepted, report.sent, report.failed, report.dropped, report.pending) == (502, 502, 0, 0, 0)
    assert report.ok and report.errors == {}
    assert report.requests < 20  # batched, not one request per call
    assert stored_counts(emulator, prefix) == dict.fromkeys(mids, 1)
    assert emulator.store.find_person(id=user)["attributes"] == {"plan": "pro"}


def test_exactly_once_under_429s_5xx_and_dropped_connections(private_emulator):
    emu = private_emulator(rate_limits=False)
    emu.faults.update(error_rate=0.2, error_status=503, drop_rate=0.15, force_429=3, retry_after=1, seed=7)
    user, prefix = uid(), uid("f") + "-"
    # Small batches, so there are enough requests for every kind of fault to hit several times.
    sender = Sender(settings=settings_for(emu), retry=RETRY, in_flight=4, linger=0.01, max_queue=200,
                    max_batch_bytes=4000)
    mids = [sender.send(c) for c in tracks(user, 1500, prefix)]
    report = sender.close(timeout=60)
    injected = emu.faults.as_dict()["injected"]
    assert injected["drop"] > 0 and injected["error"] > 0 and injected["429"] == 3
    assert (report.accepted, report.sent, report.failed, report.pending) == (1500, 1500, 0, 0), report.errors
    assert stored_counts(emu, prefix) == dict.fromkeys(mids, 1)


class _LossyProxy:
    """Forwards to the emulator, but for every ``every``-th request drops the connection after the
    emulator has applied it: the client never learns it succeeded, so it sends it again."""

    def __init__(self, target: str, every: int = 3) -> None:
        self.count = 0
        self.lost = 0
        lock = threading.Lock()
        outer = self
        http = httpx2.Client(base_url=target, timeout=30)

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                body = self.body(gunzip=False)
                keep = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = http.post(self.path, content=body, headers=keep)
                with lock:
                    outer.count += 1
                    lose = outer.count % every == 0
                    outer.lost += lose
                if lose:
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(answer.status_code)
                for name in ("content-type", "retry-after", "x-request-id"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        self._http = http

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._http.close()


@pytest.fixture
def lossy(private_emulator) -> Iterator[tuple[Emulator, _LossyProxy]]:
    emu = private_emulator(rate_limits=False)
    proxy = _LossyProxy(emu.url)
    yield emu, proxy
    proxy.close()


def test_answers_lost_after_the_api_applied_them_are_resent_and_deduplicated(lossy):
    emu, proxy = lossy
    user, prefix = uid(), uid("l") + "-"
    sender = Sender(settings=settings_for(emu, proxy.url), retry=RETRY, in_flight=3, linger=0.01,
                    max_batch_bytes=8000)
    mids = [sender.send(c) for c in tracks(user, 600, prefix)]
    report = sender.close(timeout=60)
    assert proxy.lost > 0 and emu.store.counters["pipelines_deduplicated"] > 0  # re-sends really happened
    assert (report.sent, report.failed, report.pending) == (600, 0, 0)
    assert stored_counts(emu, prefix) == dict.fromkeys(mids, 1)


def test_strict_mode_rejection_isolates_the_bad_call_and_delivers_the_rest(quiet):
    emu, _ = quiet
    user = uid()
    good = tracks(user, 19, "ok-")
    bad = {"type": "track", "userId": user, "event": "Bad", "properties": "not an object", "messageId": "bad-1"}
    sender = Sender(settings=settings_for(emu), linger=5)
    for call in [*good[:7], bad, *good[7:]]:
        sender.send(call)
    report = sender.close(timeout=30)
    assert (report.sent, report.failed) == (19, 1)
    assert list(report.errors) == ["bad-1"] and "BadRequestError" in report.errors["bad-1"]
    assert "properties" in report.errors["bad-1"]
    assert len(stored_counts(emu, "ok-")) == 19
    assert report.errors_frame().to_dict("records") == [{"messageId": "bad-1", "error": report.errors["bad-1"]}]


def slow_sender(emu: Emulator, **kw: Any) -> Sender:
    emu.faults.update(latency_ms=400)
    return Sender(settings=settings_for(emu), in_flight=1, linger=0, max_queue=5, **kw)


def test_full_queue_policy_raise(private_emulator):
    sender = slow_sender(private_emulator(rate_limits=False), on_full="raise")
    with pytest.raises(QueueFullError, match="queue is full"):
        for call in tracks(uid(), 200, uid("r")):
            sender.send(call)
    report = sender.close(timeout=30)
    assert report.sent == report.accepted and report.dropped == 0 and report.accepted < 200


def test_full_queue_policy_block_waits_then_raises(private_emulator):
    sender = slow_sender(private_emulator(rate_limits=False), on_full="block", block_timeout=0.2)
    with pytest.raises(QueueFullError, match="stayed full"):
        for call in tracks(uid(), 200, uid("b")):
            sender.send(call)
    report = sender.close(timeout=30)
    assert report.sent == report.accepted and report.pending == 0


def test_full_queue_policy_drop_calls_back_and_counts(private_emulator):
    emu = private_emulator(rate_limits=False)
    seen: list[tuple[str, str]] = []
    sender = slow_sender(emu, on_full="drop", on_drop=lambda call, why: seen.append((call["messageId"], why)))
    prefix = uid("d") + "-"
    for call in tracks(uid(), 100, prefix):
        sender.send(call)
    report = sender.close(timeout=30)
    assert report.dropped == len(seen) > 0 and report.accepted + report.dropped == 100
    assert report.sent == report.accepted and "queue full" in seen[0][1]
    stored = stored_counts(emu, prefix)
    assert len(stored) == report.accepted and not {mid for mid, _ in seen} & set(stored)


def test_flush_and_close_never_hang_on_a_stuck_server(private_emulator):
    emu = private_emulator(rate_limits=False)
    emu.faults.update(latency_ms=3000)
    sender = Sender(settings=settings_for(emu), linger=0, in_flight=1)
    sender.send(calls.track(user_id=uid(), event="Slow"))
    # The answer takes 3 s: a report still pending shows each wait ended at its own deadline.
    report = sender.flush(timeout=0.3)
    assert report.pending == 1
    report = sender.close(timeout=0.3)
    assert report.pending == 1
    again = sender.close(timeout=0.3)  # closing twice is fine
    assert again.accepted == 1
    with pytest.raises(SenderClosedError):
        sender.send(calls.track(user_id=uid(), event="Late"))


def test_a_second_sender_and_rerunning_are_fine(emulator):
    user = uid()
    for _ in range(2):  # like re-running a notebook cell
        sender = Sender(settings=settings_for(emulator), linger=0.01)
        sender.send(calls.track(user_id=user, event="Rerun"))
        assert sender.flush(timeout=10).sent == 1
    sender.close()
    assert len([e for e in emulator.store.events() if e["name"] == "Rerun" and e["person_pk"]]) == 2


def test_bad_settings_and_oversized_calls_fail_in_the_caller(emulator):
    with pytest.raises(ValidationError) as ei:
        Sender(settings=settings_for(emulator), on_full="wait")  # type: ignore[arg-type]
    assert ei.value.field == "on_full"
    with pytest.raises(ValidationError) as ei:
        Sender(settings=settings_for(emulator), max_queue=0)
    assert ei.value.field == "max_queue"
    with Sender(settings=settings_for(emulator)) as sender:
        with pytest.raises(ValidationError) as ei:
            sender.send(calls.track(user_id="u", event="Big", properties={"x": "y" * 40_000}))
        assert ei.value.field == "track call"
        assert sender.report().accepted == 0


def _child(sender: Sender, user: str, prefix: str, out: Any) -> None:
    before = sender.report()
    for call in tracks(user, 20, prefix):
        sender.send(call)
    after = sender.flush(timeout=20)
    out.put((before.accepted, after.accepted, after.sent))


def test_a_forked_child_gets_a_fresh_sender(private_emulator):
    emu = private_emulator(rate_limits=False)
    sender = Sender(settings=settings_for(emu), linger=0.01)
    user = uid()
    for call in tracks(user, 30, "parent-"):
        sender.send(call)
    sender.flush(timeout=20)
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_child, args=(sender, user, "child-", out))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert out.get(timeout=5) == (0, 20, 20)  # the child started from nothing and delivered its own calls
    report = sender.close(timeout=20)
    assert (report.accepted, report.sent) == (30, 30)  # the parent's counts are its own
    assert len(stored_counts(emu, "child-")) == 20 and len(stored_counts(emu, "parent-")) == 30


SCRIPT = textwrap.dedent("""
    from cio_toolkit import Settings
    from cio_toolkit.pipelines import Sender, calls
    sender = Sender(settings=Settings.from_env(env_file=None), linger=30, atexit_timeout={timeout})
    for i in range(300):
        sender.send(calls.track(user_id="exit-user", event="AtExit", message_id=f"{prefix}{{i:05d}}"))
    # no flush, no close: the interpreter-exit hook must deliver (or give up by its deadline)
""")


def run_script(env: dict[str, str], prefix: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(prefix=prefix, timeout=timeout)],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=60,
    )


def test_calls_still_queued_at_interpreter_exit_are_delivered(private_emulator):
    emu = private_emulator(rate_limits=False)
    prefix = uid("x") + "-"
    done = run_script(emu.env(), prefix, timeout=20)
    assert done.returncode == 0, done.stderr
    assert len(stored_counts(emu, prefix)) == 300


def test_exit_gives_up_at_its_deadline_when_the_api_is_unreachable(private_emulator):
    emu = private_emulator(rate_limits=False)
    emu.faults.update(latency_ms=10_000)
    done = run_script(emu.env(), uid("y") + "-", timeout=1)
    assert done.returncode == 0
    assert "pending=300" in done.stderr  # the loss is reported, not silent


@pytest.mark.parametrize("refused", ["cio-sender-dispatch", "cio-sender-worker"])
def test_a_thread_that_cannot_start_fails_its_calls_with_the_reason(emulator, monkeypatch, refused):
    # What CPython raises when the process is out of threads, or (3.12+) when the interpreter is exiting.
    real_start = threading.Thread.start

    def start(thread: threading.Thread) -> None:
        if thread.name == refused:
            raise RuntimeError("can't start new thread")
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", start)
    user, prefix = uid(), uid("t") + "-"
    sender = Sender(settings=settings_for(emulator), linger=0.01, in_flight=2)
    mids = [sender.send(c) for c in tracks(user, 5, prefix)]  # accepted: send must not raise afterwards
    report = sender.flush(timeout=30)
    assert (report.accepted, report.sent, report.failed, report.pending) == (5, 0, 5, 0)
    assert set(report.errors) == set(mids) and not report.ok
    assert all("can't start new thread" in why for why in report.errors.values())
    # Nothing is left behind a dead thread: once threads start again, the same sender delivers.
    monkeypatch.setattr(threading.Thread, "start", real_start)
    later = [sender.send(c) for c in tracks(user, 3, prefix + "later-")]
    report = sender.close(timeout=30)
    assert (report.accepted, report.sent, report.failed, report.pending) == (8, 3, 5, 0)
    assert stored_counts(emulator, prefix) == dict.fromkeys(later, 1)
