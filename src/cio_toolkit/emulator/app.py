"""The Starlette application: one port serving the Pipelines, Track, App and webhook-management APIs.

Every API request goes through the same pipeline, one small step each: route by spec path
(HEAD as GET, without a body) -> injected faults -> credentials (401) -> rate limit (429) ->
body read with its size cap (413, see :mod:`._body`) -> spec validation (400/422, or the
Pipelines API's permissive 200) -> the registered handler (501 when none) -> response check ->
request log. The admin endpoints under ``/_emulator/`` are in :mod:`.admin`. Links the emulator
hands out are built from its own address, never from an unchecked Host header.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import itertools
import logging
import os
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from ._body import Body, body_limit, parse_json, read_body
from ._config import EmulatorConfig
from ._limits import LIMITS, limit_class
from ._log import mask_headers
from ._responses import errors, json_response, same_secret
from ._validate import Operation, ValidationIssue
from .admin import admin_routes
from .models import Store
from .registry import (
    EmulatorHTTPError,
    RequestContext,
    discover,
    get_handler,
    run_app_start,
    run_seed,
    serving,
)
from .state import EmulatorState

__all__ = ["TRANSPORT_STATE_KEY", "EmulatorState", "create_app"]

logger = logging.getLogger("cio_toolkit.emulator")

# The server's protocol class puts each connection's transport here (scope["state"]), which
# is how a "dropped connection" fault closes the socket without any HTTP answer.
TRANSPORT_STATE_KEY = "cio_emulator_transport"
_API_LABEL = {
    "pipelines_api": "Data Pipelines API: Basic auth with the API key as user name and an empty password",
    "track_api": "Track API: Basic auth with site_id:api_key",
    "app_api": "App API: Bearer App API key",
    "reporting_webhooks": "App API: Bearer App API key",
}
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
_request_ids = itertools.count(1)
_ID_PREFIX = os.urandom(3).hex()


def _basic(header: str) -> tuple[str, str] | None:
    """(user, password) of Basic credentials; None unless they are ``user:password`` (RFC 7617)."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, colon, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if colon else None


def _authorized(state: EmulatorState, api: str, op: Operation, headers: Mapping[str, str]) -> bool:
    if not op.security:
        return True
    auth = headers.get("authorization", "")
    keys = state.config.keys
    if api == "pipelines_api":
        # The API key is the user name and the password is empty, as the service requires.
        creds = _basic(auth)
        return creds is not None and same_secret(creds[0], keys.pipelines_api_key) and creds[1] == ""
    if api == "track_api":
        creds = _basic(auth)
        return creds is not None and same_secret(creds[0], keys.site_id) and same_secret(creds[1], keys.track_api_key)
    scheme, _, token = auth.partition(" ")
    return scheme.lower() == "bearer" and same_secret(token.strip(), keys.app_api_key)


def _invalid_status(op: Operation) -> int:
    documented = {str(k) for k in op.responses}
    return 422 if "422" in documented and "400" not in documented else 400


async def _drop_connection(request: Request) -> bool:
    """Close the client's TCP connection without a response; False if the server cannot."""
    transport = request.scope.get("state", {}).get(TRANSPORT_STATE_KEY)
    if transport is None:
        return False
    transport.abort()
    # Let the server see the disconnect, so it does not try to answer 500 on a closed socket.
    for _ in range(3):
        try:
            message = await asyncio.wait_for(request.receive(), 1.0)
        except TimeoutError:
            break
        if message["type"] == "http.disconnect":
            break
    return True


def _without_null_ids(body: Any) -> Any:
    """Pipelines: a null userId/anonymousId counts as absent, as the API accepts from analytics-python."""

    def clean(call: Any) -> Any:
        if isinstance(call, dict) and (call.get("userId", 0) is None or call.get("anonymousId", 0) is None):
            return {k: v for k, v in call.items() if not (k in ("userId", "anonymousId") and v is None)}
        return call

    if isinstance(body, dict) and isinstance(body.get("batch"), list):
        return {**body, "batch": [clean(item) for item in body["batch"]]}
    return clean(body)


def _normalize(result: Any) -> Response:
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(status_code=204)
    if isinstance(result, tuple):
        status, body = result
        if body is None:
            return Response(status_code=status)
        return json_response(status, body)
    if isinstance(result, dict | list):
        return json_response(200, result)
    raise TypeError(
        f"handler returned {type(result).__name__}; expected dict, list, (status, body), Response or None"
    )


def _response_json(response: Response) -> tuple[bool, Any]:
    if not (response.media_type or "").startswith("application/json"):
        return False, None
    body = getattr(response, "body", b"")
    if not body:
        return False, None
    try:
        return True, orjson.loads(body)
    except orjson.JSONDecodeError:
        return True, ValueError("response body is not valid JSON")


