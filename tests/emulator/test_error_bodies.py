"""The emulator's error answers in Customer.io's shapes, per API and kind of error, as the official SDKs read them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx2
import orjson
import pytest

from cio_toolkit.emulator import Emulator, registry
from cio_toolkit.emulator._errors import SCHEMA_ERRATA, error_response
from cio_toolkit.emulator._validate import ValidationIssue, shared_validator
from cio_toolkit.specs import operations

from ._util import auth_kwargs, gzip_of_zeros

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
UNAUTHORIZED = (401, TEXT, "Unauthorized request")


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(log=False, rate_limits=False) as emulator:
        yield emulator


@pytest.fixture(autouse=True)
def no_faults(emu: Emulator) -> Iterator[None]:
    yield
    emu.faults.reset()


def send(emu: Emulator, api: str | None, method: str, path: str, **kwargs: Any) -> httpx2.Response:
    """One request with ``api``'s credentials (none when ``api`` is None)."""
    auth = auth_kwargs(emu, api) if api else {}
    headers = {**auth.pop("headers", {}), **kwargs.pop("headers", {})}
    return httpx2.request(method, emu.url + path, headers=headers, timeout=30, **auth, **kwargs)


def over_cap(size: int) -> dict[str, Any]:
    """A gzip body of ``size`` zero bytes (cheap to send), over the read cap of the operation it goes to."""
    return {"content": gzip_of_zeros(size, chunk=size // 10),
            "headers": {"content-encoding": "gzip", "content-type": JSON, "X-Strict-Mode": "1"}}


def shape(r: httpx2.Response) -> tuple[int, str, Any]:
    return r.status_code, r.headers["content-type"], r.json() if r.headers["content-type"] == JSON else r.text


STRICT = {"headers": {"X-Strict-Mode": "1"}}
APP_TOO_LARGE = "body: is more than 8388608 bytes once decompressed; the emulator accepts bodies up to 8388608 bytes"


@pytest.mark.parametrize(("api", "method", "path", "kwargs", "expected"), [
    pytest.param("pipelines_api", "POST", "/v1/track", {"json": {"type": "track", "event": "x"}, **STRICT},
                 (400, JSON, {"code": "invalid_request",
                              "message": "body.userId: is required (or anonymousId, groupId)"}), id="pipelines-400"),
    pytest.param(None, "POST", "/v1/track", {"json": {"userId": "u", "event": "x"}},
                 (401, JSON, {"code": "unauthorized", "message": "headers.authorization: invalid or missing credentials"
                              " for the Data Pipelines API: Basic auth with the API key as user name and an empty"
                              " password"}), id="pipelines-401"),
    pytest.param("pipelines_api", "POST", "/v1/nope", {"json": {}},
                 (404, JSON, {"code": "not_found", "message": "path: no Customer.io API operation for POST /v1/nope"}),
                 id="pipelines-404"),
    pytest.param("pipelines_api", "POST", "/v1/identify", over_cap(100_000),
                 (413, JSON, {"code": "request_too_large", "message": "body: is more than 65536 bytes once"
                              " decompressed; the limit is 32768 bytes (the emulator stops reading at 65536)"}),
                 id="pipelines-413"),
    pytest.param("track_api", "PUT", "/api/v1/customers/u", {"json": {"bio": "x" * 1001}},
                 (400, JSON, {"meta": {"errors": ["body.bio: the value is 1001 bytes; the limit is 1000 bytes"]}}),
                 id="track-400"),
    pytest.param(None, "PUT", "/api/v1/customers/u", {"json": {}}, UNAUTHORIZED, id="track-401"),
    pytest.param("track_api", "GET", "/api/v1/nope", {},
                 (404, JSON, {"meta": {"errors": ["path: no Customer.io API operation for GET /api/v1/nope"]}}),
                 id="track-404"),
    pytest.param("track_api", "POST", "/api/v1/segments/9999/add_customers", {"json": {"ids": ["u"]}},
                 (404, JSON, "Segment not found"), id="track-segment-404"),
    pytest.param("track_api", "POST", "/api/v1/merge_customers", {"json": {}},
                 (400, JSON, {"meta": {"error": "body.primary: is required; body.secondary: is required"}}),
                 id="track-merge-400"),
    pytest.param("track_api", "PUT", "/api/v1/customers/u", over_cap(9_000_000),
                 (413, JSON, {"meta": {"errors": [APP_TOO_LARGE]}}), id="track-413"),
    pytest.param("track_api", "POST", "/api/v2/entity", {"json": {"type": "person"}},
                 (400, JSON, {"errors": [{"reason": "invalid_request", "field": "body.identifiers",
                                          "message": "is required"}]}), id="track-v2-400"),
    pytest.param(None, "POST", "/api/v2/entity", {"json": {"type": "person"}}, UNAUTHORIZED, id="track-v2-401"),
    pytest.param("app_api", "POST", "/v1/send/email", {"json": {"to": "a@example.com"}},
                 (400, JSON, {"meta": {"error": "body.transactional_message_id: is required"}}), id="app-400"),
    pytest.param(None, "GET", "/v1/campaigns", {}, UNAUTHORIZED, id="app-401"),
    pytest.param(None, "GET", "/v1/reporting_webhooks", {}, UNAUTHORIZED, id="webhooks-401"),
    pytest.param("app_api", "GET", "/v1/campaigns/424242", {},
                 (404, JSON, {"meta": {"error": "path.campaign_id: campaign 424242 not found"}}), id="app-404"),
    pytest.param("app_api", "DELETE", "/v1/campaigns", {},
                 (405, JSON, {"meta": {"error": "method: DELETE is not allowed on /v1/campaigns; use GET, HEAD"}}),
                 id="app-405"),
    pytest.param("app_api", "POST", "/v1/send/email", over_cap(9_000_000),
                 (413, JSON, {"meta": {"error": APP_TOO_LARGE}}), id="app-413"),
    pytest.param("app_api", "POST", "/v1/campaigns/1/triggers", {"json": {"data": 5}},
                 (422, JSON, {"errors": [{"detail": "expected type object, got integer", "status": "422",
                                          "source": {"pointer": "/data"}}]}), id="app-trigger-422"),
    pytest.param("app_api", "POST", "/v1/data_index/attributes", {"json": {"attributes": [{"name": 5}]}},
                 (400, JSON, {"errors": [{"detail": "expected type string, got integer", "status": "400",
                                          "source": {"pointer": "/attributes/0/name"}}]}), id="app-metadata-400"),
    pytest.param("app_api", "GET", "/v1/customers/u/subscription_preferences", {"params": {"id_type": "bogus"}},
                 (400, JSON, {"meta": {"errors": ["query.id_type: must be one of ['id', 'email', 'cio_id']"]}}),
                 id="app-subscription-preferences-400"),
])
def test_each_api_answers_each_kind_of_error_in_its_real_shape(
    emu: Emulator, api: str | None, method: str, path: str, kwargs: dict[str, Any], expected: tuple[int, str, Any]
) -> None:
    assert shape(send(emu, api, method, path, **kwargs)) == expected


@pytest.mark.parametrize(("api", "method", "path", "limited", "failed"), [
    ("pipelines_api", "POST", "/v1/identify", {"code": "rate_limited", "message": "injected fault: rate limit exceeded"},
     {"code": "service_unavailable", "message": "injected fault: server error"}),
    ("track_api", "PUT", "/api/v1/customers/u", {"meta": {"errors": ["injected fault: rate limit exceeded"]}},
     {"meta": {"errors": ["injected fault: server error"]}}),
    ("app_api", "GET", "/v1/campaigns", {"meta": {"error": "injected fault: rate limit exceeded"}},
     {"meta": {"error": "injected fault: server error"}}),
])
def test_rate_limits_and_faults_answer_in_the_apis_default_shape_with_a_standard_reason(
    emu: Emulator, api: str, method: str, path: str, limited: Any, failed: Any
) -> None:
    body = {"json": {"userId": "u"}} if method != "GET" else {}
    emu.faults.update(force_429=1, retry_after=7)
    r = send(emu, api, method, path, **body)
    assert (r.status_code, r.reason_phrase, r.headers["retry-after"], r.json()) == (429, "Too Many Requests", "7", limited)
    emu.faults.update(error_rate=1, error_status=503)
    r = send(emu, api, method, path, **body)
    assert (r.status_code, r.reason_phrase, r.json()) == (503, "Service Unavailable", failed)


def test_a_crashing_handler_answers_500_in_its_apis_shape(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    async def boom(ctx: registry.RequestContext) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setitem(registry._HANDLERS, ("pipelines_api", "identify"), boom)
    r = send(emu, "pipelines_api", "POST", "/v1/identify", json={"userId": "u"})
    assert (r.status_code, r.json()) == (500, {"code": "internal_server_error",
                                               "message": "emulator error: RuntimeError: kaput"})


def documented_error_schemas() -> list[tuple[str, str, int]]:
    """(api, operationId, status) of every error answer the specs give a JSON schema."""
    return [(api, op["operationId"], int(status))
            for api in ("track_api", "app_api") for _, _, op in operations(api)  # type: ignore[arg-type]
            for status, response in op["responses"].items()
            if status[0] in "45" and shared_validator(api).response_validator(op["operationId"], int(status))]


@pytest.mark.parametrize(("api", "operation_id", "status"), documented_error_schemas())
def test_every_documented_error_schema_is_the_shape_answered(api: str, operation_id: str, status: int) -> None:
    issues = [ValidationIssue("body.a[0].b", "is wrong"), ValidationIssue("query.limit", "must be at most 100")]
    body = orjson.loads(error_response(api, operation_id, status, issues).body)
    problems = shared_validator(api).validate_response(operation_id, status, body)
    assert problems == [] or (api, operation_id) in SCHEMA_ERRATA


def test_the_errata_are_answered_as_the_specs_own_examples_show() -> None:
    examples = [example["value"]["errors"][0]
                for _, _, op in operations("app_api") if ("app_api", op["operationId"]) in SCHEMA_ERRATA
                for example in op["responses"]["422"]["content"][JSON]["examples"].values()]
    answer = error_response("app_api", "updateEventMetadata", 422, [ValidationIssue("body.events", "is empty")])
    [ours] = orjson.loads(answer.body)["errors"]
    assert len(examples) == 5 and all(set(e) == set(ours) and e["status"] == "422" for e in examples)
    assert ours == {"detail": "is empty", "source": {"pointer": "/events"}, "status": "422"}
    # Listed only while the schema still refuses its own examples (an integer enum on a string).
    for _, operation_id in SCHEMA_ERRATA:
        assert shared_validator("app_api").validate_response(operation_id, 422, {"errors": [examples[0]]}) != []


def test_the_python_cdp_sdk_reads_our_code_and_message(emu: Emulator) -> None:
    analytics = pytest.importorskip("customerio.analytics")
    seen: list[Exception] = []
    done = threading.Event()

    def on_error(exc: Exception, batch: Any) -> None:
        seen.append(exc)
        done.set()

    def identify(write_key: str) -> Exception:
        seen.clear()
        done.clear()
        client = analytics.Client(write_key, host=emu.url, on_error=on_error, max_retries=0)
        client.identify("sdk-user", {"plan": "pro"})
        client.flush()
        client.shutdown()
        assert done.wait(10)
        return seen[0]

    wrong = identify("not-the-key")
    assert isinstance(wrong, analytics.request.APIError)
    assert (wrong.status, wrong.code) == (401, "unauthorized")
    assert wrong.message.startswith("headers.authorization: invalid or missing credentials")
    emu.faults.update(error_rate=1, error_status=503)
    failed = identify(emu.keys.pipelines_api_key)
    assert (failed.status, failed.code, failed.message) == (503, "service_unavailable", "injected fault: server error")


def test_an_error_answer_off_its_documented_schema_is_counted_and_logged(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def wrong(ctx: registry.RequestContext) -> tuple[int, Any]:
        return 400, {"meta": {"error": ["not", "a", "string"]}}

    monkeypatch.setitem(registry._HANDLERS, ("app_api", "sendEmail"), wrong)
    before = emu.store.counters["invalid_responses"]
    body = {"transactional_message_id": 1, "to": "a@example.com", "identifiers": {"id": "u1"}}
    assert send(emu, "app_api", "POST", "/v1/send/email", json=body).status_code == 400
    assert emu.store.counters["invalid_responses"] == before + 1
    assert emu.requests[-1]["response_validation"] == ["body.meta.error: expected type string, got array"]
