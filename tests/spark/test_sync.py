"""Diff sync on Spark against the emulator: what each sync sends, the removal cap, agreement with bulk."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

pytest.importorskip("pyspark")

from cio_toolkit import ValidationError, bulk
from cio_toolkit import spark as cio_spark
from cio_toolkit.emulator import Emulator

pytestmark = [pytest.mark.spark,
              pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")]


def people(prefix: str, ids: Iterable[int], *, score: dict[int, int] | None = None) -> pa.Table:
    score = score or {}
    ids = list(ids)
    return pa.table({"id": [f"{prefix}-p{i}" for i in ids], "plan": ["pro" if i % 2 else "free" for i in ids],
                     "score": [score.get(i, i) for i in ids]})


def frame(spark: Any, table: pa.Table) -> Any:
    return spark.createDataFrame(table.to_pandas()).repartition(2)


def messages(emu: Emulator, prefix: str) -> dict[str, tuple[str, str]]:
    """messageId -> (type, user id) of every Pipelines call the store received for ``prefix``'s people."""
    rows = emu.store.query("SELECT message_id, type, user_id FROM pipelines_messages WHERE user_id LIKE ?",
                           (f"{prefix}-%",))
    return {r["message_id"]: (r["type"], r["user_id"]) for r in rows}


def test_a_second_sync_sends_exactly_the_added_changed_and_removed_people(spark, emu, tmp_path: Path):
    state = str(tmp_path / "state")
    first = cio_spark.sync(frame(spark, people("ss1", range(200))), key="id", state=state, removals="delete")
    assert first.ok and (first.adds, first.changes, first.removals) == (200, 0, 0)
    assert first.upserts is not None and first.upserts.acknowledged == 200 and first.removed is None
    assert first.state_rows == 200 and first.state_version == 1
    before = messages(emu, "ss1")
    assert len(before) == 200 and {t for t, _ in before.values()} == {"identify"}

    # 10 changed (score), 5 gone (195-199), 7 new (200-206).
    changed = {i: 1000 + i for i in range(0, 100, 10)}
    second_df = frame(spark, people("ss1", [*range(195), *range(200, 207)], score=changed))
    plan = {(r["key"], r["action"]) for r in cio_spark.plan_sync(second_df, key="id", state=state).collect()}
    expected = ({(f"ss1-p{i}", "change") for i in changed} | {(f"ss1-p{i}", "remove") for i in range(195, 200)}
                | {(f"ss1-p{i}", "add") for i in range(200, 207)})
    assert plan == expected
    second = cio_spark.sync(second_df, key="id", state=state, removals="delete", max_removals=5)
    assert second.ok and (second.adds, second.changes, second.unchanged, second.removals) == (7, 10, 185, 5)
    assert second.summary()["acknowledged"] == 22 and second.state_rows == 202
    # Reported as bulk's sync report is: one row per step, the counts above it in HTML, text for print().
    steps = second.to_pandas().set_index("step")
    assert steps["acknowledged"].to_dict() == {"upserts": 17, "removals": 5} and set(steps["status"]) == {"complete"}
    html = second._repr_html_()
    assert html.count("<table") == 2 and "<td>upserts</td>" in html and "<th>state_version</th>" in html
    text = str(second)
    assert text.startswith("sync -> state v000002 (202 people): complete\n  adds 7  changes 10  unchanged 185")
    assert "upserts: identify load 'sync-v000002' -> " in text and "removals: delete load" in text
    new = {m: v for m, v in messages(emu, "ss1").items() if m not in before}
    assert sorted(new.values()) == sorted(
        [("identify", f"ss1-p{i}") for i in [*changed, *range(200, 207)]]
        + [("track", f"ss1-p{i}") for i in range(195, 200)])  # "User Deleted" events
    assert emu.store.find_person(id="ss1-p197") is None
    assert emu.store.find_person(id="ss1-p10")["attributes"]["score"] == 1010

    third = cio_spark.sync(second_df, key="id", state=state, removals="delete")
    assert third.ok and third.upserts is None and third.removed is None and third.unchanged == 202
    assert third.to_pandas().empty and list(third.to_pandas().columns) == list(steps.reset_index().columns)
    assert len(messages(emu, "ss1")) == len(before) + len(new)  # nothing sent
    assert sorted(p.name for p in (tmp_path / "state").glob("v*")) == ["v000002", "v000003"]


