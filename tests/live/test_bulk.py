"""Bulk: an export into a DataFrame, a small load with a resume, and a diff sync."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cio_toolkit.app import attr
from cio_toolkit.live import RUN_ATTRIBUTE

from ._live import Live

pytestmark = pytest.mark.live("pipelines", "app", writes=True)


def _people(live: Live, scenario: str, n: int) -> pd.DataFrame:
    ids = [live.person(f"{scenario}-{i}") for i in range(n)]
    return pd.DataFrame({"id": ids, "plan": ["free", "pro"] * (n // 2) + ["free"] * (n % 2),
                         RUN_ATTRIBUTE: live.run, "live_scenario": scenario})


def _visible(live: Live, scenario: str, ids: list[str]) -> set[str]:
    mine = (attr(RUN_ATTRIBUTE) == live.run) & (attr("live_scenario") == scenario)

    def found() -> set[str] | None:
        seen = {str(p.get("id")) for p in live.cio.app.customers.search(filter=mine)}
        return seen if seen >= set(ids) else None

    return live.wait(found, f"{len(ids)} {scenario} people found by search")


def test_export_customers_into_a_dataframe(live: Live) -> None:
    """Operations: Pipelines batch (identify x3); App getPeopleFilter, exportPeopleData, getExport, downloadExport."""
    df = _people(live, "export", 3)
    live.cio.pipelines.batch([{"type": "identify", "userId": row.id, "traits": {"plan": row.plan, **live.traits(
        live_scenario="export")}} for row in df.itertuples()])
    _visible(live, "export", df["id"].tolist())
    exported = live.cio.bulk.export("customers", filters=(attr(RUN_ATTRIBUTE) == live.run)
                                    & (attr("live_scenario") == "export"), progress=False,
                                    timeout=max(1.0, live.remaining(300.0)))
    assert set(exported["id"]) == set(df["id"])


def test_bulk_load_with_a_resume(live: Live, tmp_path: Path) -> None:
    """Operations: Pipelines batch through cio_toolkit.bulk.load (first part, then resume=True); App getPeopleFilter."""
    df = _people(live, "bulk", 4)
    job, journal = live.name("bulk"), tmp_path / "bulk.sqlite"
    common: dict[str, Any] = {"kind": "identify", "user_id": "id", "key": "id", "job": job, "journal": journal, "progress": False}
    first = live.cio.bulk.load(df.head(2), **common)  # a load that stopped after its first part
    assert first.ok and first.acknowledged == 2, first
    resumed = live.cio.bulk.load(df, resume=True, **common)
    assert resumed.ok and resumed.sent == 2, resumed  # only the rows the journal has not seen acknowledged
    _visible(live, "bulk", df["id"].tolist())


def test_diff_sync(live: Live, tmp_path: Path) -> None:
    """Operations: Pipelines batch through cio_toolkit.bulk.sync (adds, then one change and one removal: the
    "User Deleted" event); App getPeopleFilter, getPersonAttributes."""
    df = _people(live, "sync", 3)
    common: dict[str, Any] = {"key": "id", "name": live.name("sync"), "state": tmp_path / "sync.sqlite", "progress": False}
    first = live.cio.bulk.sync(df, **common)
    assert first.ok and first.plan.adds == 3, first
    ids = df["id"].tolist()
    _visible(live, "sync", ids)
    changed = df.iloc[:2].assign(plan=["enterprise", df["plan"].iloc[1]])
    plan = live.cio.bulk.plan_sync(changed, **common)
    assert (plan.adds, plan.changes, plan.unchanged, plan.removals) == (0, 1, 1, 1), plan
    second = live.cio.bulk.sync(changed, removals="delete", **common)
    assert second.ok, second
    live.attribute(ids[0], "plan", "enterprise")
    live.gone(ids[2])
