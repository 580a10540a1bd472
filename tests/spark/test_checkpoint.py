"""Checkpoints on every kind of store: a local disk (appended), a FUSE-like disk and fsspec (whole objects).

The object store is S3 for real, as moto's S3 server on loopback reached through s3fs (Spark here has
no S3 connector, so these tests read and write checkpoints without Spark); fsspec's ``file://``
file system runs the same cases to show the object layout behaves as the local one does.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cio_toolkit import ValidationError
from cio_toolkit.spark._checkpoint import Checkpoint, FsspecStore, LocalStore, Store, store_for

A, B, C, D = ("a" * 36, "b" * 36, "c" * 36, "d" * 36)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server_mod = pytest.importorskip("moto.server")
    pytest.importorskip("s3fs")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh bucket on the moto server; s3fs finds it through the standard AWS variables."""
    import s3fs

    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": moto_endpoint}.items():
        monkeypatch.setenv(name, value)
    s3fs.S3FileSystem.clear_instance_cache()  # an instance made before would keep its own endpoint
    bucket = f"ck-{uuid.uuid4().hex[:12]}"
    s3fs.S3FileSystem().mkdir(bucket)
    yield f"s3://{bucket}"
    s3fs.S3FileSystem.clear_instance_cache()


@pytest.fixture(params=["local", "local-whole-files", "fsspec-file", "s3"])
def root(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Store]:
    """A checkpoint root and the store a job under it gets (job ``job1``)."""
    if request.param == "s3":
        uri = request.getfixturevalue("s3") + "/ck"
        return uri, store_for(f"{uri}/job1")
    if request.param == "fsspec-file":
        import fsspec

        uri = (tmp_path / "ck").as_uri()
        return uri, FsspecStore(fsspec.filesystem("file"), str(tmp_path / "ck" / "job1"), f"{uri}/job1")
    appends = request.param == "local"
    return str(tmp_path / "ck"), LocalStore(tmp_path / "ck" / "job1", str(tmp_path / "ck" / "job1"), appends=appends)


class FakeClock:
    def __init__(self, on_sleep: Any = None) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []
        self.on_sleep = on_sleep

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds
        if self.on_sleep is not None:
            self.on_sleep()


def test_ack_files_manifests_and_settling_read_the_same_on_every_store(root: tuple[str, Store]):
    uri, store = root
    ck = Checkpoint(uri, "job1", store=store)
    assert not ck.has_acks() and ck.manifests() == [] and ck.attempts("r1") == ([], [])
    first = ck.ack_file("r1", 3, 0, heartbeat=None)
    first.open()
    first.write([A, B])
    first.write([C])
    first.close()
    second = ck.ack_file("r1", 3, 1, heartbeat=None)
    second.open()
    assert ck.earlier_attempts("r1", 3) == {A, B, C} and ck.earlier_attempts("r1", 4) == set()
    second.write([D])
    other = ck.ack_file("r1", 5, 0, heartbeat=None)
    other.open()
    other.close()  # an attempt that acknowledged nothing
    assert ck.has_acks() and first.written == 3 and second.written == 1
    assert ck.run_acks("r1") == {A, B, C, D} and ck.run_acks("r1", committed={3}) == set()
    assert ck.attempts("r1") == (["part-00003-0", "part-00003-1", "part-00005-0"], ["part-00003-1"])
    # A live attempt that does not close (its marker keeps changing) holds the wait for the bound, on the
    # code's clock; one whose marker stopped changing (Spark killed its worker) only until it was still long enough.
    clock = FakeClock(on_sleep=second.beat)
    assert ck.settle("r1", timeout=30, clock=clock, sleep=clock.sleep) == ["part-00003-1"]
    assert clock.t == pytest.approx(30) and clock.sleeps[0] == 0.05 and max(clock.sleeps) <= 1
    clock = FakeClock()
    assert ck.settle("r1", timeout=30, stale=8, clock=clock, sleep=clock.sleep) == ["part-00003-1"]
    assert 8 <= clock.t < 9.6
    second.close()
    clock = FakeClock()
    assert ck.settle("r1", timeout=30, clock=clock, sleep=clock.sleep) == [] and clock.sleeps == []
    assert ck.run_acks("r1") == {A, B, C, D}
    ck.write_manifest("r2", {"run": "r2", "finished": 2.0})
    ck.write_manifest("r1", {"run": "r1", "finished": 1.0})
    ck.write_manifest("r1", {"run": "r1", "finished": 1.5})  # replaced whole
    assert ck.manifest("r1") == {"run": "r1", "finished": 1.5} and ck.manifest("r9") is None
    assert [m["run"] for m in ck.manifests()] == ["r1", "r2"]