def test_over_max_removals_nothing_is_sent_and_the_state_stays(spark, emu, tmp_path: Path):
    state = str(tmp_path / "state")
    assert cio_spark.sync(frame(spark, people("ss2", range(20))), key="id", state=state).ok
    sent = messages(emu, "ss2")
    smaller = frame(spark, people("ss2", range(2, 14), score={2: -1}))  # one change, 8 gone
    with pytest.raises(ValidationError, match=r"8 people would be suppressed.*safety cap of 3") as caught:
        cio_spark.sync(smaller, key="id", state=state, removals="suppress", max_removals=3)
    assert (caught.value.field, caught.value.limit, caught.value.actual) == ("max_removals", 3, 8)
    assert messages(emu, "ss2") == sent  # not even the change went out
    assert sorted(p.name for p in (tmp_path / "state").glob("v*")) == ["v000001"]
    assert not list((tmp_path / "state" / "checkpoint").glob("sync-v000002*"))
    # An empty extract would remove all 20, under the cap: refused too, unless forced.
    with pytest.raises(ValidationError, match=r"all 20 people of the last sync would be suppressed") as caught:
        cio_spark.sync(frame(spark, people("ss2", range(20))).where("false"), key="id", state=state,
                       removals="suppress")
    assert (caught.value.field, caught.value.actual) == ("removals", 20) and messages(emu, "ss2") == sent
    # A person whose row turned invalid is neither sent nor planned as a removal.
    bad = people("ss2", range(20)).append_column("bio", pa.array(["x" * 1500] + ["ok"] * 19))
    actions = {r["key"]: r["action"] for r in cio_spark.plan_sync(frame(spark, bad), key="id", state=state).collect()}
    assert "ss2-p0" not in actions and set(actions.values()) == {"change"} and len(actions) == 19


def test_plan_hashes_are_the_hashes_bulk_plan_sync_computes(spark, cio, tmp_path: Path):
    table = people("ss3", range(300))
    plan = cio_spark.plan_sync(frame(spark, table), key="id", state=str(tmp_path / "state"))
    spark_hashes = {r["key"]: r["hash"] for r in plan.collect()}
    single = bulk.plan_sync(cio, table, key="id", state=tmp_path / "s.sqlite")
    bulk_hashes = dict(single.state.query("SELECT key, hash FROM sync_staged WHERE scope = ?", (single.scope,)))
    assert single.adds == 300 and len(spark_hashes) == 300 and spark_hashes == bulk_hashes
    assert {r["action"] for r in plan.collect()} == {"add"}

    doubled = pa.concat_tables([table, people("ss3", range(5, 6))])
    with pytest.raises(ValidationError, match=r"duplicate keys.*'ss3-p5'"):
        cio_spark.plan_sync(frame(spark, doubled), key="id", state=str(tmp_path / "state"))


def test_a_sync_that_crashed_before_writing_its_state_reruns_with_only_what_is_missing(spark, emu, tmp_path: Path):
    state, table = str(tmp_path / "state"), people("ss4", range(120))
    # A first sync whose driver died after its job acknowledged 50 rows: acks on disk, no state version.
    early = cio_spark.load(frame(spark, table.slice(0, 50)), kind="identify", user_id="id", key="id",
                           job="sync-v000001", checkpoint=f"{state}/checkpoint", resume=True)
    assert early.acknowledged == 50
    rerun = cio_spark.sync(frame(spark, table), key="id", state=state)
    assert rerun.ok and rerun.adds == 120 and rerun.upserts is not None
    assert (rerun.upserts.skipped, rerun.upserts.sent, rerun.upserts.acknowledged) == (50, 70, 70)
    assert rerun.state_rows == 120 and len(messages(emu, "ss4")) == 120
    assert cio_spark.sync(frame(spark, table), key="id", state=state).unchanged == 120
