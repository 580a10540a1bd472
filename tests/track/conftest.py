"""Fixtures for the Track API tests: the session emulator through the facade, and a private
emulator (no request-log file) for requests that break the rules on purpose."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx2
import pytest

from cio_toolkit import CustomerIO
from cio_toolkit.emulator import Emulator
from cio_toolkit.track import TrackClient


def uid(prefix: str = "t") -> str:
    """A unique id, so tests sharing the session emulator never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def track(cio: CustomerIO) -> TrackClient:
    """The Track client of the session emulator's facade."""
    return cio.track


@pytest.fixture(scope="module")
def private_emu() -> Iterator[Emulator]:
    """An emulator whose requests stay out of the suite-wide log (bad input is sent on purpose)."""
    with Emulator(log=False, rate_limits=False) as emu:
        yield emu


@pytest.fixture
def raw(private_emu: Emulator) -> Iterator[httpx2.Client]:
    """Plain HTTP to the private emulator with Track credentials, bypassing our client's checks."""
    keys = private_emu.keys
    with httpx2.Client(base_url=private_emu.url, auth=(keys.site_id, keys.track_api_key), timeout=10) as c:
        yield c
