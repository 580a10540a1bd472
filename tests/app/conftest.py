"""Fixtures of the App API tests: a seeded emulator of our own and clients pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from cio_toolkit._serialize import dumps, loads
from cio_toolkit._transport import RequestSpec
from cio_toolkit.app import AppClient, AsyncAppClient


def wire(spec: RequestSpec) -> dict[str, Any]:
    """What the transport puts on the wire for ``spec``: query strings, headers and the JSON body."""
    query = {k: ("true" if v else "false") if isinstance(v, bool) else str(v)
             for k, v in (spec.params or {}).items() if v is not None}
    headers = {"Authorization": "Bearer test", **spec.headers}
    body = None
    if spec.json is not None:
        headers["Content-Type"] = "application/json"
        body = loads(dumps(spec.json))
    return {"method": spec.method, "path": spec.path, "query": query, "headers": headers, "body": body}


@pytest.fixture(scope="session")
def app_emu() -> Iterator[Any]:
    """An emulator loaded with the "demo" workspace, without server-side rate limits (fast tests)."""
    from cio_toolkit.emulator import Emulator

    with Emulator(seed="demo", rate_limits=False) as emu:
        yield emu


@pytest.fixture
def app(app_emu: Any) -> Iterator[AppClient]:
    """A blocking App client on the demo emulator (client-side limits off: the emulator has none)."""
    s = app_emu.settings()
    with AppClient(s["app_api_key"], base_url=s["base_url"], rate_limits=False) as client:
        yield client


@pytest.fixture
async def aapp(app_emu: Any) -> AsyncIterator[AsyncAppClient]:
    """An asyncio App client on the demo emulator."""
    s = app_emu.settings()
    async with AsyncAppClient(s["app_api_key"], base_url=s["base_url"], rate_limits=False) as client:
        yield client
