"""The load journal: which rows of a job the API has acknowledged, durable across kill -9.

One SQLite file (WAL mode) holds every job. Each acknowledged request adds one row with the
16-byte messageIds it carried (and, for jobs with a ``key``, an 8-byte hash of each row key),
committed before the next acknowledgement is recorded, so an interruption at any instant loses
at most the acknowledgements of requests still in flight (which a resume sends again; the API
deduplicates them by messageId). Each job also keeps a fingerprint of its source, so a resume
can tell whether the source changed.

Every SQLite failure (locked, corrupt, not a database, read-only, disk full) surfaces as a
:class:`JournalError` that names the file, says what is wrong and what to do. A lock held by
another process is waited for ``busy_timeout`` seconds (default 2), not indefinitely.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from .._exceptions import CustomerIOError, ValidationError

if TYPE_CHECKING:
    from ._report import LoadReport

__all__ = ["Journal", "JobInfo", "AckedIds", "JournalError", "SQLiteFile", "DEFAULT_JOURNAL", "key_hashes"]

DEFAULT_JOURNAL = Path(".cio") / "bulk.sqlite"
DEFAULT_BUSY_TIMEOUT = 2.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    api TEXT NOT NULL,
    target TEXT NOT NULL,
    source TEXT NOT NULL,
    mapping TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    runs INTEGER NOT NULL DEFAULT 0,
    summary TEXT,
    fingerprint TEXT
);
CREATE TABLE IF NOT EXISTS acks (
    job TEXT NOT NULL,
    seq INTEGER NOT NULL,
    n INTEGER NOT NULL,
    ids BLOB NOT NULL,
    at REAL NOT NULL,
    keys BLOB,
    PRIMARY KEY (job, seq)
) WITHOUT ROWID;
"""
# Columns added after the first release: journals written before them are upgraded on open.
_ADDED_COLUMNS = (("jobs", "fingerprint", "TEXT"), ("acks", "keys", "BLOB"))


def _pack_ids(message_ids: Iterable[str]) -> bytes:
    # 16 bytes per id; one hex decode for the whole request instead of one UUID object per id.
    return bytes.fromhex("".join(message_ids).replace("-", ""))


