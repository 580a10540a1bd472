"""Operations whose spec makes the body optional but its fields required answer 400, never 500."""

from __future__ import annotations

import base64

import httpx2
import pytest

from cio_toolkit.emulator import Emulator

from .._errors import error_fields


@pytest.fixture(scope="module")
def emu():
    with Emulator(log=False) as e:
        yield e


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [("PUT", "/api/v1/customers/u1/devices", "body.device"),
     ("POST", "/api/v1/merge_customers", "body.primary"),
     ("POST", "/api/v1/metrics", "body.delivery_id")],
)
def test_missing_body_names_the_required_field(emu, method, path, field):
    auth = "Basic " + base64.b64encode(f"{emu.keys.site_id}:{emu.keys.track_api_key}".encode()).decode()
    r = httpx2.request(method, emu.url + path, headers={"Authorization": auth})
    assert r.status_code == 400
    assert field in error_fields(r)


def test_optional_body_with_no_required_fields_is_still_accepted(emu):
    auth = "Basic " + base64.b64encode(f"{emu.keys.site_id}:{emu.keys.track_api_key}".encode()).decode()
    assert httpx2.put(emu.url + "/api/v1/customers/u9", headers={"Authorization": auth}).status_code == 200
