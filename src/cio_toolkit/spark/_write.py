"""The write side of the "customerio" data source: one task per partition, one manifest per run.

Each task builds its clients from the ``CIO_*`` variables of its executor with a controller that
draws on the run's one rate budget (:mod:`._budget`: the driver's coordinator, else the task's
share), sends its partition through bulk's encoder and delivery loop
(:mod:`._encode`), and records every acknowledged request in its attempt's ack file before it
counts. A retried (or speculative) attempt skips what earlier attempts of the same partition
acknowledged and re-sends the rest with the very same ids. ``commit()`` adds the tasks' counts
into the run manifest; ``abort()`` writes one too, counting what every attempt acknowledged once
every attempt that started has closed its ack file (or a bounded wait for it ran out).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyspark.sql.datasource import DataSourceArrowWriter, WriterCommitMessage

from ._budget import TaskLimiter, end_run
from ._checkpoint import SETTLE_SECONDS, Checkpoint, now
from ._encode import aggregate, deliver, encoder_for, new_report, task_summary
from ._options import WriteOptions, task_rate

if TYPE_CHECKING:
    import pyarrow as pa

    from ..bulk import LoadReport

__all__ = ["CustomerIOWriter", "TaskReport", "report_of"]


@dataclass
class TaskReport(WriterCommitMessage):
    """One successful task's counts: rows read, rejected (first rows with reasons), sent, acknowledged, ..."""

    partition: int
    attempt: int
    summary: dict[str, Any] = field(default_factory=dict)


class CustomerIOWriter(DataSourceArrowWriter):
    """Sends each partition as bulk calls; the run manifest is written on the driver."""

    settle_seconds = SETTLE_SECONDS  # abort()'s wait for the attempts still finishing

    def __init__(self, options: WriteOptions, schema: pa.Schema, *, run: str, tasks: int,
                 mapping: dict[str, Any], coordinator: str | None = None) -> None:
        self.options = options
        self.schema = schema
        self.run = run
        self.tasks = tasks
        self.mapping = mapping
        self.coordinator = coordinator  # host:port of the driver's rate coordinator (None: task shares)
        self.started = now()

    def __repr__(self) -> str:
        o = self.options
        return f"CustomerIOWriter(job={o.job!r}, kind={o.kind!r}, api={o.api!r}, run={self.run!r})"

    def write(self, iterator: Iterator[pa.RecordBatch]) -> TaskReport:  # type: ignore[override]
        """Send one partition (on an executor); fail the task only when it cannot go on."""
        from pyspark import TaskContext

        from .._client import CustomerIO

        ctx = TaskContext.get()
        partition, attempt = (ctx.partitionId(), ctx.attemptNumber()) if ctx is not None else (0, 0)
        o = self.options
        checkpoint = Checkpoint(o.checkpoint, o.job)
        acks = checkpoint.ack_file(self.run, partition, attempt)
        limiter = TaskLimiter(task_rate(o.api, o.requests_per_second, self.tasks), self.coordinator, run=self.run,
                              budget=task_rate(o.api, o.requests_per_second, 1))
        started = time.monotonic()
        acks.open()  # before anything is sent: a failed job's driver waits for this attempt to close
        try:
            earlier = checkpoint.earlier_attempts(self.run, partition)
            with CustomerIO.from_env(env_file=None, rate_limits={"default": limiter}) as cio:
                acks.note(target=cio.target)
                encoder = encoder_for(o.kind, o.api, self.schema, o.roles)
                report = new_report(o.job, o.kind, o.api, cio.target, f"spark partition {partition}", self.mapping)
                fatal = deliver(cio, encoder, iterator, report, on_ack=acks.write, concurrency=o.concurrency,
                                earlier=earlier)
        finally:
            acks.close()  # also when the input failed: the requests in flight were recorded by then
            limiter.close()
        if fatal is not None:
            raise fatal  # the task fails (auth, an unwritable ack file): Spark retries it, or aborts the job
        report.seconds = time.monotonic() - started
        return TaskReport(partition, attempt, {**task_summary(report), "coordinated": limiter.coordinated,
                                              "late_slots": limiter.late})

    def _manifest(self, report: LoadReport, tasks: list[TaskReport], **extra: Any) -> None:
        o = self.options
        report.seconds = now() - self.started
        Checkpoint(o.checkpoint, o.job).write_manifest(self.run, {
            "job": o.job, "run": self.run, "kind": o.kind, "api": o.api, "mapping": self.mapping,
            "resume": o.resume, "tasks_at_once": self.tasks, "requests_per_second": o.requests_per_second,
            "started": self.started, "finished": now(), "status": report.status, "target": report.target,
            "summary": report.summary(),
            "tasks": [{"partition": t.partition, "attempt": t.attempt, **t.summary} for t in tasks], **extra,
        })

    def commit(self, messages: list[WriterCommitMessage | None]) -> None:  # type: ignore[override]
        """Every task succeeded: write the run manifest with the added-up counts and the status."""
        end_run(self.coordinator, self.run)
        tasks = [m for m in messages if isinstance(m, TaskReport)]
        report = report_of(self.options, self.mapping, [t.summary for t in tasks], target=_target(tasks))
        self._manifest(report, tasks)

    def abort(self, messages: list[WriterCommitMessage | None]) -> None:  # type: ignore[override]
        """A task failed for good: wait for the attempts still finishing (``settle_seconds`` at most), then
        write a manifest of what every attempt acknowledged."""
        tasks = [m for m in messages if isinstance(m, TaskReport)]
        checkpoint = Checkpoint(self.options.checkpoint, self.options.job)
        # Cancelled and failed attempts keep recording the requests they had in flight after the job
        # failed: count once they closed. One killed with its executor never closes: counted as found.
        waited = time.monotonic()
        unclosed = checkpoint.settle(self.run, timeout=self.settle_seconds)
        waited = time.monotonic() - waited
        end_run(self.coordinator, self.run)
        # A committed partition counted its earlier attempts' acknowledgements itself (as skipped).
        extra = len(checkpoint.run_acks(self.run, committed={t.partition for t in tasks}))
        # Rows acknowledged by attempts that did not finish: read, and acknowledged, by this run.
        lost = {"rows_read": extra, "acknowledged": extra, "sent": extra}
        report = report_of(self.options, self.mapping, [*(t.summary for t in tasks), lost],
                           target=_target(tasks) or checkpoint.target(self.run), status="aborted")
        self._manifest(report, tasks, acknowledged_by_failed_attempts=extra,
                       partitions_committed=sorted(t.partition for t in tasks), attempts_unclosed=unclosed,
                       seconds_waited_for_attempts=round(waited, 3))


def _target(tasks: list[TaskReport]) -> str:
    return next((str(t.summary.get("target")) for t in tasks if t.summary.get("target")), "")


def report_of(options: WriteOptions, mapping: dict[str, Any], summaries: list[dict[str, Any]], *, target: str,
              status: str | None = None) -> LoadReport:
    """The run's report: the tasks' summaries added up, the status settled from the numbers (or ``status``)."""
    report = new_report(options.job, options.kind, options.api, target, "spark", mapping)
    return aggregate(report, summaries, status=status)
