"""Build example payloads from the spec's event schemas, independently of the generator.

Every leaf takes the spec's ``example`` when it has one, else a value of the declared type; each
``oneOf`` takes the alternative chosen by ``variant`` (so every data shape gets an example).
"""

from __future__ import annotations

import copy
from typing import Any

from cio_toolkit.specs import load_spec

SPEC = load_spec("reporting_webhooks")
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]


def _deref(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        node = {**SCHEMAS[node["$ref"].rsplit("/", 1)[-1]], **siblings}
    return node


def _merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for k, v in b.items():
            out[k] = _merge(out[k], v) if k in out else v
        return out
    return b


def build(node: Any, variant: int) -> Any:
    node = _deref(node)
    if "example" in node and not isinstance(node.get("example"), dict | list):
        return node["example"]
    if "allOf" in node:
        value: Any = {}
        for part in node["allOf"]:
            value = _merge(value, build(part, variant))
        return value
    if "oneOf" in node:
        options = node["oneOf"]
        return build(options[variant % len(options)], variant)
    kind = node.get("type")
    if "enum" in node:
        return node["enum"][0]
    if kind == "object" or "properties" in node:
        value = {name: build(prop, variant) for name, prop in node.get("properties", {}).items()}
        # Spec quirk: email_failed requires "recipient" without declaring it.
        value.update({name: "text" for name in node.get("required", []) if name not in value})
        return value
    if kind == "array":
        return [build(node.get("items", {}), variant)]
    if kind == "string":
        return "text"
    if kind == "integer":
        return 7
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    return 44  # untyped (transactional_message_id)


def event_schemas() -> list[tuple[str, str | None]]:
    """(schema name, discriminator metric) for every event schema reachable from x-webhooks."""
    body = SPEC["x-webhooks"]["reportingWebhook"]["post"]["requestBody"]["content"]["application/json"]
    out = []
    for group_ref in body["schema"]["oneOf"]:
        group = SCHEMAS[group_ref["$ref"].rsplit("/", 1)[-1]]
        by_schema = {
            ref.rsplit("/", 1)[-1]: metric
            for metric, ref in group.get("discriminator", {}).get("mapping", {}).items()
        }
        for ref in group["oneOf"]:
            name = ref["$ref"].rsplit("/", 1)[-1]
            out.append((name, by_schema.get(name)))
    return out


def examples() -> list[tuple[str, dict[str, Any], str]]:
    """(schema name, payload, metric the schema's enum allows) per event schema and data variant."""
    out = []
    for name, discriminator_metric in event_schemas():
        seen = set()
        for variant in range(4):
            payload = build({"$ref": f"#/components/schemas/{name}"}, variant)
            enum_metric = payload["metric"]
            if discriminator_metric is not None:
                # The discriminator mapping is authoritative (the spec's push_drafted enum says "attempted").
                payload["metric"] = discriminator_metric
            key = repr(payload)
            if key not in seen:
                seen.add(key)
                out.append((name, payload, enum_metric))
    return out


def _one_of_as_any_of(node: Any) -> Any:
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): _one_of_as_any_of(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_one_of_as_any_of(v) for v in node]
    return node


def validator_for(name: str) -> Any:
    """A jsonschema validator for one event schema (oneOf read as anyOf, see DESIGN.md)."""
    import jsonschema

    root = {
        "$ref": f"#/components/schemas/{name}",
        "components": _one_of_as_any_of(copy.deepcopy(SPEC["components"])),
    }
    return jsonschema.Draft202012Validator(root)
