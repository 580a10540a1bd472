"""``cio emulator`` as a subprocess: starts on a free port, answers, stops on SIGINT."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx2

# Generated keys are what these tests check; the shared request log (CIO_EMULATOR_LOG) is kept.
ENV = {k: v for k, v in os.environ.items() if not k.startswith("CIO_") or k.startswith("CIO_EMULATOR_")}


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cio_toolkit.emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def read_until(proc: subprocess.Popen[str], pattern: str, timeout: float = 20) -> list[str]:
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line.rstrip("\n"))
        if re.search(pattern, line):
            return seen
    raise AssertionError(
        f"no line matching {pattern!r} in {seen}; stderr: {proc.stderr.read() if proc.stderr else ''}"
    )


def test_cli_serves_prints_settings_and_stops_on_sigint() -> None:
    proc = start("--app-key", "given-app-key")
    try:
        out = read_until(proc, r"^# CIO_WEBHOOK|^export CIO_WEBHOOK")
        url = re.search(r"listening on (http://127\.0\.0\.1:\d+)", out[0]).group(1)  # type: ignore[union-attr]
        exports = dict(re.findall(r"^export (CIO_\w+)=(.+)$", "\n".join(out), re.M))
        assert exports["CIO_BASE_URL"] == url
        assert "CIO_APP_API_KEY" not in exports and "given-app-key" not in "\n".join(out)
        assert "# CIO_APP_API_KEY: given, not shown" in out
        health = httpx2.get(f"{url}/_emulator/health", timeout=5)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        r = httpx2.post(
            f"{url}/v1/identify", json={"userId": "cli"}, auth=(exports["CIO_PIPELINES_API_KEY"], "")
        )
        assert r.status_code == 200
        r = httpx2.get(f"{url}/v1/campaigns", headers={"Authorization": "Bearer given-app-key"})
        assert r.status_code == 200 and r.json() == {"campaigns": []}
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert "emulator stopped" in proc.stdout.read()  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_unknown_seed_lists_known_ones() -> None:
    proc = start("--seed", "no-such-seed")
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 2
    assert "unknown seed 'no-such-seed'" in err and "known seeds" in err
