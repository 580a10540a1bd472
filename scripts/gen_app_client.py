"""Generate the App API client's operation table, response types and resource classes.

Usage:  python scripts/generate.py [--check]   (runs every generator; this script runs only this one)

Reads the vendored app_api.json (cio_toolkit.specs.load_spec("app_api")) and the hand-written
table ``LAYOUT`` below, which names each operation's resource and method. Writes:

- ``_generated/operations.py``: one ``Op`` per operationId (path, parameters and their limits,
  body shape, how the answer is read, rate-limit class, idempotency);
- ``_generated/models.py``: TypedDicts for every documented JSON response (structurally equal
  schemas share one type), plus ``RESPONSE_TYPES``;
- ``_generated/<tag>.py``: per spec tag, sync and async resource classes whose methods take
  keyword-only arguments named after the spec's fields and delegate to the shared pure builders.

``_generated/`` holds nothing else: a resource with hand-written methods besides its operations
(``exports.fetch``) is composed from its generated class in ``app/_resources.py``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

from _app_schema import Hint, Models, Spec, camel, singular, snake
from _codegen import header, main, ruff_formatted

from cio_toolkit.specs import HTTP_METHODS

NAME = "App API client"
OUT = "src/cio_toolkit/app/_generated"
OWNED_DIRS = [OUT]
HEADER = header("the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py")

# operationId -> (resource path, method name, options)
# options: items=<key> (page items), wrap=<key> (body fields nested under key), free=<arg> (the body
# is one free-form mapping argument), frame=<kind> (also generate <method>_frame), raw=True (return
# the whole answer), idempotent=True, endpoint=<class>.
LAYOUT: dict[str, tuple[str, str, dict[str, Any]]] = {
    # Customers
    "getPeopleEmail": ("customers", "find", {}),
    "getPeopleFilter": ("customers", "search", {"items": "identifiers", "idempotent": True}),
    "getPersonAttributes": ("customers", "attributes", {}),
    "getPersonRelationships": ("customers", "relationships", {}),
    "getPeopleById": ("customers", "get_many", {"idempotent": True}),
    "getPersonSegments": ("customers", "segments", {}),
    "getPersonMessages": ("customers", "messages", {}),
    "getPersonActivities": ("customers", "activities", {}),
    "getPersonSubscriptionPreferences": ("customers", "subscription_preferences", {"raw": True}),
    # Activities
    "listActivities": ("activities", "list", {}),
    # Campaigns
    "listCampaigns": ("campaigns", "list", {}),
    "getCampaigns": ("campaigns", "get", {}),
    "campaignMetrics": ("campaigns", "metrics", {"frame": "series"}),
    "campaignLinkMetrics": ("campaigns", "link_metrics", {"frame": "links"}),
    "getCampaignMessages": ("campaigns", "messages", {}),
    "campaignJourneyMetrics": ("campaigns", "journey_metrics", {"frame": "journey"}),
    "listCampaignActions": ("campaigns.actions", "list", {}),
    "getCampaignAction": ("campaigns.actions", "get", {}),
    "updateCampaignAction": ("campaigns.actions", "update", {}),
    "getCampaignActionTranslation": ("campaigns.actions", "get_translation", {}),
    "updateCampaignActionTranslation": ("campaigns.actions", "update_translation", {}),
    "campaignActionMetrics": ("campaigns.actions", "metrics", {"frame": "series"}),
    "campaignActionLinks": ("campaigns.actions", "link_metrics", {"frame": "links"}),
    # Broadcasts
    "listBroadcasts": ("broadcasts", "list", {}),
    "getBroadcast": ("broadcasts", "get", {}),
    "broadcastMetrics": ("broadcasts", "metrics", {"frame": "series"}),
    "broadcastLinks": ("broadcasts", "link_metrics", {"frame": "links"}),
    "broadcastMessages": ("broadcasts", "messages", {}),
    "broadcastActions": ("broadcasts.actions", "list", {}),
    "getBroadcastAction": ("broadcasts.actions", "get", {}),
    "updateBroadcastAction": ("broadcasts.actions", "update", {}),
    "getBroadcastActionLanguage": ("broadcasts.actions", "get_translation", {}),
    "updateBroadcastActionLanguage": ("broadcasts.actions", "update_translation", {}),
    "broadcastActionMetrics": ("broadcasts.actions", "metrics", {"frame": "series"}),
    "broadcastActionLinks": ("broadcasts.actions", "link_metrics", {"frame": "links"}),
    "listBroadcastTriggers": ("broadcasts.triggers", "list", {}),
    "broadcastStatus": ("broadcasts.triggers", "get", {}),
    "broadcastErrors": ("broadcasts.triggers", "errors", {}),
    # Send messages
    "sendEmail": ("send", "email", {"endpoint": "transactional"}),
    "sendPush": ("send", "push", {"endpoint": "transactional"}),
    "sendSMS": ("send", "sms", {"endpoint": "transactional"}),
    "triggerBroadcast": ("send", "broadcast", {"endpoint": "broadcast_trigger"}),
    # Newsletters
    "listNewsletters": ("newsletters", "list", {}),
    "getNewsletters": ("newsletters", "get", {}),
    "deletetNewsletters": ("newsletters", "delete", {}),
    "getNewsletterMetrics": ("newsletters", "metrics", {"frame": "series"}),
    "getNewsletterLinks": ("newsletters", "link_metrics", {"frame": "links"}),
    "getNewsletterMsgMeta": ("newsletters", "messages", {}),
    "getNewsletterTestGroups": ("newsletters", "test_groups", {}),
    "listNewsletterVariants": ("newsletters.contents", "list", {}),
    "getNewsletterVariant": ("newsletters.contents", "get", {}),
    "updateNewsletterVariant": ("newsletters.contents", "update", {}),
    "getVariantMetrics": ("newsletters.contents", "metrics", {"frame": "series"}),
    "getVariantLinks": ("newsletters.contents", "link_metrics", {"frame": "links"}),
    "getNewsletterVariantTranslation": ("newsletters.contents", "get_translation", {}),
    "updateNewsletterVariantTranslation": ("newsletters.contents", "update_translation", {}),
    "getNewsletterVariantTranslationTest": ("newsletters.contents", "get_test_translation", {}),
    "updateNewsletterTestTranslation": ("newsletters.contents", "update_test_translation", {}),
    # Messages
    "listMessages": ("messages", "list", {}),
    "getMessage": ("messages", "get", {}),
    "getArchivedMessage": ("messages", "archived", {"endpoint": "archived_message"}),
    # Exports
    "listExports": ("exports", "list", {}),
    "getExport": ("exports", "get", {}),
    "downloadExport": ("exports", "download_url", {"raw": True}),
    "exportPeopleData": ("exports", "create_customers", {}),
    "exportDeliveriesData": ("exports", "create_deliveries", {}),
    # Imports
    "import": ("imports", "create", {"wrap": "import"}),
    "getImport": ("imports", "get", {}),
    # Segments
    "listSegments": ("segments", "list", {}),
    "createManSegment": ("segments", "create", {"wrap": "segment"}),
    "getSegment": ("segments", "get", {}),
    "deleteManSegment": ("segments", "delete", {}),
    "getSegmentDependencies": ("segments", "used_by", {}),
    "getSegmentCount": ("segments", "customer_count", {}),
    "getSegmentMembership": ("segments", "members", {"items": "identifiers"}),
    # Transactional
    "listTransactional": ("transactional", "list", {}),
    "getTransactional": ("transactional", "get", {}),
    "listTransactionalVariants": ("transactional", "contents", {}),
    "updateTransactional": ("transactional", "update_content", {}),
    "getTransactionalVariant": ("transactional", "get_translation", {}),
    "updateTransactionalVariant": ("transactional", "update_translation", {}),
    "transactionalMetrics": ("transactional", "metrics", {"frame": "series"}),
    "transactionalLinks": ("transactional", "link_metrics", {"frame": "links"}),
    "transactionalMessages": ("transactional", "messages", {}),
    # Snippets
    "listSnippets": ("snippets", "list", {}),
    "updateSnippets": ("snippets", "upsert", {}),
    "deleteSnippet": ("snippets", "delete", {}),
    # Collections
    "getCollections": ("collections", "list", {}),
    "addCollection": ("collections", "create", {}),
    "getCollection": ("collections", "get", {}),
    "updateCollection": ("collections", "update", {}),
    "deleteCollection": ("collections", "delete", {}),
    "getCollectionContents": ("collections", "contents", {}),
    "updateCollectionContents": ("collections", "update_contents", {"free": "contents"}),
    # Sender identities
    "listSenders": ("sender_identities", "list", {}),
    "getSender": ("sender_identities", "get", {}),
    "getSenderUsage": ("sender_identities", "used_by", {}),
    # ESP suppression
    "getSuppression": ("esp_suppression", "search", {}),
    "getSuppressionByType": ("esp_suppression", "list", {}),
    "postSuppression": ("esp_suppression", "add", {"idempotent": True}),
    "deleteSuppression": ("esp_suppression", "remove", {}),
    # Objects
    "getObjectTypes": ("objects", "types", {}),
    "getObjectsFilter": ("objects", "search", {"items": "identifiers", "idempotent": True}),
    "getObjectRelationships": ("objects", "relationships", {}),
    "getObjectAttributes": ("objects", "attributes", {}),
    # Reporting webhooks
    "listWebhooks": ("reporting_webhooks", "list", {}),
    "createWebhook": ("reporting_webhooks", "create", {"raw": True}),
    "getWebhook": ("reporting_webhooks", "get", {"raw": True}),
    "updateWebhook": ("reporting_webhooks", "update", {"raw": True}),
    "deleteWebhook": ("reporting_webhooks", "delete", {}),
    # Workspaces, info, subscription center, data index
    "listWorkspaces": ("workspaces", "list", {}),
    "getCioAllowlist": ("info", "ip_addresses", {}),
    "getTopics": ("subscription_center", "topics", {}),
    "updateAttributeMetadata": ("data_index", "update_attributes", {}),
    "updateEventMetadata": ("data_index", "update_events", {}),
}

# Resource -> spec tag (the module it lives in) and a one-line docstring.
RESOURCES: dict[str, tuple[str, str]] = {
    "customers": ("Customers", "Look people up: by email, by filter, attributes, segments, messages, activities."),
    "activities": ("Activities", "Workspace activity log."),
    "campaigns": ("Campaigns", "Campaigns, their metrics and messages."),
    "campaigns.actions": ("Campaigns", "The actions (messages) of a campaign: content, translations, metrics."),
    "broadcasts": ("Broadcasts", "API-triggered broadcasts, their metrics and messages."),
    "broadcasts.actions": ("Broadcasts", "The actions of a broadcast: content, translations, metrics."),
    "broadcasts.triggers": ("Broadcasts", "The triggers of a broadcast: status and errors."),
    "send": ("Send Messages", "Send transactional email, push and SMS, and trigger broadcasts."),
    "newsletters": ("Newsletters", "Newsletters, their metrics, messages and test groups."),
    "newsletters.contents": ("Newsletters", "Newsletter variants (contents) and their translations."),
    "messages": ("Messages", "Deliveries across campaigns, newsletters and transactional messages."),
    "exports": ("Exports", "Customer and delivery exports."),
    "imports": ("Imports", "CSV imports of people, objects and events."),
    "segments": ("Segments", "Segments, manual segments and their members."),
    "transactional": ("Transactional", "Transactional message templates, contents, metrics."),
    "snippets": ("Snippets", "Reusable content snippets."),
    "collections": ("Collections", "Data collections used in messages."),
    "sender_identities": ("Sender Identities", "Sender identities (from addresses)."),
    "esp_suppression": ("ESP Suppression", "The email service provider's suppression lists."),
    "objects": ("Objects", "Objects (companies, accounts, ...), their attributes and relationships."),
    "reporting_webhooks": ("Reporting Webhooks", "Reporting webhook configurations."),
    "workspaces": ("Workspaces", "Workspaces of the account."),
    "info": ("Info", "Customer.io service information."),
    "subscription_center": ("Subscription Center", "Subscription topics."),
    "data_index": ("Data Index", "Attribute and event metadata in the data index."),
}


# ------------------------------------------------------------------ operations


@dataclass
class ParamInfo:
    name: str
    arg: str
    location: str
    required: bool
    schema: dict[str, Any]
    unix: bool
    limits: dict[str, int]
    annotation: str = ""


@dataclass
class OpInfo:
    op_id: str
    method: str
    path: str
    summary: str
    resource: str
    name: str
    options: dict[str, Any]
    params: list[ParamInfo] = field(default_factory=list)
    body: str = "none"
    wrap_key: str | None = None
    result: str = "raw"
    result_key: str | None = None
    cursor: str = "none"
    return_type: str = "None"
    item_type: str = "Any"
    response_types: dict[str, str] = field(default_factory=dict)


_LIMIT_KEYS = ("minItems", "maxItems", "minLength", "maxLength")


def annotation(spec: Spec, p: ParamInfo) -> str:
    s = spec.deref(p.schema)
    if p.name in ("filter", "filters", "recipients"):
        return "Filter | Mapping[str, Any]"

    def one(node: Any) -> str:
        node = spec.deref(node)
        alts = node.get("oneOf") or node.get("anyOf")
        if alts and not node.get("type"):
            out: list[str] = []
            for a in alts:
                t = one(a)
                if t not in out:
                    out.append(t)
            return "Any" if "Any" in out else " | ".join(out)
        if node.get("allOf") and not node.get("type"):
            return "Mapping[str, Any]"
        typ = node.get("type")
        if typ == "integer":
            return "int"
        if typ == "number":
            return "float"
        if typ == "boolean":
            return "bool"
        if typ == "string":
            enum = node.get("enum")
            if enum and len(enum) <= 12 and all(isinstance(e, str) for e in enum):
                return "Literal[" + ", ".join(repr(e) for e in enum) + "]"
            return "str"
        if typ == "array":
            return f"Sequence[{one(node.get('items') or {})}]"
        if typ == "object":
            return "Mapping[str, Any]"
        return "Any"

    t = one(s)
    if p.unix:
        t = f"{t} | datetime.datetime"
    if s.get("nullable") and p.location == "body":
        t = f"{t} | None"
    return t


def collect(spec: Spec, models: Models) -> list[OpInfo]:
    ops: list[OpInfo] = []
    seen = set()
    for path, item in spec.spec["paths"].items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            if method not in item:
                continue
            raw = item[method]
            op_id = raw["operationId"]
            if op_id not in LAYOUT:
                raise SystemExit(f"operation {op_id} is missing from LAYOUT")
            seen.add(op_id)
            resource, name, options = LAYOUT[op_id]
            info = OpInfo(op_id, method.upper(), path, (raw.get("summary") or op_id).strip().rstrip("."),
                          resource, name, options)
            params: dict[tuple[str, str], dict[str, Any]] = {}
            for prm in [*shared, *raw.get("parameters", [])]:
                prm = spec.deref(prm)
                params[(prm["name"], prm["in"])] = prm
            for prm in params.values():
                schema = spec.deref(prm.get("schema") or {})
                info.params.append(ParamInfo(
                    prm["name"], snake(prm["name"]), prm["in"], bool(prm.get("required") or prm["in"] == "path"),
                    schema, "unix" in str(schema.get("format", "")).lower() and schema.get("type") == "integer",
                    {k: schema[k] for k in _LIMIT_KEYS if k in schema},
                ))
            taken = {p.arg for p in info.params}
            if "requestBody" in raw:
                body = spec.deref(raw["requestBody"])
                schema = next(iter(body.get("content", {}).values()), {}).get("schema", {})
                if "free" in options:
                    info.body = "free"
                    info.params.append(ParamInfo(options["free"], options["free"], "body", True,
                                                 {"type": "object"}, False, {}))
                else:
                    if "wrap" in options:
                        info.body, info.wrap_key = "wrap", options["wrap"]
                        props, required, _ = spec.merged(schema, mode="request")
                        schema = props[options["wrap"]]
                    else:
                        info.body = "fields"
                    props, required, _ = spec.merged(schema, mode="request")
                    for bname, bschema in props.items():
                        arg = snake(bname)
                        if arg in taken:
                            # The same value as a path parameter (broadcast_id): the path wins.
                            continue
                        bs = spec.deref(bschema)
                        info.params.append(ParamInfo(
                            bname, arg, "body", bname in required, bs,
                            "unix" in str(bs.get("format", "")).lower() and bs.get("type") == "integer",
                            {k: bs[k] for k in _LIMIT_KEYS if k in bs},
                        ))
            for p in info.params:
                p.annotation = annotation(spec, p)
            _result(spec, models, info, raw)
            ops.append(info)
    missing = set(LAYOUT) - seen
    if missing:
        raise SystemExit(f"LAYOUT names unknown operations: {sorted(missing)}")
    return ops


def _result(spec: Spec, models: Models, info: OpInfo, raw: dict[str, Any]) -> None:
    base = camel(info.op_id)
    resource = singular(_class_name(info.resource, "sync"))
    body_hint = Hint(base, resource, f"{base}Response")
    ok_schema = None
    for code, resp in raw.get("responses", {}).items():
        resp = spec.deref(resp)
        content = resp.get("content") or {}
        media = content.get("application/json") or next(iter(content.values()), None)
        if not media or "schema" not in media:
            continue
        hint = Hint(base, resource, f"{base}Response" if code == "200" else f"{base}Error{code}")
        info.response_types[code] = models.type_of(media["schema"], hint)
        if code == "200":
            ok_schema = media["schema"]
    query = {p.name: p for p in info.params if p.location == "query"}
    if ok_schema is None:
        info.result, info.return_type = "none", "None"
        return
    props, _, is_obj = spec.merged(ok_schema, mode="response")
    if "offset" in query:
        info.cursor = "offset"
    elif ("start" in query and spec.deref(query["start"].schema).get("type") == "string") or "next" in props:
        info.cursor = "next"
    arrays = [k for k, v in props.items() if spec.deref(v).get("type") == "array"]
    objects = [k for k, v in props.items() if spec.merged(v, mode="response")[2]]
    full_type = info.response_types["200"]
    if info.options.get("raw"):
        info.result, info.return_type = "raw", full_type
    elif info.cursor != "none" or (len(props) == 1 and arrays):
        key = info.options.get("items") or ([a for a in arrays if a != "ids"] or arrays)[0]
        info.result, info.result_key = "page", key
        info.item_type = models.type_of(spec.deref(props[key]).get("items", {}), body_hint.child(key).item())
    elif len(props) == 1 and objects:
        key = objects[0]
        info.result, info.result_key = "unwrap", key
        info.return_type = models.type_of(props[key], body_hint.child(key))
    else:
        info.result, info.return_type = "raw", full_type
    if not is_obj:
        info.result, info.return_type = "raw", full_type


# ------------------------------------------------------------------ emitters


def emit_operations(ops: list[OpInfo]) -> str:
    lines = [HEADER, '"""Every App API operation as data (generated)."""', "",
             "from __future__ import annotations", "",
             "from cio_toolkit.app._ops import Op, Param", "",
             '__all__ = ["OPERATIONS"]', "", "OPERATIONS: dict[str, Op] = {"]
    for o in ops:
        params = []
        for p in o.params:
            extra = ""
            if p.required:
                extra += ", required=True"
            if p.schema.get("type"):
                extra += f", type={p.schema.get('type')!r}"
            if p.unix:
                extra += ", unix=True"
            if p.limits:
                extra += f", limits={p.limits!r}"
            params.append(f"            Param({p.name!r}, {p.arg!r}, {p.location!r}{extra}),")
        kw = []
        if o.body != "none":
            kw.append(f"body={o.body!r}")
        if o.wrap_key:
            kw.append(f"wrap_key={o.wrap_key!r}")
        kw.append(f"result={o.result!r}")
        if o.result_key:
            kw.append(f"result_key={o.result_key!r}")
        if o.cursor != "none":
            kw.append(f"cursor={o.cursor!r}")
        if o.options.get("endpoint"):
            kw.append(f"endpoint_class={o.options['endpoint']!r}")
        if o.options.get("idempotent"):
            kw.append("idempotent=True")
        lines.append(f"    {o.op_id!r}: Op(")
        lines.append(f"        {o.op_id!r}, {o.method!r}, {o.path!r},")
        if params:
            lines.append("        params=(")
            lines.extend(params)
            lines.append("        ),")
        lines.append("        " + ", ".join(kw) + ",")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def emit_models(models: Models, ops: list[OpInfo]) -> str:
    lines = [HEADER, '"""TypedDicts for every documented App API JSON response (generated).', "",
             "Names follow the rule in scripts/gen_app_client.py (class Hint); import them from",
             "``cio_toolkit.app.types``.", "",
             "Methods return plain dicts typed with these: no runtime validation, so a field the API adds",
             'or an enum value it extends never breaks a running job."""', "",
             "from __future__ import annotations", "",
             "from typing import Any, Literal", "",
             "# typing_extensions' TypedDict, so pydantic can validate these on Python 3.11.",
             "from typing_extensions import Required, TypedDict", "",
             f"__all__ = {sorted([*models.final.values(), 'RESPONSE_TYPES'])!r}", "", ""]
    lines.extend(d + "\n" for d in models.defs)
    lines.append("# operationId -> status code -> response type")
    lines.append("RESPONSE_TYPES: dict[str, dict[str, Any]] = {")
    for o in ops:
        if o.response_types:
            inner = ", ".join(f"{c!r}: {t}" for c, t in o.response_types.items())
            lines.append(f"    {o.op_id!r}: {{{inner}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _class_name(resource: str, flavour: str) -> str:
    parts = resource.split(".")
    if len(parts) == 1:
        name = camel(parts[0])
    else:
        parent = camel(parts[0])
        singular = parent[:-1] if parent.endswith("s") else parent
        name = singular + camel(parts[1])
    return ("Async" if flavour == "async" else "") + name


def _used_names(text: str, names: set[str]) -> list[str]:
    return sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", text))


def emit_resources(ops: list[OpInfo], models: Models) -> dict[str, str]:
    by_tag: dict[str, list[str]] = {}
    for res, (tag, _) in RESOURCES.items():
        by_tag.setdefault(tag, []).append(res)
    model_names = set(models.names)
    files: dict[str, str] = {}
    for tag, resources in by_tag.items():
        module = snake(tag)
        body: list[str] = []
        exported: list[str] = []
        # Children first so parents can annotate their cached properties with them.
        for res in sorted(resources, key=lambda r: -r.count(".")):
            children = [r for r in resources if r.startswith(res + ".")]
            res_ops = [o for o in ops if o.resource == res]
            for flavour in ("sync", "async"):
                cls = _class_name(res, flavour)
                exported.append(cls)
                base = "SyncResource" if flavour == "sync" else "AsyncResource"
                body.append(f"class {cls}({base}):")
                body.append(f'    """{RESOURCES[res][1]}"""')
                for child in children:
                    ccls = _class_name(child, flavour)
                    attr = child.rsplit(".", 1)[1]
                    body.append("")
                    body.append("    @functools.cached_property")
                    body.append(f"    def {attr}(self) -> {ccls}:")
                    body.append(f'        """{RESOURCES[child][1]}"""')
                    body.append(f"        return {ccls}(self._client)")
                for o in res_ops:
                    body.extend(_method(o, flavour))
                    if o.options.get("frame"):
                        body.extend(_frame_method(o, flavour))
                body.append("")
                body.append("")
        text = "\n".join(body)
        used_models = _used_names(text, model_names)
        imports = [HEADER, f'"""{tag} resources of the App API (generated)."""', "",
                   "from __future__ import annotations", ""]
        std = ["import datetime", "import functools"]
        imports.extend(s for s in std if re.search(rf"\b{s.split()[1]}\.", text))
        imports.append("from collections.abc import Mapping, Sequence")
        imports.append("from typing import TYPE_CHECKING, Any, Literal")
        imports.append("")
        imports.append("from cio_toolkit._pagination import AsyncPage, SyncPage")
        imports.append("from cio_toolkit._types import UNSET, Unset")
        imports.append("from cio_toolkit.app._resource import AsyncResource, SyncResource")
        imports.append("from cio_toolkit.app.filters import Filter")
        imports.append("from cio_toolkit.specs._registry import operation")
        if used_models:
            imports.append("")
            imports.append("from . import models as m")
        imports.append("")
        imports.append("if TYPE_CHECKING:")
        imports.append("    import pandas as pd")
        imports.append("")
        imports.append(f"__all__ = {sorted(exported)!r}")
        imports.append("")
        imports.append("")
        files[module] = "\n".join(imports) + _qualify(text, used_models) + "\n"
    return files


def _qualify(text: str, names: list[str]) -> str:
    if not names:
        return text
    pattern = re.compile(r"(?<![\w.'\"])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")\b")
    out = []
    for line in text.split("\n"):
        if line.lstrip().startswith(("class ", '"""', "def ")) and "->" not in line:
            out.append(line)
        else:
            out.append(pattern.sub(r"m.\1", line))
    return "\n".join(out)


def _signature(o: OpInfo) -> list[str]:
    args = []
    ordered = sorted(o.params, key=lambda p: (not p.required, {"path": 0, "body": 1, "query": 2, "header": 3}[p.location]))
    for p in ordered:
        if p.required:
            args.append(f"        {p.arg}: {p.annotation},")
        elif p.location == "body":
            args.append(f"        {p.arg}: {p.annotation} | Unset = UNSET,")
        else:
            args.append(f"        {p.arg}: {p.annotation} | None = None,")
    return args


def _args_dict(o: OpInfo) -> str:
    if not o.params:
        return "{}"
    return "{" + ", ".join(f"{p.arg!r}: {p.arg}" for p in o.params) + "}"


def _method(o: OpInfo, flavour: str) -> list[str]:
    is_async = flavour == "async"
    if o.result == "page":
        ret = f"{'AsyncPage' if is_async else 'SyncPage'}[{o.item_type}]"
        call = "self._page"
    else:
        ret = o.return_type
        call = "self._call"
    sig = _signature(o)
    head = f"    {'async ' if is_async else ''}def {o.name}("
    lines = ["", f'    @operation("app_api", {o.op_id!r})']
    if sig:
        lines.append(head)
        lines.append("        self,")
        lines.append("        *,")
        lines.extend(sig)
        lines.append(f"    ) -> {ret}:")
    else:
        lines.append(f"{head}self) -> {ret}:")
    lines.append(f'        """{o.summary} (operation ``{o.op_id}``)."""')
    aw = "await " if is_async else ""
    lines.append(f"        return {aw}{call}({o.op_id!r}, {_args_dict(o)})")
    return lines


def _frame_method(o: OpInfo, flavour: str) -> list[str]:
    is_async = flavour == "async"
    sig = _signature(o)
    lines = ["", f"    {'async ' if is_async else ''}def {o.name}_frame("]
    lines.append("        self,")
    lines.append("        *,")
    lines.extend(sig)
    lines.append("    ) -> pd.DataFrame:")
    kind = o.options["frame"]
    lines.append(f'        """{o.summary} as a tidy DataFrame, one row per period and metric (operation ``{o.op_id}``)."""')
    aw = "await " if is_async else ""
    lines.append(f"        return {aw}self._frame({o.op_id!r}, {kind!r}, {_args_dict(o)})")
    return lines


def generate() -> dict[str, str]:
    spec = Spec()
    models = Models(spec)
    for path_item in spec.spec["paths"].values():
        for method in HTTP_METHODS:
            for resp in (path_item.get(method) or {}).get("responses", {}).values():
                for media in (spec.deref(resp).get("content") or {}).values():
                    schema = media.get("schema")
                    if schema is None:
                        continue
                    models.observe_schema(schema)
                    if "example" in media:
                        models.observe(schema, media["example"])
                    for ex in (media.get("examples") or {}).values():
                        models.observe(schema, spec.deref(ex).get("value"))
    ops = collect(spec, models)
    models.finalize()
    for o in ops:
        o.return_type = models.rename(o.return_type)
        o.item_type = models.rename(o.item_type)
        o.response_types = {c: models.rename(t) for c, t in o.response_types.items()}
    files = {"operations": emit_operations(ops), "models": emit_models(models, ops)}
    files.update(emit_resources(ops, models))
    tags = sorted({snake(t) for t, _ in RESOURCES.values()})
    init = [HEADER, '"""Generated App API code: operation table, response types, resource classes."""', ""]
    init.append(f"RESOURCE_MODULES = {tags!r}")
    files["__init__"] = "\n".join(init) + "\n"
    return files


def outputs() -> dict[str, str]:
    """Every module of ``app/_generated/``, formatted with ruff: repository path -> text."""
    return ruff_formatted({f"{OUT}/{name}.py": text for name, text in generate().items()})


if __name__ == "__main__":
    sys.exit(main([sys.modules[__name__]], description=__doc__.splitlines()[0]))
