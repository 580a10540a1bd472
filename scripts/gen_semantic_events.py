"""Generate ``pipelines/_semantic_table.py`` (the semantic event definitions) from the vendored pipelines_api.json.

Run ``python scripts/generate.py`` after updating the spec (``--check`` in ``make test`` fails while
the committed table differs from what this produces). The package only imports the table, never
this script. The spec defines each semantic event as a schema in
``components.schemas``; most carry their event name (an ``event`` enum or the schema title). The
few that do not, and the spec's own slips, are curated below, each with the reason.
"""

from __future__ import annotations

import pprint
import re
import sys
from typing import Any

from _codegen import header, main

from cio_toolkit.specs import load_spec

NAME = "semantic events"
OUT = "src/cio_toolkit/pipelines/_semantic_table.py"

# Schemas that carry no event name in the spec; the names are those of Customer.io's semantic
# event documentation (and their descriptions, where they name the event in backticks).
CURATED_NAMES = {
    "products_searched": "Products Searched",
    "email_event_bounced": "Email Bounced",
    "email_event_delivered": "Email Delivered",
    "email_event_link_clicked": "Email Link Clicked",
    "email_event_marked_as_spam": "Email Marked as Spam",
    "email_event_opened": "Email Opened",
    "email_event_unsubscribed": "Unsubscribed",
    "live_chat_conversation_started": "Live Chat Conversation Started",
    "live_chat_conversation_ended": "Live Chat Conversation Ended",
    "live_chat_message_sent": "Live Chat Message Sent",
    "live_chat_message_received": "Live Chat Message Received",
    "video_quality_updated": "Video Quality Updated",
    "experiment_viewed": "Experiment Viewed",
}
# Other names the documentation uses for the same event (its API reference lists "Email Unsubscribed").
ALIASES = {"Unsubscribed": ["Email Unsubscribed"]}
# Where the schema's ``required`` disagrees with its own description or example.
REQUIRED_OVERRIDES = {
    # "This event requires a objectId", but the schema does not list it as required.
    "group_deleted": ["objectId"],
    # Without the delivery and the metric the event reports nothing.
    "report_delivery_event": ["deliveryId", "metric"],
    # The schema requires "activityType", a property it never defines; its example sends actionType.
    "report_content_event": ["actionType"],
}
# Component schemas with a title that are not events (the two context shapes).
NOT_EVENTS = {"context_non_mobile", "context_mobile"}
_CATEGORIES = (
    (r"^(product|products_|cart_|checkout|payment_|order_|coupon_|promotion_|wishlist_)", "ecommerce"),
    (r"^email_event_", "email"),
    (r"^live_chat_", "live chat"),
    (r"^app_", "mobile app"),
    (r"^video_", "video"),
    (r"^experiment_", "A/B testing"),
    (r"^(create_update_device|delete_device)$", "devices"),
    (r"^(group_deleted|relationship_deleted)$", "objects"),
    (r"^(delete_person|suppress_person|unsuppress_person)$", "privacy"),
    (r"^report_", "delivery reporting"),
)


def _event_enum(schema: Any) -> str | None:
    if isinstance(schema, dict):
        event = (schema.get("properties") or {}).get("event")
        if isinstance(event, dict) and event.get("enum"):
            return str(event["enum"][0])
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in schema.get(key, []):
                if (found := _event_enum(sub)) is not None:
                    return found
    return None


def _merged(schema: Any) -> tuple[dict[str, Any], set[str]]:
    """Properties and required names of ``schema`` with its allOf/oneOf/anyOf parts folded in."""
    props: dict[str, Any] = {}
    required: set[str] = set()
    if isinstance(schema, dict):
        props.update(schema.get("properties") or {})
        if "oneOf" not in schema and "anyOf" not in schema:
            required.update(schema.get("required") or [])
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in schema.get(key, []):
                p, r = _merged(sub)
                for name, value in p.items():
                    props.setdefault(name, value)
                if key == "allOf":
                    required |= r
    return props, required


def _resolve(spec: dict[str, Any], schema: Any) -> Any:
    if isinstance(schema, dict) and "$ref" in schema:
        return spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _category(key: str) -> str:
    for pattern, name in _CATEGORIES:
        if re.search(pattern, key):
            return name
    raise ValueError(f"no category for semantic event schema {key!r}")


def _summary(schema: dict[str, Any], name: str) -> str:
    text = schema.get("description") or ""
    if not text:
        for sub in schema.get("oneOf", []):
            event = (sub.get("properties") or {}).get("event") or {}
            text = event.get("description") or ""
            if text:
                break
    text = " ".join(str(text).split())
    first = re.split(r"(?<=\.)\s", text, maxsplit=1)[0] if text else f"The {name} event."
    return first


def derive(spec: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The semantic event definitions of the spec, sorted by category then name."""
    spec = spec or load_spec("pipelines_api")
    out = []
    for key, schema in spec["components"]["schemas"].items():
        if key in NOT_EVENTS:
            continue
        name = _event_enum(schema) or CURATED_NAMES.get(key) or schema.get("title")
        if not name:
            continue
        top, top_required = _merged(schema)
        full_call = "event" in top  # the schema describes the whole track call, not only its properties
        if full_call or ("properties" in top and "context" in top):
            props_schema = _resolve(spec, top.get("properties"))
        else:
            props_schema = schema
        props, required = _merged(props_schema)
        enums = {p: list(v["enum"]) for p, v in props.items() if isinstance(v, dict) and v.get("enum")}
        identity = "any"
        if full_call and "userId" in top_required:
            identity = "user"
        elif full_call and "anonymousId" in top_required:
            identity = "anonymous"
        required_context: list[str] = []
        context = _resolve(spec, top.get("context")) if full_call else None
        if isinstance(context, dict):
            for part in context.get("required") or []:
                sub = (context.get("properties") or {}).get(part) or {}
                inner = sub.get("required") or []
                required_context += [f"{part}.{r}" for r in inner] or [part]
            device_type = (((context.get("properties") or {}).get("device") or {}).get("properties") or {}).get("type")
            if isinstance(device_type, dict) and device_type.get("enum"):
                enums["context.device.type"] = list(device_type["enum"])
        out.append({
            "name": name,
            "schema": key,
            "category": _category(key),
            "description": _summary(schema, name),
            "identity": identity,
            "required_properties": sorted(REQUIRED_OVERRIDES.get(key, required)),
            "properties": sorted(props),
            "enums": dict(sorted(enums.items())),
            "required_context": required_context,
            "aliases": ALIASES.get(name, []),
            "curated": key in CURATED_NAMES or key in REQUIRED_OVERRIDES,
        })
    names = [e["name"] for e in out]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"semantic event names defined twice in the spec: {sorted(duplicates)}")
    return sorted(out, key=lambda e: (e["category"], e["name"]))


def render(events: list[dict[str, Any]]) -> str:
    """The source of ``_semantic_table.py`` for ``events``."""
    body = pprint.pformat(events, width=110, sort_dicts=False)
    return (
        header("the vendored pipelines_api.json spec and the curated notes in scripts/gen_semantic_events.py")
        + '"""Customer.io\'s semantic events as data, derived from the Pipelines spec (generated)."""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import Any\n\n"
        f"EVENTS: list[dict[str, Any]] = {body}\n"
    )


def outputs(spec: dict[str, Any] | None = None) -> dict[str, str]:
    """The generated table for ``spec`` (the vendored one by default): repository path -> text."""
    return {OUT: render(derive(spec))}


if __name__ == "__main__":
    sys.exit(main([sys.modules[__name__]], description=__doc__.splitlines()[0]))
