"""One rate budget per write run, on a fake clock: the driver's coordinator, and a task's share without it."""

from __future__ import annotations

import itertools

import pytest

pytest.importorskip("pyspark")

from cio_toolkit import CustomerIO, RateLimit
from cio_toolkit.spark._budget import JITTER, LATE, LINGER, Connection, Coordinator, TaskLimiter, end_run
from cio_toolkit.spark._options import task_rate
from tests._servers import Action, ScriptedServer

BUDGET = task_rate("pipelines", 20, 1)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def joined(coordinator: Coordinator, run: str = "r1", rate: RateLimit = BUDGET) -> Connection:
    conversation = coordinator.connection()
    assert conversation.handle(f"H {run} {rate.limit} {rate.period!r}") == f"T {coordinator.clock()!r}"
    return conversation


def task(coordinator: Coordinator, clock: FakeClock, run: str = "r1", tasks: int = 2) -> TaskLimiter:
    return TaskLimiter(task_rate("pipelines", 20, tasks), coordinator.address, run=run, budget=BUDGET, clock=clock)


def test_the_coordinator_grants_the_job_budget_evenly_and_honours_retry_after():
    clock = FakeClock()
    coordinator = Coordinator(clock=clock)
    with pytest.raises(ValueError):
        coordinator.connection().handle("R -")  # a task names its run first
    conversation = joined(coordinator)
    slots = []
    for _ in range(60):  # asked all at once: each answer says how long to wait, and the slot's time
        op, wait, at = conversation.handle("R -").split()
        assert float(at) == clock.now + float(wait)
        slots.append(float(at))
    assert op == "W" and slots == sorted(slots)
    # No window of the budget's period holds more than its limit, with JITTER to spare.
    assert all(b - a >= 1.0 for a, b in zip(slots, slots[20:], strict=False))
    assert slots[20] - slots[0] == pytest.approx(1.0 + JITTER)
    op, wait = conversation.handle("R 0.5").split()  # the next slot is further off than the caller may wait
    assert op == "X" and float(wait) > 0.5
    clock.now = slots[-1] + 1
    assert conversation.handle(f"O 1 {clock.now!r} 2.0") is None  # a 429 with Retry-After: 2
    op, wait, _ = conversation.handle("R -").split()
    limiter = coordinator.limiter("r1")
    assert float(wait) >= 2.0 and limiter is not None and limiter.throttled == 1
    with pytest.raises(ValueError):
        conversation.handle("GET / HTTP/1.1")


def test_each_run_has_its_own_controller_until_it_ends_or_its_tasks_are_long_gone():
    clock = FakeClock()
    coordinator = Coordinator(clock=clock)
    first, other = joined(coordinator, "r1"), joined(coordinator, "r2")
    again = joined(coordinator, "r1")  # the run's next task: the same controller
    first.handle("R -")
    assert float(again.handle("R -").split()[1]) > 0 and other.handle("R -") == f"W 0.0 {clock.now!r}"
    assert coordinator.limiter("r1") is first.limiter is again.limiter
    assert coordinator.runs() == ["r1", "r2"]
    assert other.handle("D r2") == "D" and coordinator.runs() == ["r1"]  # commit() or abort() ended it
    first.close()
    again.close()  # every task of r1 hung up: kept while another may still come
    clock.now += LINGER / 2
    joined(coordinator, "r3")
    assert coordinator.runs() == ["r1", "r3"]
    clock.now += LINGER
    joined(coordinator, "r4")  # r1's last task left longer ago than LINGER: dropped; r3's task is still on
    assert coordinator.runs() == ["r3", "r4"]


