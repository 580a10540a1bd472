"""The Starlette application: one port serving the Pipelines, Track, App and webhook-management APIs.

Every API request goes through the same pipeline, one small function per step, each answering
early or passing the request (a ``_Call``) on: route by spec path (HEAD as GET, without a body;
404, or 405 with Allow) -> injected faults -> credentials (401) -> rate limit (429) -> body read
with its size cap (413, see :mod:`._body`) and parse -> spec validation (400/422, or the
Pipelines API's permissive 200 that drops the data) -> the registered handler (501 when none)
-> response check -> request log. Every error answer goes through ``_fail``, in its API's
shape for the operation and status (:mod:`._errors`), checked where the spec documents one.
The admin endpoints under ``/_emulator/`` are in :mod:`.admin`. Links the emulator hands out
are built from its own address, never from an unchecked Host header.
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from ._body import Body, body_limit, parse_json, read_body
from ._config import EmulatorConfig
from ._errors import SCHEMA_ERRATA, error_response, guess_api
from ._limits import LIMITS, limit_class
from ._log import mask_headers
from ._responses import json_response, same_secret
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


@dataclass(slots=True)
class _Call:
    """One API request as it moves through the steps; each step fills in what the next needs."""

    request: Request
    state: EmulatorState
    method: str
    path: str
    headers: dict[str, str]
    entry: dict[str, Any]  # the request log entry, completed step by step
    api: str = ""
    op: Operation = field(init=False)
    path_params: dict[str, str] = field(default_factory=dict)
    incoming: Body | None = None  # the body as read, once read
    limit: int | None = None  # the operation's documented body size limit
    body: Any = None  # the parsed JSON body
    issues: list[ValidationIssue] = field(default_factory=list)
    strict_header: bool = False  # X-Strict-Mode: 1
    enforce: bool = True  # answer validation errors (else accept, or for Pipelines drop)


_DROPPED = Response(status_code=599)  # sentinel: the connection was closed, nothing is sent


def _fail(
    call: _Call,
    status: int,
    issues: list[ValidationIssue] | str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Every error answer of the pipeline, in its API's shape for the operation and status (see :mod:`._errors`).

    ``issues`` as a plain string is one message with no field (faults, limits, crashes).
    """
    listed = [ValidationIssue("", issues)] if isinstance(issues, str) else issues
    api = call.api or guess_api(call.path, call.headers)
    response = error_response(api, call.entry["operationId"], status, listed, headers)
    if call.entry["operationId"] and _documents_error(call, status):
        _check_response(call, response)
    return response


def _documents_error(call: _Call, status: int) -> bool:
    # Only a documented error schema can be checked; errata are answered as the spec's examples show.
    return str(status) in call.op.responses and (call.api, call.op.operation_id) not in SCHEMA_ERRATA


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
    call = _Call(request, state, method, path, headers, entry)
    state.count("requests")
    try:
        response = await _handle(call)
    except ClientDisconnect:
        # The client went away mid-body (a killed process, a timeout): nobody reads an answer, and
        # it is no server error. Logged with no status, as a dropped connection is.
        call.incoming = None
        entry["client_closed"] = True
        response = _DROPPED
    except Exception as exc:  # a crashing handler must still produce a JSON answer and a log line
        logger.exception("emulator error on %s %s", method, path)
        state.count("handler_errors")
        call.incoming = None  # the log shows no body for a crashed request, as before the split
        response = _fail(call, 500, f"emulator error: {type(exc).__name__}: {exc}")
    if response is _DROPPED:
        entry["status"] = None
        if not entry.get("client_closed"):
            entry["fault"] = "drop"
    else:
        entry["status"] = response.status_code
        response.headers["x-request-id"] = request_id
        if entry["operationId"]:
            response.headers["x-cio-emulator-operation"] = f"{entry['api']}.{entry['operationId']}"
        if method == "HEAD" and hasattr(response, "body"):
            response.body = b""  # the GET answer's headers (Content-Length included), no body
    entry["duration_ms"] = round((time.perf_counter() - t0) * 1000, 3)
    _log(call)
    return response