def key_hashes(keys: Sequence[str]) -> bytes:
    """8 bytes per row key (64-bit FNV-1a over its code points): enough to tell which keys a job delivered.

    Vectorized over the batch (numpy, one pass per character position): a fifth of the cost of
    a hashlib call per key, which matters on the send path of keyed loads.
    """
    import numpy as np

    if not keys:
        return b""
    text = np.array(keys, dtype=str)
    width = text.dtype.itemsize // 4
    codes = text.view(np.uint32).reshape(len(keys), width).astype(np.uint64)
    h = np.full(len(keys), 0xCBF29CE484222325, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for j in range(width):
            c = codes[:, j]
            h = np.where(c != 0, (h ^ c) * prime, h)  # the padding of shorter keys is skipped
    return h.astype(">u8").tobytes()  # type: ignore[no-any-return]


class JournalError(CustomerIOError):
    """A journal or sync state file cannot be used; the message names the file, what is wrong and what to do.

    ``problem`` is one of: locked, not a database, corrupt, disk full, read-only, I/O error, empty,
    unusable. ``report`` is the :class:`LoadReport` of a load the error stopped (None otherwise).
    """

    def __init__(self, message: str, *, path: Path | None, problem: str) -> None:
        super().__init__(message)
        self.path = path
        self.problem = problem
        self.report: LoadReport | None = None


# What each SQLite failure means for the user, and what to do about it.
_PROBLEMS: tuple[tuple[tuple[str, ...], tuple[str, ...], str, str], ...] = (
    (("SQLITE_BUSY", "SQLITE_LOCKED"), ("locked",), "locked",
     "is locked by another connection: another load or sync may be running with this file. Wait for it to "
     "finish, or use another file"),
    (("SQLITE_NOTADB",), ("not a database",), "not a database",
     "is not a SQLite database (a wrong path, or the file was overwritten). Point to the right file, or move "
     "this one aside to start a new one"),
    (("SQLITE_CORRUPT",), ("malformed", "corrupt"), "corrupt",
     "is corrupt or truncated. Restore it from a backup, or move it aside to start a new one"),
    (("SQLITE_FULL",), ("full", "no space", "too large"), "disk full",
     "cannot grow: the disk (or a file size limit) is full. Free space, then run again (resume continues "
     "where this run stopped)"),
    (("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN", "SQLITE_AUTH"), ("readonly", "unable to open"),
     "read-only", "cannot be opened for writing: check the permissions of the file and of its directory"),
    (("SQLITE_IOERR",), ("disk i/o",), "I/O error",
     "could not be read or written (an I/O error): check the disk, then run again"),
)


class SQLiteFile:
    """One SQLite file shared by threads behind a lock; subclasses set ``SCHEMA`` and ``LABEL``.

    ``busy_timeout`` is how many seconds to wait for a lock another process holds before failing
    with a :class:`JournalError` that says so.
    """

    SCHEMA = ""
    LABEL = "SQLite file"
    # What a fresh file loses compared with this one (said when suggesting to move it aside).
    LOSS = ""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_JOURNAL, *,
                 busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        if busy_timeout < 0:
            raise ValidationError(f"busy_timeout: must be >= 0 seconds, got {busy_timeout}", field="busy_timeout",
                                  limit=0, actual=busy_timeout)
        self.path = Path(path)
        self._lock = threading.Lock()
        existed = self.path.exists()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=busy_timeout)
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc, "open") from None
        try:
            tables = self._db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
            # WAL + NORMAL: a committed ack survives the process being killed (only power loss can drop one).
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(self.SCHEMA)
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise self._error(exc, "open") from None
        # A file that existed but held nothing (zero bytes, or emptied): it may have been truncated.
        self.empty_file = existed and tables == 0

    def _migrate(self) -> None:
        """Bring a file written by an older version up to ``SCHEMA`` (no-op by default)."""

    def _error(self, exc: BaseException, doing: str) -> JournalError:
        """The one place a SQLite or OS failure becomes a :class:`JournalError` naming the file."""
        name = str(getattr(exc, "sqlite_errorname", "") or "")
        text = str(exc).lower()
        problem, advice = "unusable", "cannot be used. Check the file, or move it aside to start a new one"
        for codes, words, label, hint in _PROBLEMS:
            if name.startswith(codes) or any(w in text for w in words):
                problem, advice = label, hint
                break
        else:
            if isinstance(exc, OSError):
                problem, advice = "read-only", "cannot be created or opened: check the path and its permissions"
        loss = f" ({self.LOSS})" if self.LOSS and "aside" in advice else ""
        return JournalError(f"{self.LABEL} {self.path} {advice}{loss}. (While trying to {doing}: "
                            f"{type(exc).__name__}: {exc}.)", path=self.path, problem=problem)

    @contextmanager
    def _locked(self, doing: str) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock; a failure rolls back and becomes a :class:`JournalError`."""
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                if self._db.in_transaction:
                    try:
                        self._db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the original failure is the one worth reporting
                raise self._error(exc, doing) from None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class JobInfo:
    """A job's record: what it loads, its status, how many rows are acknowledged, its source fingerprint."""

    job: str
    kind: str
    api: str
    target: str
    source: str
    status: str
    created_at: float
    updated_at: float
    runs: int
    acknowledged: int
    summary: dict[str, Any] | None = None
    mapping: dict[str, Any] | None = None
    fingerprint: dict[str, Any] | None = None