def test_a_local_ack_file_is_appended_and_a_torn_last_line_matches_no_id(tmp_path: Path):
    ck = Checkpoint(str(tmp_path), "job1")
    acks = ck.ack_file("r1", 3, 0, heartbeat=None)
    acks.open()
    acks.write([A, B])
    acks.close()
    assert sorted(p.name for p in (tmp_path / "job1" / "acks" / "r1").iterdir()) == [
        "part-00003-0.done", "part-00003-0.ids", "part-00003-0.open"]
    (tmp_path / "job1" / "acks" / "r1" / "part-00003-1.ids").write_text(C + "\n" + "d" * 20)  # a task killed mid-write
    assert ck.earlier_attempts("r1", 3) == {A, B, C} == ck.run_acks("r1")


def test_a_running_attempt_keeps_its_marker_changing_until_it_closes(tmp_path: Path):
    ck = Checkpoint(str(tmp_path), "job1")
    acks = ck.ack_file("r1", 0, 0, heartbeat=0.01)
    acks.open()
    marker = tmp_path / "job1" / "acks" / "r1" / "part-00000-0.open"
    beats = set()
    for _ in range(2000):
        beats.add(marker.read_bytes())
        if len(beats) >= 3:
            break
        threading.Event().wait(0.005)
    assert len(beats) >= 3 and ck.attempts("r1") == (["part-00000-0"], ["part-00000-0"])
    acks.close()
    assert acks._beating is None and ck.attempts("r1") == (["part-00000-0"], [])  # type: ignore[attr-defined]


def test_object_store_acks_are_group_committed_and_count_only_once_written(s3: str):
    ck = Checkpoint(s3 + "/ck", "job1")
    store = ck.store
    assert isinstance(store, FsspecStore) and not store.appends
    held, entered = threading.Event(), threading.Event()
    real_put = store.put

    def put(name: str, data: bytes) -> None:
        if name.endswith("-000000.ids"):
            entered.set()
            held.wait(10)
        real_put(name, data)

    store.put = put  # type: ignore[method-assign]
    acks = ck.ack_file("r1", 0, 0, heartbeat=None)
    acks.open()
    returned: list[str] = []

    def ack(ids: list[str]) -> None:
        acks.write(ids)
        returned.append(ids[0])

    lead = threading.Thread(target=ack, args=([A],))
    lead.start()
    assert entered.wait(10)
    rest = [threading.Thread(target=ack, args=([x],)) for x in (B, C, D)]
    for t in rest:
        t.start()
    for _ in range(2000):  # the three requests queue up behind the object being written
        if acks._queued == 4:  # type: ignore[attr-defined]
            break
        threading.Event().wait(0.005)
    assert acks._queued == 4 and returned == [] and acks.written == 0  # type: ignore[attr-defined]
    assert ck.earlier_attempts("r1", 0) == set()  # nothing counts before its object is written
    held.set()
    for t in [lead, *rest]:
        t.join(10)
    acks.close()
    assert sorted(returned) == [A, B, C, D] and acks.written == 4
    names = sorted(n for n in store.files("acks/r1") if n.endswith(".ids"))
    assert names == ["part-00000-0-000000.ids", "part-00000-0-000001.ids"]  # B, C, D went as one object
    assert ck.earlier_attempts("r1", 0) == {A, B, C, D} and ck.attempts("r1") == (["part-00000-0"], [])


