"""The App API spec read as response types, for gen_app_client.py: schemas, names, TypedDicts.

``Spec`` resolves ``$ref`` and merges ``allOf``/``oneOf``; ``Hint`` carries the naming rule of the
generated types; ``Models`` turns response schemas into TypedDict definitions (structurally equal
schemas share one type), widened by what the spec's examples show.
"""

from __future__ import annotations

import keyword
import re
from collections import Counter
from typing import Any

from cio_toolkit.specs import load_spec

_SKIP_KEYS = {"x-union", "description", "example", "examples", "title", "x-additionalPropertiesName", "deprecated",
              "externalDocs", "default", "format", "readOnly", "writeOnly"}


def camel(name: str) -> str:
    parts = re.split(r"[^0-9A-Za-z]+", name)
    out = "".join(p[:1].upper() + p[1:] for p in parts if p)
    if not out or out[0].isdigit():
        out = "N" + out
    return out


def snake(name: str) -> str:
    s = re.sub(r"[^0-9A-Za-z]+", "_", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower().strip("_")
    if keyword.iskeyword(s) or s in {"self"}:
        s += "_"
    return s


class Spec:
    def __init__(self) -> None:
        self.spec = load_spec("app_api")

    def deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            # Keep the spec's own dict when nothing is added: Models keys observations by identity.
            node = {**target, **siblings} if siblings else target
        return node

    def merged(self, node: Any, *, mode: str) -> tuple[dict[str, Any], set[str], bool]:
        """Properties, required names and whether it is an object, allOf merged, oneOf/anyOf united."""
        props, required, is_obj = self._merged(node, mode=mode)
        # Checked only at the top: an allOf part may require a property another part declares.
        return props, required & set(props), is_obj

    def _merged(self, node: Any, *, mode: str) -> tuple[dict[str, Any], set[str], bool]:
        node = self.deref(node)
        if not isinstance(node, dict):
            return {}, set(), False
        props: dict[str, Any] = {}
        required: set[str] = set()
        is_obj = node.get("type") == "object" or "properties" in node
        for part in node.get("allOf", []):
            p, r, o = self._merged(part, mode=mode)
            props.update(p)
            required |= r
            is_obj = is_obj or o
        alts = node.get("oneOf") or node.get("anyOf")
        if alts:
            parts = [self._merged(a, mode=mode) for a in alts]
            if all(o for _, _, o in parts):
                is_obj = True
                for p, _, _ in parts:
                    for k, v in p.items():
                        if k not in props:
                            props[k] = v
                        elif self.deref(props[k]) != self.deref(v):
                            # Alternatives disagree on this property's type: accept either.
                            known = props[k].get("anyOf") if "x-union" in props[k] else [props[k]]
                            if self.deref(v) not in [self.deref(x) for x in known]:
                                props[k] = {"x-union": True, "anyOf": [*known, v]}
                required |= set.intersection(*(r for _, r, _ in parts))
        props.update(node.get("properties", {}))
        required |= set(node.get("required", []))
        skip = "readOnly" if mode == "request" else "writeOnly"
        for name in list(props):
            if isinstance(self.deref(props[name]), dict) and self.deref(props[name]).get(skip):
                if mode == "request":
                    del props[name]
                required.discard(name)
        return props, required, is_obj


# ------------------------------------------------------------------ response types


class Hint:
    """Where a response type is used, from which its name is made.

    The naming rule, so that signatures read ``SyncPage[m.Activity]``, not the operation's path:

    - a whole response body is ``<OperationId>Response`` (``SendEmailResponse``), an error body
      ``<OperationId>Error<status>``;
    - a type under key ``k`` of a body is ``k`` in CamelCase, singular for array items
      (``activities`` -> ``Activity``, ``campaign`` -> ``Campaign``); a type under key ``p`` of a type
      named ``T`` is ``T`` + ``p`` the same way (``Activity`` + ``customer_identifiers`` ->
      ``ActivityCustomerIdentifiers``); alternatives of a oneOf are numbered;
    - a shape used in several places is named after the ending most of its uses share
      (``ActivityCustomerIdentifiers``, ``MessageCustomerIdentifiers`` -> ``CustomerIdentifiers``);
    - when different shapes want one name, each is prefixed with its resource (``CampaignMessage``,
      ``BroadcastMessage``), then with its operation, then numbered.
    """

    def __init__(self, operation: str, resource: str, root: str, words: tuple[str, ...] = ()) -> None:
        self.operation, self.resource, self.root, self.words = operation, resource, root, words

    def _with(self, words: tuple[str, ...], root: str | None = None) -> Hint:
        return Hint(self.operation, self.resource, self.root if root is None else root, words)

    def child(self, key: str) -> Hint:
        """The hint of the value under ``key``."""
        return self._with((*self.words, camel(key)))

    def item(self) -> Hint:
        """The hint of an array's items: the last word made singular, or ``Item`` added."""
        if self.words and (one := singular(self.words[-1])) != self.words[-1]:
            return self._with((*self.words[:-1], one))
        return self._with((*self.words, "Item")) if self.words else self._with((), self.root + "Item")

    def variant(self, n: int) -> Hint:
        """The hint of the ``n``-th alternative of a oneOf/anyOf."""
        if self.words:
            return self._with((*self.words[:-1], f"{self.words[-1]}{n}"))
        return self._with((), f"{self.root}{n}")

    @property
    def local(self) -> str:
        return "".join(self.words) or self.root

    @property
    def qualified(self) -> str:
        local = self.local
        if not self.words or local.startswith(self.resource):
            return local
        # CampaignAction + Action1 -> CampaignAction1, not CampaignActionAction1.
        first = re.match(r"[A-Z][a-z]*", local)
        if first and self.resource.endswith(first.group(0)):
            return self.resource + local[first.end():]
        return self.resource + local

    @property
    def full(self) -> str:
        return self.operation + self.local if self.words else self.root


_LEVELS = ("local", "qualified", "full")
# Names the generated modules use for other things.
_RESERVED = {"Any", "Literal", "Required", "TypedDict", "RESPONSE_TYPES", "Mapping", "Sequence", "Filter", "Unset",
             "UNSET", "SyncPage", "AsyncPage", "SyncResource", "AsyncResource", "operation", "datetime", "functools"}


def _shared(hints: list[Hint], level: str) -> str:
    """The name ``hints`` agree on at ``level``: the same name, else the ending most of them share."""
    names = [getattr(h, level) for h in hints]
    if len(set(names)) == 1 or level != "local":
        return names[0]
    words = [re.findall(r"[A-Z][a-z]*|[0-9]+", n) for n in names]
    score: Counter[tuple[str, ...]] = Counter()
    for w in words:
        for i in range(len(w)):
            tail = tuple(w[i:])
            while tail and (tail[0] in ("Item", "Response", "Error") or tail[0].isdigit()):
                tail = tail[1:]
            if len("".join(tail)) >= 4:
                score[tail] += 1
    if not score:
        return names[0]
    # The ending most uses share; among equals the longest (CustomerIdentifiers, not Identifiers).
    best = max(score.items(), key=lambda kv: (kv[1], len(kv[0])))[0]
    return "".join(best)


def singular(word: str) -> str:
    """``Activities`` -> ``Activity``, ``Addresses`` -> ``Address``, ``Campaigns`` -> ``Campaign``."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "uses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class Models:
    """Builds TypedDict definitions for response schemas (dependencies first, structural dedup).

    The spec's examples often disagree with its schemas (ids typed string shown as numbers, null
    in non-nullable fields, values outside an enum). The real API answers like the examples, so
    every example is walked against its schema first and the types are widened to admit what it
    shows: a type is a description of answers, not a gate.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.defs: list[str] = []
        self.by_shape: dict[str, str] = {}
        self.names: set[str] = set()
        self.hints: dict[str, list[Hint]] = {}
        self.final: dict[str, str] = {}
        self.seen: dict[int, set[str]] = {}
        self.seen_values: dict[int, list[Any]] = {}

    # --- examples --------------------------------------------------------------------------

    def observe(self, node: Any, value: Any, depth: int = 0) -> None:
        """Record the JSON types ``value`` shows at each node of ``node``."""
        node = self.spec.deref(node)
        if not isinstance(node, dict) or depth > 40:
            return
        if value is None:
            self.seen.setdefault(id(node), set()).add("null")
            return
        alts = node.get("oneOf") or node.get("anyOf")
        if isinstance(value, dict):
            props, _, _ = self.spec.merged(node, mode="response")
            for k, v in value.items():
                if k in props:
                    self.observe(props[k], v, depth + 1)
            return
        if isinstance(value, list):
            items = node.get("items")
            if items is None and alts:
                items = next((self.spec.deref(a).get("items") for a in alts if self.spec.deref(a).get("items")), None)
            for v in value:
                self.observe(items or {}, v, depth + 1)
            return
        kind = {bool: "boolean", int: "integer", float: "number", str: "string"}.get(type(value), "any")
        self.seen.setdefault(id(node), set()).add(kind)
        self.seen_values.setdefault(id(node), []).append(value)

    def observe_schema(self, node: Any, depth: int = 0, stack: tuple[int, ...] = ()) -> None:
        """Observe every ``example`` found inside a schema against the node that carries it."""
        node = self.spec.deref(node)
        if not isinstance(node, dict) or depth > 40 or id(node) in stack:
            return
        if "example" in node:
            example = node["example"]
            if isinstance(example, list) and node.get("type") == "object":
                # An array's example put on its items' schema (cio_relationships): read it as items.
                for item in example:
                    self.observe(node, item)
            else:
                self.observe(node, example)
        for value in node.get("enum") or []:
            if not isinstance(value, str) and node.get("type") == "string":
                self.observe(node, value)  # an enum member of another type than the schema's ("status": [422])
        stack = (*stack, id(node))
        for key in ("items", "not", "additionalProperties"):
            if isinstance(node.get(key), dict):
                self.observe_schema(node[key], depth + 1, stack)
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in node.get(key) or []:
                self.observe_schema(sub, depth + 1, stack)
        for sub in (node.get("properties") or {}).values():
            self.observe_schema(sub, depth + 1, stack)

    # --- names -----------------------------------------------------------------------------

    def finalize(self) -> None:
        """Give every type its name by the rule of :class:`Hint`: local, else qualified, else full."""
        level = dict.fromkeys(self.hints, 0)
        while True:
            names = {ph: _shared(hints, _LEVELS[level[ph]]) for ph, hints in self.hints.items()}
            counts = Counter(names.values())
            clash = [ph for ph, name in names.items() if counts[name] > 1 and level[ph] < len(_LEVELS) - 1]
            if not clash:
                break
            for ph in clash:
                level[ph] += 1
        for ph, name in names.items():
            self.final[ph] = self._unique(name)
        self.defs = [self.rename(d) for d in self.defs]

    def rename(self, text: str) -> str:
        """``text`` with every placeholder replaced by its final name."""
        return re.sub(r"T__[0-9]+__", lambda m: self.final[m.group(0)], text)

    # --- types -----------------------------------------------------------------------------

    def _unique(self, name: str) -> str:
        base, n = name, 2
        while name in self.names or name in _RESERVED:
            name = f"{base}{n}"
            n += 1
        self.names.add(name)
        return name

    def type_of(self, node: Any, hint: Hint) -> str:
        node = self.spec.deref(node)
        if not isinstance(node, dict) or not node:
            return "Any"
        expr = self._type_of(node, hint)
        seen = self.seen.get(id(node), set())
        if expr != "Any":
            extra = [_SCALARS[k] for k in ("boolean", "integer", "number", "string") if k in seen]
            parts = expr.split(" | ")
            for e in extra:
                if e not in parts and not (e == "int" and "float" in parts) and not (e == "str" and "Literal" in expr):
                    parts.append(e)
            expr = " | ".join(parts)
            if (node.get("nullable") or "null" in seen) and "None" not in parts:
                expr = f"{expr} | None"
        return expr

    def _type_of(self, node: dict[str, Any], hint: Hint) -> str:
        alts = node.get("oneOf") or node.get("anyOf")
        if alts and not node.get("properties") and not node.get("allOf"):
            exprs: list[str] = []
            for i, a in enumerate(alts):
                e = self.type_of(a, hint.variant(i + 1) if len(alts) > 1 else hint)
                for part in e.split(" | "):
                    if part not in exprs:
                        exprs.append(part)
            if "Any" in exprs:
                return "Any"
            return " | ".join(exprs)
        typ = node.get("type")
        if typ == "array":
            return f"list[{self.type_of(node.get('items', {}), hint.item())}]"
        if typ == "object" or "properties" in node or node.get("allOf"):
            props, required, _ = self.spec.merged(node, mode="response")
            if not props:
                return "dict[str, Any]"
            fields = []
            for pname, pschema in props.items():
                t = self.type_of(pschema, hint.child(pname))
                if pname in required:
                    t = f"Required[{t}]"
                fields.append(f"        {pname!r}: {t},")
            # Dedup on the generated fields: equal schemas widened differently stay apart.
            key = "\n".join(fields)
            if key in self.by_shape:
                self.hints[self.by_shape[key]].append(hint)
                return self.by_shape[key]
            # A placeholder until every use is known: a shared shape is named after what its uses share.
            name = f"T__{len(self.hints)}__"
            self.hints[name] = [hint]
            self.by_shape[key] = name
            self.defs.append(
                f"{name} = TypedDict(\n    {name!r},\n    {{\n" + "\n".join(fields) + "\n    },\n    total=False,\n)\n"
            )
            return name
        if typ == "string":
            enum = [e for e in node.get("enum", []) if isinstance(e, str)]
            seen = self.seen_values.get(id(node), [])
            fits = all(v in enum for v in seen)
            if enum and fits and len(enum) <= 30 and len(enum) == len(node.get("enum", [])):
                return "Literal[" + ", ".join(repr(e) for e in enum) + "]"
            return "str"
        if typ in _SCALARS:
            return _SCALARS[typ]
        return "Any"


_SCALARS = {"boolean": "bool", "integer": "int", "number": "float", "string": "str"}
