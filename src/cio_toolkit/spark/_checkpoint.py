"""What a Spark load keeps under ``checkpoint``: acknowledged ids per task attempt, and run manifests.

Layout, under ``{checkpoint}/{job}/``::

    acks/{run}/part-{partition:05d}-{attempt}.ids   one messageId per line, appended per acknowledged request
    runs/{run}.json                                 the run manifest, written by commit() or abort()

Ack files are plain text so Spark reads them back with ``spark.read.text`` for a resume; each
request's ids go out in one write and are flushed before the next request counts, so a task
killed at any instant leaves every acknowledged request on disk (a torn last line matches no id
and its rows are sent again, deduplicated by messageId). This first step writes through the
file system: local paths, ``file:`` URIs, and DBFS paths (``dbfs:/...`` through its ``/dbfs``
mount). Object stores (s3://, abfss://, gs://) are refused with a clear error.
"""

from __future__ import annotations

import glob
import os
import re
import time
from collections.abc import Collection
from pathlib import Path
from typing import IO, Any

import orjson

from .._exceptions import ValidationError

__all__ = ["AckFile", "Checkpoint"]

_URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def local_path(checkpoint: str) -> Path:
    """The file-system path of ``checkpoint`` (ValidationError for stores this step cannot write)."""
    text = str(checkpoint)
    if text.startswith("file:"):
        return Path(re.sub(r"^file:(//)?", "", text) or "/")
    if text.startswith("dbfs:"):
        return Path("/dbfs") / text[len("dbfs:"):].lstrip("/")
    match = _URI.match(text)
    if match and len(match.group(1)) > 1:  # one letter is a Windows drive
        raise ValidationError(
            f"checkpoint: {match.group(1)}:// paths are not supported yet; use a local, file: or dbfs: path",
            field="checkpoint", limit=("local path", "file:", "dbfs:"))
    return Path(text)


class Checkpoint:
    """One job's folder under ``checkpoint``: its ack files and run manifests."""

    def __init__(self, checkpoint: str, job: str) -> None:
        self.uri = str(checkpoint).rstrip("/")
        self.job = job
        self.root = local_path(checkpoint) / job

    def ack_path(self, run: str, partition: int, attempt: int) -> Path:
        """The ack file of one task attempt."""
        return self.root / "acks" / run / f"part-{partition:05d}-{attempt}.ids"

    def acks_uri(self) -> str:
        """Every ack file of the job, as a path Spark reads (``spark.read.text``)."""
        return f"{self.uri}/{self.job}/acks/*/*.ids"

    def has_acks(self) -> bool:
        """Whether any run of the job acknowledged anything."""
        return any(p.stat().st_size for p in self.root.glob("acks/*/*.ids"))

    def earlier_attempts(self, run: str, partition: int) -> set[str]:
        """Ids acknowledged by earlier attempts of this partition in this run (a retried or speculative
        task; read before the attempt writes, so a file left by a retried stage counts too)."""
        out: set[str] = set()
        for name in glob.glob(glob.escape(str(self.root / "acks" / run)) + f"/part-{partition:05d}-*.ids"):
            out.update(_ids(Path(name)))
        return out

    def run_acks(self, run: str, *, committed: Collection[int] = ()) -> set[str]:
        """Ids acknowledged in ``run`` by the attempts of partitions that did not commit."""
        out: set[str] = set()
        for path in (self.root / "acks" / run).glob("part-*.ids"):
            if int(path.stem.split("-")[1]) not in committed:
                out.update(_ids(path))
        return out

    def write_manifest(self, run: str, manifest: dict[str, Any]) -> Path:
        """Write the run manifest atomically (a reader sees the old one or the new one, never half)."""
        target = self.root / "runs" / f"{run}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
        os.replace(tmp, target)
        return target

    def manifest(self, run: str) -> dict[str, Any] | None:
        """The manifest of ``run`` (None when the run wrote none)."""
        path = self.root / "runs" / f"{run}.json"
        return orjson.loads(path.read_bytes()) if path.exists() else None  # type: ignore[no-any-return]

    def manifests(self) -> list[dict[str, Any]]:
        """Every run manifest of the job, oldest first."""
        found = [orjson.loads(p.read_bytes()) for p in (self.root / "runs").glob("*.json")]
        return sorted(found, key=lambda m: m.get("finished", 0))


def _ids(path: Path) -> list[str]:
    return [line for line in path.read_text().split("\n") if len(line) == 36]


class AckFile:
    """The ack file of one task attempt: each acknowledged request's ids, flushed as they come."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._out: IO[str] | None = None
        self.written = 0

    def write(self, ids: list[str]) -> None:
        """Record one acknowledged request's ids (before they count as acknowledged)."""
        if self._out is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._out = open(self.path, "a", encoding="ascii")  # noqa: SIM115 - closed in close()
        self._out.write("\n".join(ids) + "\n")
        self._out.flush()
        self.written += len(ids)

    def close(self) -> None:
        """Flush to the device and close."""
        if self._out is not None:
            os.fsync(self._out.fileno())
            self._out.close()
            self._out = None


def now() -> float:
    """Unix time, for manifests."""
    return time.time()
