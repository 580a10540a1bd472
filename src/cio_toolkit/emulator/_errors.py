"""The emulated APIs' error answers, in the shapes Customer.io answers them.

One table decides the shape from the API, the operation and the status, most specific first:
the spec's documented error schema for that operation and status; a 401 on Track and App (the
plain text ``Unauthorized request``); a shape one operation uses for every error (Track v2); the
API's default. Every emulator error answer (validation, auth, not found, too large, rate limit,
injected faults, crashes) is built here; the admin endpoints keep their own shape. Each message
names the field (``"<field>: <message>"``), or points at it where the shape has a place for it.
See ``specs/DIVERGENCES.md`` ("Error bodies") for the evidence behind each shape.
"""

from __future__ import annotations

import http
import re
from collections.abc import Callable, Mapping
from typing import Any

from starlette.responses import Response

from ._responses import json_response
from ._validate import ValidationIssue

__all__ = ["SCHEMA_ERRATA", "error_code", "error_response", "guess_api"]

Shape = Callable[[int, list[ValidationIssue]], Any]  # the JSON body (or a whole Response) for a status

_CODES = {400: "invalid_request", 413: "request_too_large", 422: "invalid_request", 429: "rate_limited"}
# Error schemas the spec contradicts with its own examples: their ``status`` is ``type: string``
# with an integer enum (nothing can match) and their ``detail`` enum lists the examples' summaries
# rather than the words the examples show. Answered as the examples show, so not checked.
SCHEMA_ERRATA = frozenset({
    ("app_api", "updateAttributeMetadata"),
    ("app_api", "updateEventMetadata"),
})


def error_code(status: int) -> str:
    """A short snake_case code for a status (``rate_limited``, ``not_found``, ``http_599``)."""
    if status in _CODES:
        return _CODES[status]
    try:
        return http.HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return f"http_{status}"


def _words(issue: ValidationIssue) -> str:
    return f"{issue.field}: {issue.message}" if issue.field else issue.message


def _joined(issues: list[ValidationIssue]) -> str:
    return "; ".join(_words(i) for i in issues)


def _unauthorized(status: int, issues: list[ValidationIssue]) -> Response:
    # What Track and App answer whatever was wrong with the credentials.
    return Response("Unauthorized request", status_code=status, media_type="text/plain")


def _meta_errors(status: int, issues: list[ValidationIssue]) -> Any:
    return {"meta": {"errors": [_words(i) for i in issues]}}


def _meta_error(status: int, issues: list[ValidationIssue]) -> Any:
    return {"meta": {"error": _joined(issues)}}


def _segment_not_found(status: int, issues: list[ValidationIssue]) -> Any:
    return "Segment not found"


def _track_v2(status: int, issues: list[ValidationIssue]) -> Any:
    return {"errors": [{"reason": error_code(status), "field": i.field or "body", "message": i.message}
                       for i in issues]}


def _source(field: str) -> dict[str, str]:
    """JSON:API's ``source``: a JSON pointer into the body, else the parameter or header named."""
    where, _, rest = field.partition(".")
    if where == "body":
        return {"pointer": "/" + "/".join(p for p in re.split(r"[.\[\]]+", rest) if p)}
    if where == "headers":
        return {"header": rest}
    return {"parameter": rest or where}


def _json_api(status: int, issues: list[ValidationIssue]) -> Any:
    return {"errors": [{"detail": i.message, "status": str(status), **({"source": _source(i.field)} if i.field else {})}
                       for i in issues]}


def _code_message(status: int, issues: list[ValidationIssue]) -> Any:
    # The official Python CDP SDK reads exactly these two keys (payload['code'], payload['message']).
    return {"code": error_code(status), "message": _joined(issues)}


# (api, operation, status): the spec documents that schema (where it documents the API's default,
# such as Track's add_device 400 or App's sendEmail 400, no row is needed); (api, operation, None):
# the operation's shape for every status.
_BY_OPERATION: dict[tuple[str, str, int | None], Shape] = {
    ("track_api", "merge", 400): _meta_error,
    ("track_api", "add_to_segment", 404): _segment_not_found,
    ("track_api", "remove_from_segment", 404): _segment_not_found,
    ("track_api", "entity", None): _track_v2,
    ("track_api", "batch", None): _track_v2,
    ("app_api", "getPersonSubscriptionPreferences", 400): _meta_errors,
    ("app_api", "updateAttributeMetadata", 400): _json_api,
    ("app_api", "updateAttributeMetadata", 422): _json_api,
    ("app_api", "updateEventMetadata", 400): _json_api,
    ("app_api", "updateEventMetadata", 422): _json_api,
    ("app_api", "triggerBroadcast", 422): _json_api,
    ("app_api", "deleteSnippet", 400): _json_api,
}
_BY_STATUS: dict[tuple[str, int], Shape] = {
    ("track_api", 401): _unauthorized,
    ("app_api", 401): _unauthorized,
    ("reporting_webhooks", 401): _unauthorized,
}
_DEFAULT: dict[str, Shape] = {
    "pipelines_api": _code_message,
    "track_api": _meta_errors,
    "app_api": _meta_error,
    "reporting_webhooks": _meta_error,
}


def _shape(api: str, operation_id: str | None, status: int) -> Shape:
    op = operation_id or ""
    return (
        _BY_OPERATION.get((api, op, status))
        or _BY_STATUS.get((api, status))
        or _BY_OPERATION.get((api, op, None))
        or _DEFAULT.get(api, _meta_error)
    )


def error_response(
    api: str,
    operation_id: str | None,
    status: int,
    issues: list[ValidationIssue],
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The error answer of ``api`` (its ``operation_id``, when routed) for ``status`` and ``issues``."""
    body = _shape(api, operation_id, status)(status, issues)
    if isinstance(body, Response):
        body.headers.update(headers or {})
        return body
    return json_response(status, body, headers)


def guess_api(path: str, headers: Mapping[str, str]) -> str:
    """The API a request no operation matched was meant for, so its 404 or 405 is in that API's shape.

    Track's paths start ``/api/`` (or ``/unsubscribe/``); on ``/v1/``, Basic credentials mean the
    Data Pipelines API (the App API takes a Bearer key).
    """
    if path.startswith(("/api/", "/unsubscribe/")):
        return "track_api"
    basic = headers.get("authorization", "").lower().startswith("basic ")
    return "pipelines_api" if basic and path.startswith("/v1/") else "app_api"
