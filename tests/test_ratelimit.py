"""The limiter never exceeds its budget in any window, across threads, tasks and a real server.

Budgets are checked on the limiter's own grants (its clock, its reserved slots), never on gaps
between events measured from outside: a busy machine delays a thread or a connection, which may
bunch arrivals up without any slot being given early.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from cio_toolkit import RateLimit
from cio_toolkit._config import Settings
from cio_toolkit._ratelimit import Grant, RateLimiter, get_limiter
from cio_toolkit._transport import RequestSpec, SyncTransport
from tests._servers import ScriptedServer

EPS = 1e-6  # float rounding of "slot + period"; every bound below is otherwise exact


def max_in_window(times: list[float], period: float) -> int:
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - period:
            j += 1
        best = max(best, i - j + 1)
    return best


def slots(grants: list[Grant]) -> list[float]:
    return [g.granted for g in grants]


def none_before_its_slot(done: list[float], grants: list[Grant]) -> bool:
    # Each caller finished acquiring (or its request arrived) no earlier than its own slot; then,
    # sorted, the k-th finish is no earlier than the k-th slot, whatever the pairing.
    return len(done) == len(grants) and all(d >= g - EPS for d, g in zip(sorted(done), sorted(slots(grants)), strict=True))


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_slots_on_a_fake_clock_follow_the_sliding_window_exactly():
    clock = FakeClock()
    lim = RateLimiter(RateLimit(3, 1.0), clock=clock)
    assert [lim.reserve() for _ in range(3)] == [0, 0, 0]  # the budget has room
    assert lim.reserve() == pytest.approx(1.0)  # the 4th waits until the 1st leaves the window
    clock.now += 0.25
    assert lim.reserve() == pytest.approx(0.75)
    clock.now += 5
    assert lim.reserve() == 0
    assert [g.asked for g in lim.grants()] == [100.0] * 4 + [100.25, 105.25]
    assert slots(lim.grants()) == pytest.approx([100.0, 100.0, 100.0, 101.0, 101.0, 105.25])
    assert max_in_window(slots(lim.grants()), 1.0 - EPS) == 3
    assert [g.wait for g in lim.grants()] == pytest.approx([0, 0, 0, 1.0, 0.75, 0])


def test_grant_history_is_bounded():
    lim = RateLimiter(RateLimit(1000, 1.0), history=5)
    for _ in range(12):
        lim.reserve()
    assert len(lim.grants()) == 5


def test_threads_never_exceed_budget():
    lim = RateLimiter(RateLimit(20, 0.4))
    done: list[float] = []
    lock = threading.Lock()

    def worker():
        for _ in range(15):
            lim.acquire()
            with lock:
                done.append(lim.clock())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    grants = lim.grants()
    assert len(grants) == len(done) == 60
    assert max_in_window(slots(grants), 0.4 - EPS) <= 20
    # 60 grants at 20 per 0.4 s need at least two full windows, and no caller went before its slot:
    # the limiter really waited.
    assert max(slots(grants)) - min(slots(grants)) >= 0.8 - EPS
    assert none_before_its_slot(done, grants)


async def test_asyncio_tasks_and_threads_share_one_budget():
    lim = get_limiter("track", "test-shared", RateLimit(10, 0.3))
    before = len(lim.grants())
    done: list[float] = []

    async def task():
        for _ in range(5):
            await lim.acquire_async()
            done.append(lim.clock())

    def thread():
        for _ in range(10):
            get_limiter("track", "test-shared", RateLimit(10, 0.3)).acquire()
            done.append(lim.clock())

    th = threading.Thread(target=thread)
    th.start()
    await asyncio.gather(*(task() for _ in range(4)))
    th.join()
    grants = lim.grants()[before:]
    assert len(grants) == len(done) == 30
    assert max_in_window(slots(grants), 0.3 - EPS) <= 10
    assert none_before_its_slot(done, grants)


def test_transport_requests_reach_the_server_within_budget():
    s = Settings(base_url="http://x", app_api_key="k" * 10)
    with ScriptedServer() as srv:
        t = SyncTransport(s.with_overrides(base_url=srv.url), "app", rate_limits={"default": RateLimit(5, 0.3)})
        spec = RequestSpec("GET", "/v1/campaigns", operation_id="listCampaigns")
        lim = t.limiter("default")
        assert lim is not None
        before = len(lim.grants())
        for _ in range(15):
            t.send(spec)
        t.close()
        arrivals = [x.at for x in srv.seen]
    grants = lim.grants()[before:]
    assert len(grants) == 15
    assert max_in_window(slots(grants), 0.3 - EPS) <= 5
    # Every request reached the server after its slot opened (the server stamps the same clock).
    assert none_before_its_slot(arrivals, grants)


def test_documented_defaults():
    assert get_limiter("pipelines").rate == RateLimit(3000, 3.0)
    assert get_limiter("app").rate == RateLimit(10, 1.0)
    assert get_limiter("app", "transactional").rate == RateLimit(100, 1.0)
    assert get_limiter("app", "broadcast_trigger").rate == RateLimit(1, 10.0)
    assert get_limiter("app") is get_limiter("app")


def test_invalid_rate_is_rejected():
    with pytest.raises(ValueError, match="rate limit"):
        RateLimit(0, 1)
