"""Sample arguments for every App API operation, and examples synthesized from the spec's schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cio_toolkit.app._generated.operations import OPERATIONS
from cio_toolkit.app.filters import attr, object_attr, segment
from cio_toolkit.emulator._validate import shared_validator

# Body operations need arguments that pick one valid alternative of their schema.
BODY_ARGS: dict[str, dict[str, Any]] = {
    "triggerBroadcast": {"ids": ["u1", "u2"], "data": {"headline": "Spring sale"}, "id_ignore_missing": True},
    "sendEmail": {"transactional_message_id": 1, "to": "ada@example.com", "identifiers": {"id": "u1"},
                  "message_data": {"code": "123"}, "from_": "shop@example.com"},
    "sendPush": {"transactional_message_id": "welcome", "identifiers": {"email": "ada@example.com"}, "to": "all",
                 "title": "Hi"},
    "sendSMS": {"transactional_message_id": 1, "to": "+15555550100", "identifiers": {"cio_id": "c1"}},
    "updateCampaignAction": {"body": "<p>Hello</p>", "subject": "Hello", "reply_to_id": None},
    "updateCampaignActionTranslation": {"body": "<p>Hallo</p>", "subject": "Hallo"},
    "updateBroadcastAction": {"body": "<p>Hello</p>", "subject": "Hello"},
    "updateBroadcastActionLanguage": {"body": "<p>Hallo</p>", "subject": "Hallo"},
    "updateAttributeMetadata": {"attributes": [{"name": "plan", "privacy_level": 0}]},
    "updateEventMetadata": {"events": [{"name": "purchase"}]},
    "exportPeopleData": {"filters": segment(1) & attr("plan").exists()},
    "exportDeliveriesData": {"campaign_id": 1, "start": dt.datetime(2024, 1, 1, tzinfo=dt.UTC), "metric": "sent"},
    "import": {"name": "people", "data_file_url": "https://example.com/people.csv", "type": "people",
               "identifier": "id", "data_to_process": "all"},
    "updateNewsletterVariant": {"body": "<p>News</p>", "subject": "News"},
    "updateNewsletterVariantTranslation": {"body": "<p>Neu</p>", "subject": "Neu"},
    "updateNewsletterTestTranslation": {"body": "<p>Neu</p>", "subject": "Neu"},
    "getObjectsFilter": {"object_type_id": "1", "filter": object_attr("plan", type_id=1) == "pro"},
    "createWebhook": {"name": "wh", "endpoint": "https://example.com/hook", "events": ["email_sent"]},
    "updateWebhook": {"name": "wh2", "endpoint": "https://example.com/hook2", "events": ["email_opened"],
                      "disabled": True},
    "createManSegment": {"name": "VIPs"},
    "updateSnippets": {"name": "footer", "value": "<p>Bye</p>"},
    "updateTransactional": {"body": "<p>Reset</p>", "subject": "Reset"},
    "updateTransactionalVariant": {"body": "<p>Reset</p>", "subject": "Reset"},
    "addCollection": {"name": "products", "data": [{"sku": "a1", "price": 3}]},
    "updateCollection": {"name": "products", "data": [{"sku": "a2", "price": 4}]},
    "updateCollectionContents": {"contents": {"sku": "a3"}},
    "getPeopleFilter": {"filter": (attr("plan") == "pro") | ~segment(2)},
    "getPeopleById": {"ids": ["u1", "u2"]},
}


def sample_value(schema: dict[str, Any]) -> Any:
    """A valid value for a parameter schema: its first enum value, its example, or a typed default."""
    if schema.get("enum"):
        return schema["enum"][0]
    if "example" in schema and not isinstance(schema["example"], dict | list):
        return schema["example"]
    typ = schema.get("type")
    if typ == "integer":
        return 1
    if typ == "number":
        return 1.5
    if typ == "boolean":
        return True
    return "x1"


def sample_args(op_id: str, *, optional: bool = False, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keyword arguments for the method of ``op_id``; ``optional`` also fills optional path/query/header ones."""
    op = OPERATIONS[op_id]
    spec_params = {(p["name"], p["in"]): p for p in shared_validator("app_api").operations[op_id].parameters}
    args: dict[str, Any] = dict(BODY_ARGS.get(op_id, {}))
    for p in op.params:
        if p.location == "body" or p.arg in args:
            continue
        if p.required or optional:
            schema = spec_params[(p.name, p.location)].get("schema") or {}
            args[p.arg] = sample_value(schema)
    args.update(overrides or {})
    return args


def example_from_schema(node: Any, spec: dict[str, Any], depth: int = 0) -> Any:
    """An instance built from a schema's own ``example`` values (first alternative of a oneOf)."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    if not isinstance(node, dict) or depth > 12:
        return None
    if "example" in node:
        return node["example"]
    if node.get("oneOf") or node.get("anyOf"):
        return example_from_schema((node.get("oneOf") or node.get("anyOf"))[0], spec, depth + 1)
    if node.get("allOf"):
        out: dict[str, Any] = {}
        for part in node["allOf"]:
            value = example_from_schema(part, spec, depth + 1)
            if isinstance(value, dict):
                out.update(value)
        return out
    typ = node.get("type")
    if typ == "array":
        item = example_from_schema(node.get("items", {}), spec, depth + 1)
        if isinstance(item, list):
            return item  # the spec put the array's example on its items' schema
        return [] if item is None else [item]
    if typ == "object" or "properties" in node:
        out = {}
        for name, sub in (node.get("properties") or {}).items():
            value = example_from_schema(sub, spec, depth + 1)
            if value is not None:
                out[name] = value
        return out
    if node.get("enum"):
        return node["enum"][0]
    return {"integer": 1, "number": 1.5, "boolean": True, "string": "s"}.get(str(typ))