async def _dispatch(request: Request) -> Response:
    t0 = time.perf_counter()
    state: EmulatorState = request.app.state.emulator
    scope = request.scope
    method = request.method
    path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1").split("?", 1)[0]
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    request_id = f"{_ID_PREFIX}-{next(_request_ids)}"
    serving(state)
    entry: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "api": None,
        "operationId": None,
        "method": method,
        "path": path,
        "status": None,
        "validation": None,  # "ok" or the error list once validated; None = answered before validation
        "request_id": request_id,
    }
    incoming: Body | None = None
    body: Any = None
    state.count("requests")
    try:
        response = await _handle(request, state, method, path, headers, entry)
        if isinstance(response, tuple):  # (response, body as read, parsed body) when the body was read
            response, incoming, body = response
    except Exception as exc:  # a crashing handler must still produce a JSON answer and a log line
        logger.exception("emulator error on %s %s", method, path)
        state.count("handler_errors")
        response = json_response(
            500, {"errors": [{"field": None, "message": f"emulator error: {type(exc).__name__}: {exc}"}]}
        )
    if response is _DROPPED:
        entry["status"] = None
        entry["fault"] = "drop"
    else:
        entry["status"] = response.status_code
        response.headers["x-request-id"] = request_id
        if entry["operationId"]:
            response.headers["x-cio-emulator-operation"] = f"{entry['api']}.{entry['operationId']}"
        if method == "HEAD" and hasattr(response, "body"):
            response.body = b""  # the GET answer's headers (Content-Length included), no body
    entry["duration_ms"] = round((time.perf_counter() - t0) * 1000, 3)
    if state.log.bodies:
        entry["query"] = {k: v for k, v in request.query_params.multi_items()}
        entry["headers"] = mask_headers(headers.items())
        if incoming is None:
            entry["body"] = None
        else:
            entry.update(state.log.body_fields(body, incoming.data, incoming.size, whole=not incoming.over_cap))
    state.log.record(entry)
    return response


_DROPPED = Response(status_code=599)  # sentinel: the connection was closed, nothing is sent


