"""Customer.io's official Node.js SDKs, installed from npm into build/, run unchanged against the emulator.

The SDK versions are pinned in tests/sdk/node/package.json. They are installed on first use (and
again when that file changes, told by a hash file) with no lock file, since a lock file records
download addresses. A failed install fails the tests with npm's own message. Each scenario is a
JS file in node/scenarios run with ``node``; it prints one JSON line (see node/_lib.js).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cio_toolkit.emulator import Emulator

HERE = Path(__file__).resolve().parent
NODE_DIR = HERE / "node"
PREFIX = HERE.parent.parent / "build" / "node-sdk"
_STAMP = PREFIX / "package.json.sha256"
_INSTALL_TIMEOUT = 300
_SCENARIO_TIMEOUT = 30

Run = Callable[..., dict[str, Any]]


def _install() -> Path:
    manifest = (NODE_DIR / "package.json").read_bytes()
    digest = hashlib.sha256(manifest).hexdigest()
    modules = PREFIX / "node_modules"
    if modules.is_dir() and _STAMP.exists() and _STAMP.read_text().strip() == digest:
        return modules
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        pytest.fail("the Node.js SDK tests need node and npm on PATH (CI machines have both)", pytrace=False)
    PREFIX.mkdir(parents=True, exist_ok=True)
    _STAMP.unlink(missing_ok=True)
    (PREFIX / "package.json").write_bytes(manifest)
    done = subprocess.run(
        [npm, "install", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", str(PREFIX)],
        capture_output=True,
        text=True,
        timeout=_INSTALL_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"npm install of the SDKs failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
            pytrace=False,
        )
    _STAMP.write_text(digest + "\n")
    return modules


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The installed SDKs' node_modules folder (installed now if missing or out of date)."""
    return _install()


def run_scenario(modules: Path, emu: Emulator, name: str, **extra: str) -> dict[str, Any]:
    """Run node/scenarios/<name>.js against ``emu``; return its JSON line, plus the id it used."""
    ident = f"sdk-{name}-{uuid.uuid4().hex[:10]}"
    k = emu.keys
    env = {
        **os.environ,
        "NODE_PATH": str(modules),
        "CIO_SDK_URL": emu.url,
        "CIO_SDK_WRITE_KEY": k.pipelines_api_key,
        "CIO_SDK_SITE_ID": k.site_id,
        "CIO_SDK_TRACK_KEY": k.track_api_key,
        "CIO_SDK_APP_KEY": k.app_api_key,
        "CIO_SDK_ID": ident,
        **extra,
    }
    if emu.tls is not None:
        env.update(emu.tls.env())
    script = NODE_DIR / "scenarios" / f"{name}.js"
    done = subprocess.run(
        [shutil.which("node") or "node", str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=_SCENARIO_TIMEOUT,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, (
        f"{name}.js exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    out: dict[str, Any] = json.loads(lines[-1])
    out["id"] = ident
    return out


@pytest.fixture(scope="module")
def sdk_emulator() -> Iterator[Emulator]:
    """An emulator whose requests join the suite's conformance log: for scenarios that must conform."""
    with Emulator() as emu:
        yield emu


@pytest.fixture(scope="module")
def gap_emulator() -> Iterator[Emulator]:
    """An emulator kept out of the conformance log, for scenarios that send what the SDKs send and
    the spec refuses (issue 12's known gaps)."""
    with Emulator(log=False) as emu:
        yield emu


def _tls_emulator(log: bool | None) -> Iterator[Emulator]:
    with Emulator(tls=True, log=log, seed="demo") as emu:
        yield emu


@pytest.fixture(scope="module")
def tls_emulator() -> Iterator[Emulator]:
    """An emulator serving HTTPS, for customerio-node (which speaks nothing else)."""
    yield from _tls_emulator(None)


@pytest.fixture(scope="module")
def tls_gap_emulator() -> Iterator[Emulator]:
    """The same, kept out of the conformance log, for scenarios that hit a known gap."""
    yield from _tls_emulator(False)
