"""Customer.io's official SDKs, unchanged, against the emulator over http and over TLS.

The Node.js SDKs are pinned in tests/sdk/node/package.json and installed on first use into
build/node-sdk (again when that file changes, told by a hash file), with no lock file, since a
lock file records download addresses; a failed install fails the tests with npm's own message.
Each Node test module runs all its scenarios in ONE ``node`` process (node/harness.js, a JSON
line per scenario), once per transport, whatever order pytest-randomly gives its tests. The
Python SDKs (the ``dev`` extra) run in-process.

Tests are parametrized by ``transport`` (``http``, ``tls``); a module whose SDK speaks only
https overrides the ``transport`` fixture with ``"tls"``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cio_toolkit.emulator import Emulator

from ._peers import AppReader, Peers, open_peers, requests_trust

HERE = Path(__file__).resolve().parent
NODE_DIR = HERE / "node"
PREFIX = HERE.parent.parent / "build" / "node-sdk"
_STAMP = PREFIX / "package.json.sha256"
_INSTALL_TIMEOUT = 300
_RUN_TIMEOUT = 120


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


@dataclass(frozen=True)
class Scenario:
    """One run of node/scenarios/<script>.js; ``refused``: it sends what the spec refuses, on purpose."""

    script: str
    refused: bool = False
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What a scenario's last SDK call resolved to, or the error the SDK rejected it with."""

    id: str
    emu: Emulator
    result: Any
    error: dict[str, Any] | None

    def ok(self) -> Any:
        """The result; fails the test with the SDK's error if there was one."""
        assert self.error is None, self.error
        return self.result


def _target(emu: Emulator) -> dict[str, Any]:
    k = emu.keys
    keys = {"write": k.pipelines_api_key, "site_id": k.site_id, "track": k.track_api_key, "app": k.app_api_key}
    return {"url": emu.url, "keys": keys}


def run_node(modules: Path, peers: Peers, plan: Mapping[str, Scenario]) -> dict[str, Outcome]:
    """Run every scenario of ``plan`` in one ``node`` process; their outcomes by key."""
    ids = {key: f"sdk-{key}-{uuid.uuid4().hex[:10]}" for key in plan}
    request = {
        "targets": {"main": _target(peers.main), "refused": _target(peers.refused)},
        "scenarios": [
            {"key": key, "script": s.script, "target": "refused" if s.refused else "main", "id": ids[key], "args": s.args}
            for key, s in plan.items()
        ],
    }
    done = subprocess.run(
        [shutil.which("node") or "node", str(NODE_DIR / "harness.js")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(modules), **peers.trust_env()},
        timeout=_RUN_TIMEOUT,
        check=False,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    found = {line["key"]: line for line in lines}
    assert done.returncode == 0 and found.keys() == plan.keys(), (
        f"harness.js exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return {
        key: Outcome(ids[key], peers.pick(refused=s.refused), found[key]["result"], found[key]["error"])
        for key, s in plan.items()
    }


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The installed SDKs' node_modules folder (installed now if missing or out of date)."""
    return _install()


@pytest.fixture(scope="session")
def peers_http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peers]:
    """The emulator pair serving plain http."""
    with open_peers(tmp_path_factory.mktemp("sdk-http"), tls=False) as peers:
        yield peers


@pytest.fixture(scope="session")
def peers_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peers]:
    """The emulator pair serving TLS, with the bundle of both CAs."""
    with open_peers(tmp_path_factory.mktemp("sdk-tls"), tls=True) as peers:
        yield peers


@pytest.fixture(params=["http", "tls"])
def transport(request: pytest.FixtureRequest) -> str:
    """The transport a test runs over (function-scoped: pytest-randomly interleaves the params)."""
    return str(request.param)


@pytest.fixture
def peers(transport: str, request: pytest.FixtureRequest) -> Peers:
    """The emulator pair of this test's transport."""
    found: Peers = request.getfixturevalue(f"peers_{transport}")
    return found


@pytest.fixture
def trusted(peers: Peers) -> Iterator[Peers]:
    """The emulator pair of this test's transport, trusted by ``requests`` (the Python SDKs') meanwhile."""
    with requests_trust(peers):
        yield peers


@pytest.fixture(scope="session")
def app_of() -> Iterator[AppReader]:
    """``app_of(emu)``: our App client of that emulator, for reading back what a scenario sent."""
    reader = AppReader()
    yield reader
    reader.close()


PlanRunner = Callable[[str, Peers, Callable[[Peers], Mapping[str, Scenario]]], dict[str, Outcome]]


@pytest.fixture(scope="session")
def node_runs(node_modules: Path) -> PlanRunner:
    """``node_runs(name, peers, plan)``: the outcomes of a module's plan, run once per transport."""
    done: dict[tuple[str, str], dict[str, Outcome]] = {}

    def outcomes(name: str, peers: Peers, plan: Callable[[Peers], Mapping[str, Scenario]]) -> dict[str, Outcome]:
        key = (name, peers.transport)
        if key not in done:
            done[key] = run_node(node_modules, peers, plan(peers))
        return done[key]

    return outcomes