def test_a_task_draws_on_the_coordinator_and_keeps_to_its_share_without_it():
    clock = FakeClock()
    share = task_rate("pipelines", 20, 2)
    with Coordinator(clock=clock) as coordinator:
        one = task(coordinator, clock)
        waits = [one.reserve() for _ in range(25)]  # more than the task's share: the coordinator decides
        assert one.coordinated and waits[-1] == pytest.approx(24 * (1 + JITTER) / 20)
        one.observe(throttled=True, sent_at=one.clock(), retry_after=1.0)
        limiter = coordinator.limiter("r1")
        assert one.reserve() >= 1.0 and limiter is not None and limiter.throttled == 1  # one 429 slows all
        one.close()
        end_run(coordinator.address, "r1")  # what commit() does: the run's controller goes
        assert coordinator.runs() == []
    alone = task(coordinator, clock)  # the driver is gone
    step = (share.period + JITTER) / share.limit
    waits = [alone.reserve() for _ in range(share.limit)]
    # Its share, paced, after a first window with nothing sent: the task before it in its slot may
    # have sent until now, and its last requests may still be on their way.
    first = share.period + JITTER
    assert not alone.coordinated and waits == [pytest.approx(first + step * i) for i in range(share.limit)]
    plain = TaskLimiter(share, None, run="r1", budget=BUDGET, clock=clock)  # a Spark Connect client's write
    assert not plain.coordinated and plain.reserve() == pytest.approx(first)
    end_run(coordinator.address, "r1")  # nobody listens: quietly nothing


def test_tasks_without_the_coordinator_one_after_another_in_a_slot_never_exceed_its_share_in_a_window():
    # A slot's tasks each keep to the share. A task ends once its last answer came, but its last
    # requests may all arrive only then (an executor that stalled, however long): the next task in
    # the slot sends nothing in its first window, so no window holds the tail of one and the head of the next.
    clock = FakeClock()
    share = task_rate("pipelines", 20, 2)
    arrivals: list[float] = []
    for n in (3, 14, 1, 25, 12):
        one = TaskLimiter(share, None, run="r1", budget=BUDGET, clock=clock)
        slots = []
        for _ in range(n):
            clock.now += one.reserve()
            slots.append(clock.now)
        arrivals += slots[:-share.limit] + [clock.now] * len(slots[-share.limit:])  # the tail bunched at the end
        clock.now += 0.01
    arrivals.sort()
    assert max(sum(1 for t in arrivals if a <= t < a + share.period) for a in arrivals) <= share.limit


@pytest.mark.parametrize("coordinated", [True, False])
def test_a_thread_that_woke_too_late_for_its_slot_takes_a_new_one(coordinated):
    # Sent that late, it would go out together with the slots after it: more than the budget in a window.
    clock = FakeClock()
    with Coordinator(clock=clock) as coordinator:
        one = task(coordinator, clock) if coordinated else TaskLimiter(task_rate("pipelines", 20, 2), None, run="r1",
                                                                         budget=BUDGET, clock=clock)
        clock.now += one.reserve()
        clock.now += LATE / 2
        assert one.paused() == 0 and one.late == 0  # a little late: sent
        clock.now += one.reserve() + LATE * 1.5
        assert one.paused() > 0 and one.late == 1  # too late: void
        clock.now += one.reserve()  # a new slot, paced after the void one
        assert one.paused() == 0 and one.late == 1 and one.coordinated == coordinated
        one.close()


def test_a_slot_granted_before_another_tasks_retry_after_is_void_and_taken_again_after_it():
    clock = FakeClock()
    with Coordinator(clock=clock) as coordinator:
        first, second = task(coordinator, clock), task(coordinator, clock)
        first.reserve()
        slot = second.reserve()  # the next one, a step later
        assert slot > 0 and second.paused() == 0
        first.observe(throttled=True, sent_at=first.clock(), retry_after=1.0)  # another task's 429
        first.reserve()  # answered in order: the report before it was handled
        clock.now += slot
        # The second task saw no 429 itself, but its slot fell inside the pause: it takes a new one.
        assert second.paused() == pytest.approx(1.0 - slot)
        assert second.reserve() >= second.paused()
        first.close()
        second.close()


