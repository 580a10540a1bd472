"""The limiter never exceeds its budget in any window, across threads, tasks and a real server."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from cio_toolkit import RateLimit
from cio_toolkit._config import Settings
from cio_toolkit._ratelimit import RateLimiter, get_limiter
from cio_toolkit._transport import RequestSpec, SyncTransport
from tests._servers import ScriptedServer


def max_in_window(times: list[float], period: float) -> int:
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - period:
            j += 1
        best = max(best, i - j + 1)
    return best


def test_threads_never_exceed_budget():
    lim = RateLimiter(RateLimit(20, 0.4))
    times: list[float] = []
    lock = threading.Lock()

    def worker():
        for _ in range(15):
            lim.acquire()
            with lock:
                times.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(times) == 60
    assert max_in_window(times, 0.4 - 0.01) <= 20
    # 60 grants at 20 per 0.4 s need at least two full windows: the limiter really waited.
    assert time.monotonic() - t0 >= 0.79


async def test_asyncio_tasks_and_threads_share_one_budget():
    lim = get_limiter("track", "test-shared", RateLimit(10, 0.3))
    times: list[float] = []

    async def task():
        for _ in range(5):
            await lim.acquire_async()
            times.append(time.monotonic())

    def thread():
        for _ in range(10):
            get_limiter("track", "test-shared", RateLimit(10, 0.3)).acquire()
            times.append(time.monotonic())

    th = threading.Thread(target=thread)
    th.start()
    await asyncio.gather(*(task() for _ in range(4)))
    th.join()
    assert len(times) == 30
    assert max_in_window(times, 0.3 - 0.01) <= 10


def test_transport_requests_arrive_within_budget_at_the_server():
    s = Settings(base_url="http://x", app_api_key="k" * 10)
    with ScriptedServer() as srv:
        t = SyncTransport(s.with_overrides(base_url=srv.url), "app", rate_limits={"default": RateLimit(5, 0.3)})
        spec = RequestSpec("GET", "/v1/campaigns", operation_id="listCampaigns")
        t.send(spec)  # open the connection first so connect latency does not skew arrivals
        time.sleep(0.35)
        for _ in range(15):
            t.send(spec)
        t.close()
        arrivals = [x.at for x in srv.seen[1:]]
    assert max_in_window(arrivals, 0.3 - 0.02) <= 5


def test_documented_defaults():
    assert get_limiter("pipelines").rate == RateLimit(3000, 3.0)
    assert get_limiter("app").rate == RateLimit(10, 1.0)
    assert get_limiter("app", "transactional").rate == RateLimit(100, 1.0)
    assert get_limiter("app", "broadcast_trigger").rate == RateLimit(1, 10.0)
    assert get_limiter("app") is get_limiter("app")


def test_invalid_rate_is_rejected():
    with pytest.raises(ValueError, match="rate limit"):
        RateLimit(0, 1)
