"""The Starlette application: one port serving the Pipelines, Track, App and webhook-management APIs.

Every API request goes through the same pipeline: route by spec path (HEAD as GET, without a
body) -> injected faults -> credentials (401) -> rate limit (429) -> body read with its size cap
(413, see :mod:`._body`) -> spec validation (400/422, or the Pipelines API's permissive 200) ->
the registered handler (501 when none) -> request log.

The admin endpoints under ``/_emulator/`` answer loopback clients whose Host header names this
emulator (a loopback name, the address the connection arrived at, or a configured host) and
that send no foreign Origin, or any client with the App API key as a Bearer token; requests
that change state take a JSON body or none. Links the emulator hands out are built from its own
address, never from an unchecked Host header.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import hmac
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
from ._faults import Faults
from ._hosts import is_loopback, own_host, split_host
from ._limits import LIMITS, RateLimits, limit_class
from ._log import RequestLog, mask_headers
from ._registry import (
    EmulatorHTTPError,
    RequestContext,
    discover,
    get_handler,
    run_app_start,
    run_seed,
    run_serving,
)
from ._store import Store
from ._validate import Operation, SpecValidator, ValidationIssue, is_json_type, shared_validator
from .handlers.webhooks import delivery_report

__all__ = ["TRANSPORT_STATE_KEY", "EmulatorState", "create_app"]

logger = logging.getLogger("cio_toolkit.emulator")

# The server's protocol class puts each connection's transport here (scope["state"]), which
# is how a "dropped connection" fault closes the socket without any HTTP answer.
TRANSPORT_STATE_KEY = "cio_emulator_transport"
# Spec routing order; the App API is last because its /v1/... paths are the most general.
_ROUTING = (
    ("pipelines_api", "/v1"),
    ("track_api", ""),
    ("reporting_webhooks", ""),
    ("app_api", ""),
)
_API_LABEL = {
    "pipelines_api": "Data Pipelines API: Basic auth with the API key as user name and an empty password",
    "track_api": "Track API: Basic auth with site_id:api_key",
    "app_api": "App API: Bearer App API key",
    "reporting_webhooks": "App API: Bearer App API key",
}
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
_request_ids = itertools.count(1)
_ID_PREFIX = os.urandom(3).hex()


def _json(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS, default=str),
        status_code=status,
        headers=dict(headers or {}),
        media_type="application/json",
    )


def _errors(status: int, issues: list[ValidationIssue], headers: Mapping[str, str] | None = None) -> Response:
    return _json(status, {"errors": [{"field": i.field, "message": i.message} for i in issues]}, headers)


class EmulatorState:
    """Everything one emulator instance shares between requests (``app.state.emulator``)."""

    def __init__(self, config: EmulatorConfig, store: Store | None = None) -> None:
        self.config = config
        self.store = store or Store(config.db)
        self.faults = Faults(config.faults)
        self.limits = RateLimits(config.rate_limits)
        self.log = RequestLog(
            config.log,
            bodies=config.log_bodies,
            history=config.request_history,
            history_bytes=config.history_bytes,
            body_bytes=config.log_body_bytes,
        )
        self.validators: dict[str, SpecValidator] = {api: shared_validator(api) for api, _ in _ROUTING}  # type: ignore[arg-type]
        self.dropped: collections.deque[dict[str, Any]] = collections.deque(maxlen=1000)
        self.started_at = time.time()
        self._serving_loop: asyncio.AbstractEventLoop | None = None

    def serving(self) -> None:
        """Run the ``on_serving`` hooks once per event loop; call it from inside the loop.

        The app's lifespan startup calls it; the first request calls it too, for servers that
        run without lifespan events.
        """
        loop = asyncio.get_running_loop()
        if self._serving_loop is loop:
            return
        self._serving_loop = loop
        run_serving(self)

    def route(self, method: str, path: str) -> tuple[str, Operation, dict[str, str]] | None:
        """Find the spec operation for a raw (still percent-encoded) request path."""
        for api, prefix in _ROUTING:
            if prefix:
                if not path.startswith(prefix + "/"):
                    continue
                sub = path[len(prefix) :]
            else:
                sub = path
            found = self.validators[api].match_operation(method, sub)
            if found is not None:
                return api, found[0], found[1]
        return None

    def count(self, name: str, n: int = 1) -> None:
        """Add to one of the store's counters."""
        self.store.counters[name] += n


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


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _authorized(state: EmulatorState, api: str, op: Operation, headers: Mapping[str, str]) -> bool:
    if not op.security:
        return True
    auth = headers.get("authorization", "")
    keys = state.config.keys
    if api == "pipelines_api":
        # The API key is the user name and the password is empty, as the service requires.
        creds = _basic(auth)
        return creds is not None and _same(creds[0], keys.pipelines_api_key) and creds[1] == ""
    if api == "track_api":
        creds = _basic(auth)
        return creds is not None and _same(creds[0], keys.site_id) and _same(creds[1], keys.track_api_key)
    scheme, _, token = auth.partition(" ")
    return scheme.lower() == "bearer" and _same(token.strip(), keys.app_api_key)


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
        return _json(status, body)
    if isinstance(result, dict | list):
        return _json(200, result)
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
    state.serving()
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
        response = _json(
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
            return _errors(
                405,
                [ValidationIssue("method", f"{method} is not allowed on {path}; use {', '.join(allowed)}")],
                {"allow": ", ".join(allowed)},
            )
        return _errors(404, [ValidationIssue("path", f"no Customer.io API operation for {method} {path}")])
    api, op, path_params = routed
    entry["api"], entry["operationId"] = api, op.operation_id

    fault = state.faults.decide(path)
    if fault.latency_s:
        await asyncio.sleep(fault.latency_s)
    if fault.kind == "drop":
        entry["fault"] = "drop"
        if await _drop_connection(request):
            return _DROPPED
        return _json(502, {"errors": [{"field": None, "message": "injected fault: dropped connection"}]})
    if fault.kind == "429":
        entry["fault"] = "429"
        return _json(
            429,
            {"errors": [{"field": None, "message": "injected fault: rate limit exceeded"}]},
            {"retry-after": str(fault.retry_after)},
        )
    if fault.kind == "error":
        entry["fault"] = "error"
        return _json(fault.status, {"errors": [{"field": None, "message": "injected fault: server error"}]})

    if not _authorized(state, api, op, headers):
        state.count("unauthorized")
        entry["auth"] = "invalid"
        return _errors(
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
        return _json(
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
            return _json(200, {}), incoming, None
        return _errors(413, [too_large]), incoming, None
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
            return _json(200, {}), incoming, body
        if enforce:
            return _errors(_invalid_status(op), issues), incoming, body
        state.count("invalid_accepted")

    fn = get_handler(api, op.operation_id)
    if fn is None:
        state.count("not_implemented")
        return (
            _json(
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
        return _errors(exc.status, [ValidationIssue(exc.field or "", exc.message)]), incoming, body
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


# --- admin endpoints (/_emulator/...) ---------------------------------------------------------


def _has_app_key(request: Request) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    key = request.app.state.emulator.config.keys.app_api_key
    return scheme.lower() == "bearer" and _same(token.strip(), key)


def _admin_refusal(request: Request, config: EmulatorConfig) -> Response | None:
    """Why an admin request is refused (403/415), or None.

    A web page the user visits can reach a loopback port: its cross-origin POSTs carry an Origin,
    and a DNS-rebinding page sends its own host name as Host, so both are refused unless the
    request carries the App API key (which a page cannot add without CORS).
    """
    if _has_app_key(request):
        return None
    if not is_loopback(request.client.host if request.client else ""):
        message = "admin endpoints answer loopback clients, or the App API key as a Bearer token"
        return _errors(403, [ValidationIssue("headers.authorization", message)])
    host = split_host(request.headers.get("host", ""))
    if host is None or not own_host(host[0], request, config):
        message = (
            f"Host {request.headers.get('host', '')[:80]!r} is not this emulator; admin endpoints want a "
            "loopback name, the address it listens on, or a configured host"
        )
        return _errors(403, [ValidationIssue("headers.host", message)])
    origin = request.headers.get("origin")
    if origin is not None:
        # Same origin only: another local port (a dev server) is another origin.
        scheme, sep, netloc = origin.partition("://")
        if not (sep and scheme.lower() in ("http", "https") and split_host(netloc) == host):
            message = f"cross-origin admin requests are refused (Origin {origin[:80]!r})"
            return _errors(403, [ValidationIssue("headers.origin", message)])
    if request.method not in ("GET", "HEAD"):
        ctype = request.headers.get("content-type")
        has_body = request.headers.get("content-length", "0").strip() not in ("", "0") or (
            "transfer-encoding" in request.headers
        )
        if (ctype is not None and not is_json_type(ctype)) or (ctype is None and has_body):
            message = f"expected application/json, got {(ctype or 'no Content-Type')[:60]}"
            return _errors(415, [ValidationIssue("headers.content-type", message)])
    return None


def _admin(fn: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        state: EmulatorState = request.app.state.emulator
        refused = _admin_refusal(request, state.config)
        if refused is not None:
            return refused
        state.serving()
        return await fn(request, state)

    endpoint.__name__ = fn.__name__
    return endpoint


async def _health(request: Request, state: EmulatorState) -> Response:
    return _json(
        200,
        {
            "status": "ok",
            "apis": [api for api, _ in _ROUTING],
            "uptime_s": round(time.time() - state.started_at, 3),
            "db": state.config.db,
            "strict": state.config.strict,
            "rate_limits": state.limits.enabled,
        },
    )


async def _faults(request: Request, state: EmulatorState) -> Response:
    from cio_toolkit._exceptions import ValidationError

    if request.method == "DELETE":
        state.faults.reset()
    elif request.method == "POST":
        incoming = await read_body(request, request.headers, limit=None)
        if incoming.over_cap:
            return _errors(413, [incoming.too_large()])
        changes, issue = ({}, incoming.issue) if incoming.issue or not incoming.data.strip() else parse_json(
            incoming.data
        )
        if issue is not None:
            return _errors(400, [issue])
        if not isinstance(changes, dict):
            return _errors(400, [ValidationIssue("body", "expected a JSON object of fault settings")])
        try:
            state.faults.update(**changes)
        except ValidationError as exc:
            return _errors(400, [ValidationIssue(f"body.{exc.field}" if exc.field else "body", exc.message)])
    return _json(200, state.faults.as_dict())


async def _people(request: Request, state: EmulatorState) -> Response:
    return _json(200, state.store.people())


async def _events(request: Request, state: EmulatorState) -> Response:
    name = request.query_params.get("name")
    return _json(200, state.store.events(name=name))


async def _counters(request: Request, state: EmulatorState) -> Response:
    return _json(200, dict(state.store.counters))


async def _requests(request: Request, state: EmulatorState) -> Response:
    try:
        limit = int(request.query_params.get("limit", "100"))
    except ValueError:
        return _errors(400, [ValidationIssue("query.limit", "expected an integer")])
    return _json(200, state.log.recent(max(0, limit)))


async def _dropped(request: Request, state: EmulatorState) -> Response:
    return _json(200, list(state.dropped))


async def _webhook_deliveries(request: Request, state: EmulatorState) -> Response:
    # Read-only: per-webhook counts and the last attempts of the reporting-webhook sender.
    params: dict[str, int] = {}
    for name, default in (("limit", "50"), ("webhook_id", None)):
        raw = request.query_params.get(name, default)
        if raw is None:
            continue
        try:
            params[name] = int(raw)
        except ValueError:
            return _errors(400, [ValidationIssue(f"query.{name}", f"expected an integer, got {raw[:40]!r}")])
    if params["limit"] < 0:
        return _errors(400, [ValidationIssue("query.limit", f"must be >= 0, got {params['limit']}")])
    return _json(200, delivery_report(state.store, **params))


async def _files(request: Request, state: EmulatorState) -> Response:
    # Downloadable files handlers put in the store (kv namespace "emulator_files"), e.g. exports.
    entry = state.store.kv_get("emulator_files", request.path_params["file_id"])
    if not isinstance(entry, dict):
        return _errors(404, [ValidationIssue("path.file_id", "no such file")])
    if entry.get("expires_at") is not None and time.time() > float(entry["expires_at"]):
        return _errors(403, [ValidationIssue("path.file_id", "the signed link has expired")])
    return Response(
        base64.b64decode(entry["data"]),
        media_type=entry.get("content_type") or "application/octet-stream",
        headers={"content-disposition": f'attachment; filename="{entry.get("name") or "download"}"'},
    )


async def _reset(request: Request, state: EmulatorState) -> Response:
    state.store.reset()
    state.faults.reset()
    state.limits.reset()
    state.log.clear()
    state.dropped.clear()
    return _json(200, {"status": "reset"})


def create_app(config: EmulatorConfig, *, store: Store | None = None) -> Starlette:
    """Build the emulator's ASGI app for ``config`` (state in ``app.state.emulator``)."""
    discover()
    state = EmulatorState(config, store)
    if config.seed:
        run_seed(config.seed, state.store)
    run_app_start(state)
    admin = [
        Route("/health", _admin(_health), methods=["GET"]),
        Route("/faults", _admin(_faults), methods=["GET", "POST", "DELETE"]),
        Route("/people", _admin(_people), methods=["GET"]),
        Route("/events", _admin(_events), methods=["GET"]),
        Route("/counters", _admin(_counters), methods=["GET"]),
        Route("/requests", _admin(_requests), methods=["GET"]),
        Route("/dropped", _admin(_dropped), methods=["GET"]),
        Route("/webhook_deliveries", _admin(_webhook_deliveries), methods=["GET"]),
        Route("/reset", _admin(_reset), methods=["POST"]),
        Route("/files/{file_id}", _admin(_files), methods=["GET"]),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.serving()  # on the server's loop, before the first request is accepted
        yield

    app = Starlette(
        routes=[
            Mount("/_emulator", routes=admin),
            Route("/{path:path}", _dispatch, methods=list(_METHODS)),  # HEAD comes with GET
        ],
        lifespan=lifespan,
    )
    app.state.emulator = state
    return app
