"""What a Spark load keeps under ``checkpoint``: acknowledged ids per task attempt, and run manifests.

Layout, under ``{checkpoint}/{job}/``::

    acks/{run}/part-{partition:05d}-{attempt}.open          the attempt started (written before it sends)
    acks/{run}/part-{partition:05d}-{attempt}.ids           local disks: one file, appended per request
    acks/{run}/part-{partition:05d}-{attempt}-{n:06d}.ids   object stores: one immutable object per flush
    acks/{run}/part-{partition:05d}-{attempt}.done          the attempt closed: nothing more will be added
    runs/{run}.json                                         the run manifest, written by commit() or abort()

Ack files are plain text (one messageId a line) so Spark reads both layouts back with
``spark.read.text(".../acks/*/*.ids")`` for a resume. An id counts as acknowledged only once it
is written: on a local disk each request's ids go out in one write, flushed before the request
counts (a task killed at any instant leaves a torn last line at worst, which matches no id, so
those rows are sent again and deduplicated by messageId). Object stores cannot append, and
FUSE mounts (DBFS, Unity Catalog volumes) do not append reliably either: there an attempt writes
whole objects, group-committed (the requests acknowledged while one object is written go into
the next), and each request waits until the object holding its ids is written. ``.open`` and
``.done`` let the driver wait, after a failed job, for the attempts still finishing before it
counts (:meth:`Checkpoint.settle`): a running attempt rewrites ``.open`` every second, so the
driver stops waiting for one Spark killed (it cancels a failed job's other tasks, then kills
their Python workers) once its marker stops changing.

Local paths, ``file:`` URIs, ``dbfs:`` (through the ``/dbfs`` mount) and ``/Volumes/...`` are
written through the file system; other URIs (``s3://``, ``s3a://``, ``gs://``, ``abfss://``, ...)
through fsspec and the store's package (s3fs, gcsfs, adlfs), installed on the driver and executors.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import orjson

from .._exceptions import ValidationError

__all__ = ["AckFile", "Checkpoint", "Store", "store_for"]

SETTLE_SECONDS = 30.0  # how long the driver waits for the attempts of a failed job to close their files
HEARTBEAT_SECONDS = 1.0  # how often a running attempt rewrites its .open marker
# An attempt whose marker did not change for this long (on the driver's clock) is gone: Spark kills the
# Python worker of a cancelled task a moment after cancelling it, and then nothing more is written.
STALE_SECONDS = 8.0
_URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# The package fsspec needs for a scheme (fsspec's own message when it knows none).
_PACKAGES = {"s3": "s3fs", "s3a": "s3fs", "s3n": "s3fs", "gs": "gcsfs", "gcs": "gcsfs", "abfs": "adlfs",
             "abfss": "adlfs", "az": "adlfs", "wasb": "adlfs", "wasbs": "adlfs"}
_ID_LEN = 36


class Store:
    """Whole objects under one root, named by relative paths: written, read, listed and removed."""

    uri: str
    appends: bool  # whether an ack file may be appended to (else: one immutable object per flush)

    def put(self, name: str, data: bytes) -> None:
        """Write ``name`` whole (a reader sees all of it or none)."""
        raise NotImplementedError

    def get(self, name: str) -> bytes | None:
        """The content of ``name`` (None when it does not exist)."""
        raise NotImplementedError

    def files(self, folder: str) -> dict[str, int]:
        """The files directly in ``folder`` and their sizes (empty when it does not exist)."""
        raise NotImplementedError

    def folders(self, folder: str) -> list[str]:
        """The folders directly in ``folder``."""
        raise NotImplementedError

    def remove(self, folder: str) -> None:
        """Remove ``folder`` and everything in it (nothing when it does not exist)."""
        raise NotImplementedError

    def append(self, name: str) -> Any:
        """A binary file opened for appending (only when ``appends``)."""
        raise NotImplementedError


class LocalStore(Store):
    """A folder of the local file system (or a FUSE mount of one: DBFS, volumes)."""

    def __init__(self, root: Path, uri: str, *, appends: bool = True) -> None:
        self.root, self.uri, self.appends = root, uri, appends

    def put(self, name: str, data: bytes) -> None:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        with open(tmp, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)

    def get(self, name: str) -> bytes | None:
        try:
            return (self.root / name).read_bytes()
        except FileNotFoundError:
            return None

    def files(self, folder: str) -> dict[str, int]:
        out: dict[str, int] = {}
        try:
            entries = list(os.scandir(self.root / folder))
        except (FileNotFoundError, NotADirectoryError):
            return out
        for entry in entries:
            try:
                if entry.is_file() and not entry.name.startswith("."):
                    out[entry.name] = entry.stat().st_size
            except FileNotFoundError:  # removed while listed
                continue
        return out

    def folders(self, folder: str) -> list[str]:
        try:
            return [e.name for e in os.scandir(self.root / folder) if e.is_dir()]
        except (FileNotFoundError, NotADirectoryError):
            return []

    def remove(self, folder: str) -> None:
        shutil.rmtree(self.root / folder, ignore_errors=True)

    def append(self, name: str) -> Any:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return open(target, "ab")  # closed by the ack file


class FsspecStore(Store):
    """A prefix of an fsspec file system (an object store: no appends, listings read fresh)."""

    appends = False

    def __init__(self, fs: Any, root: str, uri: str) -> None:
        self.fs, self.root, self.uri = fs, root.rstrip("/"), uri

    def _path(self, name: str) -> str:
        return f"{self.root}/{name}" if name else self.root

    def put(self, name: str, data: bytes) -> None:
        path = self._path(name)
        try:
            self.fs.pipe_file(path, data)
        except FileNotFoundError:  # a file system with folders (fsspec's local one) wants the parent first
            self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
            self.fs.pipe_file(path, data)

    def get(self, name: str) -> bytes | None:
        try:
            return bytes(self.fs.cat_file(self._path(name)))
        except FileNotFoundError:
            return None

    def _ls(self, folder: str) -> list[dict[str, Any]]:
        path = self._path(folder)
        self.fs.invalidate_cache(path)  # other processes (the executors) write here: never a cached listing
        try:
            return list(self.fs.ls(path, detail=True))
        except FileNotFoundError:
            return []

    def files(self, folder: str) -> dict[str, int]:
        return {e["name"].rstrip("/").rsplit("/", 1)[-1]: int(e.get("size") or 0) for e in self._ls(folder)
                if e.get("type") == "file" and not e["name"].rsplit("/", 1)[-1].startswith(".")}

    def folders(self, folder: str) -> list[str]:
        return [e["name"].rstrip("/").rsplit("/", 1)[-1] for e in self._ls(folder) if e.get("type") == "directory"]

    def remove(self, folder: str) -> None:
        try:
            self.fs.rm(self._path(folder), recursive=True)
        except FileNotFoundError:
            pass


def store_for(uri: str, *, field: str = "checkpoint") -> Store:
    """The store of ``uri``: the local file system for paths, ``file:``, ``dbfs:`` and volumes; else fsspec."""
    text = str(uri).rstrip("/") or "/"
    if text.startswith("file:"):
        return LocalStore(Path(re.sub(r"^file:(//)?", "", text) or "/"), text)
    if text.startswith("dbfs:"):
        rest = "/" + text[len("dbfs:"):].lstrip("/")
        # Volumes are mounted at /Volumes itself; everything else of DBFS under /dbfs. Neither appends reliably.
        path = Path(rest) if rest.startswith("/Volumes/") else Path("/dbfs") / rest.lstrip("/")
        return LocalStore(path, text, appends=False)
    match = _URI.match(text)
    if not match or len(match.group(1)) == 1:  # no scheme, or a Windows drive letter
        volume = text.startswith(("/Volumes/", "/dbfs/"))
        return LocalStore(Path(text), text, appends=not volume)
    scheme = match.group(1).lower()
    package = _PACKAGES.get(scheme)
    install = " ".join(p for p in ("fsspec", package) if p)
    try:
        import fsspec
    except ImportError:
        raise ValidationError(f"{field}: {scheme}:// paths are written through fsspec: pip install {install} on the "
                              "driver and the executors", field=field, limit=package or "fsspec") from None
    try:
        fs, root = fsspec.core.url_to_fs(text)
    except (ImportError, ValueError) as exc:
        missing = isinstance(exc, ImportError) or scheme not in fsspec.available_protocols()
        if package is not None and missing:
            raise ValidationError(f"{field}: {scheme}:// paths need the {package} package on the driver and the "
                                  f"executors: pip install {package}", field=field, limit=package) from None
        known = "is not a store fsspec knows" if missing else "cannot be opened"
        raise ValidationError(f"{field}: {scheme}:// {known} ({exc}); use a local path, dbfs: or an object store "
                              "fsspec writes", field=field) from None
    return FsspecStore(fs, root, text)


class AckFile:
    """One task attempt's acknowledged ids: ``open()``, ``write()`` per acknowledged request, ``close()``."""

    def __init__(self, store: Store, stem: str, *, heartbeat: float | None = HEARTBEAT_SECONDS) -> None:
        self.store = store
        self.stem = stem  # acks/{run}/part-{partition:05d}-{attempt}
        self.written = 0
        self.heartbeat = heartbeat
        self._lock = threading.Lock()
        self._beats = 0
        self._about: dict[str, str] = {}
        self._closing = threading.Event()
        self._beating: threading.Thread | None = None

    def open(self) -> None:
        """Mark the attempt started, before it sends anything, and keep marking it alive until ``close()``
        (the driver of a failed job waits for live attempts to close, not for dead ones)."""
        self.beat()
        if self.heartbeat is not None:
            self._beating = threading.Thread(target=self._beat_until_closed, name="cio-ack-heartbeat", daemon=True)
            self._beating.start()

    def beat(self) -> None:
        """Rewrite the attempt's ``.open`` marker: it is alive."""
        self._beats += 1
        self.store.put(f"{self.stem}.open", orjson.dumps({"started": now(), "beat": self._beats, **self._about}))

    def note(self, *, target: str) -> None:
        """Record where the attempt sends in its marker, for a failed run's report when no manifest says it."""
        self._about["target"] = target
        self.beat()

    def _beat_until_closed(self) -> None:
        while not self._closing.wait(self.heartbeat):
            try:
                self.beat()
            except Exception:  # a missed beat only makes the driver stop waiting for this attempt sooner
                continue

    def write(self, ids: list[str]) -> None:
        """Record one acknowledged request's ids; return once they are written (then they count)."""
        raise NotImplementedError

    def close(self) -> None:
        """Make everything written durable, then mark the attempt closed."""
        self._closing.set()
        if self._beating is not None:
            self._beating.join()
            self._beating = None
        self.store.put(f"{self.stem}.done", orjson.dumps({"ids": self.written, "closed": now()}))