class AckedIds:
    """The acknowledged messageIds of a job, held compactly (8 bytes each) for membership tests."""

    def __init__(self, prefixes: Any) -> None:
        self._sorted = prefixes
        self._set: set[int] | None = None

    def __len__(self) -> int:
        return len(self._sorted)

    def __contains__(self, message_id: object) -> bool:
        if not isinstance(message_id, str) or not len(self._sorted):
            return False
        import numpy as np

        value = np.uint64(uuid.UUID(message_id).int >> 64)
        i = int(np.searchsorted(self._sorted, value))
        return i < len(self._sorted) and self._sorted[i] == value

    @classmethod
    def of(cls, message_ids: Iterable[str]) -> AckedIds:
        """The set of ``message_ids`` (acknowledged elsewhere than in a journal, e.g. by a Spark task attempt)."""
        import numpy as np

        return cls(np.unique(_prefixes(list(message_ids))))

    def mask(self, message_ids: Sequence[str]) -> list[bool]:
        """For each messageId, whether it was acknowledged (vectorized)."""
        if not len(self._sorted) or not message_ids:
            return [False] * len(message_ids)
        return self._member(_prefixes(message_ids))

    def mask_hashes(self, hashes: bytes) -> list[bool]:
        """For each 8-byte hash (as from :func:`key_hashes`), whether it is in the set."""
        if not len(self._sorted) or not hashes:
            return [False] * (len(hashes) // 8)
        import numpy as np

        return self._member(np.frombuffer(hashes, dtype=">u8").astype(np.uint64))

    def _member(self, probe: Any) -> list[bool]:
        import numpy as np

        idx = np.searchsorted(self._sorted, probe)
        idx[idx >= len(self._sorted)] = 0
        return (self._sorted[idx] == probe).tolist()  # type: ignore[no-any-return]


def _prefixes(message_ids: Sequence[str]) -> Any:
    """The first 8 bytes of each messageId's uuid, as the integers :class:`AckedIds` holds."""
    import numpy as np

    return np.array([int(m[:8] + m[9:13] + m[14:18], 16) for m in message_ids], dtype=np.uint64)


def _prefix_set(blobs: list[bytes], width: int) -> AckedIds:
    import numpy as np

    if not blobs:
        return AckedIds(np.zeros(0, dtype=np.uint64))
    # The first 8 bytes of each entry, as big-endian integers: 1,000,000 ids take 8 MB.
    raw = np.frombuffer(b"".join(blobs), dtype=">u8").reshape(-1, width // 8)[:, 0].astype(np.uint64)
    return AckedIds(np.unique(raw))


class Journal(SQLiteFile):
    """A SQLite journal of bulk jobs and their acknowledged rows (safe to share between threads)."""

    SCHEMA = _SCHEMA
    LABEL = "bulk journal"
    LOSS = "a new journal knows no acknowledged rows: a resume would send every row again"

    def _migrate(self) -> None:
        for table, column, kind in _ADDED_COLUMNS:
            have = {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    # ------------------------------------------------------------ jobs

    def check(
        self, job: str, *, kind: str, api: str, target: str, mapping: dict[str, Any], resume: bool
    ) -> JobInfo | None:
        """Whether a run of ``job`` may start (ValidationError if not); the job's record when it exists."""
        info = self.job(job)
        if info is None:
            return None
        if not resume:
            raise ValidationError(
                f"job: {job!r} already exists in {self.path}; pass resume=True (--resume) to continue it, "
                "or choose another job name", field="job",
            )
        if (info.kind, info.api) != (kind, api):
            raise ValidationError(
                f"job: {job!r} was a {info.kind} load on the {info.api} API, not {kind} on {api}", field="job",
            )
        if info.target != target:
            # Acknowledgements from one workspace (or emulator) say nothing about another.
            raise ValidationError(
                f"job: {job!r} was sent to {info.target}, not {target}; use a new job name for this target",
                field="job",
            )
        before, now = (info.mapping or {}).get("key") or [], mapping.get("key") or []
        if info.mapping is not None and before != now:
            # The row key is part of every messageId: with another key no acknowledged row would be recognized.
            def said(k: list[str]) -> str:
                return f"key={k}" if k else "row position (no key)"

            raise ValidationError(
                f"key: job {job!r} identified its rows by {said(before)}, this run by {said(now)}; every "
                "messageId would differ and every row would be sent again. Use the job's key, or a new job name",
                field="key", limit=before, actual=now,
            )
        return info

    def start(
        self, job: str, *, kind: str, api: str, target: str, source: str, mapping: dict[str, Any], resume: bool,
        fingerprint: dict[str, Any] | None = None,
    ) -> JobInfo:
        """Open ``job`` for a run: create it, or (``resume=True``) continue it after checking it matches."""
        info = self.check(job, kind=kind, api=api, target=target, mapping=mapping, resume=resume)
        now = time.time()
        fp = json.dumps(fingerprint, sort_keys=True) if fingerprint is not None else None
        with self._locked(f"start job {job!r}") as db:
            if info is None:
                db.execute(
                    "INSERT INTO jobs (job, kind, api, target, source, mapping, status, created_at, updated_at, runs, "
                    "fingerprint) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, 1, ?)",
                    (job, kind, api, target, source, json.dumps(mapping, sort_keys=True), now, now, fp),
                )
            else:
                db.execute(
                    "UPDATE jobs SET status = 'running', updated_at = ?, runs = runs + 1, mapping = ?, source = ?, "
                    "fingerprint = COALESCE(?, fingerprint) WHERE job = ?",
                    (now, json.dumps(mapping, sort_keys=True), source, fp, job),
                )
        started = self.job(job)
        assert started is not None
        return started

    def finish(self, job: str, *, status: str, summary: dict[str, Any],
               fingerprint: dict[str, Any] | None = None) -> None:
        """Record the outcome of a run (and the source's fingerprint, when only known at the end)."""
        fp = json.dumps(fingerprint, sort_keys=True) if fingerprint is not None else None
        with self._locked(f"record the outcome of job {job!r}") as db:
            db.execute(
                "UPDATE jobs SET status = ?, updated_at = ?, summary = ?, fingerprint = COALESCE(?, fingerprint) "
                "WHERE job = ?",
                (status, time.time(), json.dumps(summary, default=str), fp, job),
            )

    def job(self, job: str) -> JobInfo | None:
        """One job's record (None when unknown)."""
        with self._locked(f"read job {job!r}") as db:
            row = db.execute(
                "SELECT j.job, j.kind, j.api, j.target, j.source, j.status, j.created_at, j.updated_at, j.runs, "
                "COALESCE((SELECT SUM(n) FROM acks a WHERE a.job = j.job), 0), j.summary, j.mapping, j.fingerprint "
                "FROM jobs j WHERE j.job = ?",
                (job,),
            ).fetchone()
        if row is None:
            return None
        return JobInfo(job=row[0], kind=row[1], api=row[2], target=row[3], source=row[4], status=row[5],
                       created_at=row[6], updated_at=row[7], runs=row[8], acknowledged=row[9],
                       summary=json.loads(row[10]) if row[10] else None,
                       mapping=json.loads(row[11]) if row[11] else None,
                       fingerprint=json.loads(row[12]) if row[12] else None)

    def jobs(self) -> list[JobInfo]:
        """Every job, newest first."""
        with self._locked("list jobs") as db:
            names = [r[0] for r in db.execute("SELECT job FROM jobs ORDER BY updated_at DESC")]
        return [info for n in names if (info := self.job(n)) is not None]

    def drop(self, job: str) -> None:
        """Forget a job and its acknowledgements."""
        with self._locked(f"drop job {job!r}") as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM acks WHERE job = ?", (job,))
            db.execute("DELETE FROM jobs WHERE job = ?", (job,))
            db.execute("COMMIT")

    # ------------------------------------------------------------ acknowledgements

    def ack(self, job: str, message_ids: Sequence[str], keys: Sequence[str] | None = None) -> None:
        """Durably record that the API acknowledged ``message_ids`` (one commit per call).

        ``keys`` (the rows' keys, for jobs with a ``key``) are kept as 8-byte hashes, so a later
        resume can count rows whose content changed since they were delivered.
        """
        if not message_ids:
            return
        blob = _pack_ids(message_ids)
        hashed = key_hashes(keys) if keys is not None else None
        with self._locked(f"record acknowledged rows of job {job!r}") as db:
            # The sequence is taken inside the INSERT, so two writers can never collide.
            db.execute(
                "INSERT INTO acks (job, seq, n, ids, at, keys) VALUES "
                "(?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM acks WHERE job = ?), ?, ?, ?, ?)",
                (job, job, len(message_ids), blob, time.time(), hashed),
            )

    def acked(self, job: str) -> AckedIds:
        """Every messageId acknowledged for ``job`` so far."""
        with self._locked(f"read acknowledged rows of job {job!r}") as db:
            blobs = [r[0] for r in db.execute("SELECT ids FROM acks WHERE job = ?", (job,))]
        return _prefix_set(blobs, 16)

    def acked_keys(self, job: str) -> AckedIds:
        """Hashes of the row keys acknowledged for ``job`` (empty for jobs without a key)."""
        with self._locked(f"read acknowledged keys of job {job!r}") as db:
            blobs = [r[0] for r in db.execute("SELECT keys FROM acks WHERE job = ? AND keys IS NOT NULL", (job,))]
        return _prefix_set(blobs, 8)

    def acked_ids(self, job: str) -> list[str]:
        """Every acknowledged messageId of ``job`` as strings (for checks and small jobs)."""
        with self._locked(f"read acknowledged rows of job {job!r}") as db:
            blobs = [r[0] for r in db.execute("SELECT ids FROM acks WHERE job = ? ORDER BY seq", (job,))]
        out: list[str] = []
        for blob in blobs:
            out.extend(str(uuid.UUID(bytes=blob[i : i + 16])) for i in range(0, len(blob), 16))
        return out
