"""Journal and sync state files that cannot be used: each says which file, what is wrong and what to do."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cio_toolkit import CustomerIO, bulk
from cio_toolkit.cli import app

from .._servers import ScriptedServer
from .conftest import events_table, people_table


def _load(server: ScriptedServer, journal, **kw):
    with CustomerIO(pipelines_api_key="test-key", base_url=server.url) as cio:
        return bulk.load(cio, events_table(300, prefix="jf"), kind="track", journal=journal, progress=None, **kw)


def _filled_journal(path: Path) -> None:
    with ScriptedServer() as server:
        for i in range(40):  # enough pages that half the file is missing real data
            _load(server, path, job=f"job-{i}")


@pytest.fixture
def not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "journal.sqlite"
    path.write_bytes(b"this is a spreadsheet, not a journal\n" * 200)
    return path


def test_a_file_that_is_not_a_database_is_named_with_what_to_do(not_a_database: Path):
    with ScriptedServer() as server, pytest.raises(bulk.JournalError) as err:
        _load(server, not_a_database, job="x")
    assert server.seen == []
    assert err.value.problem == "not a database" and err.value.path == not_a_database
    assert str(not_a_database) in err.value.message and "move this one aside" in err.value.message
    assert not isinstance(err.value, sqlite3.Error)


def test_a_truncated_journal_is_reported_as_corrupt(tmp_path: Path):
    path = tmp_path / "journal.sqlite"
    _filled_journal(path)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.truncate(size // 2)
    with pytest.raises(bulk.JournalError) as err, bulk.Journal(path) as j:
        j.jobs()
    assert err.value.problem == "corrupt" and "Restore it from a backup" in err.value.message
    assert str(path) in err.value.message


def test_an_empty_journal_is_not_silently_resumed_from_scratch(tmp_path: Path):
    path = tmp_path / "journal.sqlite"
    path.touch()  # as left by a truncation to zero bytes
    with ScriptedServer() as server:
        with pytest.raises(bulk.JournalError, match="is empty") as err:
            _load(server, path, job="x", resume=True)
        assert server.seen == [] and err.value.problem == "empty"
        assert "nothing to resume" in err.value.message and "run without resume" in err.value.message
        # Without resume=True the empty file simply becomes a journal.
        assert _load(server, path, job="x").ok


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO jobs (job, kind, api, target, source, mapping, status, created_at, updated_at) "
                  "VALUES ('other', 'track', 'pipelines', 't', 's', '{}', 'running', 0, 0)")
    return other


def test_a_locked_journal_fails_after_the_busy_timeout_naming_the_file(tmp_path: Path):
    path = tmp_path / "journal.sqlite"
    bulk.Journal(path).close()
    other = _hold_write_lock(path)
    try:
        with (ScriptedServer() as server, bulk.Journal(path, busy_timeout=0.05) as journal,
              pytest.raises(bulk.JournalError) as err):
            _load(server, journal, job="x")
        assert server.seen == []
    finally:
        other.rollback()
        other.close()
    assert err.value.problem == "locked" and str(path) in err.value.message
    assert "another load or sync may be running" in err.value.message


def test_the_default_busy_timeout_is_short(tmp_path: Path):
    # Fail fast (seconds, not the 30 s it was): SQLite reports the wait it was configured with.
    with bulk.Journal(tmp_path / "j.sqlite") as j:
        assert 0 < j._db.execute("PRAGMA busy_timeout").fetchone()[0] <= 2000
    with bulk.SyncState(tmp_path / "s.sqlite", busy_timeout=0.5) as s:
        assert s._db.execute("PRAGMA busy_timeout").fetchone()[0] == 500


def test_the_sync_state_file_gets_the_same_treatment(tmp_path: Path, not_a_database: Path):
    people = people_table(5, prefix="sf").to_pandas()
    with ScriptedServer() as server, CustomerIO(pipelines_api_key="k", base_url=server.url) as cio:
        with pytest.raises(bulk.JournalError) as err:
            bulk.sync(cio, people, key="id", state=not_a_database, progress=None)
        assert err.value.problem == "not a database" and err.value.message.startswith("sync state file")
        state = tmp_path / "state.sqlite"
        bulk.plan_sync(cio, people, key="id", state=state).state.close()
        other = sqlite3.connect(state, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("DELETE FROM sync_staged")
        try:
            with (bulk.SyncState(state, busy_timeout=0.05) as held,
                  pytest.raises(bulk.JournalError, match="is locked") as locked):
                bulk.plan_sync(cio, people, key="id", state=held)
        finally:
            other.rollback()
            other.close()
        assert locked.value.path == state and server.seen == []


def test_cli_names_the_unusable_journal_and_exits_1(emulator, tmp_path: Path, not_a_database: Path):
    events_table(20, prefix="clij").to_pandas().to_csv(tmp_path / "e.csv", index=False)
    result = CliRunner().invoke(app, ["load", "track", str(tmp_path / "e.csv"), "--journal", str(not_a_database)],
                                env={**emulator.env(), "COLUMNS": "400"})
    assert result.exit_code == 1, result.output
    assert "is not a SQLite database" in result.output and os.fspath(not_a_database) in result.output
