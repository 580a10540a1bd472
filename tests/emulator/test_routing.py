"""One port, four APIs: every spec operation routes to itself, and credentials are checked per API."""

from __future__ import annotations

import base64

import httpx2
import pytest

from cio_toolkit.emulator import Emulator, registry

from ._util import SPECS, auth_kwargs, concrete_path, spec_operations

ALL_OPERATIONS = [(api, m, p, op) for api in SPECS for m, p, op in spec_operations(api)]
# The reporting-webhook management operations are also in the App API spec, same ids.
WEBHOOK_OPS = {op for _, _, op in spec_operations("reporting_webhooks")}


def test_every_spec_operation_routes_to_itself_over_http(emu: Emulator, client: httpx2.Client) -> None:
    seen = 0
    for api, method, template, operation_id in ALL_OPERATIONS:
        r = client.request(method, concrete_path(api, template), **auth_kwargs(emu, api))
        routed = r.headers.get("x-cio-emulator-operation", "")
        routed_api, _, routed_op = routed.partition(".")
        assert routed_op == operation_id, (method, template, routed)
        if operation_id in WEBHOOK_OPS:
            assert routed_api in ("reporting_webhooks", "app_api")
        else:
            assert routed_api == api, (method, template, routed)
        # A handler may answer 404 for an unknown resource, but never the router's "no operation".
        assert not (r.status_code == 404 and "no Customer.io API operation" in r.text)
        seen += 1
    assert seen == 7 + 18 + 115 + 5


def test_no_path_of_one_api_is_matched_by_another(emu: Emulator) -> None:
    validators = emu.state.validators
    for api, method, template, operation_id in ALL_OPERATIONS:
        path = concrete_path(api, template)
        for other in SPECS:
            if other == api or (operation_id in WEBHOOK_OPS and other in ("app_api", "reporting_webhooks")):
                continue
            sub = path[3:] if other == "pipelines_api" and path.startswith("/v1/") else path
            if other == "pipelines_api" and not path.startswith("/v1/"):
                continue
            assert validators[other].match(method, sub) is None, (api, operation_id, other)


def test_unimplemented_operation_answers_501_naming_the_operation_id(
    emu: Emulator, client: httpx2.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every operation has a handler now; take one away to see the answer for a missing one.
    monkeypatch.delitem(registry._HANDLERS, ("app_api", "listCampaigns"))
    r = client.get("/v1/campaigns", **auth_kwargs(emu, "app_api"))
    assert r.status_code == 501
    assert "operation listCampaigns (app_api: GET /v1/campaigns)" in r.json()["meta"]["error"]


def test_unknown_path_404_and_wrong_method_405(client: httpx2.Client) -> None:
    r = client.get("/nothing/here")
    assert r.status_code == 404 and r.json()["meta"]["error"].startswith("path: no Customer.io API operation")
    r = client.get("/v1/identify")
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert r.json() == {"code": "method_not_allowed", "message": "method: GET is not allowed on /v1/identify; use POST"}


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.mark.parametrize(
    ("api", "method", "path", "body"),
    [
        ("pipelines_api", "POST", "/v1/identify", {"userId": "u1"}),
        ("track_api", "PUT", "/api/v1/customers/u1", {"email": "u1@example.com"}),
        ("app_api", "GET", "/v1/campaigns", None),
        ("reporting_webhooks", "GET", "/v1/reporting_webhooks", None),
    ],
)
def test_wrong_or_missing_credentials_get_401_per_api(
    emu: Emulator, client: httpx2.Client, api: str, method: str, path: str, body: dict | None
) -> None:
    k = emu.keys
    wrong = {
        "pipelines_api": [
            _basic("nope", ""),
            _basic(k.site_id, k.track_api_key),
            {"Authorization": f"Bearer {k.pipelines_api_key}"},
        ],
        "track_api": [
            _basic(k.site_id, "nope"),
            _basic(k.pipelines_api_key, ""),
            {"Authorization": f"Bearer {k.app_api_key}"},
        ],
        "app_api": [{"Authorization": "Bearer nope"}, _basic(k.app_api_key, "")],
        "reporting_webhooks": [{"Authorization": "Bearer nope"}],
    }[api]
    for headers in [{}, *wrong]:
        r = client.request(method, path, json=body, headers=headers)
        assert r.status_code == 401, headers
        if api == "pipelines_api":
            assert r.json()["message"].startswith("headers.authorization: ")
        else:
            assert (r.headers["content-type"], r.text) == ("text/plain; charset=utf-8", "Unauthorized request")
        assert k.app_api_key not in r.text and k.pipelines_api_key not in r.text
    good = client.request(
        method, path, json=body, **auth_kwargs(emu, "app_api" if api == "reporting_webhooks" else api)
    )
    assert good.status_code != 401


def test_unauthenticated_operations_need_no_credentials(client: httpx2.Client) -> None:
    # The spec gives these operations no security requirement.
    r = client.get("/v1/info/ip_addresses")
    assert r.status_code == 200 and r.headers["x-cio-emulator-operation"] == "app_api.getCioAllowlist"


def test_invalid_app_request_gets_422_where_the_spec_documents_only_422(
    emu: Emulator, client: httpx2.Client
) -> None:
    r = client.post("/v1/campaigns/1/triggers", json={"data": 5}, **auth_kwargs(emu, "app_api"))
    assert r.status_code == 422
    assert r.json() == {"errors": [
        {"detail": "expected type object, got integer", "status": "422", "source": {"pointer": "/data"}}
    ]}
    r = client.post("/v1/send/email", json={"to": "a@example.com"}, **auth_kwargs(emu, "app_api"))
    assert r.status_code == 400 and r.json()["meta"]["error"].startswith("body.transactional_message_id: ")