async def _handle(
    request: Request,
    state: EmulatorState,
    method: str,
    path: str,
    headers: dict[str, str],
    entry: dict[str, Any],
) -> Response | tuple[Response, Body, Any]:
    routed = state.route("GET" if method == "HEAD" else method, path)
    if routed is None:
        allowed = [m for m in _METHODS if state.route(m, path) is not None]
        if "GET" in allowed:
            allowed.insert(allowed.index("GET") + 1, "HEAD")
        entry["validation"] = ["path: no operation"]
        if allowed:
            return errors(
                405,
                [ValidationIssue("method", f"{method} is not allowed on {path}; use {', '.join(allowed)}")],
                {"allow": ", ".join(allowed)},
            )
        return errors(404, [ValidationIssue("path", f"no Customer.io API operation for {method} {path}")])
    api, op, path_params = routed
    entry["api"], entry["operationId"] = api, op.operation_id

    fault = state.faults.decide(path)
    if fault.latency_s:
        await asyncio.sleep(fault.latency_s)
    if fault.kind == "drop":
        entry["fault"] = "drop"
        if await _drop_connection(request):
            return _DROPPED
        return json_response(502, {"errors": [{"field": None, "message": "injected fault: dropped connection"}]})
    if fault.kind == "429":
        entry["fault"] = "429"
        return json_response(
            429,
            {"errors": [{"field": None, "message": "injected fault: rate limit exceeded"}]},
            {"retry-after": str(fault.retry_after)},
        )
    if fault.kind == "error":
        entry["fault"] = "error"
        return json_response(fault.status, {"errors": [{"field": None, "message": "injected fault: server error"}]})

    if not _authorized(state, api, op, headers):
        state.count("unauthorized")
        entry["auth"] = "invalid"
        return errors(
            401,
            [
                ValidationIssue(
                    "headers.authorization", f"invalid or missing credentials for the {_API_LABEL[api]}"
                )
            ],
            {
                "www-authenticate": "Bearer"
                if api in ("app_api", "reporting_webhooks")
                else 'Basic realm="customer.io"'
            },
        )

    wait = state.limits.check(api, op.operation_id)
    if wait is not None:
        state.count("rate_limited")
        entry["rate_limited"] = True
        budget, period = LIMITS[limit_class(api, op.operation_id)]
        return json_response(
            429,
            {
                "errors": [
                    {"field": None, "message": f"rate limit exceeded: {budget} requests per {period:g} s"}
                ]
            },
            {"retry-after": str(wait)},
        )

    config = state.config
    pipelines = api == "pipelines_api"
    strict_header = headers.get("x-strict-mode", "").strip() == "1"
    # Pipelines: errors are only answered with X-Strict-Mode: 1; otherwise 200 and the data is dropped.
    enforce = config.strict and (not pipelines or strict_header)
    limit = body_limit(api, op.operation_id)
    incoming = await read_body(request, headers, limit=limit)
    entry["body_read"], entry["body_size"] = incoming.received, incoming.size
    if incoming.over_cap:
        # Never parsed nor handled: the rest of the body is not even read.
        too_large = incoming.too_large()
        entry["validation"] = [str(too_large)]
        state.count("invalid")
        state.count("too_large")
        if pipelines and not strict_header:
            _drop(state, entry, op)
            return json_response(200, {}), incoming, None
        return errors(413, [too_large]), incoming, None
    body: Any = None
    issue = incoming.issue
    has_body = bool(incoming.data.strip())
    if issue is None and has_body:
        body, issue = parse_json(incoming.data)
    issues: list[ValidationIssue] = [issue] if issue else []
    if pipelines and not issues:
        body = _without_null_ids(body)
        if limit is not None and incoming.size > limit:
            issues.append(ValidationIssue("body", f"is {incoming.size} bytes; the limit is {limit} bytes"))
    if not issues:
        validator = state.validators[api]
        query = {k: request.query_params.getlist(k) for k in request.query_params}
        issues = validator.check_request(
            op,
            path_params,
            query,
            headers,
            body,
            has_body=has_body,
            content_type=headers.get("content-type"),
        )
    entry["validation"] = "ok"
    if issues:
        entry["validation"] = [str(i) for i in issues]
        state.count("invalid")
        if pipelines and config.strict and not enforce:
            _drop(state, entry, op)
            return json_response(200, {}), incoming, body
        if enforce:
            return errors(_invalid_status(op), issues), incoming, body
        state.count("invalid_accepted")

    fn = get_handler(api, op.operation_id)
    if fn is None:
        state.count("not_implemented")
        return (
            json_response(
                501,
                {
                    "errors": [
                        {
                            "field": None,
                            "message": f"operation {op.operation_id} ({api}: {op.method} {op.path}) "
                            "is not implemented by the emulator yet",
                        }
                    ],
                    "operationId": op.operation_id,
                },
            ),
            incoming,
            body,
        )
    ctx = RequestContext(
        api=api,
        operation_id=op.operation_id,
        method=method,
        path=path,
        path_params=path_params,
        query=request.query_params,
        headers=headers,
        body=body,
        raw_body=incoming.data,
        strict=enforce,
        store=state.store,
        config=config,
        state=state,
        request=request,
        validation_errors=[str(i) for i in issues],
        body_size=incoming.size,
        body_limit=limit,
    )
    try:
        response = _normalize(await fn(ctx))
    except EmulatorHTTPError as exc:
        return errors(exc.status, [ValidationIssue(exc.field or "", exc.message)]), incoming, body
    if config.validate_responses and 200 <= response.status_code < 300:
        is_json, payload = _response_json(response)
        if is_json:
            problems = (
                [f"body: {payload}"]
                if isinstance(payload, ValueError)
                else state.validators[api].validate_response(op.operation_id, response.status_code, payload)
            )
            if problems:
                state.count("invalid_responses")
                entry["response_validation"] = problems
                logger.warning(
                    "%s.%s answered a body the spec does not allow: %s", api, op.operation_id, problems[:3]
                )
    return response, incoming, body


def _drop(state: EmulatorState, entry: dict[str, Any], op: Operation) -> None:
    """Pipelines without X-Strict-Mode: the request is answered 200 and its data dropped."""
    state.count("dropped")
    state.dropped.append({"time": entry["time"], "operationId": op.operation_id, "errors": entry["validation"]})


def create_app(config: EmulatorConfig, *, store: Store | None = None) -> Starlette:
    """Build the emulator's ASGI app for ``config`` (state in ``app.state.emulator``)."""
    discover()
    state = EmulatorState(config, store)
    if config.seed:
        run_seed(config.seed, state.store)
    run_app_start(state)
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        serving(state)  # on the server's loop, before the first request is accepted
        yield

    app = Starlette(
        routes=[
            Mount("/_emulator", routes=admin_routes()),
            Route("/{path:path}", _dispatch, methods=list(_METHODS)),  # HEAD comes with GET
        ],
        lifespan=lifespan,
    )
    app.state.emulator = state
    return app