def test_429s_of_one_overload_from_several_tasks_cut_once_on_the_coordinators_clock():
    clock = FakeClock()
    with Coordinator(clock=clock) as coordinator:
        # Each task's process has its own clock: its send times are reported on the coordinator's.
        tasks = [TaskLimiter(task_rate("pipelines", 20, 2), coordinator.address, run="r1", budget=BUDGET,
                             clock=lambda k=k: clock.now + k) for k in (-50.0, 7000.0)]
        for _ in range(40):  # both tasks' requests accepted for two seconds
            for one in tasks:
                one.reserve()
                one.observe(throttled=False, sent_at=one.clock())
            clock.now += 0.05
        sent = [one.clock() for one in tasks]
        assert sent == [pytest.approx(clock.now)] * 2
        clock.now += 0.1
        for one, at in zip(tasks, sent, strict=True):  # both refused: sent before either 429 came back
            one.observe(throttled=True, sent_at=at)
        tasks[0].reserve()  # answered in order: the reports before it were handled
        tasks[1].reserve()
        limiter = coordinator.limiter("r1")
        assert limiter is not None and limiter.throttled == 2
        assert limiter.learned == pytest.approx(20 / (1 + JITTER) * 0.75, rel=0.05)  # one cut, not two
        for one in tasks:
            one.close()


def _limited_sink(conversation: Connection, clock: FakeClock, limit: int, seconds: float, kind: str) -> list[float]:
    # One sender at the coordinator's pace into a server taking ``limit`` a second (a sliding window,
    # or a token bucket of as many, slower to refuse a pace a little above it), with a 429 and
    # Retry-After: 1 above it; returns when each 429 came, in seconds from the start.
    assert conversation.limiter is not None
    start = last = clock.now
    tokens = float(limit)
    accepted: list[float] = []
    refused: list[float] = []
    while clock.now < start + seconds:
        clock.now += float(conversation.handle("R -").split()[1])  # type: ignore[union-attr]
        if conversation.limiter.paused():
            continue  # the slot fell inside a pause: void
        tokens, last = min(limit, tokens + (clock.now - last) * limit), clock.now
        if (sum(1 for t in accepted[-limit:] if t > clock.now - 1.0) >= limit) if kind == "window" else tokens < 1:
            refused.append(clock.now - start)
            conversation.handle(f"O 1 {clock.now!r} 1.0")
        else:
            accepted.append(clock.now)
            tokens -= 1
            conversation.handle(f"O 0 {clock.now!r} -")
        clock.now += 0.001
    return refused


@pytest.mark.parametrize(("kind", "seconds"), [("window", 40.0), ("bucket", 120.0)])
def test_a_sink_limited_a_little_under_the_coordinators_pace_is_found_and_then_held(kind, seconds):
    # Budget 20: the coordinator paces at 20 / (1 + JITTER) a second (14.3), so a probe grows back to
    # that ceiling soon after every cut (before a bucket runs dry); the 429 at its end still confirms
    # the sink's 13 a second, which is then held for about 30 s before the next probe.
    clock = FakeClock()
    conversation = joined(Coordinator(clock=clock))
    sink = int(20 / (1 + JITTER)) - 1
    refused = _limited_sink(conversation, clock, sink, seconds, kind)
    assert 1 <= len(refused) <= 3 and all(b - a >= 30 for a, b in itertools.pairwise(refused[1:])), refused
    assert conversation.limiter is not None
    assert 0.95 * 0.95 * 0.95 * sink <= conversation.limiter.learned <= sink  # held just under the sink's limit


def test_a_client_given_a_task_limiter_sends_through_it_and_reports_429s():
    with ScriptedServer(Action(429, headers={"Retry-After": "0"}), Action(200)) as server, \
            Coordinator() as coordinator:
        limiter = TaskLimiter(RateLimit(25, 1.0), coordinator.address, run="r1", budget=RateLimit(50, 1.0))
        with CustomerIO(pipelines_api_key="k", base_url=server.url, rate_limits={"default": limiter}) as cio:
            cio.pipelines.track(user_id="u1", event="e", message_id="m1")
        limiter.reserve()  # answered in order on the one connection: the reports before it were handled
        run = coordinator.limiter("r1")
        limiter.close()
    assert len(server.seen) == 2 and limiter.coordinated
    assert run is not None and (run.answered, run.throttled) == (2, 1) and run.rate == RateLimit(1, (1 + JITTER) / 50)
