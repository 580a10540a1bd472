"""A failure inside a send worker (the journal refusing a write) ends the load with an error, never a success.

The server is the real emulator; the fault is injected into our own storage: a journal whose
second acknowledgement write fails, and a ``cio load`` process whose file size limit the
journal outgrows (as on a full disk).
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cio_toolkit import CustomerIO, bulk
from cio_toolkit.emulator import Emulator

from .conftest import events_table, people_table

ROWS = 20_000


class FailingJournal(bulk.Journal):
    """A journal whose ``fail_on``-th acknowledgement write fails like a full disk, and every one after it."""

    def __init__(self, path: Path, fail_on: int = 2) -> None:
        super().__init__(path)
        self.fail_on = fail_on
        self.calls = 0

    def ack(self, job, message_ids, keys=None):
        self.calls += 1
        if self.calls >= self.fail_on:
            raise sqlite3.OperationalError("database or disk is full")
        super().ack(job, message_ids, keys=keys)


def _stored(emu: Emulator, ids: list[str]) -> int:
    rows = emu.store.query("SELECT COUNT(DISTINCT message_id) AS n FROM events WHERE message_id IN "
                           "(SELECT value FROM json_each(?))", (json.dumps(ids),))
    return int(rows[0]["n"])


def test_a_failing_journal_write_stops_the_load_and_no_unjournaled_row_counts_as_acknowledged(tmp_path: Path):
    table = events_table(ROWS, prefix="jfail")
    path = tmp_path / "journal.sqlite"
    with Emulator() as emu, CustomerIO(**emu.settings()) as cio:
        with FailingJournal(path) as journal, pytest.raises(bulk.JournalError, match=r"bulk journal .*journal\.sqlite") as err:
            bulk.load(cio, table, kind="track", job="jfail", journal=journal, progress=None)
        report = err.value.report
        assert err.value.problem == "disk full" and "sqlite" not in type(err.value).__module__
        with bulk.Journal(path) as j:
            journaled = j.acked_ids("jfail")
            assert j.job("jfail").status == "stopped"
        # The numbers agree with the status and with what the journal holds.
        assert report is not None and not report.ok and report.status == "stopped"
        assert report.acknowledged == len(journaled) < ROWS
        assert report.acknowledged + report.failed == ROWS and report.failed > 0
        assert any("could not be recorded" in r for r in report.failed_reasons)

        # A resume with a working journal sends exactly the rows the journal lacks; each lands once.
        again = bulk.load(cio, table, kind="track", job="jfail", journal=path, resume=True, progress=None)
        assert again.ok and again.skipped == len(journaled) and again.acknowledged == ROWS - len(journaled)
        with bulk.Journal(path) as j:
            everything = j.acked_ids("jfail")
        assert len(set(everything)) == ROWS and _stored(emu, everything) == ROWS


def test_a_failing_sync_state_write_fails_the_sync(tmp_path: Path):
    people = people_table(10, prefix="sfail").to_pandas()

    class FailingState(bulk.SyncState):
        def delivered(self, scope, hashes):
            self._db.execute("PRAGMA query_only = ON")  # the file turns read-only under the running sync
            super().delivered(scope, hashes)

    with Emulator() as emu, CustomerIO(**emu.settings()) as cio:
        state = FailingState(tmp_path / "state.sqlite")
        with pytest.raises(bulk.JournalError, match=r"sync state file .*state\.sqlite") as err:
            bulk.sync(cio, people, key="id", state=state, progress=None)
    assert err.value.problem == "read-only"
    assert err.value.report is not None and err.value.report.acknowledged == 0 and not err.value.report.ok


def test_a_report_is_ok_only_when_its_numbers_account_for_every_row():
    report = bulk.LoadReport(job="j", kind="track", api="pipelines", target="t", source="s", rows_read=10,
                             acknowledged=6, status="complete")
    assert not report.ok  # four rows have no outcome: "complete" alone does not make it so
    report._settle()
    assert report.status == "incomplete" and report.failed == 4 and not report.ok
    assert report.failed_reasons == {"not sent: the load stopped before reaching them": 4}


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_cli_load_exits_non_zero_when_the_journal_outgrows_the_file_size_limit(tmp_path: Path):
    source = tmp_path / "events.parquet"
    pq.write_table(events_table(ROWS, prefix="ulimit"), source, row_group_size=5000)
    journal = tmp_path / "journal.sqlite"
    with Emulator() as emu:
        env = {**os.environ, **emu.env()}
        proc = subprocess.run(
            [sys.executable, "-m", "cio_toolkit.cli", "load", "track", str(source), "--job", "ulimit",
             "--journal", str(journal), "--concurrency", "2"],
            env=env, capture_output=True, text=True, timeout=120, preexec_fn=_limit_file_size(96 * 1024),
        )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "bulk journal" in proc.stderr and "journal.sqlite" in proc.stderr
    with bulk.Journal(journal) as j:
        acked = j.job("ulimit").acknowledged
    assert acked < ROWS