class _AppendedAckFile(AckFile):
    """A local disk's ack file: each request's ids appended in one write and flushed."""

    def __init__(self, store: Store, stem: str, **kw: Any) -> None:
        super().__init__(store, stem, **kw)
        self._out: Any = None

    def write(self, ids: list[str]) -> None:
        data = ("\n".join(ids) + "\n").encode("ascii")
        with self._lock:  # the delivery loop's workers call this at once
            if self._out is None:
                self._out = self.store.append(f"{self.stem}.ids")
            self._out.write(data)
            self._out.flush()
            self.written += len(ids)

    def close(self) -> None:
        with self._lock:
            if self._out is not None:
                os.fsync(self._out.fileno())
                self._out.close()
                self._out = None
        super().close()


class _ObjectAckFile(AckFile):
    """An object store's ack objects: whoever finds no write under way writes every id waiting, as one object."""

    def __init__(self, store: Store, stem: str, **kw: Any) -> None:
        super().__init__(store, stem, **kw)
        self._cond = threading.Condition(self._lock)
        self._pending: list[str] = []
        self._queued = 0  # requests handed over
        self._durable = 0  # requests whose ids are in a written object
        self._writing = False
        self._error: BaseException | None = None
        self._objects = 0

    def write(self, ids: list[str]) -> None:
        with self._cond:
            self._pending.extend(ids)
            self._queued += 1
            mine = self._queued
            while self._durable < mine:
                if self._error is not None:
                    raise OSError(f"acknowledgements not written to {self.store.uri}: {self._error}") from self._error
                if self._writing:
                    self._cond.wait()
                    continue
                batch, upto, number = self._pending, self._queued, self._objects
                self._pending, self._objects, self._writing = [], number + 1, True
                self._cond.release()
                error: BaseException | None = None
                try:
                    self.store.put(f"{self.stem}-{number:06d}.ids", ("\n".join(batch) + "\n").encode("ascii"))
                except BaseException as exc:
                    error = exc
                finally:
                    self._cond.acquire()
                    self._writing = False
                    if error is None:
                        self._durable, self.written = upto, self.written + len(batch)
                    else:
                        self._error = error  # every request of that object, and any later one, is unrecorded
                    self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            while self._writing:
                self._cond.wait()
        super().close()


