"""The data source's options and budget, without a SparkSession: what is refused, and each task's share."""

from __future__ import annotations

import itertools

import pytest

pytest.importorskip("pyspark")

from cio_toolkit import CustomerIO, RateLimit, ValidationError
from cio_toolkit.spark._budget import JITTER, Coordinator, TaskLimiter
from cio_toolkit.spark._options import ReadOptions, WriteOptions, task_rate
from cio_toolkit.spark._read import LISTS, records_table
from tests._servers import Action, ScriptedServer

BASE = {"kind": "track", "key": "event_id", "job": "orders-2026-12", "checkpoint": "/lake/cio/orders"}


@pytest.mark.parametrize("name", ["pipelines_api_key", "CIO_TRACK_API_KEY", "site_id", "app_api_key", "write_key",
                                  "password", "token"])
def test_an_option_that_looks_like_a_credential_is_refused_without_its_value(name):
    with pytest.raises(ValidationError, match="CIO_") as caught:
        WriteOptions.parse({**BASE, name: "s3cr3t-value"})
    assert "s3cr3t-value" not in str(caught.value) and caught.value.field == name.lower()


def test_options_are_parsed_with_the_column_roles_of_bulk_load():
    o = WriteOptions.parse({**BASE, "User_ID": "uid", "event": "name", "key": "a, b", "fields": "x,y",
                            "requests_per_second": "500", "resume": "true", "path": "ignored"})
    assert o.roles == {"user_id": "uid", "event": "name", "key": ("a", "b"), "fields": ("x", "y")}
    assert (o.requests_per_second, o.resume, o.api, o.concurrency) == (500.0, True, "pipelines", 4)


@pytest.mark.parametrize(("change", "field"), [
    ({"key": None}, "key"), ({"job": None}, "job"), ({"checkpoint": None}, "checkpoint"),
    ({"job": "../elsewhere"}, "job"), ({"evnet": "e"}, "evnet"), ({"requests_per_second": "-1"}, "requests_per_second"),
    ({"resume": "maybe"}, "resume"), ({"concurrency": "100"}, "concurrency"),
])
def test_bad_options_name_the_field(change, field):
    options = {k: v for k, v in {**BASE, **change}.items() if v is not None}
    with pytest.raises(ValidationError) as caught:
        WriteOptions.parse(options)
    assert caught.value.field == field


def test_each_task_gets_its_share_of_the_budget():
    assert task_rate("pipelines", None, 2) == RateLimit(500, 1.0)  # 3000 per 3 s over 2 tasks
    assert task_rate("track", None, 8) == RateLimit(125, 1.0)
    assert task_rate("pipelines", 500, 3) == RateLimit(166, 1.0)  # rounded down: never over the budget
    assert task_rate("pipelines", 2, 8) == RateLimit(1, 4.0)  # below one a second: one per 4 s
    for tasks in (1, 3, 7, 64):
        share = task_rate("pipelines", 900, tasks)
        assert tasks * share.limit / share.period <= 900


def test_read_options_take_exactly_one_of_list_or_export():
    assert ReadOptions.parse({"list": "campaigns"}, LISTS).list == "campaigns"
    o = ReadOptions.parse({"export": "deliveries", "campaign_id": "7"}, LISTS)
    assert o.fields == {"campaign_id": 7}
    for bad, field in (({}, "list"), ({"list": "people"}, "list"), ({"export": "orders"}, "export"),
                       ({"export": "customers", "filters": "[1]"}, "filters"),
                       ({"list": "segments", "app_api_key": "x"}, "app_api_key")):
        with pytest.raises(ValidationError) as caught:
            ReadOptions.parse(bad, LISTS)
        assert caught.value.field == field


