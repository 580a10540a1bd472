"""JSON answers shared by the API pipeline and the admin routes, the admin error shape, and a constant-time key check."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from ._validate import ValidationIssue

__all__ = ["errors", "json_response", "same_secret"]


def json_response(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response (non-string keys and unknown types as text)."""
    return Response(
        orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS, default=str),
        status_code=status,
        headers=dict(headers or {}),
        media_type="application/json",
    )


def errors(status: int, issues: list[ValidationIssue], headers: Mapping[str, str] | None = None) -> Response:
    """The admin endpoints' error shape: ``{"errors": [{"field", "message"}]}`` (API errors: :mod:`._errors`)."""
    return json_response(status, {"errors": [{"field": i.field, "message": i.message} for i in issues]}, headers)


def same_secret(a: str, b: str) -> bool:
    """Compare two keys in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
