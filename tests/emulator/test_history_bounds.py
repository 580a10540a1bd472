"""The in-memory request history is bounded by bytes, and logged bodies over a size are truncated."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx2
import orjson
import pytest

from cio_toolkit._exceptions import ConfigError
from cio_toolkit.emulator import Emulator, EmulatorConfig
from cio_toolkit.emulator._log import RequestLog

from ._util import pipelines_auth


def line_bytes(entries: list[dict]) -> int:
    return sum(len(orjson.dumps(e, option=orjson.OPT_NON_STR_KEYS)) + 1 for e in entries)


def test_history_keeps_bytes_under_the_cap_and_truncates_big_bodies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIO_EMULATOR_HISTORY_BYTES", "60000")
    monkeypatch.setenv("CIO_EMULATOR_LOG_BODY_BYTES", "2000")
    log = tmp_path / "requests.jsonl"
    with Emulator(log=log, log_bodies=True, rate_limits=False) as emu, httpx2.Client(base_url=emu.url) as client:
        for i in range(40):
            traits = {"pad": "x" * 5000, "n": i}
            assert client.post("/v1/identify", json={"userId": f"h{i}", "traits": traits},
                               auth=pipelines_auth(emu)).status_code == 200
        client.post("/v1/identify", json={"userId": "small"}, auth=pipelines_auth(emu))
        kept = emu.requests
    assert 1 < len(kept) < 41 and line_bytes(kept) <= 60_000
    *big, small = kept
    assert small["body"] == {"userId": "small"} and "body_truncated" not in small
    for entry in big:
        assert entry["body_truncated"] is True and "body" not in entry
        assert entry["body_size"] > 5000 and len(entry["body_raw"]) == 2000
        assert entry["body_raw"].startswith('{"userId":"h')
    # The file gets every entry, with the same truncated bodies.
    lines = [orjson.loads(line) for line in log.read_bytes().splitlines()]
    assert len(lines) == 41 and all(len(e.get("body_raw", "")) <= 2000 for e in lines)


def test_the_newest_entry_is_kept_even_when_alone_over_the_cap() -> None:
    log = RequestLog(history_bytes=10, bodies=True)
    log.record({"path": "/a"})
    log.record({"path": "/b"})
    assert [e["path"] for e in log.recent()] == ["/b"]


def test_an_entry_orjson_cannot_write_is_still_recorded() -> None:
    deep: list = []
    for _ in range(300):
        deep = [deep]
    log = RequestLog(bodies=True)
    log.record({"path": "/deep", "status": 400, "body": deep})
    [entry] = log.recent()
    assert entry["path"] == "/deep" and entry["status"] == 400 and "body" not in entry
    assert "not fully serialisable" in entry["log_error"]


def test_history_settings_are_checked_and_named() -> None:
    config = EmulatorConfig.create(history_bytes=1000, log_body_bytes=10, environ={})
    assert (config.history_bytes, config.log_body_bytes) == (1000, 10)
    with pytest.raises(ConfigError, match="history_bytes"):
        EmulatorConfig.create(history_bytes=-1, environ={})
    with pytest.raises(ConfigError, match="CIO_EMULATOR_LOG_BODY_BYTES"):
        EmulatorConfig.create(environ={"CIO_EMULATOR_LOG_BODY_BYTES": "lots"})
    defaults = EmulatorConfig.create(environ={})
    assert (defaults.history_bytes, defaults.log_body_bytes) == (64 * 1024 * 1024, 512_000)


def test_cli_options_bound_the_history() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIO_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cio_toolkit.emulator", "--port", "0", "--pipelines-key", "k",
         "--log-bodies", "--log-body-bytes", "16", "--history-bytes", "100000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert proc.stdout is not None
        url = None
        for _ in range(40):
            found = re.search(r"listening on (http://\S+) ", proc.stdout.readline())
            if found:
                url = found.group(1)
                break
        assert url is not None
        auth = "Basic " + base64.b64encode(b"k:").decode()
        r = httpx2.post(f"{url}/v1/identify", json={"userId": "cli", "traits": {"pad": "y" * 100}},
                        headers={"Authorization": auth}, timeout=10)
        assert r.status_code == 200
        [entry] = httpx2.get(f"{url}/_emulator/requests", timeout=10).json()
        assert entry["body_truncated"] is True and len(entry["body_raw"]) == 16 and entry["body_size"] > 100
    finally:
        proc.terminate()
        proc.wait(10)
