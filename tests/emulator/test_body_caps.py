"""Body caps: the emulator reads at most its cap of any body, compressed or not, and says so in the log."""

from __future__ import annotations

import base64
import gzip
import http.client
from collections.abc import Iterator
from typing import Any

import httpx2
import orjson
import pytest

from cio_toolkit._constants import (
    PIPELINES_MAX_BATCH_BYTES,
    TRACK_V2_MAX_BATCH_BYTES,
    TRACK_V2_MAX_ENTITY_BYTES,
)
from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator._body import MAX_BODY_BYTES, read_cap

from .._errors import error_pairs
from ._util import gzip_of_zeros

BOMB = 64 * 1024 * 1024  # zeros: about 64 KB once gzipped, 8 times the largest cap


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(log=False, rate_limits=False) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = gzip_of_zeros(BOMB, prefix=b'{"batch":[')
    assert len(data) < read_cap(PIPELINES_MAX_BATCH_BYTES) < BOMB  # the Content-Length passes the cap
    return data


def last(emu: Emulator, path: str) -> dict[str, Any]:
    return next(e for e in reversed(emu.requests) if e["path"] == path)


def gz_headers(auth: str, **extra: str) -> dict[str, str]:
    return {"Authorization": auth, "Content-Type": "application/json", "Content-Encoding": "gzip", **extra}


def test_gzip_bomb_gets_413_after_decompressing_at_most_the_cap(emu: Emulator, bomb: bytes) -> None:
    pipelines = basic(emu.keys.pipelines_api_key, "")
    cases = [
        ("/v1/batch", pipelines, {"X-Strict-Mode": "1"}, read_cap(PIPELINES_MAX_BATCH_BYTES)),
        ("/api/v2/batch", basic(emu.keys.site_id, emu.keys.track_api_key), {}, read_cap(TRACK_V2_MAX_BATCH_BYTES)),
        ("/v1/send/email", f"Bearer {emu.keys.app_api_key}", {}, MAX_BODY_BYTES),
    ]
    for path, auth, extra, cap in cases:
        r = httpx2.post(f"{emu.url}{path}", content=bomb, headers=gz_headers(auth, **extra), timeout=60)
        assert r.status_code == 413, (path, r.text)
        [(field, message)] = error_pairs(r)
        assert field == "body" and f"more than {cap} bytes once decompressed" in message
        entry = last(emu, path)
        # The structural bound: the emulator produced at most cap + 1 bytes of the 64 MB.
        assert entry["status"] == 413 and cap < entry["body_size"] <= cap + 1
        assert entry["body_read"] <= len(bomb)
    assert emu.store.events() == []


def test_gzip_bomb_without_strict_mode_gets_the_pipelines_200_and_is_dropped(emu: Emulator, bomb: bytes) -> None:
    dropped = emu.store.counters["dropped"]
    headers = gz_headers(basic(emu.keys.pipelines_api_key, ""))
    r = httpx2.post(f"{emu.url}/v1/batch", content=bomb, headers=headers, timeout=60)
    assert r.status_code == 200 and r.json() == {}
    assert emu.store.counters["dropped"] == dropped + 1 and emu.store.events() == []
    cap = read_cap(PIPELINES_MAX_BATCH_BYTES)
    assert last(emu, "/v1/batch")["body_size"] <= cap + 1
    [*_, why] = httpx2.get(f"{emu.url}/_emulator/dropped").json()
    assert str(PIPELINES_MAX_BATCH_BYTES) in why["errors"][0]


def test_a_health_request_is_answered_while_a_bomb_is_being_uploaded(emu: Emulator, bomb: bytes) -> None:
    answers: list[int] = []

    def upload() -> Iterator[bytes]:
        yield bomb[:1024]
        # The bomb's request is open on its connection: another client must still be served.
        answers.append(httpx2.get(f"{emu.url}/_emulator/health", timeout=30).status_code)
        yield bomb[1024:]

    headers = gz_headers(basic(emu.keys.pipelines_api_key, ""), **{"X-Strict-Mode": "1"})
    r = httpx2.post(f"{emu.url}/v1/batch", content=upload(), headers=headers, timeout=60)
    assert answers == [200] and r.status_code == 413


