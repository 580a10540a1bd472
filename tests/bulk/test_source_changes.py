"""Resuming after the source changed: refused by row position, counted with a key, never silent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from cio_toolkit import CustomerIO, RetryPolicy, ValidationError, bulk

from .._servers import Action, ScriptedServer
from .conftest import events_table

ROWS = 6000  # three requests of about 500 KB
NO_RETRY = RetryPolicy(max_retries=0)


def _load(server: ScriptedServer, source, journal: Path, **kw):
    kw.setdefault("concurrency", 1)
    with CustomerIO(pipelines_api_key="test-key", base_url=server.url) as cio:
        return bulk.load(cio, source, kind="track", journal=journal, progress=None, **kw)


def _interrupted(server: ScriptedServer, source, journal: Path, **kw) -> bulk.LoadReport:
    """A first run that delivers its first request only (the others meet a 5xx storm)."""
    server.script.extend([Action(status=200), *[Action(status=500)] * 10])
    first = _load(server, source, journal, retry=NO_RETRY, **kw)
    assert first.status == "incomplete" and 0 < first.acknowledged < ROWS
    server.script.clear()
    return first


def _sent_ids(server: ScriptedServer, since: int) -> list[str]:
    return [c["messageId"] for seen in server.seen[since:] for c in orjson.loads(seen.body)["batch"]]


def _gained(t: pa.Table) -> pa.Table:
    return pa.concat_tables([events_table(100, prefix="new", start=10**6), t])


def _lost(t: pa.Table) -> pa.Table:
    return t.slice(250)


def _reordered(t: pa.Table) -> pa.Table:
    return t.take(pa.array(range(t.num_rows - 1, -1, -1)))


def _edited(t: pa.Table) -> pa.Table:
    plan = pc.if_else(pc.less(t.column("seq"), 5), pa.scalar("gold"), t.column("plan"))
    return t.set_column(t.schema.get_field_index("plan"), "plan", plan)


@pytest.mark.parametrize(("change", "said"), [
    (_gained, r"6,000 rows then, 6,100 now; \d[\d,]* of the [\d,]+ rows already delivered are no longer"),
    (_lost, r"6,000 rows then, 5,750 now"),
    (_reordered, r"of the [\d,]+ rows already delivered are no longer at the same position"),
    (_edited, r"5 of the [\d,]+ rows already delivered are no longer at the same position with the same content"),
], ids=["gained", "lost", "reordered", "edited"])
def test_resume_by_row_position_refuses_a_changed_source_and_sends_nothing(journal_path: Path, change, said):
    table = events_table(ROWS, prefix="chg")
    with ScriptedServer() as server:
        _interrupted(server, table, journal_path, job="pos")
        before = len(server.seen)
        with pytest.raises(ValidationError, match=said) as err:
            _load(server, change(table).to_pandas(), journal_path, job="pos", resume=True)
        assert len(server.seen) == before  # nothing was sent
    assert err.value.field == "source"
    assert "identifies rows by their position (no key)" in err.value.message and "key=" in err.value.message
    with bulk.Journal(journal_path) as j:
        info = j.job("pos")
    assert info.runs == 1 and info.status == "incomplete"  # the refused resume left the job as it was


def test_resume_by_position_names_changed_columns_and_accepts_an_equivalent_frame(journal_path: Path):
    table = events_table(ROWS, prefix="col")
    with ScriptedServer() as server:
        _interrupted(server, table, journal_path, job="cols")
        wider = table.append_column("tier", pa.array(["x"] * ROWS))
        with pytest.raises(ValidationError, match="columns added: tier"):
            _load(server, wider, journal_path, job="cols", resume=True)
        with pytest.raises(ValidationError, match=r"column types changed: amount \(double -> string\)"):
            _load(server, table.set_column(4, "amount", pc.cast(table.column("amount"), pa.string())),
                  journal_path, job="cols", resume=True)
        # The same rows as a pandas frame (large_string columns, nanosecond timestamps) are no change.
        done = _load(server, table.to_pandas(), journal_path, job="cols", resume=True)
    assert done.ok and done.changed == 0 and done.skipped + done.acknowledged == ROWS


def test_a_job_named_after_its_file_is_found_again_after_the_file_changed(journal_path: Path, tmp_path: Path):
    path = tmp_path / "events.parquet"
    table = events_table(ROWS, prefix="file")
    pq.write_table(table, path, row_group_size=2000)
    with ScriptedServer() as server:
        first = _interrupted(server, path, journal_path)
        pq.write_table(_gained(table), path, row_group_size=2000)
        before = len(server.seen)
        with pytest.raises(ValidationError, match=r"source: the source of job .* changed .*the file was modified"):
            _load(server, path, journal_path, resume=True)  # no job name: derived from the file's path
        assert len(server.seen) == before
    assert first.job.startswith("track-")


def test_resume_with_a_key_sends_changed_rows_as_new_events_and_counts_them(journal_path: Path):
    table = events_table(ROWS, prefix="key")
    with ScriptedServer() as server:
        first = _interrupted(server, table, journal_path, job="keyed", key="seq")
        delivered = set(_sent_ids(server, 0)[: first.acknowledged])
        # Five delivered rows edited, every row moved, 100 rows added: resumed by key, not by position.
        changed = _reordered(_gained(_edited(table)))
        before = len(server.seen)
        report = _load(server, changed, journal_path, job="keyed", key="seq", resume=True)
        resent = _sent_ids(server, before)
    assert report.ok and report.changed == 5
    assert report.skipped == first.acknowledged - 5
    assert report.acknowledged == ROWS + 100 - report.skipped == len(resent)
    assert delivered.isdisjoint(resent)  # no delivered row went again under its old messageId
    assert "changed since the interrupted run: 5 rows" in str(report)
    assert report.summary()["changed"] == 5


def test_resume_refuses_a_different_key(journal_path: Path):
    table = events_table(ROWS, prefix="rekey")
    with ScriptedServer() as server:
        _interrupted(server, table, journal_path, job="rekey")
        before = len(server.seen)
        with pytest.raises(ValidationError, match=r"identified its rows by row position \(no key\), this run by "
                                                  r"key=\['seq'\]") as err:
            _load(server, table, journal_path, job="rekey", key="seq", resume=True)
        assert len(server.seen) == before
    assert err.value.field == "key"


_OLD_SCHEMA = """
CREATE TABLE jobs (job TEXT PRIMARY KEY, kind TEXT NOT NULL, api TEXT NOT NULL, target TEXT NOT NULL,
    source TEXT NOT NULL, mapping TEXT NOT NULL, status TEXT NOT NULL, created_at REAL NOT NULL,
    updated_at REAL NOT NULL, runs INTEGER NOT NULL DEFAULT 0, summary TEXT);
