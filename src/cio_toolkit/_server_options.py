"""Command-line options for :class:`~cio_toolkit._http_server.ServerLimits`, shared by the CLIs that serve."""

from __future__ import annotations

from typing import Annotated

import typer

from cio_toolkit._exceptions import ValidationError
from cio_toolkit._http_server import ServerLimits

__all__ = [
    "HEADER_TIMEOUT",
    "KEEP_ALIVE",
    "READ_TIMEOUT",
    "HeaderTimeout",
    "KeepAlive",
    "MaxConnections",
    "ReadTimeout",
    "server_limits",
]

_DEFAULTS = ServerLimits()

HeaderTimeout = Annotated[
    float,
    typer.Option(help="Seconds a client has to send its request headers (then 408 and close).", min=0.001),
]
ReadTimeout = Annotated[
    float,
    typer.Option(help="Seconds a request body may stall between bytes (then 408 and close).", min=0.001),
]
KeepAlive = Annotated[
    float, typer.Option(help="Seconds an idle keep-alive connection stays open.", min=0.001)
]
MaxConnections = Annotated[
    int | None,
    typer.Option(
        help="Most open connections; more are answered 503 and closed. [default: half the open-file limit, "
        "at most 4096]",
        min=1,
        show_default=False,
    ),
]
HEADER_TIMEOUT = _DEFAULTS.header_timeout
READ_TIMEOUT = _DEFAULTS.read_timeout
KEEP_ALIVE = _DEFAULTS.keep_alive


def server_limits(
    header_timeout: float, read_timeout: float, keep_alive: float, max_connections: int | None
) -> ServerLimits:
    """Build the limits from the options; a bad value becomes a usage error naming its option."""
    try:
        if max_connections is None:
            return ServerLimits(header_timeout, read_timeout, keep_alive)
        return ServerLimits(header_timeout, read_timeout, keep_alive, max_connections)
    except ValidationError as exc:
        raise typer.BadParameter(exc.message, param_hint=f"--{(exc.field or '').replace('_', '-')}") from None
