"""Source fingerprints: what a job's source looked like, so a resume can tell whether it changed.

A fingerprint is the source's columns and types, its row count, a digest of every row as the
load encoded it (the messageIds in order, which carry the row's position or key and its
content), and for files their size and modification time. The digest is built during the
pre-flight pass that reads every row anyway, at the cost of one hash update per record batch.

Without a ``key``, a row's messageId depends on its position: after rows were added, removed or
reordered a resume would send moved rows again under new messageIds, so a changed source is
refused (:func:`changed_source_error`). What counts is what would be sent (row count and
digest): a column whose Arrow type differs but encodes the same (string and large_string, a
pandas frame and the Arrow table it came from) is no change. With a ``key``, rows are matched
by key and a row whose content changed is a new event; the load reports how many.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._exceptions import ValidationError

if TYPE_CHECKING:
    import pyarrow as pa

    from ._sources import Source

__all__ = ["Fingerprint", "Digest", "columns_of", "changed_source_error"]


def columns_of(schema: pa.Schema) -> dict[str, str]:
    """Column name -> Arrow type, in source order."""
    return {f.name: str(f.type) for f in schema}


def _family(arrow_type: str) -> str:
    # Types that hold the same values the same way: large_string is string, any timestamp unit alike.
    t = arrow_type.replace("large_", "").replace("_view", "")
    if t.startswith("timestamp["):
        return "timestamp" + ("[tz]" if "tz=" in t else "")
    return t


class Digest:
    """A running hash of the encoded rows of one pass over a source, in order."""

    def __init__(self) -> None:
        # SHA-1 as a checksum (not for security): the fastest hashlib digest here, ~20 ms per 1M rows.
        self._hash = hashlib.sha1(usedforsecurity=False)

    def add(self, message_ids: list[str] | Any, rejected: list[int]) -> None:
        """One record batch: the messageIds of its valid rows (a list or an Arrow string array) and the
        positions of its rejected rows."""
        if isinstance(message_ids, list):
            self._hash.update("".join(message_ids).encode())
        elif len(message_ids):
            import numpy as np

            # The array's characters back to back: the same bytes as joining its values.
            _, offsets, data = message_ids.buffers()
            first, last = np.frombuffer(offsets, dtype=np.int32)[[message_ids.offset, message_ids.offset + len(message_ids)]]
            self._hash.update(memoryview(data)[first:last])
        if rejected:
            self._hash.update(b"!" + b",".join(b"%d" % r for r in rejected))

    def hexdigest(self) -> str:
        """The digest so far, as hex."""
        return self._hash.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """Columns, row count, row digest and (for files) size and modification time of a source."""

    rows: int
    columns: dict[str, str]
    digest: str
    file: dict[str, int] | None = None

    @classmethod
    def of(cls, source: Source, rows: int, digest: Digest) -> Fingerprint:
        """The fingerprint of ``source`` after a pass that read ``rows`` rows into ``digest``."""
        file = None
        if source.path is not None:
            st = source.path.stat()
            file = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
        return cls(rows=rows, columns=columns_of(source.schema), digest=digest.hexdigest(), file=file)

    def to_json(self) -> dict[str, Any]:
        """The fingerprint as the journal stores it."""
        # Columns as pairs: the journal stores JSON with sorted keys, which would lose their order.
        return {"rows": self.rows, "columns": [[k, v] for k, v in self.columns.items()], "digest": self.digest,
                "file": self.file}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Fingerprint | None:
        """The fingerprint a journal stored (None for jobs recorded without one)."""
        if not data:
            return None
        return cls(rows=int(data["rows"]), columns=dict(data["columns"]), digest=str(data["digest"]),
                   file=data.get("file"))


def column_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What differs between two column lists, in words (empty when they are the same)."""
    out = []
    added = [c for c in after if c not in before]
    removed = [c for c in before if c not in after]
    retyped = [f"{c} ({before[c]} -> {after[c]})" for c in after
               if c in before and _family(before[c]) != _family(after[c])]
    if added:
        out.append(f"columns added: {', '.join(added)}")
    if removed:
        out.append(f"columns removed: {', '.join(removed)}")
    if retyped:
        out.append(f"column types changed: {', '.join(retyped)}")
    if not out and list(before) != list(after):
        out.append("columns reordered")
    return out


def changed_source_error(job: str, before: Fingerprint, after: Fingerprint, *, acked: int,
                         still_there: int) -> ValidationError | None:
    """The error refusing a resume by row position of a changed source (None when it is unchanged).

    ``still_there`` is how many of the ``acked`` rows the pre-flight pass found unchanged at their position.
    """
    if after.rows == before.rows and after.digest == before.digest and still_there >= acked:
        return None
    what = column_changes(before.columns, after.columns)
    if after.rows != before.rows:
        what.append(f"{before.rows:,} rows then, {after.rows:,} now")
    if still_there < acked:
        what.append(f"{acked - still_there:,} of the {acked:,} rows already delivered are no longer at the "
                    "same position with the same content")
    if not what:
        what.append("row contents changed")
    if before.file and after.file and before.file != after.file:
        what.append("the file was modified")
    return ValidationError(
        f"source: the source of job {job!r} changed since its last run ({'; '.join(what)}). The job identifies "
        "rows by their position (no key), so a resume would send moved or edited rows again under new "
        "messageIds, duplicating them. Resume with the original source, or load this one as a new job "
        "(another job name; with key=... naming a column that identifies each row, later resumes survive "
        "such changes). Nothing was sent.",
        field="source", limit=before.to_json(), actual=after.to_json(),
    )
