from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from cio_toolkit._exceptions import ValidationError
from cio_toolkit.webhooks import (
    FLAT_COLUMNS,
    WebhookEvent,
    events_to_arrow,
    events_to_pandas,
    flat_schema,
    parse_event,
    registered_events,
)
from cio_toolkit.webhooks.events import (
    EmailBounced,
    EmailClicked,
    PersonCioSubscriptionPreferencesChanged,
    PushDelivered,
    PushDrafted,
    PushRecipient,
)

from ._examples import event_schemas, examples, validator_for

EXAMPLES = examples()
ROOT = Path(__file__).resolve().parents[2]


def test_every_spec_event_schema_has_a_typed_class() -> None:
    by_schema = {str(cls.SCHEMA): cls for cls in registered_events().values()}
    names = [name for name, _ in event_schemas()]
    assert len(names) == 55
    assert sorted(by_schema) == sorted(names)
    groups = {cls.OBJECT_TYPE for cls in by_schema.values()}
    assert groups == {"customer", "email", "push", "in_app", "sms", "slack", "webhook"}


def _same(typed: Any, raw: Any) -> bool:
    """Does the typed value carry exactly the raw JSON value (dataclasses compared on raw's keys)?"""
    if dataclasses.is_dataclass(typed):
        return isinstance(raw, dict) and all(_same(getattr(typed, k), v) for k, v in raw.items())
    if isinstance(typed, tuple):
        return isinstance(raw, list) and len(raw) == len(typed) and all(map(_same, typed, raw))
    return bool(typed == raw and type(typed) is type(raw))


@pytest.mark.parametrize(
    ("schema", "example", "enum_metric"), EXAMPLES, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(EXAMPLES)]
)
def test_spec_example_parses_into_its_typed_class_and_flattens(
    schema: str, example: dict[str, Any], enum_metric: str
) -> None:
    # Validated as the schema states it (push_drafted's enum says "attempted"), parsed as delivered.
    errors = list(validator_for(schema).iter_errors({**example, "metric": enum_metric}))
    assert not errors, f"example does not match the spec: {errors[0].message}"
    event = parse_event(example)
    assert type(event) is not WebhookEvent and schema == event.SCHEMA
    assert event.is_typed
    assert event.event_id == example["event_id"] and event.metric == example["metric"]
    assert event.timestamp == datetime.fromtimestamp(example["timestamp"], UTC)
    for key, value in example["data"].items():
        assert _same(getattr(event.data, key), value), key
    row = events_to_arrow([event]).to_pylist()[0]
    assert row["event_id"] == example["event_id"]
    assert row["object_type"] == (example.get("object_type") or "customer")
    assert row["metric"] == example["metric"]
    assert row["timestamp"] == event.timestamp
    assert orjson.loads(row["data"]) == example["data"]
    assert row["delivery_id"] == example["data"].get("delivery_id")
    assert row["campaign_id"] == example["data"].get("campaign_id")
    assert orjson.loads(row["identifiers"]) == example["data"]["identifiers"]


def test_examples_cover_every_data_variant() -> None:
    # event_common_data has 4 shapes (broadcast, campaign, newsletter, transactional).
    email_sent = [e for n, e, _ in EXAMPLES if n == "email_sent"]
    keys = {k for e in email_sent for k in e["data"]}
    assert {"broadcast_id", "campaign_id", "newsletter_id", "transactional_message_id"} <= keys
    assert len(EXAMPLES) > 150


def test_nested_values_are_typed() -> None:
    event = parse_event(
        {
            "event_id": "p1",
            "object_type": "push",
            "metric": "delivered",
            "timestamp": 1613063089,
            "data": {
                "delivery_id": "d",
                "identifiers": {"id": "42"},
                "recipients": [{"device_id": "tok", "device_platform": "ios"}],
                "campaign_id": "5",
            },
        }
    )
    assert isinstance(event, PushDelivered)
    assert event.data.recipients == (PushRecipient(device_id="tok", device_platform="ios"),)
    assert event.data.campaign_id == 5  # a numeric string is coerced losslessly
    assert event.data.get("recipients") == [{"device_id": "tok", "device_platform": "ios"}]


