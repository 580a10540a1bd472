"""Credentials the service refuses, HEAD as GET without a body, and JSON nested too deeply."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx2
import pytest

from cio_toolkit.emulator import Emulator
from cio_toolkit.emulator._body import MAX_JSON_DEPTH

from .._errors import error_pairs


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(log=False, log_bodies=True, rate_limits=False) as emulator:
        yield emulator


def raw_basic(value: bytes) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(value).decode()}


def test_basic_credentials_the_service_refuses_are_401(emu: Emulator) -> None:
    key = emu.keys.pipelines_api_key.encode()
    # Pipelines: the key as user name and an empty password, nothing else.
    for wrong in (key + b":anything", key, b":" + key):
        r = httpx2.post(f"{emu.url}/v1/identify", json={"userId": "auth"}, headers=raw_basic(wrong))
        assert r.status_code == 401 and r.json()["message"].startswith("headers.authorization: ")
    assert httpx2.post(f"{emu.url}/v1/identify", json={"userId": "auth"}, headers=raw_basic(key + b":")).status_code == 200
    site, track_key = emu.keys.site_id.encode(), emu.keys.track_api_key.encode()
    url = f"{emu.url}/api/v1/customers/auth"
    assert httpx2.put(url, json={}, headers=raw_basic(site + track_key)).status_code == 401
    assert httpx2.put(url, json={}, headers=raw_basic(site + b":" + track_key)).status_code == 200


def test_head_answers_like_get_without_a_body(emu: Emulator) -> None:
    app = {"Authorization": f"Bearer {emu.keys.app_api_key}"}
    got = httpx2.get(f"{emu.url}/v1/campaigns", headers=app)
    head = httpx2.head(f"{emu.url}/v1/campaigns", headers=app)
    assert got.status_code == head.status_code == 200
    assert head.content == b"" and head.headers["content-length"] == str(len(got.content))
    assert head.headers["content-type"] == got.headers["content-type"]
    assert httpx2.head(f"{emu.url}/v1/campaigns").status_code == 401  # the same pipeline as GET
    post_only = httpx2.head(f"{emu.url}/v1/send/email", headers=app)
    assert post_only.status_code == 405 and post_only.headers["allow"] == "POST"
    assert httpx2.head(f"{emu.url}/_emulator/health").status_code == 200
    assert [e["method"] for e in emu.requests if e["path"] == "/v1/campaigns"][-2:] == ["HEAD", "HEAD"]


def nested(levels: int) -> bytes:
    return b'{"a":' * levels + b"1" + b"}" * levels


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 254, 400, 1100])
def test_json_nested_too_deep_is_400_naming_the_limit_on_every_api(emu: Emulator, levels: int) -> None:
    json = {"Content-Type": "application/json"}
    pipelines = {**raw_basic(emu.keys.pipelines_api_key.encode() + b":"), **json}
    track = {**raw_basic(f"{emu.keys.site_id}:{emu.keys.track_api_key}".encode()), **json}
    app = {"Authorization": f"Bearer {emu.keys.app_api_key}", **json}
    answers = [
        httpx2.post(f"{emu.url}/v1/identify", content=b'{"userId":"d","traits":' + nested(levels - 1) + b"}",
                    headers={**pipelines, "X-Strict-Mode": "1"}),
        httpx2.put(f"{emu.url}/api/v1/customers/deep", content=nested(levels), headers=track),
        httpx2.post(f"{emu.url}/v1/send/email", content=nested(levels), headers=app),
    ]
    for r in answers:
        assert r.status_code == 400, r.text
        [(field, message)] = error_pairs(r)
        assert field == "body" and f"at most {MAX_JSON_DEPTH} levels" in message
    # Without X-Strict-Mode the Pipelines API answers 200 and drops it, as for any invalid call.
    r = httpx2.post(f"{emu.url}/v1/identify", content=b'{"userId":"d","traits":' + nested(levels - 1) + b"}",
                    headers=pipelines)
    assert r.status_code == 200 and emu.store.find_person(id="d") is None
    logged = [e for e in emu.requests if e["path"] in ("/v1/identify", "/api/v1/customers/deep", "/v1/send/email")]
    assert [e["status"] for e in logged[-4:]] == [400, 400, 400, 200]
    assert all("body_raw" in e for e in logged[-4:])  # the log kept the entries, without the parsed body
    at_limit = b'{"userId":"ok-depth","traits":' + nested(MAX_JSON_DEPTH - 1) + b"}"
    r = httpx2.post(f"{emu.url}/v1/identify", content=at_limit, headers={**pipelines, "X-Strict-Mode": "1"})
    assert r.status_code == 200 and emu.store.find_person(id="ok-depth") is not None
    assert httpx2.get(f"{emu.url}/_emulator/requests").status_code == 200  # logged bodies serialise