def test_an_object_that_cannot_be_written_fails_its_requests_and_every_later_one(s3: str):
    ck = Checkpoint(s3 + "/ck", "job1")
    store = ck.store
    real_put = store.put

    def put(name: str, data: bytes) -> None:
        if name.endswith("-000001.ids"):
            raise PermissionError("access denied")
        real_put(name, data)

    store.put = put  # type: ignore[method-assign]
    acks = ck.ack_file("r1", 0, 0, heartbeat=None)
    acks.open()
    acks.write([A])
    with pytest.raises(OSError, match="access denied"):
        acks.write([B])
    with pytest.raises(OSError, match="not written"):
        acks.write([C])
    acks.close()
    assert acks.written == 1 and ck.earlier_attempts("r1", 0) == {A}


def test_store_for_paths_and_clear_errors_for_missing_packages(tmp_path: Path):
    def local(uri: str) -> tuple[str, bool]:
        store = store_for(uri)
        assert isinstance(store, LocalStore)
        return str(store.root), store.appends

    assert local("file:///lake/x") == ("/lake/x", True) and local(str(tmp_path)) == (str(tmp_path), True)
    # FUSE mounts of Databricks are written in whole files: they do not append reliably.
    assert local("dbfs:/lake/x") == ("/dbfs/lake/x", False)
    assert local("dbfs:/Volumes/main/cio/ck") == ("/Volumes/main/cio/ck", False)
    assert local("/Volumes/main/cio/ck") == ("/Volumes/main/cio/ck", False)
    pytest.importorskip("fsspec")
    for uri, package in (("gs://bucket/ck", "gcsfs"), ("abfss://c@acct.dfs.core.windows.net/ck", "adlfs")):
        try:
            __import__(package)
        except ImportError:
            with pytest.raises(ValidationError, match=f"checkpoint: .*pip install {package}") as caught:
                store_for(uri)
            assert caught.value.field == "checkpoint"
    with pytest.raises(ValidationError, match=r"state: nosuch:// is not a store") as caught:
        store_for("nosuch://x/y", field="state")
    assert caught.value.field == "state"


def test_sync_state_versions_on_an_object_store(s3: str):
    pytest.importorskip("pyspark")
    from cio_toolkit.spark._sync import _versions

    state = s3 + "/people-state"
    store = store_for(state)
    for name in ("v000001/_SUCCESS", "v000001/part-0.parquet", "v000002/_SUCCESS", "v000003/part-0.parquet",
                 "checkpoint/sync-v000001/runs/r.json"):
        store.put(name, b"x")
    assert _versions(state) == [1, 2]  # v3 was never finished; checkpoint/ is no version
    store.remove("v000001")
    assert _versions(state) == [2] and store.folders("") == sorted(store.folders(""))


