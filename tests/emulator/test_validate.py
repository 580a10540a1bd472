"""The spec validator on its own: examples accepted, broken requests rejected naming the field."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from cio_toolkit.emulator import SpecValidator
from cio_toolkit.emulator._validate import _Converter

from ._util import curl_examples, request_examples

AUTH = {"pipelines_api": "Basic eDo=", "track_api": "Basic eDp5", "app_api": "Bearer t"}

# Code samples in the official specs that contradict their own schemas. The emulator follows
# the schema (the contract); these cases pin down exactly which field each sample gets wrong.
CURL_SAMPLE_CONFLICTS = {
    ("pipelines_api", "track"): "body.type",  # the sample omits the required "type": "track"
    ("app_api", "sendEmail"): "body.headers",  # schema: a JSON string; sample: an object
    ("app_api", "sendPush"): "body.to",
    ("app_api", "sendSMS"): "body.to",
    ("app_api", "updateNewsletterVariant"): "body.headers[0]",
    ("app_api", "updateNewsletterVariantTranslation"): "body.headers[0]",
    ("app_api", "updateNewsletterTestTranslation"): "body.headers[0]",
    ("app_api", "updateTransactional"): "body.headers[0]",
    ("app_api", "updateTransactionalVariant"): "body.headers[0]",
}


@pytest.fixture(scope="module")
def validators() -> dict[str, SpecValidator]:
    return {
        name: SpecValidator(name) for name in ("pipelines_api", "track_api", "app_api", "reporting_webhooks")
    }


def body_errors(v: SpecValidator, operation_id: str, body: Any) -> list[str]:
    op = v.operations[operation_id]
    issues = v.check_request(
        op,
        dict.fromkeys(op.param_names, "1"),
        {p["name"]: "1" for p in op.parameters if p["in"] == "query" and p.get("required")},
        {"authorization": AUTH.get(v.spec_name, "Bearer t"), "content-type": "application/json"},
        body,
        has_body=True,
        content_type="application/json",
    )
    return [str(i) for i in issues]


EXAMPLES = [
    (api, op, body) for api in ("pipelines_api", "track_api", "app_api") for op, body in request_examples(api)
]


def test_specs_have_request_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize(("api", "operation_id", "body"), EXAMPLES, ids=[f"{a}.{o}" for a, o, _ in EXAMPLES])
def test_every_spec_request_example_is_accepted(validators, api: str, operation_id: str, body: Any) -> None:
    assert body_errors(validators[api], operation_id, body) == []


@pytest.mark.parametrize(("api", "operation_id", "body"), EXAMPLES, ids=[f"{a}.{o}" for a, o, _ in EXAMPLES])
def test_examples_with_a_wrong_type_are_rejected_naming_the_field(
    validators, api: str, operation_id: str, body: Any
) -> None:
    assert isinstance(body, dict)
    rejected = 0
    for key in body:
        broken = {**body, key: [[["not", "this"]]]}
        errors = body_errors(validators[api], operation_id, broken)
        if errors:
            rejected += 1
            assert any(e.startswith(f"body.{key}") for e in errors), errors
    if rejected == 0:  # a free-form body (collection contents): only its top-level type is checked
        errors = body_errors(validators[api], operation_id, "not a JSON object")
        assert errors and errors[0].startswith("body: expected type"), errors


CURL = [
    (api, op, body) for api in ("pipelines_api", "track_api", "app_api") for op, body in curl_examples(api)
]


@pytest.mark.parametrize(
    ("api", "operation_id", "body"), CURL, ids=[f"{a}.{o}.{i}" for i, (a, o, _) in enumerate(CURL)]
)
def test_curl_samples_validate_except_known_spec_conflicts(
    validators, api: str, operation_id: str, body: Any
) -> None:
    errors = body_errors(validators[api], operation_id, body)
    conflict = CURL_SAMPLE_CONFLICTS.get((api, operation_id))
    if conflict is None:
        assert errors == []
    else:  # some operations have several samples, not all of them wrong
        assert not errors or any(e.startswith(conflict) for e in errors), errors


def test_every_listed_spec_conflict_is_real(validators) -> None:
    rejected = {
        (api, op)
        for api, op, body in CURL
        if any(
            e.startswith(CURL_SAMPLE_CONFLICTS.get((api, op), "-"))
            for e in body_errors(validators[api], op, body)
        )
    }
    assert rejected == set(CURL_SAMPLE_CONFLICTS)


def test_curl_samples_cover_every_pipelines_operation() -> None:
    assert {op for api, op, _ in CURL if api == "pipelines_api"} == {
        "identify",
        "track",
        "page",
        "screen",
        "group",
        "alias",
        "batch",
    }


@pytest.mark.parametrize(
    ("api", "method", "path", "body", "expected"),
    [
        ("pipelines_api", "POST", "/identify", {"traits": {}}, "body.userId: is required (or anonymousId)"),
        (
            "pipelines_api",
            "POST",
            "/identify",
            {"userId": 5},
            "body.userId: expected type string, got integer",
        ),
        ("pipelines_api", "POST", "/track", {"userId": "u1", "type": "track"}, "body.event: is required"),
        ("pipelines_api", "POST", "/track", {"userId": "u1", "event": "e"}, "body.type: is required"),
        (
            "pipelines_api",
            "POST",
            "/batch",
            {"batch": [{"type": "identify", "userId": "u"}, {"type": "track", "userId": "u", "event": 5}]},
            "body.batch[1].event: expected type string, got integer",
        ),
        (
            "track_api",
            "POST",
            "/api/v2/entity",
            {"type": "person", "action": "identify"},
            "body.identifiers: is required",
        ),
        (
            "app_api",
            "POST",
            "/v1/send/email",
            {"to": "a@example.com"},
            "body.transactional_message_id: is required",
        ),
        ("app_api", "GET", "/v1/campaigns/abc", None, "path.campaign_id: expected type integer, got 'abc'"),
    ],
)
def test_broken_requests_name_the_failing_field(
    validators, api: str, method: str, path: str, body: Any, expected: str
) -> None:
    headers = {"authorization": AUTH[api], "content-type": "application/json"}
    assert expected in validators[api].validate_request(method, path, {}, headers, body)


def test_identify_without_type_is_accepted_because_type_is_read_only(validators) -> None:
    # OpenAPI: readOnly properties are not required in requests (identify marks "type" readOnly).
    assert (
        validators["pipelines_api"].validate_request(
            "POST", "/identify", {}, {"authorization": AUTH["pipelines_api"]}, {"userId": "u1"}
        )
        == []
    )


def test_overlapping_one_of_is_validated_as_any_of(validators) -> None:
    # "u1" matches both the id and the email alternatives of the identifier: strict oneOf would fail.
    headers = {"authorization": AUTH["track_api"]}
    assert (
        validators["track_api"].validate_request("PUT", "/api/v1/customers/u1", {}, headers, {"a": 1}) == []
    )
    converted = _Converter({}, "request").convert(
        {"oneOf": [{"type": "string"}, {"type": "string"}], "nullable": True}
    )
    assert converted == {"anyOf": [{"type": "null"}, {"anyOf": [{"type": "string"}, {"type": "string"}]}]}
    assert _Converter({}, "request").convert({"type": "string", "nullable": True, "example": 1}) == {
        "type": ["string", "null"]
    }


def test_required_query_parameter_missing_and_mistyped(validators) -> None:
    v = validators["app_api"]
    op = next(
        o
        for o in v.operations.values()
        if any(p["in"] == "query" and p.get("required") for p in o.parameters)
    )
    param = next(p for p in op.parameters if p["in"] == "query" and p.get("required"))
    path = "/".join("1" if s is None else s for s in op.segments)
    errors = v.validate_request(op.method, "/" + path, {}, {"authorization": "Bearer t"}, None)
    assert f"query.{param['name']}: is required" in errors


def test_auth_scheme_and_content_type_are_checked(validators) -> None:
    v = validators["pipelines_api"]
    assert v.validate_request("POST", "/identify", {}, {"authorization": "Bearer x"}, {"userId": "u"}) == [
        "headers.authorization: expected Basic credentials"
    ]
    errors = v.validate_request(
        "POST", "/identify", {}, {"authorization": "Basic x", "content-type": "text/plain"}, {"userId": "u"}
    )
    assert errors == ["headers.content-type: expected application/json, got text/plain"]


def test_match_returns_operation_and_decoded_path_params(validators) -> None:
    assert validators["track_api"].match("PUT", "/api/v1/customers/a%40b.example") == (
        "identify",
        {"identifier": "a@b.example"},
    )
    assert validators["track_api"].match("GET", "/api/v1/customers/x") is None


def test_response_validation(validators) -> None:
    v = validators["app_api"]
    assert v.validate_response("listCampaigns", 200, {"campaigns": [{"id": 5, "name": "Welcome"}]}) == []
    errors = v.validate_response("listCampaigns", 200, {"campaigns": [{"id": "five"}]})
    assert errors and errors[0].startswith("body.campaigns[0].id: expected type integer"), errors
    assert v.validate_response("listCampaigns", 418, {})[0].startswith("status: 418 is not documented")
    assert validators["pipelines_api"].validate_response("identify", 200, {}) == []


def test_a_500_kb_batch_validates(validators) -> None:
    """Speed is measured in benchmarks/bench_emulator.py; here only the verdict counts."""
    items, size, i = [], 0, 0
    while size < 500_000:
        item = {
            "type": "track",
            "userId": f"u{i}",
            "event": "Clicked",
            "messageId": f"m{i}",
            "properties": {"plan": "pro", "n": i, "note": "x" * 80},
        }
        items.append(item)
        size += len(orjson.dumps(item)) + 1
        i += 1
    body = {"batch": items}
    v = validators["pipelines_api"]
    headers = {"authorization": "Basic x"}
    v.validate_request("POST", "/batch", {}, headers, {"batch": []})  # compile once
    assert v.validate_request("POST", "/batch", {}, headers, body) == []
    items[len(items) // 2]["event"] = 5
    errors = v.validate_request("POST", "/batch", {}, headers, body)
    assert errors and f"body.batch[{len(items) // 2}].event" in errors[0]
