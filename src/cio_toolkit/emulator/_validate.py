"""Request and response validation against the vendored OpenAPI 3.0 specs.

OpenAPI 3.0 schemas are turned into Draft 4 JSON Schema (its boolean ``exclusiveMaximum`` and
``$ref``-ignores-siblings rules are the ones OpenAPI 3.0 uses):

- ``nullable: true`` admits ``null``;
- every ``oneOf`` is validated as ``anyOf``: the official specs use overlapping alternatives
  (a Track identifier ``u1`` matches both the id and the email branch), so a strict oneOf would
  reject valid requests;
- ``readOnly`` properties are not required in requests, ``writeOnly`` ones not in responses;
- ``$ref`` to ``#/components/schemas/...`` is inlined (the specs have no recursive schemas; a
  cycle, should one appear, is cut and accepts anything at that point);
- annotations (description, example, discriminator, xml, format, default, x-*) are dropped,
  which is also why the specs' invalid ``default`` values never matter: the specs themselves
  are never meta-validated.

Validation uses jsonschema-rs: a valid 500 KB Pipelines batch takes about 1 ms against about
400 ms with the pure-Python jsonschema package. Validators are compiled on first use per
operation and cached, so loading the 4 MB App API spec costs nothing until it is called.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote

import jsonschema_rs

from cio_toolkit.specs import HTTP_METHODS, SpecName, load_spec

__all__ = ["Operation", "SpecValidator", "ValidationIssue", "is_json_type", "shared_validator"]

Mode = Literal["request", "response"]

# Keywords kept from OpenAPI schema objects; everything else is an annotation.
_KEEP = frozenset(
    {
        "type",
        "enum",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    }
)
_MAX_ISSUES = 20
_MAX_MESSAGE = 200
_REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One failed rule: ``field`` is a dotted location such as ``body.batch[3].userId``."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(slots=True)
class Operation:
    """One spec operation as the emulator routes and validates it."""

    spec: str
    operation_id: str
    method: str
    path: str
    segments: tuple[str | None, ...]  # literal segment, or None for a {param}
    param_names: tuple[str, ...]
    parameters: list[dict[str, Any]]
    request_body: dict[str, Any] | None
    responses: dict[str, Any]
    security: list[str]  # security scheme types: "basic", "bearer"; empty = no auth
    raw: dict[str, Any] = field(repr=False)


class _Converter:
    """OpenAPI schema object -> Draft 4 JSON Schema, with component refs inlined."""

    def __init__(self, components: Mapping[str, Any], mode: Mode) -> None:
        self.components = components
        self.mode = mode
        self._done: dict[str, Any] = {}
        self._active: set[str] = set()

    def ref(self, ref: str) -> Any:
        if not ref.startswith(_REF_PREFIX):
            raise ValueError(f"unsupported $ref {ref!r}: the specs only use {_REF_PREFIX}...")
        name, _, pointer = ref[len(_REF_PREFIX) :].partition("/")
        if name in self._active:
            return {}  # a cycle: accept anything below this point rather than recurse forever
        if name not in self._done:
            self._active.add(name)
            try:
                self._done[name] = self.convert(self.components[name])
            finally:
                self._active.discard(name)
        node = self._done[name]
        for part in filter(None, pointer.replace("oneOf/", "anyOf/").split("/")):
            node = (
                node[int(part)]
                if isinstance(node, list)
                else node[part.replace("~1", "/").replace("~0", "~")]
            )
        return node

    def convert(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return {}
        if "$ref" in node:
            target = self.ref(str(node["$ref"]))
            return {"anyOf": [{"type": "null"}, target]} if node.get("nullable") else target
        out: dict[str, Any] = {k: node[k] for k in _KEEP if k in node}
        if "pattern" in out:
            try:
                re.compile(out["pattern"])
            except (re.error, TypeError):
                del out["pattern"]  # an ECMA-only regex: better unchecked than failing every request
        for key in ("exclusiveMinimum", "exclusiveMaximum"):
            if key in out and not isinstance(out[key], bool):
                del out[key]
        if isinstance(out.get("type"), list):
            out["type"] = [t for t in out["type"] if isinstance(t, str)]
        if isinstance(node.get("properties"), dict):
            out["properties"] = {k: self.convert(v) for k, v in node["properties"].items()}
        skip = "readOnly" if self.mode == "request" else "writeOnly"
        if isinstance(node.get("required"), list):
            props = node.get("properties") or {}
            kept = [
                r for r in node["required"] if not (isinstance(props.get(r), dict) and props[r].get(skip))
            ]
            if kept:
                out["required"] = kept
        if "items" in node:
            out["items"] = self.convert(node["items"])
        if "additionalProperties" in node:
            extra = node["additionalProperties"]
            out["additionalProperties"] = extra if isinstance(extra, bool) else self.convert(extra)
        if "not" in node:
            out["not"] = self.convert(node["not"])
        if isinstance(node.get("allOf"), list):
            out["allOf"] = [self.convert(s) for s in node["allOf"]]
        alternatives = [
            self.convert(s)
            for key in ("oneOf", "anyOf")
            if isinstance(node.get(key), list)
            for s in node[key]
        ]
        if alternatives:
            out["anyOf"] = alternatives
        if node.get("nullable"):
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
            if {"allOf", "anyOf"} & out.keys():
                return {"anyOf": [{"type": "null"}, out]}
            if "type" in out:
                types = out["type"] if isinstance(out["type"], list) else [out["type"]]
                out["type"] = [*types, "null"]
        return out


def _strip_patterns(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_patterns(v) for k, v in node.items() if k != "pattern"}
    if isinstance(node, list):
        return [_strip_patterns(v) for v in node]
    return node


def _compile(schema: Any) -> Any:
    try:
        return jsonschema_rs.Draft4Validator(schema, validate_formats=False)
    except ValueError:
        # A pattern Python accepts but the Rust regex engine does not: drop the patterns.
        return jsonschema_rs.Draft4Validator(_strip_patterns(schema), validate_formats=False)


def _segment_field(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_LIMIT_MESSAGES = {
    "maxLength": "must be at most {} characters long",
    "minLength": "must be at least {} characters long",
    "maximum": "must be <= {}",
    "minimum": "must be >= {}",
    "exclusiveMaximum": "must be < {}",
    "exclusiveMinimum": "must be > {}",
    "maxItems": "must have at most {} items",
    "minItems": "must have at least {} items",
    "maxProperties": "must have at most {} properties",
    "minProperties": "must have at least {} properties",
    "multipleOf": "must be a multiple of {}",
}


def _describe(err: Any) -> tuple[str, str]:
    """Return (relative field, message) naming the limit, without echoing large instances."""
    where = _segment_field(err.instance_path)
    kind = err.kind
    name = kind.name
    detail = kind.as_dict()
    if name == "required":
        return f"{where}.{detail['property']}", "is required"
    if name == "type":
        wanted = detail.get("types") or detail.get("type")
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return where, f"expected type {wanted}, got {_json_type(err.instance)}"
    if name == "enum":
        options = list(detail.get("options") or [])
        shown = ", ".join(repr(x) for x in options[:10]) + (", ..." if len(options) > 10 else "")
        return where, f"must be one of [{shown}]"
    if name == "additionalProperties":
        extra = list(detail.get("unexpected") or ["?"])
        return f"{where}.{extra[0]}", "is not an allowed property"
    if name == "pattern":
        return where, f"must match the pattern {detail.get('pattern')!r}"
    if name == "uniqueItems":
        return where, "items must be unique"
    if name in _LIMIT_MESSAGES:
        return where, _LIMIT_MESSAGES[name].format(detail.get("limit"))
    msg = str(err.message)
    return where, msg if len(msg) <= _MAX_MESSAGE else msg[:_MAX_MESSAGE] + "..."


def _issues(validator: Any, instance: Any, root: str) -> list[ValidationIssue]:
    """All errors of ``instance``, each reduced to its most specific cause (empty = valid)."""
    if validator.is_valid(instance):
        return []
    out: list[ValidationIssue] = []
    for err in validator.iter_errors(instance):
        issue = _explain(err, root)
        if issue not in out:
            out.append(issue)
        if len(out) >= _MAX_ISSUES:
            break
    return out


def _is_discriminator_miss(err: Any) -> bool:
    # A single-value enum such as {"type": ["track"]} marks which alternative a payload is for;
    # a nested anyOf misses when every one of its alternatives does.
    name = err.kind.name
    if name == "enum":
        return len(err.kind.as_dict().get("options") or []) == 1
    if name == "anyOf":
        branches = [list(b) for b in (err.kind.context or []) if b]
        return bool(branches) and all(any(_is_discriminator_miss(e) for e in b) for b in branches)
    return False


def _explain(err: Any, root: str) -> ValidationIssue:
    if err.kind.name == "anyOf":
        branches = [list(b) for b in (err.kind.context or []) if b]
        if len(branches) > 1 and all(len(b) == 1 and b[0].kind.name == "required" for b in branches):
            # Alternatives that differ only by which identifier is present (userId or
            # anonymousId): name them all instead of picking one arbitrarily.
            fields: list[str] = []
            for b in branches:
                fld = _describe(b[0])[0]
                if fld not in fields:
                    fields.append(fld)
            if len(fields) > 1:
                others = ", ".join(f.rsplit(".", 1)[-1] for f in fields[1:])
                return ValidationIssue(f"{root}{fields[0]}", f"is required (or {others})")
        if branches:
            # The branch the caller most likely meant: no discriminator mismatch, fewest
            # errors, then the deepest one.
            chosen = min(
                branches,
                key=lambda b: (
                    any(_is_discriminator_miss(e) for e in b),
                    len(b),
                    -max(len(e.instance_path) for e in b),
                ),
            )
            deepest = max(chosen, key=lambda e: (len(e.instance_path), e.kind.name != "required"))
            return _explain(deepest, root)
    fld, msg = _describe(err)
    return ValidationIssue(f"{root}{fld}", msg)


def _coerce(raw: str, schema: Mapping[str, Any]) -> Any:
    """Turn a query/path/header string into the type its schema asks for (ValueError if not)."""
    typ = schema.get("type")
    if typ == "integer":
        return int(raw)
    if typ == "number":
        return float(raw)
    if typ == "boolean":
        low = raw.lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0"):
            return False
        raise ValueError(raw)
    return raw


class SpecValidator:
    """Route and validate requests (and responses) for one vendored spec (or ``spec``, a patched copy)."""

    def __init__(self, spec_name: SpecName, spec: dict[str, Any] | None = None) -> None:
        self.spec_name = spec_name
        self.spec = load_spec(spec_name) if spec is None else spec
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, ...], Any] = {}
        self._converters: dict[Mode, _Converter] = {}
        self.operations: dict[str, Operation] = {}
        self._by_shape: dict[tuple[str, int], list[Operation]] = {}
        schemes = {
            name: str(s.get("scheme", "")).lower()
            for name, s in self.spec.get("components", {}).get("securitySchemes", {}).items()
        }
        default_security = self.spec.get("security")
        for path, item in self.spec["paths"].items():
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                raw = item[method]
                params: dict[tuple[str, str], dict[str, Any]] = {}
                for p in [*shared, *raw.get("parameters", [])]:
                    p = self._deref(p)
                    params[(p["name"], p["in"])] = p
                segments = tuple(
                    None if s.startswith("{") and s.endswith("}") else s for s in path.strip("/").split("/")
                )
                names = tuple(s[1:-1] for s in path.strip("/").split("/") if s.startswith("{"))
                security = raw.get("security", default_security) or []
                op = Operation(
                    spec=spec_name,
                    operation_id=raw["operationId"],
                    method=method.upper(),
                    path=path,
                    segments=segments,
                    param_names=names,
                    parameters=list(params.values()),
                    request_body=self._deref(raw["requestBody"]) if "requestBody" in raw else None,
                    responses={k: self._deref(v) for k, v in raw.get("responses", {}).items()},
                    security=[schemes.get(name, name) for req in security for name in req],
                    raw=raw,
                )
                self.operations[op.operation_id] = op
                self._by_shape.setdefault((op.method, len(segments)), []).append(op)
        for ops in self._by_shape.values():
            # Literal segments win over {params} segment by segment (/v1/x/actions before /v1/x/{id}).
            ops.sort(key=lambda o: tuple(s is None for s in o.segments))

    def _deref(self, obj: dict[str, Any]) -> dict[str, Any]:
        while isinstance(obj, dict) and "$ref" in obj:
            node: Any = self.spec
            for part in obj["$ref"].lstrip("#/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            obj = node
        return obj

    # --- routing -------------------------------------------------------------------------

    def match(self, method: str, path: str) -> tuple[str, dict[str, str]] | None:
        """Return ``(operation_id, path_params)`` for a concrete request path, or None."""
        found = self.match_operation(method, path)
        return None if found is None else (found[0].operation_id, found[1])

    def match_operation(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """Like :meth:`match` but return the :class:`Operation` itself."""
        parts = path.strip("/").split("/")
        for op in self._by_shape.get((method.upper(), len(parts)), ()):
            values: list[str] = []
            for seg, part in zip(op.segments, parts, strict=True):
                if seg is None:
                    if not part:
                        break
                    values.append(unquote(part))
                elif seg != part:
                    break
            else:
                return op, dict(zip(op.param_names, values, strict=True))
        return None

    # --- compiled validators -------------------------------------------------------------

    def _compiled(self, key: tuple[str, ...], schema: Any, mode: Mode) -> Any:
        validator = self._cache.get(key)
        if validator is None:
            with self._lock:
                validator = self._cache.get(key)
                if validator is None:
                    conv = self._converters.get(mode)
                    if conv is None:
                        components = self.spec.get("components", {}).get("schemas", {})
                        conv = self._converters[mode] = _Converter(components, mode)
                    validator = self._cache[key] = _compile(conv.convert(schema))
        return validator

    def warm(self, *operation_ids: str) -> None:
        """Compile the request validators of ``operation_ids`` now rather than on first use."""
        for op_id in operation_ids:
            self.body_validator(op_id)

    def body_validator(self, operation_id: str) -> Any:
        """The compiled request-body validator of ``operation_id`` (None when it takes no JSON body)."""
        op = self.operations[operation_id]
        schema = _json_schema_of(op.request_body)
        if schema is None:
            return None
        return self._compiled(("req", operation_id), schema, "request")

    # --- validation ----------------------------------------------------------------------

    def check_request(
        self,
        op: Operation,
        path_params: Mapping[str, str],
        query: Mapping[str, Any],
        headers: Mapping[str, str],
        body: Any,
        *,
        has_body: bool,
        content_type: str | None,
    ) -> list[ValidationIssue]:
        """Structured form of :meth:`validate_request` for an already matched operation."""
        issues: list[ValidationIssue] = []
        lower_headers = {k.lower(): v for k, v in headers.items()}
        if op.security:
            auth = lower_headers.get("authorization", "")
            scheme = auth.split(" ", 1)[0].lower() if auth else ""
            if scheme not in op.security:
                wanted = " or ".join(s.capitalize() for s in op.security)
                issues.append(ValidationIssue("headers.authorization", f"expected {wanted} credentials"))
        for p in op.parameters:
            name, where = p["name"], p["in"]
            schema = p.get("schema") or {}
            if where == "path":
                raw: Any = path_params.get(name)
            elif where == "query":
                raw = query.get(name)
            elif where == "header":
                raw = lower_headers.get(name.lower())
                if raw is not None and not p.get("required"):
                    continue  # optional headers are hints (X-Strict-Mode: any other value means "off")
            else:
                continue
            label = f"{where}.{name}"
            if raw is None or (where == "query" and raw == []):
                if p.get("required") or where == "path":
                    issues.append(ValidationIssue(label, "is required"))
                continue
            try:
                if schema.get("type") == "array":
                    items = raw if isinstance(raw, list) else str(raw).split(",")
                    value: Any = [_coerce(str(x), schema.get("items") or {}) for x in items]
                else:
                    value = _coerce(str(raw[-1] if isinstance(raw, list) else raw), schema)
            except ValueError:
                issues.append(ValidationIssue(label, f"expected type {schema.get('type')}, got {raw!r:.60}"))
                continue
            v = self._compiled(("param", op.operation_id, where, name), schema, "request")
            issues.extend(_issues(v, value, label))
        if op.request_body is not None:
            if content_type and has_body and not is_json_type(content_type):
                issues.append(
                    ValidationIssue(
                        "headers.content-type", f"expected application/json, got {content_type:.60}"
                    )
                )
            elif not has_body:
                if op.request_body.get("required"):
                    issues.append(ValidationIssue("body", "a JSON request body is required"))
                elif (bv := self.body_validator(op.operation_id)) is not None:
                    # An optional body whose schema still requires fields: the real API answers 400
                    # for the missing fields, so judge an absent body as an empty object.
                    issues.extend(_issues(bv, {}, "body"))
            else:
                bv = self.body_validator(op.operation_id)
                if bv is not None:
                    issues.extend(_issues(bv, body, "body"))
        return issues

    def validate_request(
        self,
        method: str,
        path: str,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> list[str]:
        """Validate one request; return error strings, each naming the failing field (empty = valid).

        ``body`` is the parsed JSON body (None when the request has none).
        """
        found = self.match_operation(method, path)
        if found is None:
            return [f"path: no {self.spec_name} operation for {method.upper()} {path}"]
        op, params = found
        headers = headers or {}
        ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
        issues = self.check_request(
            op, params, query or {}, headers, body, has_body=body is not None, content_type=ctype
        )
        return [str(i) for i in issues]

    def response_validator(self, operation_id: str, status: int) -> Any:
        """The compiled validator for a documented JSON response, or None when none is documented."""
        op = self.operations[operation_id]
        response = (
            op.responses.get(str(status))
            or op.responses.get(f"{str(status)[0]}XX")
            or op.responses.get("default")
        )
        schema = _json_schema_of(response)
        if schema is None:
            return None
        return self._compiled(("resp", operation_id, str(status)), schema, "response")

    def validate_response(self, operation_id: str, status: int, body: Any) -> list[str]:
        """Validate a response body for ``operation_id``; return error strings (empty = valid)."""
        op = self.operations.get(operation_id)
        if op is None:
            return [f"operationId: unknown {self.spec_name} operation {operation_id!r}"]
        documented = {str(k) for k in op.responses}
        if (
            documented
            and str(status) not in documented
            and f"{str(status)[0]}XX" not in documented
            and "default" not in documented
        ):
            return [
                f"status: {status} is not documented for {operation_id} (documented: {sorted(documented)})"
            ]
        v = self.response_validator(operation_id, status)
        if v is None:
            return []
        return [str(i) for i in _issues(v, body, "body")]


def is_json_type(content_type: str) -> bool:
    """Whether a Content-Type is JSON (``application/json`` or any ``+json`` type)."""
    base = content_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _json_schema_of(obj: Mapping[str, Any] | None) -> Any:
    if not obj:
        return None
    content = obj.get("content") or {}
    for ctype, media in content.items():
        if is_json_type(ctype) or ctype == "*/*":
            return media.get("schema")
    return None


# Handy for tests and tools that want one validator per spec without rebuilding the route table.
_SHARED: dict[str, SpecValidator] = {}
_SHARED_LOCK = threading.Lock()


def shared_validator(spec_name: SpecName) -> SpecValidator:
    """A process-wide cached :class:`SpecValidator` for ``spec_name``."""
    v = _SHARED.get(spec_name)
    if v is None:
        with _SHARED_LOCK:
            v = _SHARED.get(spec_name)
            if v is None:
                v = _SHARED[spec_name] = SpecValidator(spec_name)
    return v
