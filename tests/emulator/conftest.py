"""Fixtures for the emulator tests: real servers on loopback ports, real HTTP clients."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator.pytest_plugin import cio_emulator, cio_emulator_factory

__all__ = ["cio_emulator", "cio_emulator_factory"]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """A fresh emulator without rate limits or request-log file (these tests send bad input on purpose)."""
    with Emulator(log=False, rate_limits=False) as emulator:
        yield emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=emu.url, timeout=10) as c:
        yield c
