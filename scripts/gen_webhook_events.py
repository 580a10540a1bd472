"""Generate src/cio_toolkit/webhooks/_generated_events.py from the reporting-webhooks spec.

Usage:  python scripts/generate.py [--check]   (runs every generator; this script runs only this one)

Reads the vendored spec (cio_toolkit.specs.load_spec("reporting_webhooks")): every event schema
reachable from x-webhooks -> reportingWebhook -> requestBody becomes one frozen dataclass, with a
data class holding the union of the properties its ``data`` allows (allOf merged, oneOf variants
united), every field optional so that real payloads that omit a documented field still parse.
"""

from __future__ import annotations

import json
import keyword
import sys
from typing import Any

from _codegen import header, main

from cio_toolkit.specs import load_spec

NAME = "webhook events"
OUT = "src/cio_toolkit/webhooks/_generated_events.py"
BASE_DATA_FIELDS = {"identifiers", "customer_id"}
TOP_LEVEL = {"event_id", "object_type", "metric", "timestamp", "data"}
PY_TYPES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "any": "Any"}


class Spec:
    def __init__(self) -> None:
        self.spec = load_spec("reporting_webhooks")
        self.schemas: dict[str, Any] = self.spec["components"]["schemas"]

    def deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**self.schemas[node["$ref"].rsplit("/", 1)[-1]], **siblings}
        return node

    def merged(self, node: Any) -> tuple[dict[str, Any], set[str]]:
        """Properties and required names of an object schema, allOf merged and oneOf united."""
        node = self.deref(node)
        props: dict[str, Any] = {}
        required: set[str] = set()
        for part in node.get("allOf", []):
            p, r = self.merged(part)
            props.update(p)
            required |= r
        if "oneOf" in node:
            parts = [self.merged(p) for p in node["oneOf"]]
            for p, _ in parts:
                for k, v in p.items():
                    props.setdefault(k, v)
            required |= set.intersection(*(r for _, r in parts))
        props.update(node.get("properties", {}))
        required |= set(node.get("required", []))
        # A required name with no declared schema (email_failed's "recipient") still gets a field.
        for name in required:
            props.setdefault(name, {})
        return props, required


def q(value: Any) -> str:
    """A double-quoted Python literal (ruff's preferred style), or None."""
    return "None" if value is None else json.dumps(value)


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


def one_line(text: str | None, fallback: str) -> str:
    text = " ".join((text or "").split()) or fallback
    text = text.replace('"""', "'''").replace("\\", "\\\\")
    return text if len(text) <= 300 else text[:297].rstrip() + "..."


