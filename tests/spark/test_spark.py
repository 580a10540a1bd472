"""The "customerio" Spark data source on local[2,3] against the emulator: loads, retries, resume, reads.

The SparkSession and its emulator are the package's (conftest.py): one JVM for every Spark test module.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java on PATH)", allow_module_level=True)

from cio_toolkit import ValidationError, bulk
from cio_toolkit import spark as cio_spark
from cio_toolkit.bulk._columns import unsupported
from cio_toolkit.emulator import Emulator
from cio_toolkit.spark._source import arrow_schema
from tests._servers import RateLimitedServer

pytestmark = [pytest.mark.spark,
              pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")]

T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def events(n: int, prefix: str) -> pa.Table:
    return pa.table({
        "event_id": [f"{prefix}-e{i}" for i in range(n)],
        "user_id": [f"{prefix}-u{i % 300}" for i in range(n)],
        "event": ["purchase" if i % 3 else "signup" for i in range(n)],
        "timestamp": pa.array([T0 + dt.timedelta(seconds=i) for i in range(n)], pa.timestamp("ms", tz="UTC")),
        "plan": ["pro" if i % 2 else "free" for i in range(n)],
        "amount": [round(i * 0.25, 2) for i in range(n)],
    })


def frame(spark: Any, table: pa.Table, partitions: int = 4) -> Any:
    # Ordered by key into fixed partitions, so a re-run sees the same rows in the same partition.
    return spark.createDataFrame(table.to_pandas()).repartitionByRange(partitions, "event_id")


def stored(emu: Emulator, prefix: str) -> dict[str, int]:
    return emu.store.query(
        "SELECT COUNT(DISTINCT message_id) AS ids, COUNT(*) AS n FROM events WHERE person_pk IN "
        "(SELECT pk FROM people WHERE id LIKE ?)", (f"{prefix}-%",))[0]


def acked(checkpoint: Path, job: str) -> dict[str, list[str]]:
    return {p.name: [x for x in p.read_text().split("\n") if x]
            for p in sorted((checkpoint / job / "acks").glob("*/*.ids"))}


def failing_after(rows: int, *, partition: int, acks: Path, marker: Path | None, after: int | None = None) -> Any:
    """A mapInArrow step that fails in ``partition`` after ``rows`` rows, once an attempt of it has
    acknowledged a request (rows keep flowing until then): once (``marker``), or every time. With
    ``after``, it fails only once that partition's attempt has closed its ack file (finished)."""

    def step(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import time

        from pyspark import TaskContext

        def armed() -> bool:
            return TaskContext.get().partitionId() == partition and (marker is None or not marker.exists())

        def fail() -> None:
            if after is not None:
                deadline = time.monotonic() + 60
                while not any(acks.glob(f"*/part-{after:05d}-*.done")) and time.monotonic() < deadline:
                    time.sleep(0.05)
            if marker is not None:
                marker.touch()
            raise RuntimeError(f"upstream step failed after {seen} rows")

        def acknowledged() -> bool:
            return any(p.stat().st_size for p in acks.glob(f"*/part-{partition:05d}-*.ids"))

        seen = 0
        for batch in batches:
            if seen >= rows and armed() and acknowledged():
                fail()
            seen += batch.num_rows
            yield batch
        if armed():
            deadline = time.monotonic() + 30
            while not acknowledged() and time.monotonic() < deadline:
                time.sleep(0.05)
            fail()

    return step


def test_track_load_sends_the_ids_bulk_load_sends_and_lands_once(spark, emu, cio, tmp_path: Path):
    table = events(6000, "sp1")
    single = bulk.load(cio, table, kind="track", key="event_id", journal=tmp_path / "j.sqlite", progress=None,
                       job="single")
    with bulk.Journal(tmp_path / "j.sqlite") as j:
        bulk_ids = set(j.acked_ids("single"))
    df = frame(spark, table)
    roles = {"user_id": "user_id", "event": "event", "key": ("event_id",)}
    # Spark's rows (microsecond UTC timestamps) take bulk's column-wise path, as the Arrow table does.
    assert unsupported(cio_spark._encode.encoder_for("track", "pipelines", arrow_schema(df.schema), roles)) is None
    report = cio_spark.load(df, kind="track", user_id="user_id", event="event", key="event_id",
                            job="sp1", checkpoint=str(tmp_path / "ck"))
    assert single.ok and report.ok and report.status == "complete"
    assert (report.rows_read, report.acknowledged, report.failed) == (6000, 6000, 0)
    assert report.requests >= 4  # at least one request per partition
    spark_ids = [i for ids in acked(tmp_path / "ck", "sp1").values() for i in ids]
    assert len(spark_ids) == 6000 and set(spark_ids) == bulk_ids  # bulk's messageIds, row for row
    assert stored(emu, "sp1") == {"ids": 6000, "n": 6000}  # the second delivery was deduplicated
    # The job exists now: running it again without resume is refused before anything is sent.
    with pytest.raises(ValidationError, match="resume"):
        cio_spark.load(frame(spark, table), kind="track", key="event_id", job="sp1", checkpoint=str(tmp_path / "ck"))


def test_identify_rejects_bad_rows_with_reasons_and_rides_out_429s(spark, emu, tmp_path: Path):
    n = 1200
    ids: list[str | None] = [f"sp2-p{i}" for i in range(n)]
    ids[5] = None
    bio = ["ok"] * n
    bio[7] = "x" * 1500  # over the 1,000-byte attribute value limit
    table = pa.table({"key": [f"k{i}" for i in range(n)], "id": ids, "plan": ["pro"] * n, "bio": bio})
    emu.faults.update(force_429=2, retry_after=0)
    try:
        report = cio_spark.load(spark.createDataFrame(table.to_pandas()).repartition(2), kind="identify",
                                user_id="id", key="key", job="sp2", checkpoint=str(tmp_path / "ck"),
                                requests_per_second=50)
    finally:
        emu.faults.reset()
    assert report.status == "complete" and report.ok
    assert (report.rows_read, report.rejected, report.acknowledged) == (n, 2, n - 2)
    assert report.retries == 2  # the two 429s, retried after their Retry-After
    # Named by key: a position within a partition (which a resume filters) would not find the row again.
    assert list(report.rejections().columns) == ["key", "field", "reason", "limit", "actual"]
    rejected = report.rejections().set_index("key")
    assert rejected.loc["k5", "reason"] == "missing id"
    assert "1000 bytes" in rejected.loc["k7", "reason"] and rejected.loc["k7", "field"] == "bio"
    assert emu.store.find_person(id="sp2-p8") is not None and emu.store.find_person(id="sp2-p7") is None
    manifest = next((tmp_path / "ck" / "sp2" / "runs").glob("*.json")).read_text()
    assert '"requests_per_second": 50' in manifest and '"tasks_at_once": 2' in manifest


def test_a_task_that_fails_once_is_retried_without_loss_or_duplicates(spark, emu, tmp_path: Path):
    table = events(16_000, "sp3")
    df = frame(spark, table, 2).mapInArrow(failing_after(3000, partition=0, acks=tmp_path / "ck" / "sp3" / "acks",
                                                      marker=tmp_path / "failed-once"),
                                           frame(spark, table).schema)
    report = cio_spark.load(df, kind="track", key="event_id", job="sp3", checkpoint=str(tmp_path / "ck"))
    assert (tmp_path / "failed-once").exists()  # the first attempt of partition 0 did fail
    assert report.ok and report.failed == 0 and report.rows_read == 16_000
    files = acked(tmp_path / "ck", "sp3")
    first = [name for name in files if name.startswith("part-00000-0")]
    retried = [name for name in files if name.startswith("part-00000-1")]
    assert first and retried and files[first[0]]  # the failed attempt acknowledged requests before it failed
    # The retry skipped what the failed attempt had acknowledged when it started (the failed attempt's
    # writer may still flush what it held after its input ended: those ids are sent again, identical).
    assert 0 < report.skipped <= len(files[first[0]]) and report.acknowledged + report.skipped == 16_000
    assert len({i for ids in files.values() for i in ids}) == 16_000
    assert stored(emu, "sp3") == {"ids": 16_000, "n": 16_000}


def test_an_interrupted_job_resumes_with_exactly_what_is_missing(spark, emu, tmp_path: Path):
    table = events(12_000, "sp4")
    # Partition 0 finishes before partition 1 fails for good: Spark cancels a failed job's running tasks
    # and kills their Python workers moments later, requests in flight and all (those rows reach the
    # store unrecorded; a resume sends them again with the same messageIds). Here no task is cancelled,
    # so the counts must agree exactly; the failed attempts' writers still record after failing.
    broken = frame(spark, table, 2).mapInArrow(failing_after(2500, partition=1, acks=tmp_path / "ck" / "sp4" / "acks",
                                                          marker=None, after=0), frame(spark, table).schema)
    ck = str(tmp_path / "ck")
    with pytest.raises(cio_spark.SparkLoadError, match="resume=True") as caught:
        cio_spark.load(broken, kind="track", key="event_id", job="sp4", checkpoint=ck)
    first = caught.value.report
    assert str(caught.value).endswith("RuntimeError: upstream step failed after 2500 rows")  # the cause, not a JVM frame
    assert first is not None and first.status == "aborted" and not first.ok
    # abort() counted once every attempt had closed its ack file, so the report, the ack files and the
    # store agree exactly, and no messageId landed twice.
    assert caught.value.unclosed_attempts == []
    before = {i for ids in acked(tmp_path / "ck", "sp4").values() for i in ids}
    assert 0 < first.acknowledged == len(before) < 12_000
    assert stored(emu, "sp4") == {"ids": len(before), "n": len(before)}
    report = cio_spark.load(frame(spark, table, 2), kind="track", key="event_id", job="sp4", checkpoint=ck,
                            resume=True)
    assert report.ok and report.rows_read == 12_000
    assert report.skipped == first.acknowledged and report.sent == report.acknowledged == 12_000 - report.skipped
    assert stored(emu, "sp4") == {"ids": 12_000, "n": 12_000}
    with pytest.raises(ValidationError, match="key"):  # another key would change every messageId
        cio_spark.load(frame(spark, table), kind="track", key="user_id", job="sp4", checkpoint=ck, resume=True)


def test_credentials_and_unknown_options_are_refused_without_echoing_them(spark, tmp_path: Path):
    df = frame(spark, events(10, "sp5"))

    def write(name: str, value: str) -> None:  # a fresh writer each time: options accumulate on one
        (df.write.format("customerio").option("kind", "track").option("key", "event_id").option("job", "sp5")
         .option("checkpoint", str(tmp_path / "ck")).option(name, value).mode("append").save())

    with pytest.raises(Exception, match="CIO_") as caught:
        write("pipelines_api_key", "sk-very-secret-value")
    assert "sk-very-secret-value" not in str(caught.value)
    with pytest.raises(Exception, match="unknown"):
        write("user_idd", "user_id")
    assert not (tmp_path / "ck").exists()  # refused on the driver, before any task ran


def test_read_an_app_list_and_a_customer_export(spark, emu, cio, tmp_path: Path):
    campaigns = spark.read.format("customerio").option("list", "campaigns").load()
    expected = sorted(c["id"] for c in cio.app.campaigns.list())
    assert expected and sorted(r["id"] for r in campaigns.select("id").collect()) == expected
    people = pa.table({"id": [f"sp6-p{i}" for i in range(40)], "cohort": ["sp6"] * 40, "score": list(range(40))})
    assert cio_spark.load(spark.createDataFrame(people.to_pandas()), kind="identify", key="id", job="sp6",
                          checkpoint=str(tmp_path / "ck")).ok
    exported = (spark.read.format("customerio").option("export", "customers").option("poll_interval", "0.05")
                .option("filters", '{"attribute": {"field": "cohort", "operator": "eq", "value": "sp6"}}').load())
    rows = exported.collect()
    assert len(rows) == 40 and {r["id"] for r in rows} == set(people.column("id").to_pylist())
    assert dict(exported.dtypes)["id"] == "string"


def test_a_plain_write_on_track_v2_writes_its_manifest_and_bulk_loads_ids(spark, emu, cio, tmp_path: Path):
    table = events(900, "sp7")
    (frame(spark, table, 2).write.format("customerio").option("kind", "track").option("api", "track")
     .option("key", "event_id").option("job", "sp7").option("checkpoint", str(tmp_path / "ck")).mode("append").save())
    (manifest,) = cio_spark._checkpoint.Checkpoint(str(tmp_path / "ck"), "sp7").manifests()
    summary = manifest["summary"]
    assert manifest["status"] == "complete" and manifest["api"] == "track" and manifest["tasks_at_once"] == 2
    assert (summary["rows_read"], summary["acknowledged"], summary["failed"]) == (900, 900, 0)
    assert sorted(t["partition"] for t in manifest["tasks"]) == [0, 1]
    assert stored(emu, "sp7") == {"ids": 900, "n": 900}
    # Track v2 is a row-by-row load in bulk: Spark takes that path too, with the same ids.
    assert unsupported(cio_spark._encode.encoder_for("track", "track", table.schema, {"key": ("event_id",)}))
    single = bulk.load(cio, table, kind="track", api="track", key="event_id", journal=tmp_path / "j.sqlite",
                       progress=None, job="single")
    with bulk.Journal(tmp_path / "j.sqlite") as j:
        assert single.ok and set(j.acked_ids("single")) == {i for ids in acked(tmp_path / "ck", "sp7").values()
                                                            for i in ids}


def test_more_partitions_than_slots_share_one_budget_through_429s_with_retry_after(spark, tmp_path: Path):
    n = 1200  # 8 partitions on 2 task slots; ~100 rows of 5 kB a request: 16 requests
    df = spark.range(n, numPartitions=8).selectExpr("concat('sp8-e', id) AS event_id", "concat('sp8-u', id % 40) AS "
                                                    "user_id", "'viewed' AS event", "repeat('x', 5000) AS note")
    environment = spark.sparkContext.environment
    with RateLimitedServer(3, retry_after=0.5) as server:
        environment["CIO_BASE_URL"] = server.url  # the tasks' Python workers (a pool of their own) send there
        try:
            report = cio_spark.load(df, kind="track", key="event_id", job="sp8", checkpoint=str(tmp_path / "ck"),
                                    requests_per_second=20)
        finally:
            del environment["CIO_BASE_URL"]
            cio_spark.register(spark)  # the data source again with the session's own environment
    assert report.ok and (report.rows_read, report.acknowledged, report.failed) == (n, n, 0)
    assert len(server.accepted) == n and set(server.accepted.values()) == {1}  # lost 0, no duplicates
    assert server.refused > 0 and report.retries == server.refused  # each 429 waited out and sent again
    (manifest,) = cio_spark._checkpoint.Checkpoint(str(tmp_path / "ck"), "sp8").manifests()
    assert len(manifest["tasks"]) == 8 and all(t["coordinated"] for t in manifest["tasks"])


def test_a_plain_write_over_more_partitions_than_slots_draws_on_the_drivers_coordinator(spark, emu, tmp_path: Path):
    from cio_toolkit.spark._budget import process_coordinator

    n = 240  # 8 partitions on 2 task slots
    df = spark.range(n, numPartitions=8).selectExpr("concat('sp9-e', id) AS event_id", "concat('sp9-u', id % 40) AS "
                                                    "user_id", "'viewed' AS event")
    (df.write.format("customerio").option("kind", "track").option("user_id", "user_id").option("event", "event")
     .option("key", "event_id").option("job", "sp9").option("checkpoint", str(tmp_path / "ck"))
     .option("requests_per_second", "200").mode("append").save())
    (manifest,) = cio_spark._checkpoint.Checkpoint(str(tmp_path / "ck"), "sp9").manifests()
    assert len(manifest["tasks"]) == 8 and all(t["coordinated"] for t in manifest["tasks"])
    assert (manifest["summary"]["acknowledged"], manifest["summary"]["failed"]) == (n, 0)
    assert stored(emu, "sp9") == {"ids": n, "n": n}  # lost 0, every id once
    coordinator = process_coordinator("127.0.0.1")  # local mode: on the loopback only
    assert coordinator is not None and manifest["run"] not in coordinator.runs()  # commit() ended the run