CREATE TABLE acks (job TEXT NOT NULL, seq INTEGER NOT NULL, n INTEGER NOT NULL, ids BLOB NOT NULL,
    at REAL NOT NULL, PRIMARY KEY (job, seq)) WITHOUT ROWID;
"""


def test_a_journal_from_an_older_version_resumes_with_a_warning(journal_path: Path, tmp_path: Path):
    table = events_table(ROWS, prefix="old")
    with ScriptedServer() as server:
        first = _interrupted(server, table, tmp_path / "new.sqlite", job="old")
        # The same job in a journal written before fingerprints existed.
        with sqlite3.connect(journal_path) as db:
            db.executescript(_OLD_SCHEMA)
            db.execute("ATTACH DATABASE ? AS new", (str(tmp_path / "new.sqlite"),))
            db.execute("INSERT INTO jobs SELECT job, kind, api, target, source, mapping, status, created_at, "
                       "updated_at, runs, summary FROM new.jobs")
            db.execute("INSERT INTO acks SELECT job, seq, n, ids, at FROM new.acks")
        db.close()
        with pytest.warns(UserWarning, match="without a source fingerprint"):
            resumed = _load(server, table, journal_path, job="old", resume=True)
    assert resumed.ok and resumed.skipped == first.acknowledged
    with bulk.Journal(journal_path) as j:
        assert j.job("old").fingerprint["rows"] == ROWS  # recorded now: the next resume is checked