@pytest.mark.parametrize(
    ("path", "strict", "status"),
    [("/v1/batch", True, 413), ("/v1/batch", False, 200), ("/v1/track", True, 413), ("/api/v1/customers/u1", None, 413)],
)
def test_a_declared_content_length_over_the_cap_is_answered_before_any_body_is_sent(
    emu: Emulator, path: str, strict: bool | None, status: int
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    try:
        conn.putrequest("PUT" if strict is None else "POST", path)
        if strict is None:
            conn.putheader("Authorization", basic(emu.keys.site_id, emu.keys.track_api_key))
        else:
            conn.putheader("Authorization", basic(emu.keys.pipelines_api_key, ""))
            if strict:
                conn.putheader("X-Strict-Mode", "1")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(10**9))
        conn.endheaders()  # headers only: the answer must come without a single body byte
        response = conn.getresponse()
        payload = response.read()
    finally:
        conn.close()
    assert response.status == status
    if status == 413:
        answer = orjson.loads(payload)
        assert "Content-Length is 1000000000 bytes" in (answer["message"] if strict else answer["meta"]["errors"][0])
    assert last(emu, path)["body_read"] == 0


def track_batch(n_bytes: int) -> bytes:
    items: list[dict[str, Any]] = []
    while len(orjson.dumps({"batch": items})) < n_bytes:
        items.append({"type": "person", "action": "identify", "identifiers": {"id": f"cap-{len(items)}"},
                      "attributes": {"pad": "x" * 900}})
    return orjson.dumps({"batch": items})


def test_track_v2_limits_apply_to_the_decompressed_body(emu: Emulator) -> None:
    auth = basic(emu.keys.site_id, emu.keys.track_api_key)
    # The incremental decoder still names a broken stream, and reads multi-member gzip whole.
    whole = gzip.compress(b'{"email": "x@example.com"}')
    for body in (b"not gzip at all", whole[:-6]):
        r = httpx2.put(f"{emu.url}/api/v1/customers/gz1", content=body, headers=gz_headers(auth))
        assert r.status_code == 400 and r.json()["meta"]["errors"][0].startswith("headers.content-encoding: ")
    two_members = gzip.compress(b'{"email": ') + gzip.compress(b'"y@example.com"}')
    r = httpx2.put(f"{emu.url}/api/v1/customers/gz2", content=two_members, headers=gz_headers(auth))
    person = emu.store.find_person(id="gz2")
    assert r.status_code == 200 and person is not None and person["email"] == "y@example.com"
    over = track_batch(TRACK_V2_MAX_BATCH_BYTES + 50_000)
    r = httpx2.post(f"{emu.url}/api/v2/batch", content=gzip.compress(over), headers=gz_headers(auth))
    assert r.status_code == 400
    [error] = r.json()["errors"]
    assert error["reason"] == "request_too_large" and f"the request is {len(over)} bytes" in error["message"]
    assert str(TRACK_V2_MAX_BATCH_BYTES) in error["message"]
    huge = track_batch(1_200_000)  # over the read cap too: refused without parsing
    r = httpx2.post(f"{emu.url}/api/v2/batch", content=gzip.compress(huge), headers=gz_headers(auth))
    assert r.status_code == 413 and str(TRACK_V2_MAX_BATCH_BYTES) in r.text
    entity = orjson.dumps({"type": "person", "action": "identify", "identifiers": {"id": "cap-e"},
                           "attributes": {f"a{i}": "x" * 900 for i in range(40)}})
    assert len(entity) > TRACK_V2_MAX_ENTITY_BYTES
    r = httpx2.post(f"{emu.url}/api/v2/entity", content=gzip.compress(entity), headers=gz_headers(auth))
    assert r.status_code == 400 and r.json()["errors"][0]["reason"] == "request_too_large"
    assert emu.store.query("SELECT pk FROM people WHERE id LIKE 'cap-%'") == []
    ok = track_batch(100_000)
    r = httpx2.post(f"{emu.url}/api/v2/batch", content=gzip.compress(ok), headers=gz_headers(auth))
    assert r.status_code == 200 and emu.store.query("SELECT pk FROM people WHERE id = 'cap-0'")


def test_admin_bodies_are_capped_too(emu: Emulator) -> None:
    r = httpx2.post(f"{emu.url}/_emulator/faults", content=b" " * (MAX_BODY_BYTES + 1),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and str(MAX_BODY_BYTES) in r.text
    assert httpx2.get(f"{emu.url}/_emulator/health").status_code == 200


def test_a_client_that_leaves_mid_body_is_logged_as_gone_not_as_a_server_error(emu: Emulator) -> None:
    import socket

    from cio_toolkit._wait import wait_until

    key = basic(emu.keys.pipelines_api_key, "")
    with socket.create_connection(("127.0.0.1", emu.port), timeout=5) as sock:
        sock.sendall(b"POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Authorization: " + key.encode() + b"\r\nContent-Length: 5000\r\n\r\n" + b'{"batch":[' * 10)
    gone = wait_until(lambda: [e for e in emu.requests if e.get("client_closed")] or None, timeout=10,
                      interval=0.02, message="the emulator never logged the request")
    assert gone[-1]["status"] is None and gone[-1]["operationId"] == "batch" and "fault" not in gone[-1]
    assert emu.store.counters.get("handler_errors", 0) == 0