def test_list_items_become_typed_columns_and_nested_fields_json():
    table = records_table([{"id": 1, "name": "a", "active": True, "tags": ["x"]},
                           {"id": 2, "score": 1.5, "meta": {"k": 1}}])
    types = {f.name: str(f.type) for f in table.schema}
    assert types == {"id": "int64", "name": "string", "active": "bool", "tags": "string", "score": "double",
                     "meta": "string"}
    assert table.column("tags").to_pylist() == ['["x"]', None] and table.column("meta")[1].as_py() == '{"k":1}'


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_coordinator_grants_the_job_budget_evenly_and_honours_retry_after():
    clock = FakeClock()
    coordinator = Coordinator(RateLimit(20, 1.0), clock=clock)
    slots = []
    for _ in range(60):  # asked all at once: each answer says how long to wait
        op, wait = coordinator.handle("R -").split()
        slots.append(clock.now + float(wait))
    assert op == "W" and slots == sorted(slots)
    # No window of the budget's period holds more than its limit, with JITTER to spare.
    assert all(b - a >= 1.0 for a, b in zip(slots, slots[20:], strict=False))
    assert slots[20] - slots[0] == pytest.approx(1.0 + JITTER)
    op, wait = coordinator.handle("R 0.5").split()  # the next slot is further off than the caller may wait
    assert op == "X" and float(wait) > 0.5
    clock.now = slots[-1] + 1
    assert coordinator.handle(f"O 1 {clock.now!r} 2.0") is None  # a 429 with Retry-After: 2
    op, wait = coordinator.handle("R -").split()
    assert float(wait) >= 2.0 and coordinator.limiter.throttled == 1
    with pytest.raises(ValueError):
        coordinator.handle("GET / HTTP/1.1")


def test_a_task_draws_on_the_coordinator_and_keeps_to_its_share_without_it():
    clock = FakeClock()
    share = task_rate("pipelines", 20, 2)
    with Coordinator(task_rate("pipelines", 20, 1), clock=clock) as coordinator:
        task = TaskLimiter(share, coordinator.address, clock=clock)
        waits = [task.reserve() for _ in range(25)]  # more than the task's share: the coordinator decides
        assert task.coordinated and waits[-1] == pytest.approx(24 * (1 + JITTER) / 20)
        task.observe(throttled=True, sent_at=task.clock(), retry_after=1.0)
        assert task.reserve() >= 1.0 and coordinator.limiter.throttled == 1  # one task's 429 slows them all
        task.close()
    alone = TaskLimiter(share, coordinator.address, clock=clock)  # the driver is gone
    step = (share.period + JITTER) / share.limit
    waits = [alone.reserve() for _ in range(share.limit)]
    # Its share, paced, after one step: the task before it in its slot may have sent until now.
    assert not alone.coordinated and waits == [pytest.approx(step * (i + 1)) for i in range(share.limit)]
    plain = TaskLimiter(share, None, clock=clock)  # a write without load(): the same
    assert not plain.coordinated and plain.reserve() == pytest.approx(step)


def test_a_slot_granted_before_another_tasks_retry_after_is_void_and_taken_again_after_it():
    clock = FakeClock()
    with Coordinator(task_rate("pipelines", 20, 1), clock=clock) as coordinator:
        first, second = (TaskLimiter(task_rate("pipelines", 20, 2), coordinator.address, clock=clock)
                         for _ in range(2))
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
    with Coordinator(task_rate("pipelines", 20, 1), clock=clock) as coordinator:
        # Each task's process has its own clock: its send times are reported on the coordinator's.
        tasks = [TaskLimiter(task_rate("pipelines", 20, 2), coordinator.address, clock=lambda k=k: clock.now + k)
                 for k in (-50.0, 7000.0)]
        for _ in range(40):  # both tasks' requests accepted for two seconds
            for task in tasks:
                task.reserve()
                task.observe(throttled=False, sent_at=task.clock())
            clock.now += 0.05
        sent = [task.clock() for task in tasks]
        assert sent == [pytest.approx(clock.now)] * 2
        clock.now += 0.1
        for task, at in zip(tasks, sent, strict=True):  # both refused: sent before either 429 came back
            task.observe(throttled=True, sent_at=at)
        tasks[0].reserve()  # answered in order: the reports before it were handled
        tasks[1].reserve()
        assert coordinator.limiter.throttled == 2
        assert coordinator.limiter.learned == pytest.approx(16 * 0.75, rel=0.05)  # one cut, not two
        for task in tasks:
            task.close()


def _limited_sink(coordinator: Coordinator, clock: FakeClock, limit: int, seconds: float, kind: str) -> list[float]:
    # One sender at the coordinator's pace into a server taking ``limit`` a second (a sliding window,
    # or a token bucket of as many, slower to refuse a pace a little above it), with a 429 and
    # Retry-After: 1 above it; returns when each 429 came, in seconds from the start.
    start = last = clock.now
    tokens = float(limit)
    accepted: list[float] = []
    refused: list[float] = []
    while clock.now < start + seconds:
        clock.now += float(coordinator.handle("R -").split()[1])
        if coordinator.limiter.paused():
            continue  # the slot fell inside a pause: void
        tokens, last = min(limit, tokens + (clock.now - last) * limit), clock.now
        if (sum(1 for t in accepted[-limit:] if t > clock.now - 1.0) >= limit) if kind == "window" else tokens < 1:
            refused.append(clock.now - start)
            coordinator.handle(f"O 1 {clock.now!r} 1.0")
        else:
            accepted.append(clock.now)
            tokens -= 1
            coordinator.handle(f"O 0 {clock.now!r} -")
        clock.now += 0.001
    return refused


