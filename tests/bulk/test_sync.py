"""Diff sync against the emulator: plan, send only changes, remove behind a cap, crash-safe state."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cio_toolkit import CustomerIO, RetryPolicy, ValidationError, bulk

from .._servers import Action, ScriptedServer
from .conftest import people_table


def _attrs(emulator, pid: str) -> dict | None:
    person = emulator.store.find_person(id=pid)
    if person is None:
        return None
    a = person["attributes"]
    return json.loads(a) if isinstance(a, str) else a


def _batch_requests(emulator) -> int:
    return sum(1 for e in emulator.requests if e.get("operationId") == "batch" and e.get("api") == "pipelines_api")


def test_plan_then_sync_sends_only_adds_and_changes(cio, emulator, tmp_path: Path):
    state = tmp_path / "state.sqlite"
    df = people_table(400, prefix="syn").to_pandas()
    first = bulk.plan_sync(cio, df, key="id", state=state)
    assert (first.adds, first.changes, first.unchanged, first.removals) == (400, 0, 0, 0)
    done = bulk.sync(cio, df, key="id", state=state, progress=None)
    assert done.ok and done.upserts is not None and done.upserts.acknowledged == 400
    assert _attrs(emulator, "syn-p5")["plan"] == "pro"

    again = bulk.plan_sync(cio, df, key="id", state=state)
    assert (again.adds, again.changes, again.unchanged) == (0, 0, 400)
    before = _batch_requests(emulator)
    nothing = bulk.sync(cio, df, key="id", state=state, progress=None)
    assert nothing.upserts is None and _batch_requests(emulator) == before  # nothing to send, nothing sent

    edited = df.copy()
    edited.loc[edited["id"].isin(["syn-p1", "syn-p2", "syn-p3"]), "plan"] = "enterprise"
    edited = pd.concat([edited[~edited["id"].isin(["syn-p10", "syn-p11"])],
                        pd.DataFrame([{"id": "syn-new", "email": "n@x.io", "plan": "free", "score": 1}])])
    plan = bulk.plan_sync(cio, edited, key="id", state=state)
    assert (plan.adds, plan.changes, plan.removals) == (1, 3, 2)
    actions = plan.to_pandas().set_index("key")["action"].to_dict()
    assert actions == {"syn-p1": "change", "syn-p2": "change", "syn-p3": "change", "syn-new": "add",
                       "syn-p10": "remove", "syn-p11": "remove"}

    with pytest.raises(ValidationError, match="safety cap") as exc:
        bulk.sync(cio, edited, key="id", state=state, removals="delete", max_removals=1, progress=None)
    assert exc.value.field == "max_removals" and exc.value.actual == 2
    assert _attrs(emulator, "syn-p1")["plan"] == "pro"  # the refused sync sent nothing

    result = bulk.sync(cio, edited, key="id", state=state, removals="delete", max_removals=2, progress=None)
    assert result.ok and result.upserts.acknowledged == 4 and result.removals.acknowledged == 2
    assert _attrs(emulator, "syn-p1")["plan"] == "enterprise"
    assert emulator.store.find_person(id="syn-p10") is None and _attrs(emulator, "syn-new") is not None
    final = bulk.plan_sync(cio, edited, key="id", state=state)
    assert (final.adds, final.changes, final.removals, final.unchanged) == (0, 0, 0, 399)


def test_duplicate_keys_are_rejected_in_the_plan(cio, tmp_path: Path):
    df = pd.DataFrame({"id": ["d1", "d2", "d1"], "plan": ["a", "b", "c"]})
    plan = bulk.plan_sync(cio, df, key="id", state=tmp_path / "s.sqlite")
    assert plan.adds == 2 and plan.duplicates == 1
    assert plan.rejected.iloc[0].to_dict() == {"row": 2, "key": "d1", "field": "id",
                                               "reason": "duplicate key (an earlier row has it)"}


def test_a_person_whose_row_is_rejected_is_kept_not_removed(cio, emulator, tmp_path: Path):
    state = tmp_path / "state.sqlite"
    df = pd.DataFrame({"id": ["k1", "k2", "k3"], "plan": ["a", "b", "c"]})
    assert bulk.sync(cio, df, key="id", state=state, progress=None).ok
    bad = df.copy()
    bad.loc[bad["id"] == "k2", "plan"] = "x" * 2000  # over the attribute value limit: rejected
    plan = bulk.plan_sync(cio, bad, key="id", state=state)
    assert (plan.adds, plan.changes, plan.removals, plan.unchanged) == (0, 0, 0, 2)
    assert list(plan.rejected["key"]) == ["k2"] and plan.removal_keys() == []
    result = bulk.sync(cio, bad, key="id", state=state, removals="delete", max_removals=0, progress=None)
    assert result.removals is None and _attrs(emulator, "k2")["plan"] == "b"
    assert bulk.plan_sync(cio, df, key="id", state=state).unchanged == 3  # its last synced row still stands


def test_state_moves_only_for_acknowledged_rows(tmp_path: Path):
    state = tmp_path / "state.sqlite"
    df = people_table(6000, prefix="half").to_pandas()  # ~3 batches
    with ScriptedServer(Action(status=200), *[Action(status=500)] * 30) as server:
        cio = CustomerIO(pipelines_api_key="k", base_url=server.url)
        orig = bulk._load.BULK_RETRY
        bulk._load.BULK_RETRY = RetryPolicy(max_retries=0)
        try:
            result = bulk.sync(cio, df, key="id", state=state, progress=None, concurrency=1)
        finally:
            bulk._load.BULK_RETRY = orig
        assert not result.ok and 0 < result.upserts.acknowledged < 6000
        plan = bulk.plan_sync(cio, df, key="id", state=state)
    # What was acknowledged is now unchanged; what failed is still to be added: a re-run finishes the job.
    assert plan.unchanged == result.upserts.acknowledged and plan.adds == 6000 - result.upserts.acknowledged


def test_a_sync_that_would_remove_everyone_is_refused_under_the_cap_unless_forced(cio, emulator, tmp_path: Path):
    state = tmp_path / "state.sqlite"
    df = people_table(30, prefix="all").to_pandas()
    assert bulk.sync(cio, df, key="id", state=state, progress=None).ok
    empty = df.iloc[0:0]
    with pytest.raises(ValidationError, match="all 30 people of the last sync would be deleted") as exc:
        bulk.sync(cio, empty, key="id", state=state, removals="delete", progress=None)  # 30 < max_removals=100
    assert (exc.value.field, exc.value.actual) == ("removals", 30)
    assert emulator.store.find_person(id="all-p1") is not None  # nothing was removed
    kept_one = df.iloc[0:1]
    result = bulk.sync(cio, kept_one, key="id", state=state, removals="delete", progress=None)
    assert result.ok and result.removals.acknowledged == 29  # one person still in the source: a real removal
    forced = bulk.sync(cio, empty, key="id", state=state, removals="delete", force=True, progress=None)
    assert forced.ok and forced.removals.acknowledged == 1 and emulator.store.find_person(id="all-p0") is None
