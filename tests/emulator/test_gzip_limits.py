"""Size limits apply to the decompressed body: gzip cannot smuggle an oversized batch past them."""

from __future__ import annotations

import base64
import gzip

import httpx2
import orjson

from cio_toolkit.emulator import Emulator


def _batch(n_bytes: int) -> bytes:
    item = {"type": "track", "userId": "u", "event": "e", "messageId": "", "properties": {"pad": "x" * 1000}}
    items = []
    while len(orjson.dumps({"batch": items})) < n_bytes:
        items.append({**item, "messageId": f"m{len(items)}"})
    return orjson.dumps({"batch": items})


def test_gzipped_batch_over_500kb_is_rejected_in_strict_mode_and_dropped_otherwise():
    raw = _batch(520 * 1024)
    packed = gzip.compress(raw)
    assert len(packed) < 500 * 1024 < len(raw)
    with Emulator(log=False) as emu:
        auth = "Basic " + base64.b64encode(f"{emu.keys.pipelines_api_key}:".encode()).decode()
        headers = {"Authorization": auth, "Content-Type": "application/json", "Content-Encoding": "gzip"}
        strict = httpx2.post(f"{emu.url}/v1/batch", content=packed, headers={**headers, "X-Strict-Mode": "1"})
        assert strict.status_code == 400
        assert str(500 * 1024) in strict.text
        lax = httpx2.post(f"{emu.url}/v1/batch", content=packed, headers=headers)
        assert lax.status_code == 200
        assert emu.store.events() == []
        small = gzip.compress(_batch(20 * 1024))
        ok = httpx2.post(f"{emu.url}/v1/batch", content=small, headers={**headers, "X-Strict-Mode": "1"})
        assert ok.status_code == 200 and len(emu.store.events()) > 0