async def _handle(call: _Call) -> Response:
    """The pipeline: each step answers early (a Response) or passes the request on (None)."""
    for step in (_route, _inject_fault, _authenticate, _rate_limit, _read_body, _validate):
        early = await step(call)
        if early is not None:
            return early
    return await _run_handler(call)


async def _route(call: _Call) -> Response | None:
    """Find the spec operation (HEAD as GET); 405 with Allow for a known path, else 404."""
    state, method, path = call.state, call.method, call.path
    routed = state.route("GET" if method == "HEAD" else method, path)
    if routed is None:
        others = {m: found for m in _METHODS if (found := state.route(m, path)) is not None}
        allowed = list(others)
        if "GET" in allowed:
            allowed.insert(allowed.index("GET") + 1, "HEAD")
        call.entry["validation"] = ["path: no operation"]
        if others:
            call.api = next(iter(others.values()))[0]  # answered in the shape of the API the path belongs to
            return _fail(
                call,
                405,
                [ValidationIssue("method", f"{method} is not allowed on {path}; use {', '.join(allowed)}")],
                {"allow": ", ".join(allowed)},
            )
        return _fail(call, 404, [ValidationIssue("path", f"no Customer.io API operation for {method} {path}")])
    call.api, call.op, call.path_params = routed
    call.entry["api"], call.entry["operationId"] = call.api, call.op.operation_id
    return None


async def _inject_fault(call: _Call) -> Response | None:
    """The configured faults: added latency, a dropped connection, a forced 429 or 5xx."""
    fault = call.state.faults.decide(call.path)
    if fault.latency_s:
        await asyncio.sleep(fault.latency_s)
    if fault.kind is None:
        return None
    call.entry["fault"] = fault.kind
    if fault.kind == "drop":
        if await _drop_connection(call.request):
            return _DROPPED
        return _fail(call, 502, "injected fault: dropped connection")
    if fault.kind == "429":
        return _fail(call, 429, "injected fault: rate limit exceeded", {"retry-after": str(fault.retry_after)})
    return _fail(call, fault.status, "injected fault: server error")


async def _authenticate(call: _Call) -> Response | None:
    """401 unless the request carries this API's credentials."""
    if _authorized(call.state, call.api, call.op, call.headers):
        return None
    call.state.count("unauthorized")
    call.entry["auth"] = "invalid"
    bearer = call.api in ("app_api", "reporting_webhooks")
    return _fail(
        call,
        401,
        [ValidationIssue("headers.authorization", f"invalid or missing credentials for the {_API_LABEL[call.api]}")],
        {"www-authenticate": "Bearer" if bearer else 'Basic realm="customer.io"'},
    )


async def _rate_limit(call: _Call) -> Response | None:
    """429 with Retry-After once the operation's budget is spent."""
    wait = call.state.limits.check(call.api, call.op.operation_id)
    if wait is None:
        return None
    call.state.count("rate_limited")
    call.entry["rate_limited"] = True
    budget, period = LIMITS[limit_class(call.api, call.op.operation_id)]
    return _fail(call, 429, f"rate limit exceeded: {budget} requests per {period:g} s", {"retry-after": str(wait)})


async def _read_body(call: _Call) -> Response | None:
    """Read the body up to the operation's cap (413 past it, never parsed) and parse its JSON."""
    call.strict_header = call.headers.get("x-strict-mode", "").strip() == "1"
    pipelines = call.api == "pipelines_api"
    # Pipelines: errors are only answered with X-Strict-Mode: 1; otherwise 200 and the data is dropped.
    call.enforce = call.state.config.strict and (not pipelines or call.strict_header)
    call.limit = body_limit(call.api, call.op.operation_id)
    incoming = call.incoming = await read_body(call.request, call.headers, limit=call.limit)
    call.entry["body_read"], call.entry["body_size"] = incoming.received, incoming.size
    if incoming.over_cap:
        # Never parsed nor handled: the rest of the body is not even read.
        too_large = incoming.too_large()
        call.entry["validation"] = [str(too_large)]
        call.state.count("invalid")
        call.state.count("too_large")
        if pipelines and not call.strict_header:
            return _drop(call)
        return _fail(call, 413, [too_large])
    issue = incoming.issue
    if issue is None and incoming.data.strip():
        call.body, issue = parse_json(incoming.data)
    call.issues = [issue] if issue else []
    if pipelines and not call.issues:
        call.body = _without_null_ids(call.body)
        if call.limit is not None and incoming.size > call.limit:
            call.issues.append(
                ValidationIssue("body", f"is {incoming.size} bytes; the limit is {call.limit} bytes")
            )
    return None


