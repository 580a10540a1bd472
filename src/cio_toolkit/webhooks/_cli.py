"""``cio webhooks``: run the receiver and export what it stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cio_toolkit import _server_options as limit
from cio_toolkit._constants import WEBHOOK_TIMESTAMP_TOLERANCE
from cio_toolkit._exceptions import ConfigError, ValidationError
from cio_toolkit.webhooks._receiver import DEFAULT_MAX_BODY

app = typer.Typer(
    help="Receive Customer.io reporting webhooks and export them.", no_args_is_help=True, add_completion=False
)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    store: Annotated[
        str,
        typer.Option(
            help="Where the events are written: a DuckDB file, or a postgresql:// URL (needed for --workers)."
        ),
    ] = "events.duckdb",
    signing_key: Annotated[
        list[str] | None,
        typer.Option(
            envvar="CIO_WEBHOOK_SIGNING_KEY",
            help="The reporting webhook's signing key (prefer the environment variable); repeat it, or "
            "separate keys by spaces in the variable, to accept several webhooks or a rotated key.",
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
    header_timeout: limit.HeaderTimeout = limit.HEADER_TIMEOUT,
    read_timeout: limit.ReadTimeout = limit.READ_TIMEOUT,
    keep_alive: limit.KeepAlive = limit.KEEP_ALIVE,
    max_connections: limit.MaxConnections = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Receiver processes sharing the port (PostgreSQL store only).")
    ] = 1,
    reuse_port: Annotated[
        bool, typer.Option(help="Let other receivers listen on the same port (SO_REUSEPORT).")
    ] = False,
) -> None:
    """Verify, store durably, then acknowledge every delivery (Ctrl-C to stop)."""
    from cio_toolkit.webhooks._receiver import Receiver
    from cio_toolkit.webhooks._store import open_store
    from cio_toolkit.webhooks._store_postgres import is_postgres_url
    from cio_toolkit.webhooks._verify import signing_keys

    try:
        keys = [str(k) for k in signing_keys(signing_key or "")]
    except ValidationError as exc:
        typer.echo(f"error: {exc.message}; set CIO_WEBHOOK_SIGNING_KEY or pass --signing-key", err=True)
        raise typer.Exit(2) from None
    if writer not in ("loop", "thread"):
        typer.echo("error: --writer must be 'loop' or 'thread'", err=True)
        raise typer.Exit(2)
    limits = limit.server_limits(header_timeout, read_timeout, keep_alive, max_connections)
    if workers > 1 and not is_postgres_url(store):
        typer.echo(
            f"error: --workers {workers} needs a shared store: DuckDB allows one writing process per "
            "file; pass --store postgresql://... (or run one worker)",
            err=True,
        )
        raise typer.Exit(2)
    if reuse_port and not is_postgres_url(store):
        typer.echo("error: --reuse-port needs a postgresql:// store that other receivers can share", err=True)
        raise typer.Exit(2)

    def receiver(listen_port: int) -> Receiver:
        return Receiver(
            keys,
            store,
            host=host,
            port=listen_port,
            max_body=max_body,
            tolerance=tolerance,
            writer="loop" if writer == "loop" else "thread",
            server_limits=limits,
            reuse_port=reuse_port or workers > 1,
        )

    try:
        if workers == 1:
            single = receiver(port)
            typer.echo(f"receiving webhooks on http://{host}:{port}/ into {single.store!r} ({single.store.count()} stored)")
            single.serve()  # the same server as Receiver.start, in the foreground
        else:
            from cio_toolkit.webhooks._workers import serve_workers

            with open_store(store) as shared:  # checked, and its table created, before any fork
                typer.echo(
                    f"receiving webhooks on http://{host}:{port}/ with {workers} workers into {shared!r} "
                    f"({shared.count()} stored)"
                )
            code = serve_workers(
                workers,
                host,
                port,
                lambda listen_port: receiver(listen_port).serve(),
                on_start=lambda index, pid: typer.echo(f"worker {index} started (pid {pid})"),
            )
            if code:
                raise typer.Exit(code)
    except (ConfigError, ValidationError) as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        typer.echo(f"error: cannot listen on {host}:{port}: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the SIGINT it handled gracefully
    typer.echo("receiver stopped")


@app.command()
def export(
    store: Annotated[
        str, typer.Option(help="The DuckDB file or postgresql:// URL written by `cio webhooks serve`.")
    ] = "events.duckdb",
    to: Annotated[Path, typer.Option(help="Parquet file to write.")] = Path("events.parquet"),
) -> None:
    """Write the stored events, in the flat schema, to a Parquet file."""
    from cio_toolkit.webhooks._store import open_store
    from cio_toolkit.webhooks._store_postgres import is_postgres_url

    if not is_postgres_url(store) and not Path(store).exists():
        typer.echo(f"error: {store} does not exist", err=True)
        raise typer.Exit(2)
    try:
        events = open_store(store)
    except ConfigError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    with events:
        rows = events.export_parquet(to)
    typer.echo(f"wrote {rows} events to {to}")
