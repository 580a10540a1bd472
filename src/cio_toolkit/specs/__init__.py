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
    return data


def operations(name: SpecName) -> list[tuple[str, str, dict[str, Any]]]:
    """List ``(METHOD, path, operation)`` for every operation in spec ``name``."""
    out = []
    for path, item in load_spec(name)["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                out.append((method.upper(), path, item[method]))
    return out
