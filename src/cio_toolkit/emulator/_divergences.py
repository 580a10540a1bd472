"""Where the emulator follows Customer.io's official SDKs rather than the published specs.

Production accepts what the official SDKs send, so where a spec and an SDK disagree the emulator
takes the SDK's side. Every such patch is here, applied once to a copy of the vendored spec
before the emulator builds its routes and validators from it (:func:`emulator_validator`); each
names its evidence, and ``cio_toolkit/specs/DIVERGENCES.md`` gives file and line. The official
specs themselves stay as published: ``SpecValidator(name)`` still checks our own clients'
requests against them.

A patch that no longer finds what it changes raises at load, so a new vendored spec that fixes
(or moves) a quirk is noticed rather than silently patched twice.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator
from typing import Any

from cio_toolkit.specs import SpecName, load_spec

from ._validate import SpecValidator, ValidationIssue, _issues

__all__ = ["BATCH_CALL", "EmulatorValidator", "batch_call_issues", "emulator_spec", "emulator_validator"]

# The component that holds the schema of one /v1/batch item (see _batch_items_one_by_one).
BATCH_CALL = "cio_emulator_batch_call"
_JSON = "application/json"
# customerio-node 4.4.0 lib/api.ts:141 posts triggerBroadcast under the /v1/api prefix.
_TRIGGER = "/v1/campaigns/{broadcast_id}/triggers"
_SDK_TRIGGER = "/v1/api/campaigns/{broadcast_id}/triggers"

Patch = Callable[[dict[str, Any]], int]  # changes the spec copy; returns how many places it changed


def _own(spec: dict[str, Any], path: str) -> dict[str, Any]:
    """Make ``spec["paths"][path]`` the copy's own (deep-copied) path item, and return it."""
    item = spec["paths"][path] = copy.deepcopy(spec["paths"][path])
    return item


def _body_schema(spec: dict[str, Any], path: str) -> dict[str, Any]:
    schema: dict[str, Any] = _own(spec, path)["post"]["requestBody"]["content"][_JSON]["schema"]
    return schema


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema object in ``node``, outermost first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


def _alias_call(components: dict[str, Any]) -> dict[str, Any]:
    """The /v1/alias body (with the common fields) as a batch item: ``"type": "alias"`` is required there."""
    alias = copy.deepcopy(components["alias_all"])
    own = alias["allOf"][0]
    own["properties"]["type"] = {"type": "string", "enum": ["alias"]}
    own["required"] = [*own["required"], "type"]
    return {"title": "Alias", **alias}


def _batch_items_one_by_one(spec: dict[str, Any]) -> int:
    """/v1/batch: alias is a batch item, and each item is validated on its own.

    The spec's items are identify, track, page, screen and group; @customerio/cdp-analytics-node
    0.5.9 sends alias only inside /v1/batch (src/plugins/customerio/index.ts:50 enqueues alias
    like every call; publisher.ts:66 and :182 post ``{"batch": [...]}`` to /v1/batch), as
    Segment-compatible batch endpoints accept. The item schema moves to the component
    BATCH_CALL and the body's items accept anything, so one bad item no longer fails the whole
    body: the batch handler checks each item against BATCH_CALL, drops (or, in strict mode,
    reports) the bad ones and applies the rest.
    """
    batch = _body_schema(spec, "/batch")["properties"]["batch"]
    components = spec["components"] = dict(spec["components"])
    schemas = components["schemas"] = dict(components["schemas"])
    item = batch["items"]
    item["anyOf"] = [*item["anyOf"], _alias_call(schemas)]
    schemas[BATCH_CALL] = item
    batch["items"] = {}
    return 1


def _email_headers_as_object(spec: dict[str, Any]) -> int:
    """sendEmail: ``headers`` may be an object of strings as well as the spec's JSON string.

    customerio-node 4.4.0 lib/api/requests.ts:53 sends ``headers: opts.headers || {}`` with every
    email; the spec's own example of the body is an object too (``{"X-Mailgun-Tag": ...}``).
    """
    changed = 0
    for node in _schemas(_body_schema(spec, "/v1/send/email")):
        headers = (node.get("properties") or {}).get("headers")
        if isinstance(headers, dict) and headers.get("type") == "string":
            string = {k: v for k, v in headers.items() if k != "description"}
            headers.clear()
            headers["anyOf"] = [string, {"type": "object", "additionalProperties": {"type": "string"}}]
            changed += 1
    return changed


def _push_to_is_optional(spec: dict[str, Any]) -> int:
    """sendPush: ``to`` is optional; the spec's own description says it defaults to ``all``.

    customerio-node 4.4.0 lib/api/requests.ts:148 sets ``to: opts.to``, left out of the JSON
    unless the caller passes one.
    """
    changed = 0
    for node in _schemas(_body_schema(spec, "/v1/send/push")):
        required = node.get("required")
        if isinstance(required, list) and "to" in required:
            node["required"] = [r for r in required if r != "to"]
            changed += 1
    return changed


def _trigger_on_the_sdk_path(spec: dict[str, Any]) -> int:
    """triggerBroadcast is also served on /v1/api/campaigns/{broadcast_id}/triggers.

    customerio-node 4.4.0 lib/api.ts:141 posts ``${apiRoot}/api/campaigns/${id}/triggers`` with
    ``apiRoot`` ``https://api.customer.io/v1`` (lib/regions.ts:11-12). It is the same operation,
    with the same validation and effect, and the request log names it triggerBroadcast.
    """
    canonical = spec["paths"][_TRIGGER]
    alias = {k: copy.deepcopy(v) for k, v in canonical.items() if k in ("parameters", "servers", "post")}
    # Put the alias first: a validator keeps the last path of an operationId as the one it names,
    # which must stay the spec's own.
    spec["paths"] = {_SDK_TRIGGER: alias, **spec["paths"]}
    return 1


_PATCHES: dict[str, tuple[Patch, ...]] = {
    "pipelines_api": (_batch_items_one_by_one,),
    "app_api": (_email_headers_as_object, _push_to_is_optional, _trigger_on_the_sdk_path),
}


@functools.cache
def emulator_spec(name: SpecName) -> dict[str, Any]:
    """Spec ``name`` as the emulator serves it: the vendored spec with this module's patches (cached)."""
    patches = _PATCHES.get(name, ())
    if not patches:
        return load_spec(name)
    spec = dict(load_spec(name))
    spec["paths"] = dict(spec["paths"])  # patches copy what they change, never the shared spec
    for patch in patches:
        if patch(spec) == 0:
            raise ValueError(f"{name}: the divergence patch {patch.__name__} found nothing to change")
    return spec


class EmulatorValidator(SpecValidator):
    """A validator of the emulator's patched spec, which can also judge one /v1/batch item alone."""

    def check_batch_call(self, item: Any, root: str) -> list[ValidationIssue]:
        """Why ``item`` is not a call BATCH_CALL allows (empty: it is); fields start at ``root``."""
        schema = {"$ref": f"#/components/schemas/{BATCH_CALL}"}
        return _issues(self._compiled(("component", BATCH_CALL), schema, "request"), item, root)


@functools.cache
def emulator_validator(name: SpecName) -> EmulatorValidator:
    """The process-wide validator the emulator routes and validates ``name`` with (see :func:`emulator_spec`)."""
    return EmulatorValidator(name, emulator_spec(name))


def batch_call_issues(item: Any, root: str) -> list[ValidationIssue]:
    """Why one /v1/batch item is not a call the (patched) Pipelines spec allows; empty when it is."""
    return emulator_validator("pipelines_api").check_batch_call(item, root)
