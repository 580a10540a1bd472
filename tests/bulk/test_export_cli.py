"""Exports back into DataFrames and files, and the ``cio load``/``sync``/``export`` commands."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cio_toolkit import ValidationError, bulk
from cio_toolkit.app.filters import attr
from cio_toolkit.cli import app

from .conftest import events_table, people_table


def test_export_customers_round_trip(cio, tmp_path: Path):
    people = people_table(120, prefix="exp").to_pandas()
    people["cohort"] = "exp-cohort"
    assert bulk.load(cio, people, kind="identify", user_id="id", journal=None, progress=None).ok
    out = tmp_path / "people.parquet"
    df = bulk.export(cio, "customers", filters=attr("cohort") == "exp-cohort", to=out, poll_interval=0.05,
                     progress=None)
    assert len(df) == 120 and set(df["id"]) == set(people["id"])
    assert pq.read_table(out).num_rows == 120


def test_export_pages_drains_every_page_with_limit(cio, tmp_path: Path):
    events = events_table(70, prefix="pages")
    assert bulk.load(cio, events, kind="track", event_name="pages-export", journal=None, progress=None).ok
    first = cio.app.activities.list(name="pages-export", limit=20)
    assert first.has_next() and len(first.items) == 20
    everything = bulk.export_pages(cio.app.activities.list(name="pages-export", limit=20),
                                   to=tmp_path / "acts.parquet", progress=None)
    some = bulk.export_pages(cio.app.activities.list(name="pages-export", limit=20), limit=30, progress=None)
    assert len(everything) == 70 and len(some) == 30
    assert pq.read_table(tmp_path / "acts.parquet").num_rows == 70
    with pytest.raises(ValidationError, match="page"):
        bulk.export_pages([1, 2], progress=None)


def test_cli_load_dry_run_writes_the_rejection_report(emulator, tmp_path: Path):
    df = people_table(50, prefix="cli").to_pandas()
    df.loc[[4, 9], "id"] = None
    df.to_csv(tmp_path / "people.csv", index=False)
    result = CliRunner().invoke(app, ["load", "identify", str(tmp_path / "people.csv"), "--user-id", "id",
                                      "--dry-run", "--report", str(tmp_path / "rejected.csv"),
                                      "--journal", str(tmp_path / "j.sqlite")], env=emulator.env())
    assert result.exit_code == 0, result.output
    rejected = pd.read_csv(tmp_path / "rejected.csv")
    assert list(rejected["row"]) == [4, 9] and set(rejected["reason"]) == {"missing id"}
    assert emulator.store.find_person(id="cli-p1") is None  # dry run: nothing sent


def test_cli_load_from_sql_then_resume_is_a_no_op(emulator, tmp_path: Path):
    db = str(tmp_path / "src.duckdb")
    with duckdb.connect(db) as con:
        con.register("t", events_table(3000, prefix="sql"))
        con.execute("CREATE TABLE events AS SELECT * FROM t")
    args = ["load", "track", "--sql", "SELECT * FROM events ORDER BY seq", "--database", db,
            "--journal", str(tmp_path / "j.sqlite"), "--job", "from-sql"]
    runner = CliRunner()
    first = runner.invoke(app, args, env=emulator.env())
    assert first.exit_code == 0, first.output
    with bulk.Journal(tmp_path / "j.sqlite") as j:
        assert j.job("from-sql").acknowledged == 3000
    again = runner.invoke(app, [*args, "--resume"], env=emulator.env())
    assert again.exit_code == 0 and "skipped" in again.output
    with bulk.Journal(tmp_path / "j.sqlite") as j:
        assert j.job("from-sql").summary["sent"] == 0


def test_cli_refuses_bad_mapping_with_exit_2(emulator, tmp_path: Path):
    events_table(5).to_pandas().to_csv(tmp_path / "e.csv", index=False)
    result = CliRunner().invoke(app, ["load", "track", str(tmp_path / "e.csv"), "--event", "nope", "--dry-run"],
                                env=emulator.env())
    assert result.exit_code == 2 and "nope" in result.output


def test_cli_sync_plan_and_export(emulator, tmp_path: Path):
    people = people_table(30, prefix="clisync").to_pandas()
    people["cohort"] = "clisync"
    people.to_parquet(tmp_path / "people.parquet")
    env, runner, state = emulator.env(), CliRunner(), str(tmp_path / "state.sqlite")
    plan = runner.invoke(app, ["sync", "people", str(tmp_path / "people.parquet"), "--key", "id", "--plan",
                               "--out", str(tmp_path / "plan.csv"), "--state", state], env=env)
    assert plan.exit_code == 0, plan.output
    assert set(pd.read_csv(tmp_path / "plan.csv")["action"]) == {"add"}
    done = runner.invoke(app, ["sync", "people", str(tmp_path / "people.parquet"), "--key", "id", "--state", state],
                         env=env)
    assert done.exit_code == 0, done.output
    out = tmp_path / "export.parquet"
    exported = runner.invoke(app, ["export", "customers", "--filter", '{"attribute": {"field": "cohort", '
                                   '"operator": "eq", "value": "clisync"}}', "--to", str(out)], env=env)
    assert exported.exit_code == 0, exported.output
    assert pq.read_table(out).num_rows == 30


def test_cli_load_writes_rejected_rows_next_to_the_journal_without_being_asked(emulator, tmp_path: Path):
    df = people_table(20, prefix="clidef").to_pandas()
    df.loc[[3], "id"] = None
    df.to_csv(tmp_path / "people.csv", index=False)
    result = CliRunner().invoke(app, ["load", "identify", str(tmp_path / "people.csv"), "--user-id", "id",
                                      "--job", "defrep", "--journal", str(tmp_path / "j" / "bulk.sqlite")],
                                env=emulator.env())
    assert result.exit_code == 0, result.output
    rejected = pd.read_csv(tmp_path / "j" / "rejected-defrep.csv")
    assert list(rejected["row"]) == [3]
    assert "rejected rows written to" in result.output
    assert emulator.store.find_person(id="clidef-p1") is not None  # the valid rows were delivered
