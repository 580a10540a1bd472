"""Delivery under failure, against a scripted local server: retries, bisecting refused batches, auth stops."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from cio_toolkit import AuthenticationError, CustomerIO, RetryPolicy, ValidationError, bulk

from .._servers import Action, ScriptedServer
from .conftest import events_table

FAST = RetryPolicy(max_retries=5, backoff_base=0.01, backoff_cap=0.05, budget=30)


def _batches(server: ScriptedServer) -> list[list[str]]:
    out = []
    for seen in server.seen:
        if seen.path.endswith("/v1/batch"):
            out.append([c["messageId"] for c in orjson.loads(seen.body)["batch"]])
    return out


def _load(server: ScriptedServer, table, journal: Path, **kw):
    cio = CustomerIO(pipelines_api_key="test-key", base_url=server.url)
    kw.setdefault("concurrency", 1)
    kw.setdefault("retry", FAST)
    return bulk.load(cio, table, kind="track", journal=journal, progress=None, **kw)


def test_5xx_429_and_drops_are_retried_until_delivered(journal_path: Path):
    table = events_table(6000)
    script = [Action(status=500), Action(status=429, headers={"Retry-After": "0"}), Action(drop=True),
              Action(status=503), Action(delay=0.0)]
    with ScriptedServer(*script) as server:
        report = _load(server, table, journal_path, concurrency=2)
    assert report.ok and report.acknowledged == 6000 and report.failed == 0
    assert report.retries == 4
    delivered = [m for b in _batches(server)[4:] for m in b]  # the first 4 answers were failures
    assert len(set(delivered)) == 6000
    with bulk.Journal(journal_path) as j:
        assert len(j.acked_ids(report.job)) == 6000


def test_a_refused_batch_is_split_until_the_bad_row_is_found(journal_path: Path):
    table = events_table(8)
    # The whole batch is refused, then its first half, then the first quarter, then row 0 alone.
    script = [Action(status=400, body={"errors": [{"field": "batch[0]", "message": "bad"}]})] * 4
    with ScriptedServer(*script) as server:
        report = _load(server, table, journal_path)
    sizes = [len(b) for b in _batches(server)]
    assert sizes == [8, 4, 2, 1, 1, 2, 4]
    assert report.acknowledged == 7 and report.failed == 1 and report.status == "incomplete"
    failure = report.failures().iloc[0]
    assert failure["row"] == 0 and "refused by the API" in failure["reason"]
    assert failure["message_id"] == _batches(server)[0][0]


def test_a_refused_compressed_batch_is_unpacked_and_split(journal_path: Path):
    table = events_table(2000)  # one gzip-compressed request of ~400 KB
    with ScriptedServer(Action(status=400)) as server:
        report = _load(server, table, journal_path)
    batches = _batches(server)
    assert [len(b) for b in batches] == [2000, 1000, 1000]
    assert batches[1] + batches[2] == batches[0]  # the halves carry exactly the refused calls, in order
    assert server.seen[0].headers.get("Content-Encoding") == "gzip"
    assert report.ok and report.acknowledged == 2000


def test_auth_failure_stops_the_run_and_names_the_key(journal_path: Path):
    table = events_table(10)
    with ScriptedServer(*[Action(status=401)] * 3) as server, pytest.raises(AuthenticationError, match="API key"):
        _load(server, table, journal_path)
    with bulk.Journal(journal_path) as j:
        (job,) = j.jobs()
        assert job.status == "stopped" and job.acknowledged == 0


def test_exhausted_retries_fail_rows_and_resume_sends_only_those(journal_path: Path):
    table = events_table(6000)
    with ScriptedServer(Action(status=200), *[Action(status=500)] * 40) as server:
        first = _load(server, table, journal_path, retry=RetryPolicy(max_retries=1, backoff_base=0.01), job="j1")
        assert first.status == "incomplete" and first.acknowledged > 0 and first.failed > 0
        assert first.acknowledged + first.failed == 6000
        acked_first = set(_batches(server)[0])
        before = len(server.seen)
        server.script.clear()  # the storm is over
        second = _load(server, table, journal_path, job="j1", resume=True)
        resent = {c["messageId"] for seen in server.seen[before:] for c in orjson.loads(seen.body)["batch"]}
    assert second.ok and second.skipped == first.acknowledged and second.acknowledged == first.failed
    assert resent.isdisjoint(acked_first) and len(resent) == first.failed
    with bulk.Journal(journal_path) as j:
        assert j.job("j1").acknowledged == 6000 and j.job("j1").runs == 2


def test_job_names_guard_against_mistakes(journal_path: Path):
    table = events_table(3)
    with ScriptedServer() as server:
        _load(server, table, journal_path, job="once")
        with pytest.raises(ValidationError, match="already exists"):
            _load(server, table, journal_path, job="once")
        with pytest.raises(ValidationError, match="was a track load"):
            cio = CustomerIO(pipelines_api_key="test-key", base_url=server.url)
            bulk.load(cio, table, kind="identify", job="once", resume=True, journal=journal_path, progress=None)
    with ScriptedServer() as other, pytest.raises(ValidationError, match="was sent to"):
        _load(other, table, journal_path, job="once", resume=True)


def test_max_rejected_aborts_before_sending(journal_path: Path):
    table = events_table(20).to_pandas()
    table.loc[3, "user_id"] = None
    table.loc[7, "user_id"] = None
    with ScriptedServer() as server, pytest.raises(bulk.RejectedRowsError) as exc:
        _load(server, table, journal_path, max_rejected=1)
    assert server.seen == [] and exc.value.report.rejected == 2 and exc.value.field == "max_rejected"
    assert list(exc.value.report.rejections()["row"]) == [3, 7]
