"""Every operation's request, built by the client's pure builders, validates against app_api.json."""

from __future__ import annotations

import datetime as dt

import pytest

from cio_toolkit._exceptions import ValidationError
from cio_toolkit._types import UNSET
from cio_toolkit.app._generated.operations import OPERATIONS
from cio_toolkit.app._ops import build_request
from cio_toolkit.emulator._validate import SpecValidator
from cio_toolkit.specs import operations

from ._samples import sample_args
from .conftest import wire

VALIDATOR = SpecValidator("app_api")
ALL_OPS = sorted(op["operationId"] for _, _, op in operations("app_api"))


def validate(op_id: str, args: dict) -> dict:
    w = wire(build_request(OPERATIONS[op_id], args))
    found = VALIDATOR.match(w["method"], w["path"])
    assert found is not None and found[0] == op_id, f"{w['method']} {w['path']} routes to {found}"
    errors = VALIDATOR.validate_request(w["method"], w["path"], w["query"], w["headers"], w["body"])
    assert not errors, f"{op_id}: {errors}"
    return w


def test_table_covers_the_spec():
    assert sorted(OPERATIONS) == ALL_OPS
    assert len(ALL_OPS) == 115


@pytest.mark.parametrize("op_id", ALL_OPS)
def test_request_with_required_arguments_validates(op_id):
    validate(op_id, sample_args(op_id))


@pytest.mark.parametrize("op_id", ALL_OPS)
def test_request_with_every_parameter_validates(op_id):
    w = validate(op_id, sample_args(op_id, optional=True))
    op = OPERATIONS[op_id]
    sent = set(w["query"]) | {k for k in w["headers"] if k not in ("Authorization", "Content-Type")}
    wanted = {p.name for p in op.params if p.location in ("query", "header")}
    assert sent == wanted


def test_path_parameters_are_escaped_into_one_segment():
    spec = build_request(OPERATIONS["getPersonAttributes"], {"customer_id": "a/b c@x.io", "id_type": "email"})
    assert spec.path == "/v1/customers/a%2Fb%20c%40x.io/attributes"
    assert spec.params == {"id_type": "email"}


def test_unset_body_fields_are_left_out_and_none_is_sent_as_null():
    args = {"campaign_id": 1, "action_id": 2, "subject": "Hi", "reply_to_id": None, "body": UNSET}
    spec = build_request(OPERATIONS["updateCampaignAction"], args)
    assert spec.json == {"subject": "Hi", "reply_to_id": None}
    assert spec.method == "PUT" and spec.is_idempotent()


def test_python_keyword_fields_keep_their_spec_name():
    spec = build_request(OPERATIONS["sendEmail"], sample_args("sendEmail"))
    assert spec.json["from"] == "shop@example.com" and "from_" not in spec.json


def test_wrapped_bodies():
    seg = build_request(OPERATIONS["createManSegment"], {"name": "VIPs"})
    assert seg.json == {"segment": {"name": "VIPs"}}
    imp = build_request(OPERATIONS["import"], sample_args("import"))
    assert set(imp.json) == {"import"} and imp.json["import"]["type"] == "people"


def test_unix_timestamp_fields_accept_datetimes():
    args = {"campaign_id": 7, "start": dt.datetime(2024, 1, 1, 1, tzinfo=dt.UTC), "end": dt.date(2024, 1, 2)}
    spec = build_request(OPERATIONS["exportDeliveriesData"], args)
    assert spec.json == {"campaign_id": 7, "start": 1704070800, "end": 1704153600}
    with pytest.raises(ValidationError) as err:
        build_request(OPERATIONS["exportDeliveriesData"], {"campaign_id": 7, "start": dt.datetime(2024, 1, 1)})
    assert err.value.field == "start"


def test_documented_limits_are_checked_before_sending():
    with pytest.raises(ValidationError) as err:
        build_request(OPERATIONS["getPeopleById"], {"ids": [str(i) for i in range(101)]})
    assert (err.value.field, err.value.limit, err.value.actual) == ("ids", 100, 101)
    assert "at most 100" in str(err.value)
    with pytest.raises(ValidationError) as err:
        build_request(OPERATIONS["createWebhook"], {"name": "w", "endpoint": "https://x", "events": []})
    assert (err.value.field, err.value.limit) == ("events", 1)


def test_missing_required_path_parameter_names_it():
    with pytest.raises(ValidationError) as err:
        build_request(OPERATIONS["getCampaigns"], {"campaign_id": None})
    assert err.value.field == "campaign_id"
    with pytest.raises(ValidationError, match="customer_id: must not be empty"):
        build_request(OPERATIONS["getPersonAttributes"], {"customer_id": ""})


def test_rate_limit_classes_and_idempotency():
    classes = {op_id: op.endpoint_class for op_id, op in OPERATIONS.items() if op.endpoint_class != "default"}
    assert classes == {"sendEmail": "transactional", "sendPush": "transactional", "sendSMS": "transactional",
                       "triggerBroadcast": "broadcast_trigger", "getArchivedMessage": "archived_message"}
    for op_id in ("getPeopleFilter", "getObjectsFilter", "getPeopleById"):
        assert build_request(OPERATIONS[op_id], sample_args(op_id)).is_idempotent()
    for op_id in ("sendEmail", "triggerBroadcast", "exportPeopleData", "createWebhook"):
        assert not build_request(OPERATIONS[op_id], sample_args(op_id)).is_idempotent()
    assert all(build_request(op, sample_args(op_id)).is_idempotent()
               for op_id, op in OPERATIONS.items() if op.method == "GET")


def test_the_harness_rejects_a_broken_request():
    # Guards the tests above: the validator must see a missing oneOf field and a bad enum value.
    assert VALIDATOR.validate_request("POST", "/v1/send/email", {}, {"Authorization": "Bearer t"}, {"to": "x"})
    assert VALIDATOR.validate_request("GET", "/v1/campaigns/1/metrics", {"version": "9"},
                                      {"Authorization": "Bearer t"}, None)


def test_scalar_types_of_path_and_query_parameters_are_checked():
    with pytest.raises(ValidationError) as err:
        build_request(OPERATIONS["getCampaigns"], {"campaign_id": "welcome"})
    assert (err.value.field, err.value.limit) == ("campaign_id", "integer")
    with pytest.raises(ValidationError) as err:
        build_request(OPERATIONS["listActivities"], {"deleted": "yes"})
    assert err.value.field == "deleted"
    with pytest.raises(ValidationError) as err:
        build_request(OPERATIONS["updateCollectionContents"], {"collection_id": 1, "contents": [1, 2]})
    assert err.value.field == "contents"
    assert build_request(OPERATIONS["getCampaigns"], {"campaign_id": "12"}).path == "/v1/campaigns/12"