class Generator:
    def __init__(self) -> None:
        self.s = Spec()
        self.nested: dict[str, dict[str, tuple[str, str | None, str]]] = {}
        self.nested_docs: dict[str, str] = {}

    def field_kind(self, schema: Any, owner: str, prop: str) -> tuple[str, str | None, str]:
        """(kind, nested class, python annotation) for a property schema."""
        schema = self.s.deref(schema)
        kind = schema.get("type")
        if kind == "string":
            return "str", None, "str"
        if kind == "integer":
            return "int", None, "int"
        if kind == "number":
            return "float", None, "float"
        if kind == "boolean":
            return "bool", None, "bool"
        if kind == "array":
            item_kind, item_nested, item_ann = self.field_kind(schema.get("items", {}), owner, singular(prop))
            return "list", f"({q(item_kind)}, {item_nested or 'None'})", f"tuple[{item_ann}, ...]"
        if kind == "object" or "properties" in schema:
            props, _ = self.s.merged(schema)
            if not props:
                return "any", None, "Mapping[str, Any]"
            name = owner + camel(prop)
            fields = self.nested.setdefault(name, {})
            self.nested_docs.setdefault(name, one_line(schema.get("description"), f"One {prop} entry."))
            for pname, pschema in props.items():
                if pname not in fields:
                    fields[pname] = self.field_kind(pschema, name, pname)
            return "obj", name, name
        return "any", None, "Any"

    def events(self) -> list[dict[str, Any]]:
        root = self.s.spec["x-webhooks"]["reportingWebhook"]["post"]["requestBody"]["content"]
        groups = root["application/json"]["schema"]["oneOf"]
        out = []
        for group_ref in groups:
            group_name = group_ref["$ref"].rsplit("/", 1)[-1]
            group = self.s.schemas[group_name]
            mapping = {
                ref.rsplit("/", 1)[-1]: metric
                for metric, ref in group.get("discriminator", {}).get("mapping", {}).items()
            }
            members = []
            for ref in group["oneOf"]:
                name = ref["$ref"].rsplit("/", 1)[-1]
                props, _ = self.s.merged(ref)
                object_type = self.s.deref(props.get("object_type", {})).get("enum", [None])[0]
                enum_metric = self.s.deref(props["metric"]).get("enum", [None])[0]
                # The discriminator mapping wins: the spec's push_drafted says metric "attempted".
                metric = mapping.get(name, enum_metric)
                schema = self.s.deref(ref)
                members.append(
                    {
                        "schema": name,
                        "object_type": object_type,
                        "metric": metric,
                        "enum_metric": enum_metric,
                        "props": props,
                        "doc": schema.get("description")
                        or self.s.deref(props["metric"]).get("description")
                        or schema.get("title"),
                    }
                )
            # A member without object_type (cio_subscription_preferences_changed) takes its group's.
            group_types = {m["object_type"] for m in members if m["object_type"]}
            for m in members:
                if m["object_type"] is None and len(group_types) == 1:
                    m["object_type"] = next(iter(group_types))
                m["group"] = group_name
            out.extend(members)
        return out

    def render(self) -> str:
        events = self.events()
        blocks: list[str] = []
        registry: list[str] = []
        names: list[str] = []
        for ev in events:
            cls = camel(ev["schema"])
            data_props, data_required = self.s.merged(ev["props"]["data"])
            fields = []
            for pname in sorted(data_props):
                if pname in BASE_DATA_FIELDS:
                    continue
                if not pname.isidentifier() or keyword.iskeyword(pname):
                    raise SystemExit(
                        f"{ev['schema']}.data.{pname} is not a Python identifier; extend the generator"
                    )
                kind, nested, ann = self.field_kind(data_props[pname], camel(ev["object_type"]), pname)
                doc = one_line(
                    self.s.deref(data_props[pname]).get("description"), "Not described in the spec."
                )
                req = " (required by the spec)" if pname in data_required else ""
                fields.append((pname, kind, nested, ann, doc + req))
            extra_top = sorted(set(ev["props"]) - TOP_LEVEL)
            lines = [
                "",
                "",
                "@dataclass(frozen=True, slots=True, kw_only=True)",
                f"class {cls}Data(EventData):",
                f'    """``data`` of a {ev["object_type"]} ``{ev["metric"]}`` event (schema ``{ev["schema"]}``)."""',
                "",
            ]
            for pname, _, _, ann, doc in fields:
                if doc:
                    lines.append(f"    #: {doc}")
                lines.append(f"    {pname}: {ann} | None = None")
            lines.append("")
            lines.append("    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {")
            lines.append("        **EventData._FIELDS,")
            for pname, kind, nested, _, _ in fields:
                lines.append(f"        {q(pname)}: ({q(kind)}, {nested or 'None'}),")
            lines.append("    }")
            lines += [
                "",
                "",
                "@dataclass(frozen=True, slots=True, kw_only=True)",
                f"class {cls}(WebhookEvent):",
                f'    """{one_line(ev["doc"], ev["metric"])}"""',
                "",
                f"    data: {cls}Data",
                "",
                f"    OBJECT_TYPE: ClassVar[str | None] = {q(ev['object_type'])}",
                f"    METRIC: ClassVar[str | None] = {q(ev['metric'])}",
                f"    SCHEMA: ClassVar[str | None] = {q(ev['schema'])}",
                f"    DATA_CLASS: ClassVar[type[EventData]] = {cls}Data",
            ]
            if extra_top:
                lines.append(
                    f"    #: Top-level keys besides the common ones, read them from ``raw``: {extra_top}."
                )
            blocks.append("\n".join(lines))
            registry.append(f"    ({q(ev['object_type'])}, {q(ev['metric'])}): {cls},")
            names += [cls, f"{cls}Data"]
        nested_blocks = []
        for name, nfields in self.nested.items():
            lines = [
                "",
                "",
                "@dataclass(frozen=True, slots=True, kw_only=True)",
                f"class {name}:",
                f'    """{self.nested_docs[name]}"""',
                "",
            ]
            for pname in sorted(nfields):
                lines.append(f"    {pname}: {nfields[pname][2]} | None = None")
            lines.append("")
            lines.append("    _FIELDS: ClassVar[Mapping[str, FieldSpec]] = {")
            for pname in sorted(nfields):
                kind, nested, _ = nfields[pname]
                lines.append(f"        {q(pname)}: ({q(kind)}, {nested or 'None'}),")
            lines.append("    }")
            nested_blocks.append("\n".join(lines))
            names.append(name)
        quirks = [
            f"  {ev['schema']}: metric enum says {q(ev['enum_metric'])}, discriminator says {q(ev['metric'])}"
            for ev in events
            if ev["enum_metric"] != ev["metric"]
        ]
        notes = [f"{len(events)} event classes."]
        if quirks:
            notes.append("Spec quirks resolved in favour of the discriminator mapping:")
            notes += quirks
        head = header(
            "the vendored reporting_webhooks.json spec (x-webhooks and components/schemas) and "
            "scripts/gen_webhook_events.py",
            *notes,
        )
        all_names = [*sorted(names), "EVENT_CLASSES"]
        body = "\n".join(
            [
                head.rstrip("\n"),
                '"""Typed reporting-webhook events, one class per spec schema (generated)."""',
                "",
                "from __future__ import annotations",
                "",
                "from collections.abc import Mapping",
                "from dataclasses import dataclass",
                "from typing import Any, ClassVar",
                "",
                "from cio_toolkit.webhooks._event_base import EventData, FieldSpec, WebhookEvent",
                "",
                "__all__ = [",
                *[f"    {q(n)}," for n in all_names],
                "]",
                *nested_blocks,
                *blocks,
                "",
                "",
                "EVENT_CLASSES: dict[tuple[str, str], type[WebhookEvent]] = {",
                *registry,
                "}",
                "",
            ]
        )
        return body


def outputs() -> dict[str, str]:
    """The generated module: repository path -> text."""
    return {OUT: Generator().render()}


if __name__ == "__main__":
    sys.exit(main([sys.modules[__name__]], description=__doc__.splitlines()[0]))
