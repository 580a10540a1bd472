"""Helpers shared by the emulator tests."""

from __future__ import annotations

import json
import re
from typing import Any

from cio_toolkit.emulator import Emulator
from cio_toolkit.specs import operations

SPECS = ("pipelines_api", "track_api", "app_api", "reporting_webhooks")
PREFIX = {"pipelines_api": "/v1", "track_api": "", "app_api": "", "reporting_webhooks": ""}


def pipelines_auth(emu: Emulator) -> tuple[str, str]:
    return (emu.keys.pipelines_api_key, "")


def track_auth(emu: Emulator) -> tuple[str, str]:
    return (emu.keys.site_id, emu.keys.track_api_key)


def app_headers(emu: Emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {emu.keys.app_api_key}"}


def auth_kwargs(emu: Emulator, api: str) -> dict[str, Any]:
    if api == "pipelines_api":
        return {"auth": pipelines_auth(emu)}
    if api == "track_api":
        return {"auth": track_auth(emu)}
    return {"headers": app_headers(emu)}


def concrete_path(api: str, template: str) -> str:
    """The spec path with every {param} filled with a value its schema accepts."""
    return PREFIX[api] + re.sub(r"\{[^}]+\}", "1", template)


def spec_operations(api: str) -> list[tuple[str, str, str]]:
    """(method, template, operationId) for every operation of ``api``."""
    return [(m, p, op["operationId"]) for m, p, op in operations(api)]  # type: ignore[arg-type]


def request_examples(api: str) -> list[tuple[str, Any]]:
    """(operationId, body) for every request example in the spec's requestBody content."""
    out = []
    for _, _, op in operations(api):  # type: ignore[arg-type]
        for media in (op.get("requestBody") or {}).get("content", {}).values():
            if "example" in media:
                out.append((op["operationId"], media["example"]))
            for ex in (media.get("examples") or {}).values():
                if "value" in ex:
                    out.append((op["operationId"], ex["value"]))
    return out


def curl_examples(api: str) -> list[tuple[str, Any]]:
    """(operationId, body) parsed from the specs' cURL code samples (--data / --data-raw)."""
    out = []
    for _, _, op in operations(api):  # type: ignore[arg-type]
        if "requestBody" not in op:
            continue
        for sample in op.get("x-codeSamples", []):
            label = f"{sample.get('lang', '')} {sample.get('label', '')}".lower()
            if "curl" not in label:
                continue
            m = re.search(
                r"(?:--data-raw|--data-binary|--data|-d)\s+'(.*?)'\s*(?:\\\n|$)", sample["source"], re.S
            )
            if m:
                out.append((op["operationId"], json.loads(m.group(1))))
    return out
