"""Loads against the emulator: every kind lands, exactly once, and a resumed job sends nothing twice."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cio_toolkit import CustomerIO, RetryPolicy, bulk
from cio_toolkit.emulator import Emulator

from .conftest import events_table, people_table, sent_message_ids


def test_identify_people_land_with_traits(cio, emulator, journal_path: Path):
    people = people_table(1500, prefix="idn")
    report = bulk.load(cio, people.to_pandas(), kind="identify", user_id="id", journal=journal_path, progress=None)
    assert report.ok and report.acknowledged == 1500 and report.requests >= 1
    person = emulator.store.find_person(id="idn-p7")
    attrs = json.loads(person["attributes"]) if isinstance(person["attributes"], str) else person["attributes"]
    assert attrs["plan"] == "pro" and attrs["score"] == 7 and attrs["email"] == "idn-p7@example.com"


def test_track_events_land_exactly_once_by_message_id(cio, emulator, journal_path: Path, tmp_path: Path):
    table = events_table(12_000, prefix="trk")
    pq.write_table(table, tmp_path / "events.parquet", row_group_size=3000)
    report = bulk.load(cio, tmp_path / "events.parquet", kind="track", journal=journal_path, progress=None)
    assert report.ok and report.acknowledged == 12_000 and report.requests >= 5  # 500 KB batches
    with bulk.Journal(journal_path) as j:
        acked = j.acked_ids(report.job)
    stored = emulator.store.query(
        "SELECT message_id, COUNT(*) AS n FROM events WHERE message_id IN (SELECT value FROM json_each(?)) "
        "GROUP BY message_id", (json.dumps(acked),))
    assert len(stored) == 12_000 and {r["n"] for r in stored} == {1}
    # The job derived from the file resumes: everything is already acknowledged, nothing is sent.
    again = bulk.load(cio, tmp_path / "events.parquet", kind="track", journal=journal_path, resume=True,
                      progress=None)
    assert again.job == report.job and again.skipped == 12_000 and again.sent == 0 and again.requests == 0


@pytest.mark.parametrize("kind", ["group", "alias", "page", "screen", "delete", "suppress", "unsuppress"])
def test_other_kinds_are_accepted(cio, kind, journal_path: Path):
    columns = {"user_id": ["k-u1", "k-u2"]}
    if kind == "group":
        columns |= {"group_id": ["acme", "globex"], "object_type_id": ["1", "1"], "tier": ["gold", "silver"]}
    if kind == "alias":
        columns |= {"previous_id": ["anon-1", "anon-2"]}
    if kind in ("page", "screen"):
        columns |= {"name": ["Home", "Cart"], "path": ["/", "/cart"]}
    report = bulk.load(cio, pa.table(columns), kind=kind, journal=journal_path, progress=None)
    assert report.ok and report.acknowledged == 2


def test_track_v2_batch_option(cio, emulator, journal_path: Path):
    people = people_table(300, prefix="v2p")
    rep = bulk.load(cio, people, kind="identify", api="track", user_id="id", journal=journal_path, progress=None)
    assert rep.ok and rep.acknowledged == 300
    assert emulator.store.find_person(id="v2p-p3") is not None
    events = events_table(400, prefix="v2e")
    rep2 = bulk.load(cio, events, kind="track", api="track", journal=journal_path, progress=None)
    assert rep2.ok and rep2.acknowledged == 400
    again = bulk.load(cio, events, kind="track", api="track", journal=journal_path, progress=None, job="v2-again")
    assert again.acknowledged == 400  # a new job re-sends; the deterministic event ids deduplicate
    n = emulator.store.query("SELECT COUNT(*) AS n FROM events WHERE person_pk IN "
                             "(SELECT pk FROM people WHERE id LIKE 'v2e-%')")[0]["n"]
    assert n == 400


def test_injected_faults_deliver_every_row_exactly_once(journal_path: Path):
    table = events_table(15_000, prefix="flt")
    with Emulator(log_bodies=True, faults={"error_rate": 0.2, "drop_rate": 0.1, "seed": 3}) as emu:
        emu.faults.update(force_429=2, retry_after=0)
        with CustomerIO(**emu.settings()) as cio:
            report = bulk.load(cio, table, kind="track", journal=journal_path, progress=None,
                               retry=RetryPolicy(max_retries=20, backoff_base=0.01, backoff_cap=0.1))
        counters = emu.store.counters
        stored = emu.store.query("SELECT COUNT(DISTINCT message_id) AS n, COUNT(*) AS c FROM events")[0]
        emu_requests = emu.requests
        faulted = [e for e in emu_requests if e.get("fault")]
    assert report.ok and report.acknowledged == 15_000 and report.retries >= 3
    assert stored["n"] == stored["c"] == 15_000
    assert len(faulted) >= 3 and counters["events"] == 15_000
    # Requests that failed were sent again; nothing acknowledged was: the journal holds each row once.
    with bulk.Journal(journal_path) as j:
        acked = j.acked_ids(report.job)
    assert len(acked) == len(set(acked)) == 15_000
    assert set(sent_message_ids(emu_requests)) == set(acked)
