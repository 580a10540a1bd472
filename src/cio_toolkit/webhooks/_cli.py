"""``cio webhooks``: run the receiver and export what it stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cio_toolkit._constants import WEBHOOK_TIMESTAMP_TOLERANCE
from cio_toolkit.webhooks._receiver import DEFAULT_MAX_BODY

app = typer.Typer(
    help="Receive Customer.io reporting webhooks and export them.", no_args_is_help=True, add_completion=False
)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    store: Annotated[Path, typer.Option(help="DuckDB file the events are written to.")] = Path(
        "events.duckdb"
    ),
    signing_key: Annotated[
        str | None,
        typer.Option(
            envvar="CIO_WEBHOOK_SIGNING_KEY",
            help="The reporting webhook's signing key (prefer the environment variable).",
            show_default=False,
        ),
    ] = None,
    max_body: Annotated[
        int, typer.Option(help="Largest accepted body in bytes (413 above).")
    ] = DEFAULT_MAX_BODY,
    tolerance: Annotated[
        int, typer.Option(help="Accepted clock difference for X-CIO-Timestamp, in seconds.")
    ] = WEBHOOK_TIMESTAMP_TOLERANCE,
    writer: Annotated[
        str, typer.Option(help="Where the group commit runs: 'loop' (fastest) or 'thread'.")
    ] = "loop",
) -> None:
    """Verify, store durably, then acknowledge every delivery (Ctrl-C to stop)."""
    import uvicorn

    from cio_toolkit.webhooks._receiver import create_receiver
    from cio_toolkit.webhooks._store import WebhookStore

    if not signing_key:
        typer.echo("error: no signing key; set CIO_WEBHOOK_SIGNING_KEY or pass --signing-key", err=True)
        raise typer.Exit(2)
    events = WebhookStore(store)
    try:
        if writer not in ("loop", "thread"):
            typer.echo("error: --writer must be 'loop' or 'thread'", err=True)
            raise typer.Exit(2)
        receiver = create_receiver(
            signing_key,
            events,
            max_body=max_body,
            tolerance=tolerance,
            writer="loop" if writer == "loop" else "thread",
        )
        typer.echo(f"receiving webhooks on http://{host}:{port}/ into {store} ({events.count()} stored)")
        uvicorn.run(
            receiver,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=3,
        )
    finally:
        events.close()


@app.command()
def export(
    store: Annotated[Path, typer.Option(help="DuckDB file written by `cio webhooks serve`.")] = Path(
        "events.duckdb"
    ),
    to: Annotated[Path, typer.Option(help="Parquet file to write.")] = Path("events.parquet"),
) -> None:
    """Write the stored events, in the flat schema, to a Parquet file."""
    from cio_toolkit.webhooks._store import WebhookStore

    if not store.exists():
        typer.echo(f"error: {store} does not exist", err=True)
        raise typer.Exit(2)
    with WebhookStore(store) as events:
        rows = events.export_parquet(to)
    typer.echo(f"wrote {rows} events to {to}")
