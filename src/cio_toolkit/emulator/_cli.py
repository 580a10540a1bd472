"""``cio emulator``: serve the emulator in the foreground until Ctrl-C."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cio_toolkit import _server_options as limit
from cio_toolkit._exceptions import ConfigError, ValidationError

from ._config import KEY_ENV, EmulatorConfig
from ._server import bind_socket, make_server, tls_files
from .app import create_app
from .registry import registered_seeds

__all__ = ["emulator_command"]


def emulator_command(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 8787,
    db: Annotated[str, typer.Option(help="SQLite file, or :memory:.")] = ":memory:",
    pipelines_key: Annotated[
        str | None, typer.Option(help="Data Pipelines API key (env CIO_PIPELINES_API_KEY).")
    ] = None,
    site_id: Annotated[str | None, typer.Option(help="Track API site id (env CIO_SITE_ID).")] = None,
    track_key: Annotated[str | None, typer.Option(help="Track API key (env CIO_TRACK_API_KEY).")] = None,
    app_key: Annotated[str | None, typer.Option(help="App API key (env CIO_APP_API_KEY).")] = None,
    webhook_signing_key: Annotated[
        str | None, typer.Option(help="Reporting webhook signing key (env CIO_WEBHOOK_SIGNING_KEY).")
    ] = None,
    log: Annotated[
        Path | None, typer.Option(help="Append one JSON line per request (env CIO_EMULATOR_LOG).")
    ] = None,
    log_bodies: Annotated[
        bool, typer.Option("--log-bodies", help="Also log query, masked headers and JSON body.")
    ] = False,
    history_bytes: Annotated[
        int | None,
        typer.Option(help="Bytes of request-log entries kept in memory (env CIO_EMULATOR_HISTORY_BYTES; 64 MiB)."),
    ] = None,
    log_body_bytes: Annotated[
        int | None,
        typer.Option(help="Logged bodies over this size are truncated (env CIO_EMULATOR_LOG_BODY_BYTES; 512000)."),
    ] = None,
    seed: Annotated[str | None, typer.Option(help="Load a named data set first (e.g. demo).")] = None,
    region: Annotated[
        str, typer.Option(help="The workspace region to play, us or eu: what getRegion answers.")
    ] = "us",
    no_strict: Annotated[
        bool, typer.Option("--no-strict", help="Log invalid requests instead of rejecting them.")
    ] = False,
    no_rate_limits: Annotated[
        bool, typer.Option("--no-rate-limits", help="Turn the API rate limits off.")
    ] = False,
    error_rate: Annotated[float, typer.Option(help="Share of requests answered with a 500 (0..1).")] = 0.0,
    latency_ms: Annotated[float, typer.Option(help="Latency added to every request, in ms.")] = 0.0,
    header_timeout: limit.HeaderTimeout = limit.HEADER_TIMEOUT,
    read_timeout: limit.ReadTimeout = limit.READ_TIMEOUT,
    keep_alive: limit.KeepAlive = limit.KEEP_ALIVE,
    max_connections: limit.MaxConnections = None,
    tls: Annotated[
        bool, typer.Option("--tls", help="Serve HTTPS with a certificate from a new local CA (see --tls-dir).")
    ] = False,
    tls_dir: Annotated[
        Path, typer.Option(help="Where --tls writes ca.pem and the server certificate.")
    ] = Path(".cio/tls"),
) -> None:
    """Run a local Customer.io emulator serving the Pipelines, Track and App APIs on one port."""
    limits = limit.server_limits(header_timeout, read_timeout, keep_alive, max_connections)
    if seed is not None and seed not in registered_seeds():
        known = ", ".join(registered_seeds()) or "none registered"
        raise typer.BadParameter(f"unknown seed {seed!r}; known seeds: {known}", param_hint="--seed")
    try:
        config = EmulatorConfig.create(
            db=db,
            keys={
                "pipelines_api_key": pipelines_key,
                "site_id": site_id,
                "track_api_key": track_key,
                "app_api_key": app_key,
                "webhook_signing_key": webhook_signing_key,
            },
            strict=not no_strict,
            log=log,
            log_bodies=True if log_bodies else None,
            seed=seed,
            region=region,
            rate_limits=not no_rate_limits,
            faults={"error_rate": error_rate, "latency_ms": latency_ms},
            history_bytes=history_bytes,
            log_body_bytes=log_body_bytes,
            hosts=(host,),  # admin endpoints accept the name it was asked to listen on
        )
    except (ConfigError, ValidationError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    app = create_app(config)
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        raise typer.BadParameter(
            f"cannot listen on {host}:{port}: {exc.strerror}", param_hint="--port"
        ) from exc
    bound = sock.getsockname()[1]
    files, _ = tls_files(tls_dir if tls else False, config.hosts)
    url = f"{'https' if files else 'http'}://{f'[{host}]' if ':' in host else host}:{bound}"
    typer.echo(f"Customer.io emulator listening on {url} (db {config.db}); Ctrl-C stops it.")
    if config.log:
        typer.echo(f"request log: {config.log}{' (with bodies)' if config.log_bodies else ''}")
    typer.echo("Point the toolkit at it with:")
    typer.echo(f"export CIO_BASE_URL={url}")
    for name, var in KEY_ENV.items():
        if name in config.keys.generated:
            typer.echo(f"export {var}={getattr(config.keys, name)}")
        else:
            typer.echo(f"# {var}: given, not shown")
    if files:
        typer.echo("# clients trust its certificate through:")
        for var, value in files.env().items():
            typer.echo(f"export {var}={value}")
    server = make_server(app, limits, files)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the SIGINT it handled gracefully
    finally:
        sock.close()
        app.state.emulator.log.close()
    typer.echo("emulator stopped")
