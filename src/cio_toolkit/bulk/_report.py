"""The report of a bulk load: rows read, rejected, skipped, sent, acknowledged, failed, and why.

Its status follows from its numbers (:meth:`LoadReport._settle`): ``complete`` only when every
row read is acknowledged, rejected or skipped and none failed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._exceptions import ValidationError
from ._mapping import Rejected

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LoadReport", "RejectedRowsError"]

_MAX_REPORTED = 100_000  # rejected/failed rows kept in the report (counts stay exact beyond it)


class RejectedRowsError(ValidationError):
    """More rows were rejected in pre-flight than ``max_rejected`` allows; nothing was sent."""

    def __init__(self, message: str, *, report: LoadReport, limit: int) -> None:
        super().__init__(message, field="max_rejected", limit=limit, actual=report.rejected)
        self.report = report


@dataclass
class LoadReport:
    """What a load did: rows read, rejected, skipped, sent, acknowledged, failed, and why."""

    job: str
    kind: str
    api: str
    target: str
    source: str
    status: str = "running"
    rows_read: int = 0
    rejected: int = 0
    skipped: int = 0
    sent: int = 0
    acknowledged: int = 0
    failed: int = 0
    changed: int = 0
    requests: int = 0
    retries: int = 0
    bytes_sent: int = 0
    wire_bytes: int = 0
    seconds: float = 0.0
    mapping: dict[str, Any] = field(default_factory=dict)
    rejected_reasons: Counter[str] = field(default_factory=Counter)
    failed_reasons: Counter[str] = field(default_factory=Counter)
    non_finite: Counter[str] = field(default_factory=Counter)
    _rejections: list[tuple[Any, ...]] = field(default_factory=list, repr=False)
    _failures: list[tuple[Any, ...]] = field(default_factory=list, repr=False)
    # False where a row's position names nothing a user can find again (a Spark partition's rows, which differ
    # between runs and which a resume filters): the frames of rejected and failed rows leave it out.
    _positions: bool = field(default=True, repr=False)

    @property
    def ok(self) -> bool:
        """True when every valid row is acknowledged (now or by an earlier run of the job)."""
        if self.status == "dry-run":
            return self.failed == 0
        return self.status == "complete" and self.failed == 0 and self.accounted == self.rows_read

    @property
    def accounted(self) -> int:
        """Rows with a known outcome: acknowledged, failed, rejected or skipped."""
        return self.acknowledged + self.failed + self.rejected + self.skipped

    @property
    def rows_per_second(self) -> float:
        """Acknowledged rows per second of this run."""
        return self.acknowledged / self.seconds if self.seconds > 0 else 0.0

    def rejections(self) -> pd.DataFrame:
        """Rows refused in pre-flight: row (0-based position in the source; not for Spark, the key names the
        row), key, field, reason, limit, actual."""
        return self._rows(self._rejections, ["row", "key", "field", "reason", "limit", "actual"])

    def failures(self) -> pd.DataFrame:
        """Rows sent but not acknowledged: row (as in :meth:`rejections`), key, message_id, reason (resume to
        retry them)."""
        return self._rows(self._failures, ["row", "key", "message_id", "reason"])

    def _rows(self, rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame(rows, columns=columns)
        return frame if self._positions else frame.drop(columns="row")

    def summary(self) -> dict[str, Any]:
        """The counts as a plain dict (JSON-friendly)."""
        return {
            "job": self.job, "kind": self.kind, "api": self.api, "status": self.status,
            "rows_read": self.rows_read, "rejected": self.rejected, "skipped": self.skipped, "sent": self.sent,
            "acknowledged": self.acknowledged, "failed": self.failed, "changed": self.changed,
            "requests": self.requests, "retries": self.retries, "bytes_sent": self.bytes_sent,
            "wire_bytes": self.wire_bytes, "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "rejected_reasons": dict(self.rejected_reasons), "failed_reasons": dict(self.failed_reasons),
            "non_finite": dict(self.non_finite),
        }

    def to_pandas(self) -> pd.DataFrame:
        """The delivery report as a one-column DataFrame (metric -> value)."""
        import pandas as pd

        s = self.summary()
        rows = [(k, s[k]) for k in ("job", "kind", "api", "status", "rows_read", "rejected", "skipped", "sent",
                                    "acknowledged", "failed", "requests", "retries", "bytes_sent", "wire_bytes", "seconds",
                                    "rows_per_second")]
        if self.changed:
            rows.append(("changed since the interrupted run", self.changed))
        rows += [(f"rejected: {r}", n) for r, n in self.rejected_reasons.most_common()]
        rows += [(f"failed: {r}", n) for r, n in self.failed_reasons.most_common()]
        rows += [(f"NaN/inf (as empty cells): {c}", n) for c, n in self.non_finite.most_common()]
        return pd.DataFrame(rows, columns=["metric", "value"]).set_index("metric")

    def _repr_html_(self) -> str:
        return str(self.to_pandas().to_html())

    def __repr__(self) -> str:
        return (f"LoadReport(job={self.job!r}, kind={self.kind!r}, status={self.status!r}, read={self.rows_read}, "
                f"rejected={self.rejected}, skipped={self.skipped}, sent={self.sent}, "
                f"acknowledged={self.acknowledged}, failed={self.failed})")

    def __str__(self) -> str:
        lines = [f"{self.kind} load {self.job!r} -> {self.target}: {self.status}"]
        lines.append(
            f"  read {self.rows_read:,}  rejected {self.rejected:,}  skipped (already delivered) {self.skipped:,}  "
            f"sent {self.sent:,}  acknowledged {self.acknowledged:,}  failed {self.failed:,}"
        )
        lines.append(f"  {self.requests:,} requests ({self.retries:,} retries), {self.bytes_sent / 1e6:.1f} MB JSON "
                     f"({self.wire_bytes / 1e6:.1f} MB on the wire), "
                     f"{self.seconds:.1f} s, {self.rows_per_second:,.0f} rows/s")
        if self.changed:
            lines.append(f"  changed since the interrupted run: {self.changed:,} rows (sent as new events: their "
                         "key was delivered before with other content)")
        for label, reasons in (("rejected", self.rejected_reasons), ("failed", self.failed_reasons)):
            for reason, n in reasons.most_common(5):
                lines.append(f"  {label}: {n:,} x {reason}")
        if self.non_finite:
            cells = ", ".join(f"{n:,} in {c!r}" for c, n in self.non_finite.most_common())
            lines.append(f"  NaN/inf (no JSON form, treated as empty cells): {cells}")
        return "\n".join(lines)

    # ------------------------------------------------------------ internal accounting

    def _reject(self, r: Rejected) -> None:
        self.rejected += 1
        self.rejected_reasons[r.reason] += 1
        if len(self._rejections) < _MAX_REPORTED:
            self._rejections.append((r.ordinal, r.key, r.field, r.reason, r.limit, r.actual))

    def _fail(self, ordinals: Sequence[int], keys: Sequence[str], ids: Sequence[str], reason: str) -> None:
        self.failed += len(ordinals)
        self.failed_reasons[reason] += len(ordinals)
        room = _MAX_REPORTED - len(self._failures)
        for row in list(zip(ordinals, keys, ids, [reason] * len(ordinals), strict=True))[: max(0, room)]:
            self._failures.append(row)

    def _settle(self, status: str | None = None) -> None:
        """End the run: rows without an outcome count as failed, and the status follows from the numbers.

        ``status`` names how a run that did not finish ended ("stopped", "interrupted"); without it
        the run finished and is ``complete`` only if every row read is accounted for and none failed.
        """
        missing = self.rows_read - self.accounted
        if missing > 0:  # batches a stopped run never handed to a worker, or cancelled in the queue
            self.failed += missing
            self.failed_reasons["not sent: the load stopped before reaching them"] += missing
        self.status = status or ("complete" if self.failed == 0 else "incomplete")
