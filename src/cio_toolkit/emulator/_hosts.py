"""Which Host names are this emulator, and the base URL of links it hands out.

A Host header is the client's word, so it only reaches a link or unlocks an admin endpoint when it
names this emulator: a loopback name or address, the address the connection arrived at, or a host
configured in :attr:`EmulatorConfig.hosts`. Anything else (a DNS-rebinding page's own name) falls
back to the server's address.
"""

from __future__ import annotations

import functools
import ipaddress
from typing import TYPE_CHECKING

from starlette.requests import Request

if TYPE_CHECKING:
    from ._config import EmulatorConfig

__all__ = ["is_loopback", "own_base_url", "own_host", "split_host"]


def split_host(value: str) -> tuple[str, str] | None:
    """(name, port) of a Host header value such as ``[::1]:8787``; None when it is malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket:
            return None
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return None
    return (name, rest[1:]) if name else None


@functools.lru_cache(maxsize=256)
def is_loopback(name: str) -> bool:
    """Whether a host name or address is this machine's loopback (``testclient``: Starlette's in-process client).

    The unspecified addresses (``0.0.0.0``, ``::``) count too: as a destination they reach this
    machine, and an address literal is never a name an attacker's DNS controls.
    """
    if name in ("localhost", "testclient", "127.0.0.1", "::1"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or address.is_unspecified or (mapped is not None and mapped.is_loopback)


def own_host(name: str, request: Request, config: EmulatorConfig) -> bool:
    """Whether a Host name is this emulator: loopback, the address the connection reached, or configured."""
    if is_loopback(name) or name in config.hosts:
        return True
    server = request.scope.get("server")
    return server is not None and name == str(server[0]).lower()


def own_base_url(request: Request, config: EmulatorConfig) -> str:
    """This emulator's base URL: the Host the client used when it names this emulator, else the
    address the connection arrived at (a forged Host never reaches a link)."""
    scheme = "https" if request.scope.get("scheme") == "https" else "http"
    parts = split_host(request.headers.get("host", ""))
    if parts is not None and own_host(parts[0], request, config):
        name, port = parts
    else:
        server = request.scope.get("server") or ("127.0.0.1", None)
        name, port = str(server[0]), "" if server[1] is None else str(server[1])
    name = f"[{name}]" if ":" in name else name
    return f"{scheme}://{name}{':' + port if port else ''}"
