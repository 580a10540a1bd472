"""The vendored official OpenAPI specs, loaded on demand (see SOURCE.md)."""

from __future__ import annotations

import functools
import gzip
from importlib import resources
from typing import Any, Literal

import orjson

SpecName = Literal["pipelines_api", "track_api", "app_api", "reporting_webhooks"]
SPEC_NAMES: tuple[SpecName, ...] = ("pipelines_api", "track_api", "app_api", "reporting_webhooks")
HTTP_METHODS = ("get", "put", "post", "delete", "patch")


@functools.cache
def load_spec(name: SpecName) -> dict[str, Any]:
    """Return the parsed spec ``name`` (cached; treat it as read-only)."""
    if name not in SPEC_NAMES:
        raise ValueError(f"unknown spec {name!r}; expected one of {SPEC_NAMES}")
    raw = resources.files(__package__).joinpath(f"{name}.json.gz").read_bytes()
    data: dict[str, Any] = orjson.loads(gzip.decompress(raw))
    if name == "track_api":
        _fix_track_page_action(data)
    return data


def _fix_track_page_action(node: Any) -> None:
    """Errata: track_api.json's v2 ``page`` item (person_page) says ``action: enum [screen]``.

    Its discriminator maps ``page`` to it and its attributes are page fields (url, referrer), so
    the enum is a copy-paste slip; as published, no ``page`` item could ever validate.
    """
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict) and isinstance(props.get("action"), dict) and props["action"].get("enum") == ["screen"]:
            attrs = (props.get("attributes") or {}).get("properties") or {}
            if "url" in attrs and "referrer" in attrs:
                props["action"]["enum"] = ["page"]
        for value in node.values():
            _fix_track_page_action(value)
    elif isinstance(node, list):
        for value in node:
            _fix_track_page_action(value)


def operations(name: SpecName) -> list[tuple[str, str, dict[str, Any]]]:
    """List ``(METHOD, path, operation)`` for every operation in spec ``name``."""
    out = []
    for path, item in load_spec(name)["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                out.append((method.upper(), path, item[method]))
    return out