class Checkpoint:
    """One job's folder under ``checkpoint``: its ack files and run manifests."""

    def __init__(self, checkpoint: str, job: str, *, store: Store | None = None) -> None:
        self.uri = str(checkpoint).rstrip("/")
        self.job = job
        self.store = store or store_for(f"{self.uri}/{job}")

    def ack_file(self, run: str, partition: int, attempt: int, *,
                 heartbeat: float | None = HEARTBEAT_SECONDS) -> AckFile:
        """The ack file of one task attempt (appended on a local disk, objects elsewhere)."""
        stem = f"acks/{run}/part-{partition:05d}-{attempt}"
        kind = _AppendedAckFile if self.store.appends else _ObjectAckFile
        return kind(self.store, stem, heartbeat=heartbeat)

    def acks_uri(self) -> str:
        """Every ack file of the job, as a path Spark reads (``spark.read.text``)."""
        return f"{self.uri}/{self.job}/acks/*/*.ids"

    def has_acks(self) -> bool:
        """Whether any run of the job acknowledged anything."""
        return any(size for run in self.store.folders("acks") for name, size in self.store.files(f"acks/{run}").items()
                   if name.endswith(".ids"))

    def _ids(self, run: str, partitions: Callable[[int], bool]) -> set[str]:
        out: set[str] = set()
        for name in self.store.files(f"acks/{run}"):
            if name.endswith(".ids") and name.startswith("part-") and partitions(int(name.split("-")[1])):
                out.update(_ids(self.store.get(f"acks/{run}/{name}") or b""))
        return out

    def earlier_attempts(self, run: str, partition: int) -> set[str]:
        """Ids acknowledged by earlier attempts of this partition in this run (a retried or speculative
        task; read before the attempt writes, so a file left by a retried stage counts too)."""
        return self._ids(run, lambda p: p == partition)

    def run_acks(self, run: str, *, committed: Collection[int] = ()) -> set[str]:
        """Ids acknowledged in ``run`` by the attempts of partitions that did not commit."""
        return self._ids(run, lambda p: p not in committed)

    def attempts(self, run: str) -> tuple[list[str], list[str]]:
        """The attempts of ``run`` that started, and those of them that have not closed (as ``part-P-A``)."""
        names = self.store.files(f"acks/{run}")
        started = sorted(n[:-len(".open")] for n in names if n.endswith(".open"))
        return started, [a for a in started if f"{a}.done" not in names]

    def target(self, run: str) -> str:
        """Where the attempts of ``run`` sent, as their markers record it ("" when none does)."""
        started, _ = self.attempts(run)
        for attempt in started:
            marker = self.store.get(f"acks/{run}/{attempt}.open")
            try:
                target = orjson.loads(marker or b"{}").get("target")
            except orjson.JSONDecodeError:  # a marker being rewritten on a store without atomic puts
                continue
            if target:
                return str(target)
        return ""

    def settle(self, run: str, *, timeout: float = SETTLE_SECONDS, stale: float = STALE_SECONDS,
               clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> list[str]:
        """Wait until every attempt of ``run`` that started has closed or is gone (its marker unchanged for
        ``stale`` seconds), ``timeout`` seconds at most, on ``clock``; return the attempts not closed."""
        deadline, pause = clock() + timeout, 0.05
        seen: dict[str, tuple[bytes | None, float]] = {}  # attempt -> its marker, when it last changed
        while True:
            _, unclosed = self.attempts(run)
            at = clock()
            alive = []
            for attempt in unclosed:
                marker = self.store.get(f"acks/{run}/{attempt}.open")
                if attempt not in seen or seen[attempt][0] != marker:
                    seen[attempt] = (marker, at)
                if at - seen[attempt][1] < stale:
                    alive.append(attempt)
            left = deadline - at
            if not alive or left <= 0:
                return unclosed
            sleep(min(pause, left))
            pause = min(pause * 2, 1.0)  # most close within moments: a long wait lists the store ~35 times, not 600

    def write_manifest(self, run: str, manifest: dict[str, Any]) -> str:
        """Write the run manifest whole (a reader sees the old one or the new one, never half); its name."""
        name = f"runs/{run}.json"
        self.store.put(name, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        return f"{self.uri}/{self.job}/{name}"

    def manifest(self, run: str) -> dict[str, Any] | None:
        """The manifest of ``run`` (None when the run wrote none)."""
        data = self.store.get(f"runs/{run}.json")
        return orjson.loads(data) if data is not None else None  # type: ignore[no-any-return]

    def manifests(self) -> list[dict[str, Any]]:
        """Every run manifest of the job, oldest first."""
        found = [orjson.loads(self.store.get(f"runs/{name}") or b"{}") for name in self.store.files("runs")
                 if name.endswith(".json")]
        return sorted(found, key=lambda m: m.get("finished", 0))


def _ids(data: bytes) -> list[str]:
    return [line for line in data.decode("ascii", "replace").split("\n") if len(line) == _ID_LEN]


def now() -> float:
    """Unix time, for manifests."""
    return time.time()