def test_spec_quirks_are_resolved() -> None:
    # push_drafted's metric enum says "attempted" in the spec; its discriminator says "drafted".
    assert registered_events()[("push", "drafted")] is PushDrafted
    # cio_subscription_preferences_changed carries no object_type in the spec.
    event = parse_event(
        {"event_id": "c1", "metric": "cio_subscription_preferences_changed", "timestamp": 1, "data": {}}
    )
    assert isinstance(event, PersonCioSubscriptionPreferencesChanged) and event.object_type == "customer"


def test_unknown_metric_and_object_type_give_a_generic_event() -> None:
    for object_type, metric in (("email", "teleported"), ("carrier_pigeon", "sent"), (None, None)):
        raw: dict[str, Any] = {
            "event_id": "u1",
            "timestamp": 1613063089,
            "data": {"delivery_id": "d9", "x": [1]},
        }
        if object_type:
            raw["object_type"], raw["metric"] = object_type, metric
        event = parse_event(raw)
        assert type(event) is WebhookEvent and not event.is_typed
        assert event.metric == metric and event.data.get("x") == [1]
        row = events_to_arrow([event]).to_pylist()[0]
        assert row["delivery_id"] == "d9" and row["metric"] == metric


def test_wrong_types_fall_back_to_generic_instead_of_crashing() -> None:
    raw = {
        "event_id": "w1",
        "object_type": "email",
        "metric": "clicked",
        "timestamp": 1613063089,
        "data": {"delivery_id": "d", "link_id": {"not": "an int"}, "href": "https://x"},
    }
    event = parse_event(raw)
    assert type(event) is WebhookEvent and event.data.get("href") == "https://x"
    assert events_to_arrow([event]).to_pylist()[0]["link_id"] is None
    no_timestamp = parse_event({**raw, "timestamp": "yesterday"})
    assert type(no_timestamp) is WebhookEvent and no_timestamp.timestamp is None


def test_payloads_without_event_id_are_rejected_with_the_field_named() -> None:
    for bad in ({"metric": "sent"}, {"event_id": ""}, {"event_id": 5}):
        with pytest.raises(ValidationError) as info:
            parse_event(bad)
        assert info.value.field == "event_id"
    with pytest.raises(ValidationError) as info:
        parse_event([1, 2])  # type: ignore[arg-type]
    assert info.value.field == "body"


def test_flat_schema_is_stable_and_typed() -> None:
    schema = flat_schema()
    assert schema.names == [name for name, _ in FLAT_COLUMNS]
    assert str(schema.field("timestamp").type) == "timestamp[us, tz=UTC]"
    assert str(schema.field("campaign_id").type) == "int64"
    empty = events_to_arrow([])
    assert empty.num_rows == 0 and empty.schema == schema
    bounced = parse_event(
        {
            "event_id": "b1",
            "object_type": "email",
            "metric": "bounced",
            "timestamp": 1613063089,
            "data": {
                "identifiers": {"id": "42", "email": "a@example.com"},
                "delivery_id": "d",
                "campaign_id": 9,
                "failure_message": "mailbox full",
                "recipient": "a@example.com",
                "subject": "Hi",
            },
        }
    )
    assert isinstance(bounced, EmailBounced)
    df = events_to_pandas([bounced])
    assert list(df.columns) == schema.names
    assert str(df["campaign_id"].dtype) == "Int64" and str(df["timestamp"].dtype) == "datetime64[us, UTC]"
    assert df.loc[0, "email"] == "a@example.com" and df.loc[0, "customer_id"] == "42"
    assert df.loc[0, "failure_message"] == "mailbox full"


def test_event_repr_does_not_dump_the_raw_payload() -> None:
    event = parse_event(
        {
            "event_id": "r1",
            "object_type": "email",
            "metric": "clicked",
            "timestamp": 1,
            "data": {"secret_note": "s3cr3t"},
        }
    )
    assert isinstance(event, EmailClicked)
    assert "s3cr3t" not in repr(event)


def test_generated_module_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_webhook_events.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    head = (ROOT / "src/cio_toolkit/webhooks/_generated_events.py").read_text().splitlines()[0]
    assert head.startswith("# GENERATED FILE")
