"""Reading an emulator error answer in any of the APIs' shapes, for tests that check which field it names."""

from __future__ import annotations

import re
from typing import Any

# Several errors in one string are joined with "; " before the next "<field>: " (messages hold "; " too).
_NEXT = re.compile(r"; (?=[A-Za-z_][\w.\[\]-]*: )")


def _pair(words: str) -> tuple[str, str]:
    # "<field>: <message>"; a message without a field has a space before its first colon, if any.
    head, sep, rest = words.partition(": ")
    return (head, rest) if sep and " " not in head else ("", words)


def error_pairs(response: Any) -> list[tuple[str, str]]:
    """(field, message) of each error of an emulator error answer, whatever its API's shape ("" = no field)."""
    body = response.json()
    if isinstance(body, str):
        return [("", body)]
    if "code" in body:  # Data Pipelines
        return [_pair(w) for w in _NEXT.split(body["message"])]
    meta = body.get("meta") or {}
    if "error" in meta:  # App, Track's merge
        return [_pair(w) for w in _NEXT.split(meta["error"])]
    if "errors" in meta:  # Track
        return [_pair(w) for w in meta["errors"]]
    return [  # Track v2, and the App API's JSON:API errors (source names the field)
        (e.get("field") or next(iter((e.get("source") or {}).values()), ""), e.get("message") or e.get("detail"))
        for e in body["errors"]
    ]


def error_fields(response: Any) -> list[str]:
    """The field each error of an emulator error answer names."""
    return [f for f, _ in error_pairs(response)]


def error_text(response: Any) -> str:
    """Every error of an emulator error answer as one string of "<field>: <message>" parts."""
    return "; ".join(f"{f}: {m}" if f else m for f, m in error_pairs(response))
