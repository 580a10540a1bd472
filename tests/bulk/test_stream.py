"""Streamed pre-flight (``preflight="stream"``): sending starts while later rows are checked; nothing is lost."""

from __future__ import annotations

import threading
from pathlib import Path

import orjson
import pyarrow as pa
import pytest

from cio_toolkit import CustomerIO, RetryPolicy, ValidationError, bulk

from .._servers import Action, ScriptedServer
from .conftest import events_table

FAST = RetryPolicy(max_retries=5, backoff_base=0.01, backoff_cap=0.05, budget=30)


def _ids(server: ScriptedServer) -> list[str]:
    return [c["messageId"] for s in server.seen if s.path.endswith("/v1/batch") for c in orjson.loads(s.body)["batch"]]


def _load(server: ScriptedServer, table, journal: Path, **kw):
    cio = CustomerIO(pipelines_api_key="test-key", base_url=server.url)
    kw.setdefault("retry", FAST)
    return bulk.load(cio, table, kind="track", journal=journal, progress=None, **kw)


def test_a_streamed_load_sends_before_the_pass_ends(journal_path: Path):
    table = events_table(9000)
    first_request = threading.Event()
    waited: list[bool] = []

    def hold(rows: list) -> list:
        # From the second record batch on, the pass waits until the server has seen a request:
        # only a load that sends while it still checks gets past this without the timeout.
        if rows and rows[0].ordinal >= 3000:
            waited.append(first_request.wait(timeout=30))
        return rows

    class Signalling(list):
        def append(self, seen) -> None:
            super().append(seen)
            first_request.set()

    with ScriptedServer() as server:
        server.seen = Signalling()
        report = _load(server, table, journal_path, preflight="stream", batch_rows=3000, _select=hold)
    assert waited and all(waited)
    assert report.ok and report.acknowledged == 9000
    assert len(set(_ids(server))) == 9000
    with bulk.Journal(journal_path) as j:
        job = j.job(report.job)
        assert job.status == "complete" and job.fingerprint is not None and job.fingerprint["rows"] == 9000


def test_streamed_and_full_loads_send_the_same_calls(journal_path: Path, tmp_path: Path):
    table = events_table(5000, prefix="same")
    with ScriptedServer() as full:  # one request in flight: the order of arrival is the order of packing
        _load(full, table, journal_path, job="full", concurrency=1)
    with ScriptedServer() as streamed:
        _load(streamed, table, tmp_path / "other.sqlite", job="full", preflight="stream", concurrency=1)
    assert _ids(streamed) == _ids(full)
    assert [s.body for s in streamed.seen] == [s.body for s in full.seen]


def test_rejections_found_late_stop_a_streamed_load_over_max_rejected(journal_path: Path):
    table = events_table(12_000).to_pandas()
    table.loc[9_000:, "user_id"] = None  # the bad rows are only met after sending began
    with ScriptedServer() as server, pytest.raises(bulk.RejectedRowsError) as exc:
        _load(server, table, journal_path, preflight="stream", batch_rows=3000, max_rejected=10)
    report = exc.value.report
    assert report.status == "aborted" and report.rejected > 10
    assert report.acknowledged > 0 and len(set(_ids(server))) == report.acknowledged  # sent before the stop
    # Every row read has an outcome: nothing is dropped silently.
    assert report.acknowledged + report.failed + report.rejected == report.rows_read


def test_a_streamed_keyed_job_resumes_with_only_what_is_missing(journal_path: Path):
    table = events_table(6000)
    with ScriptedServer(Action(status=200), *[Action(status=500)] * 40) as server:
        first = _load(server, table, journal_path, job="k", key="seq", preflight="stream",
                      retry=RetryPolicy(max_retries=1, backoff_base=0.01))
        assert first.failed > 0 and first.acknowledged + first.failed == 6000
        before = len(server.seen)
        server.script.clear()
        second = _load(server, table, journal_path, job="k", key="seq", preflight="stream", resume=True)
        resent = {c["messageId"] for s in server.seen[before:] for c in orjson.loads(s.body)["batch"]}
    assert second.ok and second.skipped == first.acknowledged and len(resent) == first.failed


def test_a_resume_by_row_position_needs_a_full_preflight(journal_path: Path):
    table = pa.table({"user_id": ["u1"], "event": ["e"]})
    with ScriptedServer() as server:
        _load(server, table, journal_path, job="pos", preflight="stream")
        with pytest.raises(ValidationError, match="preflight='full'") as exc:
            _load(server, table, journal_path, job="pos", preflight="stream", resume=True)
        assert exc.value.field == "preflight"
        assert _load(server, table, journal_path, job="pos", resume=True).ok  # the full pass checks the source
        with pytest.raises(ValidationError, match="'full' or 'stream'"):
            _load(server, table, journal_path, job="x", preflight="later")
