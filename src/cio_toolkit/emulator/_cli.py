"""``cio emulator``: serve the emulator in the foreground until Ctrl-C."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cio_toolkit import _server_options as limit
from cio_toolkit._exceptions import ConfigError, ValidationError

from ._config import KEY_ENV, PROFILES, EmulatorConfig
from ._limits import LIMITS
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
    profile: Annotated[
        str,
        typer.Option(help=f"{' or '.join(PROFILES)}: production plays the live service (TLS, documented "
                     "rate limits, no admin endpoints, Track and Pipelines writes visible after a delay)."),
    ] = "default",
    visibility_delay: Annotated[
        str | None,
        typer.Option(help="Seconds before a Track or Pipelines write reaches App API reads, e.g. 0.2-3 "
                     "(production: 0.2-2; default profile: at once)."),
    ] = None,
    visibility_seed: Annotated[
        int | None, typer.Option(help="Seed of the per-write delays, to replay a run (random when not given).")
    ] = None,
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
            profile=profile,
            visibility_delay=visibility_delay,
            visibility_seed=visibility_seed,
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
    files, _ = tls_files(tls_dir if tls or config.tls else False, config)
    url = f"{'https' if files else 'http'}://{f'[{host}]' if ':' in host else host}:{bound}"
    typer.echo(f"Customer.io emulator listening on {url} (db {config.db}); Ctrl-C stops it.")
    for line in profile_summary(config):
        typer.echo(line)
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


def profile_summary(config: EmulatorConfig) -> list[str]:
    """What the profile and the visibility delay switched on, one line each (empty for the plain default)."""
    lines = [] if config.profile == "default" else [f"profile {config.profile}:"]
    if config.tls:
        lines.append("  HTTPS only, with a certificate from a local CA (trust it through the variables below)")
    if config.profile != "default":
        budgets = ", ".join(f"{name} {budget}/{period:g} s" for name, (budget, period) in LIMITS.items())
        lines.append("  strict validation, the service's error bodies")
        lines.append(f"  the documented rate limits: {budgets}")
    if not config.admin:
        lines.append("  admin endpoints /_emulator/... off: 404 like any unknown path (signed file links stay)")
    if config.visibility_delay is not None:
        low, high = config.visibility_delay
        lines.append(f"  Track and Pipelines writes reach App API reads after {low:g}-{high:g} s, in order "
                     f"(--visibility-seed {config.visibility_seed} replays these delays)")
    return lines