@pytest.mark.parametrize(("kind", "seconds"), [("window", 40.0), ("bucket", 120.0)])
def test_a_sink_limited_a_little_under_the_coordinators_pace_is_found_and_then_held(kind, seconds):
    # Budget 20: the coordinator paces at 16 a second, so a probe grows back to that ceiling soon
    # after every cut (before a bucket runs dry); the 429 at its end still confirms the sink's 15
    # a second, which is then held for about 30 s before the next probe.
    clock = FakeClock()
    coordinator = Coordinator(task_rate("pipelines", 20, 1), clock=clock)
    refused = _limited_sink(coordinator, clock, 15, seconds, kind)
    assert 1 <= len(refused) <= 3 and all(b - a >= 30 for a, b in itertools.pairwise(refused[1:])), refused
    assert coordinator.limiter.learned == pytest.approx(15 * 0.95 * 0.95, rel=0.05)


def test_a_client_given_a_task_limiter_sends_through_it_and_reports_429s():
    with ScriptedServer(Action(429, headers={"Retry-After": "0"}), Action(200)) as server, \
            Coordinator(RateLimit(50, 1.0)) as coordinator:
        limiter = TaskLimiter(RateLimit(25, 1.0), coordinator.address)
        with CustomerIO(pipelines_api_key="k", base_url=server.url, rate_limits={"default": limiter}) as cio:
            cio.pipelines.track(user_id="u1", event="e", message_id="m1")
        limiter.reserve()  # answered in order on the one connection: the reports before it were handled
        limiter.close()
    assert len(server.seen) == 2 and limiter.coordinated
    assert (coordinator.limiter.answered, coordinator.limiter.throttled) == (2, 1)


@pytest.mark.parametrize("api", ["pipelines", "track"])  # the column-wise path, and the row-by-row one
def test_a_partition_is_packed_by_bulks_preflight_skipping_what_an_earlier_attempt_acknowledged(api):
    import pyarrow as pa

    from cio_toolkit.bulk._columns import ColumnEncoder, unsupported
    from cio_toolkit.bulk._journal import AckedIds
    from cio_toolkit.bulk._mapping import Encoded
    from cio_toolkit.bulk._preflight import pack_stream
    from cio_toolkit.spark._encode import encoder_for, keys_and_ids, new_report

    n = 1200
    table = pa.table({"event_id": [f"e{i}" for i in range(n)], "user_id": [f"u{i % 7}" if i != 3 else None
                                                                          for i in range(n)],
                      "event": ["viewed"] * n, "amount": [i * 0.5 for i in range(n)]})
    encoder = encoder_for("track", api, table.schema, {"key": ("event_id",)})
    assert (unsupported(encoder) is None) == (api == "pipelines")
    expected = [e.message_id for e in encoder.encode(table.to_batches()[0], 0) if isinstance(e, Encoded)]
    parts = table.to_batches(max_chunksize=250)
    columns = [keys_and_ids(ColumnEncoder(encoder), b) for b in parts]
    # Arrow columns of each batch's length: the rejected row keeps its key, its id is null.
    assert all(k.type == i.type == pa.string() and len(k) == len(i) == b.num_rows
               for (k, i), b in zip(columns, parts, strict=True))
    keys, ids = pa.concat_arrays([k for k, _ in columns]), pa.concat_arrays([i for _, i in columns])
    assert keys.to_pylist() == table.column("event_id").to_pylist() and ids.null_count == 1
    assert not ids[3].is_valid and ids.drop_null().to_pylist() == expected  # bulk's row encoder's ids
    report = new_report("j", "track", api, "t", "s", {})
    batches = list(pack_stream(encoder, table.to_batches(max_chunksize=250), report,
                               acked=AckedIds.of(expected[:100])))
    assert [i for b in batches for i in b.ids] == expected[100:]
    assert (report.rows_read, report.rejected, report.skipped) == (n, 1, 100)
