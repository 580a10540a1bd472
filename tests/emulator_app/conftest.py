"""Fixtures for the App API emulator tests: a seeded emulator on a loopback port and HTTP clients.

``app_emu`` is one demo-seeded emulator for the module's session (rate limits off, so ~200 quick
requests are not throttled; the request log goes to the suite-wide file). Tests that change
shared seeded data use their own ids or restore what they change.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from cio_toolkit.emulator import Emulator, SpecValidator

VALIDATOR = SpecValidator("app_api")


@pytest.fixture(scope="session")
def app_emu() -> Iterator[Emulator]:
    """A demo-seeded emulator without rate limits, shared by the App API emulator tests."""
    with Emulator(seed="demo", rate_limits=False) as emu:
        yield emu


class AppHTTP:
    """Bearer-authenticated App API calls that check each 2xx answer against the spec."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.http = httpx2.Client(base_url=emu.url, timeout=10,
                                  headers={"Authorization": f"Bearer {emu.keys.app_api_key}"})

    def call(self, method: str, path: str, *, expect: int = 200, params: dict[str, Any] | None = None,
             json: Any = None) -> httpx2.Response:
        response = self.http.request(method, path, params=params, json=json)
        assert response.status_code == expect, (method, path, response.status_code, response.text[:500])
        op = response.headers.get("x-cio-emulator-operation", "").split(".", 1)[-1]
        assert op, f"{method} {path} was not routed to an App API operation"
        if 200 <= response.status_code < 300 and response.content:
            problems = VALIDATOR.validate_response(op, response.status_code, response.json())
            assert not problems, f"{op}: response does not validate: {problems[:5]}"
        return response

    def get(self, path: str, **kw: Any) -> Any:
        return self.call("GET", path, **kw).json()

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="session")
def app(app_emu: Emulator) -> Iterator[AppHTTP]:
    """An App API client for ``app_emu``."""
    client = AppHTTP(app_emu)
    yield client
    client.close()


@pytest.fixture
def pipelines(app_emu: Emulator) -> Iterator[httpx2.Client]:
    """A Pipelines API client (Basic auth with the API key) for ``app_emu``."""
    token = base64.b64encode(f"{app_emu.keys.pipelines_api_key}:".encode()).decode()
    with httpx2.Client(base_url=app_emu.url, timeout=10, headers={"Authorization": f"Basic {token}"}) as c:
        yield c


@pytest.fixture
def track(app_emu: Emulator) -> Iterator[httpx2.Client]:
    """A Track API client (Basic site_id:api_key) for ``app_emu``."""
    keys = app_emu.keys
    token = base64.b64encode(f"{keys.site_id}:{keys.track_api_key}".encode()).decode()
    with httpx2.Client(base_url=app_emu.url, timeout=10, headers={"Authorization": f"Basic {token}"}) as c:
        yield c


@pytest.fixture
def uid() -> str:
    """A unique suffix for ids and emails of one test."""
    return uuid.uuid4().hex[:10]
