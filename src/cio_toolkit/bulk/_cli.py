"""``cio load``, ``cio sync`` and ``cio export``: bulk work from the command line.

Credentials come from CIO_* variables (or .env). Exit codes: 0 everything delivered (or a clean
dry run), 1 some rows failed or the run stopped on an error (a journal that cannot be written
included; run again with --resume), 2 the input was refused before sending.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .._exceptions import CustomerIOError, ValidationError
from ._journal import DEFAULT_JOURNAL, JournalError
from ._load import LoadReport, RejectedRowsError, load
from ._mapping import KINDS
from ._sources import Query

__all__ = ["load_command", "sync_command", "export_command"]

console = Console(stderr=True)


def _client() -> Any:
    from .._client import CustomerIO

    return CustomerIO.from_env()


@contextmanager
def _session() -> Iterator[Any]:
    """A client from the environment, closed at the end; a library error ends the command with one
    red line and exit code 2 (bad input) or 1."""
    cio = _client()
    try:
        yield cio
    except ValidationError as exc:
        console.print(f"[red]{escape(exc.message)}[/red]")
        raise typer.Exit(2) from None
    except CustomerIOError as exc:
        console.print(f"[red]{type(exc).__name__}: {escape(str(exc))}[/red]")
        raise typer.Exit(1) from None
    finally:
        cio.close()


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


def _write_frame(df: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".parquet", ".pq"):
        df.astype({c: "string" for c in df.columns if df[c].dtype == object}).to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)


def _write_rejections(report: LoadReport, path: Path | None, journal: Path) -> None:
    """Write rejected rows to ``path``, or next to the journal when rows were rejected and no path was given."""
    if path is None:
        if not report.rejected:
            return
        path = Path(journal).parent / f"rejected-{report.job}.csv"
    _write_frame(report.rejections(), path)
    console.print(f"rejected rows written to {path}")


def _print_report(report: LoadReport) -> None:
    table = Table(title=f"{report.kind} load {report.job}", show_header=False, title_justify="left")
    table.add_column("metric", style="bold")
    table.add_column("value", justify="right")
    s = report.summary()
    for key in ("status", "rows_read", "rejected", "skipped", "sent", "acknowledged", "failed", "requests",
                "retries", "seconds", "rows_per_second"):
        value = s[key]
        table.add_row(key.replace("_", " "), f"{value:,}" if isinstance(value, int | float) else str(value))
    if report.changed:
        table.add_row("changed since the interrupted run", f"{report.changed:,}")
    for label, reasons in (("rejected", report.rejected_reasons), ("failed", report.failed_reasons),
                           ("NaN/inf as empty cells", report.non_finite)):
        for reason, n in reasons.most_common(8):
            table.add_row(f"{label}: {reason}", f"{n:,}")
    console.print(table)


def load_command(
    kind: str = typer.Argument(..., help=f"One of: {', '.join(KINDS)}."),
    source: Path | None = typer.Argument(None, help="A .parquet, .csv, .tsv or .jsonl file (or use --sql)."),
    sql: str | None = typer.Option(None, "--sql", help="A DuckDB SQL query as the source."),
    database: str | None = typer.Option(None, "--database", help="DuckDB database file for --sql."),
    api: str = typer.Option("pipelines", "--api", help="pipelines (/v1/batch) or track (v2 /batch)."),
    user_id: str | None = typer.Option(None, "--user-id", help="Column holding the person's id."),
    anonymous_id: str | None = typer.Option(None, "--anonymous-id", help="Column holding an anonymous id."),
    email: str | None = typer.Option(None, "--email", help="Column holding the email (the id when no --user-id)."),
    event: str | None = typer.Option(None, "--event", help="Column holding the event name (track)."),
    event_name: str | None = typer.Option(None, "--event-name", help="One event name for every row (track)."),
    name: str | None = typer.Option(None, "--name", help="Column holding the page/screen name."),
    group_id: str | None = typer.Option(None, "--group-id", help="Column holding the group (object) id."),
    previous_id: str | None = typer.Option(None, "--previous-id", help="Column holding the previous id (alias)."),
    timestamp: str | None = typer.Option(None, "--timestamp", help="Column holding when it happened (backfills)."),
    key: list[str] | None = typer.Option(None, "--key", help="Column(s) of the stable row key (default: row position)."),
    fields: list[str] | None = typer.Option(None, "--fields", help="Trait/property columns (default: all others)."),
    exclude: list[str] | None = typer.Option(None, "--exclude", help="Columns to leave out."),
    json_columns: list[str] | None = typer.Option(None, "--json-columns", help="Columns holding JSON text to nest."),
    nulls: str = typer.Option("skip", "--nulls", help="skip: leave empty cells out; send: send null (removes)."),
    job: str | None = typer.Option(None, "--job", help="Job name (default: derived from the kind and the file)."),
    resume: bool = typer.Option(False, "--resume", help="Continue the job: send only what was not acknowledged."),
    journal: Path = typer.Option(DEFAULT_JOURNAL, "--journal", help="SQLite journal of acknowledged rows."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; send nothing."),
    report_path: Path | None = typer.Option(None, "--report", help="Write rejected rows here (.csv or .parquet)."),
    max_rejected: int | None = typer.Option(None, "--max-rejected", help="Abort before sending when more rows are rejected."),
    concurrency: int = typer.Option(4, "--concurrency", help="Requests in flight."),
    preflight: str = typer.Option("full", "--preflight",
                                  help="full: check every row before sending; stream: send while checking."),
) -> None:
    """Load a table into Customer.io: validate, pack, send concurrently, journal, resume."""
    if (source is None) == (sql is None):
        raise typer.BadParameter("give either a SOURCE file or --sql")
    src: Any = Query(sql, database) if sql is not None else source
    with _session() as cio:
        try:
            report = load(
                cio, src, kind=kind, api=api, user_id=user_id, anonymous_id=anonymous_id, email=email, event=event,
                event_name=event_name, name=name, group_id=group_id, previous_id=previous_id, timestamp=timestamp,
                key=_split(key) or None, fields=_split(fields) or None, exclude=_split(exclude),
                json_columns=_split(json_columns), nulls=nulls, job=job, resume=resume, journal=journal,
                dry_run=dry_run, max_rejected=max_rejected, concurrency=concurrency, preflight=preflight,
                progress="rich",
            )
        except RejectedRowsError as exc:
            _write_rejections(exc.report, report_path, journal)
            _print_report(exc.report)
            console.print(f"[red]{escape(exc.message)}[/red]")
            raise typer.Exit(2) from None
        except JournalError as exc:
            if exc.report is not None:
                _print_report(exc.report)
            console.print(f"[red]{escape(exc.message)}[/red]")
            raise typer.Exit(1) from None
    _write_rejections(report, report_path, journal)
    _print_report(report)
    if not report.ok:
        console.print(f"[yellow]{report.failed:,} rows not delivered; run again with --resume --job {report.job}[/yellow]")
        raise typer.Exit(1)


def sync_command(
    kind: str = typer.Argument(..., help="What to sync: people."),
    source: Path = typer.Argument(..., help="A .parquet, .csv, .tsv or .jsonl file, one row per person."),
    key: str = typer.Option(..., "--key", help="Column holding the person's id."),
    plan_only: bool = typer.Option(False, "--plan", help="Show (and with --out write) the plan; send nothing."),
    out: Path | None = typer.Option(None, "--out", help="Write the plan here (.csv or .parquet)."),
    removals: str | None = typer.Option(None, "--removals", help="delete or suppress people whose rows vanished."),
    max_removals: int = typer.Option(100, "--max-removals", help="Safety cap on removals."),
    force: bool = typer.Option(False, "--force", help="Remove even beyond the cap."),
    name: str = typer.Option("people", "--name", help="Name of this sync's state (one per table)."),
    state: Path = typer.Option(DEFAULT_JOURNAL, "--state", help="SQLite file holding the sync state."),
    concurrency: int = typer.Option(4, "--concurrency", help="Requests in flight."),
) -> None:
    """Send only added and changed people rows since the last sync; optionally remove vanished people."""
    from ._sync import plan_sync, sync

    if kind != "people":
        raise typer.BadParameter("only 'people' can be synced")
    with _session() as cio:
        if plan_only:
            plan = plan_sync(cio, source, key=key, name=name, state=state, progress="rich")
            frame = plan.to_pandas()
            console.print(json.dumps(plan.summary()))
            if out is not None:
                _write_frame(frame, out)
                console.print(f"plan written to {out}")
            else:
                console.print(frame.head(50).to_string(index=False))
            return
        result = sync(cio, source, key=key, name=name, removals=removals, max_removals=max_removals, force=force,
                      state=state, concurrency=concurrency, progress="rich")
    console.print(json.dumps(result.plan.summary()))
    for rep in (result.upserts, result.removals):
        if rep is not None:
            _print_report(rep)
    if not result.ok:
        raise typer.Exit(1)


def export_command(
    kind: str = typer.Argument(..., help="customers or deliveries."),
    to: Path = typer.Option(..., "--to", help="Output file (.parquet or .csv)."),
    segment: int | None = typer.Option(None, "--segment", help="customers: people in this segment."),
    filter_json: str | None = typer.Option(None, "--filter", help="customers: an App API filter as JSON."),
    campaign_id: int | None = typer.Option(None, "--campaign-id", help="deliveries: of this campaign."),
    newsletter_id: int | None = typer.Option(None, "--newsletter-id", help="deliveries: of this newsletter."),
    action_id: int | None = typer.Option(None, "--action-id", help="deliveries: of this action."),
    transactional_message_id: int | None = typer.Option(None, "--transactional-message-id",
                                                        help="deliveries: of this transactional message."),
    start: int | None = typer.Option(None, "--start", help="deliveries: from this Unix time."),
    end: int | None = typer.Option(None, "--end", help="deliveries: until this Unix time."),
    metric: str | None = typer.Option(None, "--metric", help="deliveries: only this metric (e.g. sent)."),
    timeout: float = typer.Option(600, "--timeout", help="Seconds to wait for the export to be ready."),
) -> None:
    """Export customers or deliveries through the App API into a Parquet or CSV file."""
    from ._export import export

    filters: Any = None
    fields: dict[str, Any] = {}
    if kind == "customers":
        if (segment is None) == (filter_json is None):
            raise typer.BadParameter("customers: give exactly one of --segment or --filter")
        if segment is not None:
            from ..app.filters import segment as segment_filter

            filters = segment_filter(segment)
        else:
            assert filter_json is not None
            filters = json.loads(filter_json)
    else:
        fields = {k: v for k, v in (("campaign_id", campaign_id), ("newsletter_id", newsletter_id),
                                    ("action_id", action_id), ("transactional_message_id", transactional_message_id),
                                    ("start", start), ("end", end), ("metric", metric)) if v is not None}
    with _session() as cio:
        df = export(cio, kind, to=to, filters=filters, timeout=timeout, progress="rich", **fields)
    console.print(f"{len(df):,} {kind} rows written to {to}")
