"""Bounded polling on a fake clock: checks at once, stops at the deadline, names what it waited for."""

from __future__ import annotations

import asyncio

import pytest

from cio_toolkit import NotFoundError, NotReadyError, ValidationError
from cio_toolkit._wait import wait_until, wait_until_async


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_returns_the_first_ready_value_checking_at_once_then_every_interval():
    clock, answers = FakeClock(), iter([None, False, {"id": 1}])
    result = wait_until(lambda: next(answers), timeout=10, interval=2, message="x", clock=clock, sleep=clock.sleep)
    assert result == {"id": 1} and clock.sleeps == [2, 2]


def test_gives_up_at_the_deadline_without_sleeping_past_it():
    clock, seen = FakeClock(), []
    with pytest.raises(NotReadyError) as ei:
        wait_until(lambda: seen.append(clock.now), timeout=5, interval=2, message=lambda: f"{len(seen)} checks",
                   clock=clock, sleep=clock.sleep)
    assert clock.sleeps == [2, 2, 1] and clock.now == 5 and seen == [0, 2, 4, 5]
    assert str(ei.value) == "4 checks"  # the message is made when time runs out, so it can say how far it got
    assert isinstance(ei.value, TimeoutError)  # the builtin, so generic handlers catch it too


@pytest.mark.parametrize(("field", "bad"), [("timeout", -1), ("interval", 0)])
def test_bounds_are_checked_and_named(field, bad):
    kwargs = {"timeout": 1.0, "interval": 1.0, field: bad}
    with pytest.raises(ValidationError) as ei:
        wait_until(lambda: True, message="x", **kwargs)
    assert ei.value.field == field


def test_timeout_zero_checks_once():
    clock, seen = FakeClock(), []
    with pytest.raises(NotReadyError):
        wait_until(lambda: seen.append(1), timeout=0, message="x", clock=clock, sleep=clock.sleep)
    assert seen == [1] and clock.sleeps == []


def test_async_form_awaits_the_check():
    calls = []

    async def check():
        calls.append(1)
        return len(calls) if len(calls) == 3 else None

    assert asyncio.run(wait_until_async(check, timeout=5, interval=0.001, message="x")) == 3


def test_errors_named_in_retry_on_count_as_not_ready_and_are_reported():
    clock, answers = FakeClock(), iter([NotFoundError("customer 'u1' not found", status=404), {"id": "u1"}])

    def check():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert wait_until(check, timeout=5, retry_on=(NotFoundError,), clock=clock, sleep=clock.sleep) == {"id": "u1"}
    with pytest.raises(NotReadyError) as ei:
        wait_until(lambda: (_ for _ in ()).throw(NotFoundError("gone", status=404)), timeout=1, interval=1,
                   retry_on=(NotFoundError,), message="u1 not visible", clock=clock, sleep=clock.sleep)
    assert str(ei.value).startswith("u1 not visible (last check: NotFoundError: gone")


def test_other_errors_propagate_at_once_and_the_default_message_names_the_timeout():
    clock = FakeClock()
    with pytest.raises(ZeroDivisionError):
        wait_until(lambda: 1 / 0, timeout=5, retry_on=(NotFoundError,), clock=clock, sleep=clock.sleep)
    assert clock.sleeps == []
    with pytest.raises(NotReadyError, match=r"^not ready after 2 s$"):
        wait_until(lambda: None, timeout=2, clock=clock, sleep=clock.sleep)


def test_public_from_the_package():
    import cio_toolkit

    assert cio_toolkit.wait_until is wait_until and cio_toolkit.wait_until_async is wait_until_async
