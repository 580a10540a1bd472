"""The in-memory request log answers ``limit`` exactly, including zero."""

from __future__ import annotations

import httpx2

from cio_toolkit.emulator import Emulator


def test_requests_view_limit():
    with Emulator(log=False) as emu:
        for _ in range(3):
            httpx2.get(f"{emu.url}/v1/campaigns")  # 401s still land in the log
        assert len(httpx2.get(f"{emu.url}/_emulator/requests", params={"limit": 2}).json()) == 2
        assert httpx2.get(f"{emu.url}/_emulator/requests", params={"limit": 0}).json() == []
        assert len(emu.requests) == 3
