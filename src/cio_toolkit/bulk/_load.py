"""Bulk load: source -> validated calls -> packed batches -> concurrent, journaled delivery.

The flow of one run:

1. Pre-flight: every row is mapped, validated and encoded; rejected rows go to the report;
   rows a previous run of the same job already delivered are skipped (journal); valid calls
   are packed byte-exactly into batches and spooled (:mod:`._spool`, in memory, then a temporary
   file). Nothing is sent yet, and ``dry_run`` stops here.
2. Send (:mod:`._run`): the spooled batches go out through the client's public ``request``
   (retries, rate limiter), ``concurrency`` requests in flight. Each acknowledged request is committed to the journal
   before it counts, so a run killed at any instant resumes with exactly what is missing.
   A batch the API refuses as invalid is split in halves until the offending rows are found;
   the rest of it is still delivered.

A failure inside a worker (a journal write refused by a full disk, a bug) stops the run: the
rows it concerns count as failed, never as acknowledged, and ``load`` raises. The report's
status is derived from its numbers (:meth:`LoadReport._settle`, in :mod:`._report`): ``complete`` only when every
row read is acknowledged, rejected or skipped and none failed.

A resume checks the source against the fingerprint the job recorded (:mod:`._fingerprint`):
without a ``key`` a changed source is refused before anything is sent; with a ``key`` the
rows whose content changed since they were delivered are counted in ``changed``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from .._exceptions import ConfigError, ValidationError
from .._options import with_options
from .._transport import RetryPolicy
from .._wire import batch_limit
from ._fingerprint import Digest
from ._journal import DEFAULT_JOURNAL, Journal, JournalError
from ._mapping import COLUMN_DEFAULTS, KINDS, ColumnMap, ColumnOptions, Encoded, RowEncoder
from ._preflight import Scan, _Resume, scan
from ._progress import Progress, make_progress
from ._report import LoadReport, RejectedRowsError
from ._run import _Run, client_for
from ._sources import DEFAULT_BATCH_ROWS, Source, open_source
from ._spool import _Spool

if TYPE_CHECKING:
    import os

__all__ = ["LoadReport", "RejectedRowsError", "load", "BULK_RETRY"]

# Bulk work outlasts a 5xx storm rather than failing rows: more attempts, a longer budget.
BULK_RETRY = RetryPolicy(max_retries=12, backoff_base=0.25, backoff_cap=20.0, budget=900.0)


def _default_job(kind: str, source: Source) -> str:
    if source.identity:
        return f"{kind}-{source.identity.split(':', 1)[1]}"
    return f"{kind}-{uuid.uuid4().hex[:12]}"


@with_options(ColumnOptions, COLUMN_DEFAULTS)
def load(
    cio: Any,
    source: Any,
    *,
    kind: str,
    api: str = "pipelines",
    user_id: str | None = None,
    anonymous_id: str | None = None,
    email: str | None = None,
    event: str | None = None,
    event_name: str | None = None,
    name: str | None = None,
    group_id: str | None = None,
    previous_id: str | None = None,
    timestamp: str | None = None,
    key: str | Sequence[str] | None = None,
    job: str | None = None,
    resume: bool = False,
    journal: Journal | str | os.PathLike[str] | None = DEFAULT_JOURNAL,
    dry_run: bool = False,
    max_rejected: int | None = None,
    concurrency: int = 4,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    retry: RetryPolicy | None = None,
    progress: str | bool | None = "auto",
    column_types: Mapping[str, Any] | None = None,
    _on_ack: Callable[[list[str]], None] | None = None,
    preflight: str = "full",
    _select: Callable[[list[Encoded]], list[Encoded]] | None = None,
    **options: Unpack[ColumnOptions],
) -> LoadReport:
    """Load a table into Customer.io as ``kind`` calls: validated, packed, journaled, resumable.

    ``source``: pandas/polars DataFrame, Arrow table, .parquet/.csv/.jsonl path or :class:`Query`.
    Column roles (``user_id``, ``event``, ``timestamp``, ...) name source columns; the remaining
    columns (or ``fields``) become traits or properties. ``key`` names the column(s) of a stable
    row key (default: row position). ``resume=True`` continues ``job`` and sends only rows the
    journal has not seen acknowledged; without a ``key`` it refuses a source that changed since
    the job's last run (ValidationError on ``source``), with one it sends changed rows as new
    events and counts them in ``report.changed``. ``dry_run=True`` validates and reports without
    sending. A journal that cannot be written stops the load with :class:`JournalError` (its
    ``report`` attached). ``preflight="stream"`` sends batches while later rows are still being
    checked, for sources too large to check first: rows are never lost and a resume sends what
    is missing, but rejected rows surface during the send, ``max_rejected`` stops the load after
    the rows sent so far, and resuming a job without a ``key`` needs a full pre-flight.
    """
    if kind not in KINDS:
        raise ValidationError(f"kind: {kind!r} is not one of {', '.join(KINDS)}", field="kind", limit=KINDS)
    if concurrency < 1 or concurrency > 64:
        raise ValidationError(f"concurrency: must be 1-64, got {concurrency}", field="concurrency", limit=64)
    if max_rejected is not None and max_rejected < 0:
        raise ValidationError("max_rejected: must be >= 0", field="max_rejected", limit=0)
    columns = ColumnMap.of(
        user_id=user_id, anonymous_id=anonymous_id, email=email, event=event, event_name=event_name, name=name,
        group_id=group_id, previous_id=previous_id, timestamp=timestamp, key=key, **options,
    )
    src = open_source(source, batch_rows=batch_rows, column_types=column_types)
    encoder = RowEncoder(kind, src.schema, columns, api=api)
    client = None if dry_run else client_for(cio, api)
    target = client.base_url if client is not None else _target_of(cio, api)
    if resume and job is None and src.identity is None:
        raise ValidationError("job: resume=True needs the job name of the run to continue (job=...)", field="job")
    job_name = job or _default_job(kind, src)
    jr = journal if isinstance(journal, Journal) or journal is None else Journal(journal)
    own_journal = jr is not None and not isinstance(journal, Journal)
    report = LoadReport(job=job_name, kind=kind, api=api, target=target, source=src.describe,
                        mapping=encoder.describe())
    keyed = bool(columns.key)
    bar: Progress | None = None
    started = time.monotonic()
    job_open = False  # the journal records this run (it is not for dry runs or refused inputs)
    error: BaseException | None = None
    stream = _streamed(preflight, dry_run=dry_run, resume=resume, keyed=keyed)
    pass_: Scan | None = None
    try:
        resuming = _Resume.open(jr, job_name, report, resume=resume, dry_run=dry_run, keyed=keyed)
        bar = make_progress(progress)
        warm = threading.Thread(target=lambda: client is not None and client.warm(), daemon=True)
        warm.start()  # build the HTTP client (TLS context, pool) while pre-flight runs, not after it
        pass_ = Scan(src, encoder, report, resuming, Digest(), make_progress(None) if stream else bar, _select,
                     max_rejected if stream else None)
        # /v1/batch carries no alias calls (per the spec): the packer plans those one request each.
        packer = pass_.packer(batch_limit(api))
        spool = _Spool(compress=api == "pipelines" and (api, kind) != ("pipelines", "alias"))
        try:
            if stream:
                if jr is not None:  # the fingerprint is recorded when the pass has read the whole source
                    jr.start(job_name, kind=kind, api=api, target=target, source=src.describe,
                             mapping=report.mapping, resume=resume)
                    job_open = True
                warm.join()
                bar.phase("send", src.num_rows)
                batches = scan(pass_, packer)
            else:
                bar.phase("validate", src.num_rows)
                for batch in scan(pass_, packer):
                    if not dry_run:
                        spool.add(batch)
                fingerprint = pass_.fingerprint()
                resuming.check(fingerprint)
                if dry_run:
                    report.status = "dry-run"
                    return report
                if max_rejected is not None and report.rejected > max_rejected:
                    report.status = "aborted"
                    raise RejectedRowsError(
                        f"{report.rejected:,} rows rejected in pre-flight, over max_rejected={max_rejected}; "
                        "nothing was sent (see .report.rejections())", report=report, limit=max_rejected,
                    )
                if jr is not None:
                    jr.start(job_name, kind=kind, api=api, target=target, source=src.describe,
                             mapping=report.mapping, resume=resume, fingerprint=fingerprint.to_json())
                    job_open = True
                warm.join()
                bar.phase("send", pass_.planned)
                batches = iter(spool)
            run = _Run(client=client, api=api, report=report, journal=jr, concurrency=concurrency,
                       retry=retry or BULK_RETRY, progress=bar, on_ack=_on_ack, keyed=keyed)
            try:
                run.send_all(batches)
            except KeyboardInterrupt:
                report._settle("interrupted")
                raise
            except RejectedRowsError:
                report._settle("aborted")  # a streamed pass over max_rejected: what was sent stays sent
                raise
            if run.fatal is not None:
                report._settle("stopped")
                if isinstance(run.fatal, JournalError):
                    run.fatal.report = report
                raise run.fatal
            report._settle()
            return report
        finally:
            spool.close()
    except BaseException as exc:
        error = exc
        if job_open and report.status == "running":
            report._settle("stopped")  # an error outside the workers (reading the spool, ...)
        raise
    finally:
        report.seconds = time.monotonic() - started
        if bar is not None:
            bar.close()
        if jr is not None:
            # A streamed run records its source's fingerprint once it has read all of it.
            done = stream and pass_ is not None and pass_.complete
            _close_journal(jr, report, job_open=job_open, close=own_journal, pending=error,
                           fingerprint=pass_.fingerprint().to_json() if done and pass_ is not None else None)


def _streamed(preflight: str, *, dry_run: bool, resume: bool, keyed: bool) -> bool:
    """Whether the load streams (checked: a resume by row position must check the whole source first)."""
    if preflight not in ("full", "stream"):
        raise ValidationError(f"preflight: must be 'full' or 'stream', got {preflight!r}", field="preflight",
                              limit=("full", "stream"))
    if preflight == "stream" and resume and not keyed:
        raise ValidationError(
            "preflight: a resume of a job without a key must check the whole source before sending anything "
            "(a changed source would send moved rows again); resume with preflight='full', or load with key=...",
            field="preflight", limit="full")
    return preflight == "stream" and not dry_run


def _close_journal(jr: Journal, report: LoadReport, *, job_open: bool, close: bool,
                   pending: BaseException | None, fingerprint: dict[str, Any] | None = None) -> None:
    """Record the run's outcome; a journal failure here is raised unless ``pending`` (an error
    already leaving ``load``, which says more) is on its way."""
    try:
        if job_open:
            jr.finish(report.job, status=report.status, summary=report.summary(), fingerprint=fingerprint)
    except JournalError as exc:
        exc.report = report
        if pending is None:
            raise
    finally:
        if close:
            jr.close()


def _target_of(cio: Any, api: str) -> str:
    try:
        return str(client_for(cio, api).base_url)
    except ConfigError:
        return "(dry run)"