async def _validate(call: _Call) -> Response | None:
    """Check the request against the spec: 400/422 when enforced, else accepted (or dropped)."""
    assert call.incoming is not None  # read by the step before
    request, headers = call.request, call.headers
    if not call.issues:
        query = {k: request.query_params.getlist(k) for k in request.query_params}
        call.issues = call.state.validators[call.api].check_request(
            call.op,
            call.path_params,
            query,
            headers,
            call.body,
            has_body=bool(call.incoming.data.strip()),
            content_type=headers.get("content-type"),
        )
    call.entry["validation"] = "ok"
    if not call.issues:
        return None
    call.entry["validation"] = [str(i) for i in call.issues]
    call.state.count("invalid")
    if call.api == "pipelines_api" and call.state.config.strict and not call.enforce:
        return _drop(call)
    if call.enforce:
        return _fail(call, _invalid_status(call.op), call.issues)
    call.state.count("invalid_accepted")
    return None


async def _run_handler(call: _Call) -> Response:
    """The registered handler's answer (501 when none; EmulatorHTTPError as its status), then checked."""
    state, op, api = call.state, call.op, call.api
    assert call.incoming is not None
    fn = get_handler(api, op.operation_id)
    if fn is None:
        state.count("not_implemented")
        message = f"operation {op.operation_id} ({api}: {op.method} {op.path}) is not implemented by the emulator yet"
        return _fail(call, 501, message)
    ctx = RequestContext(
        api=api,
        operation_id=op.operation_id,
        method=call.method,
        path=call.path,
        path_params=call.path_params,
        query=call.request.query_params,
        headers=call.headers,
        body=call.body,
        raw_body=call.incoming.data,
        strict=call.enforce,
        store=state.store,
        config=state.config,
        state=state,
        request=call.request,
        validation_errors=[str(i) for i in call.issues],
        body_size=call.incoming.size,
        body_limit=call.limit,
    )
    try:
        response = _normalize(await fn(ctx))
    except EmulatorHTTPError as exc:
        return _fail(call, exc.status, exc.issues)
    finally:
        if ctx.validation_errors and call.entry["validation"] == "ok":
            # Items a handler judged one by one (a batch's) and refused: the log says so, as for a body.
            call.entry["validation"] = list(ctx.validation_errors)
    if 200 <= response.status_code < 300 or _documents_error(call, response.status_code):
        _check_response(call, response)
    return response


def _check_response(call: _Call, response: Response) -> None:
    """Count and log (never refuse) a success or documented error body the spec does not allow."""
    if not call.state.config.validate_responses:
        return
    is_json, payload = _response_json(response)
    if not is_json:
        return
    problems = (
        [f"body: {payload}"]
        if isinstance(payload, ValueError)
        else call.state.validators[call.api].validate_response(call.op.operation_id, response.status_code, payload)
    )
    if problems:
        call.state.count("invalid_responses")
        call.entry["response_validation"] = problems
        logger.warning(
            "%s.%s answered a body the spec does not allow: %s", call.api, call.op.operation_id, problems[:3]
        )


def _drop(call: _Call) -> Response:
    """Pipelines without X-Strict-Mode: the request is answered 200 and its data dropped."""
    call.state.count("dropped")
    call.state.dropped.append(
        {"time": call.entry["time"], "operationId": call.op.operation_id, "errors": call.entry["validation"]}
    )
    return json_response(200, {})


def _log(call: _Call) -> None:
    """Complete the request's log entry (query, masked headers and body when bodies are logged) and record it."""
    entry, state, incoming = call.entry, call.state, call.incoming
    if state.log.bodies:
        entry["query"] = {k: v for k, v in call.request.query_params.multi_items()}
        entry["headers"] = mask_headers(call.headers.items())
        if incoming is None:
            entry["body"] = None
        else:
            entry.update(state.log.body_fields(call.body, incoming.data, incoming.size, whole=not incoming.over_cap))
    state.log.record(entry)


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
