"""Fixtures for the Pipelines tests: the suite's session emulator, and private ones for faults and bad input."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from cio_toolkit import CustomerIO
from cio_toolkit.emulator import Emulator


def uid(prefix: str = "p") -> str:
    """A unique id, so tests sharing the session emulator never see each other's data."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def quiet() -> Iterator[tuple[Emulator, CustomerIO]]:
    """A private emulator without the suite's request log: for requests that are invalid on purpose."""
    with Emulator(log=False) as emu, CustomerIO(**emu.settings()) as cio:
        yield emu, cio


@pytest.fixture
def private_emulator() -> Iterator[Callable[..., Emulator]]:
    """Start private emulators (request log on) for tests that inject faults; all stopped at the end."""
    started: list[Emulator] = []

    def start(**kw: object) -> Emulator:
        emu = Emulator(**kw).start()  # type: ignore[arg-type]
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.stop()