def test_abort_counts_what_attempts_record_after_the_job_failed(s3: str, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("pyspark")
    import pyarrow as pa

    from cio_toolkit.spark._encode import from_manifest
    from cio_toolkit.spark._options import WriteOptions
    from cio_toolkit.spark._write import CustomerIOWriter

    options = WriteOptions.parse({"kind": "track", "key": "event_id", "job": "job1", "checkpoint": s3 + "/ck"})
    writer = CustomerIOWriter(options, pa.schema([("event_id", pa.string())]), run="r1", tasks=2, mapping={})
    ck = Checkpoint(s3 + "/ck", "job1")
    failed = ck.ack_file("r1", 0, 0, heartbeat=None)
    failed.open()
    failed.write([A])
    late = ck.ack_file("r1", 1, 0, heartbeat=None)
    late.open()
    late.write([B])
    failed.close()
    listings = 0

    class LateStore(FsspecStore):
        """The cancelled attempt records its last request just after the driver's first look."""

        def files(self, folder: str) -> dict[str, int]:
            nonlocal listings
            seen = super().files(folder)
            listings += 1
            if listings == 1:
                late.write([C])
                late.close()
            return seen

    real = ck.store
    assert isinstance(real, FsspecStore)
    import cio_toolkit.spark._write as write_module

    class Patched(Checkpoint):
        def __init__(self, checkpoint: str, job: str, **_: Any) -> None:
            super().__init__(checkpoint, job, store=LateStore(real.fs, real.root, real.uri))

    with monkeypatch.context() as m:
        m.setattr(write_module, "Checkpoint", Patched)
        writer.abort([None, None])
    manifest = ck.manifest("r1")
    assert manifest is not None and listings >= 2
    assert manifest["attempts_unclosed"] == [] and manifest["acknowledged_by_failed_attempts"] == 3
    assert from_manifest(manifest).acknowledged == 3 and manifest["status"] == "aborted"
    # An attempt that never closes is counted as found once the bound ran out, and named.
    lost = ck.ack_file("r1", 2, 0, heartbeat=None)
    lost.open()
    lost.write([D])
    writer.settle_seconds = 0
    writer.abort([None, None])
    manifest = ck.manifest("r1")
    assert manifest is not None and manifest["attempts_unclosed"] == ["part-00002-0"]
    assert manifest["summary"]["acknowledged"] == 4
    from cio_toolkit.spark._load import _failed_run

    report, unclosed = _failed_run(ck, "r1", options, {})  # what load() raises with
    assert report is not None and (report.acknowledged, unclosed) == (4, ["part-00002-0"])
    # Without abort()'s manifest (abort itself failed), load() counts the ack files the same way.
    ck.store.remove("runs")
    lost.close()
    report, unclosed = _failed_run(ck, "r1", options, {})
    assert report is not None and (report.acknowledged, report.status, unclosed) == (4, "aborted", [])
    assert _failed_run(ck, "r-never-started", options, {}) == (None, [])


def test_a_failed_runs_report_names_the_target_its_tasks_sent_to(emu: Any, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("pyspark")
    import pyarrow as pa

    from cio_toolkit import CustomerIO
    from cio_toolkit.spark._encode import encoder_for, from_manifest
    from cio_toolkit.spark._load import _failed_run
    from cio_toolkit.spark._options import WriteOptions
    from cio_toolkit.spark._write import CustomerIOWriter

    for name, value in emu.env().items():  # what an executor has
        monkeypatch.setenv(name, value)
    target = CustomerIO(**emu.settings()).target
    options = WriteOptions.parse({"kind": "track", "key": "event_id", "job": "job1", "checkpoint": str(tmp_path / "ck")})
    table = pa.table({"event_id": ["ck9-e0", "ck9-e1"], "user_id": ["ck9-u0", "ck9-u1"], "event": ["viewed"] * 2})
    mapping = encoder_for("track", "pipelines", table.schema, options.roles).describe()
    writer = CustomerIOWriter(options, table.schema, run="r1", tasks=2, mapping=mapping)
    writer.write(iter(table.to_batches()))  # a task that sent its partition; the job then failed
    ck = Checkpoint(str(tmp_path / "ck"), "job1")
    assert ck.manifest("r1") is None
    # abort() wrote no manifest: load() counts the ack files, and names where they went as a manifest would.
    report, _ = _failed_run(ck, "r1", options, mapping)
    assert report is not None and report.acknowledged == 2 and report.target == target
    assert str(report).startswith(f"track load 'job1' -> {target}: aborted")
    writer.abort([None, None])  # no task committed: the attempts' markers name the target
    manifest = ck.manifest("r1")
    assert manifest is not None and manifest["target"] == target and from_manifest(manifest).target == target


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark_reads_both_ack_layouts_back(spark: Any, tmp_path: Path):
    import fsspec

    # One job, a run written on a local disk (appended) and a run written as objects (through fsspec).
    job = tmp_path / "ck" / "job1"
    stores = [LocalStore(job, str(job)), FsspecStore(fsspec.filesystem("file"), str(job), job.as_uri())]
    expected = set()
    for i, store in enumerate(stores):
        acks = Checkpoint(str(tmp_path / "ck"), "job1", store=store).ack_file(f"r{i}", 0, 0, heartbeat=None)
        acks.open()
        ids = [str(uuid.UUID(int=i * 1000 + n)) for n in range(50)]
        for n in range(0, 50, 10):
            acks.write(ids[n:n + 10])
        acks.close()
        expected |= set(ids)
    ck = Checkpoint(str(tmp_path / "ck"), "job1")
    assert len({n for n in ck.store.files("acks/r1") if n.endswith(".ids")}) == 5  # one object per request here
    read = [r["value"] for r in spark.read.text(ck.acks_uri()).collect()]
    assert len(read) == 100 and set(read) == expected == ck.run_acks("r0") | ck.run_acks("r1")
