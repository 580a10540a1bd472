"""The admin routes under ``/_emulator/``: health, faults, the clock, state inspection, files and reset.

They answer loopback clients whose Host header names this emulator (a loopback name, the
address the connection arrived at, or a configured host) and that send no foreign Origin, or
any client with the App API key as a Bearer token; requests that change state take a JSON body
or none.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cio_toolkit._exceptions import ValidationError

from ._body import parse_json, read_body
from ._config import EmulatorConfig
from ._hosts import is_loopback, own_host, split_host
from ._responses import errors, json_response, same_secret
from ._validate import ValidationIssue, is_json_type
from .registry import serving
from .services.scheduler import move_clock
from .services.webhooks import delivery_report
from .state import ROUTING, EmulatorState

__all__ = ["admin_routes"]


def _has_app_key(request: Request) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    key = request.app.state.emulator.config.keys.app_api_key
    return scheme.lower() == "bearer" and same_secret(token.strip(), key)


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
        return errors(403, [ValidationIssue("headers.authorization", message)])
    host = split_host(request.headers.get("host", ""))
    if host is None or not own_host(host[0], request, config):
        message = (
            f"Host {request.headers.get('host', '')[:80]!r} is not this emulator; admin endpoints want a "
            "loopback name, the address it listens on, or a configured host"
        )
        return errors(403, [ValidationIssue("headers.host", message)])
    origin = request.headers.get("origin")
    if origin is not None:
        # Same origin only: another local port (a dev server) is another origin.
        scheme, sep, netloc = origin.partition("://")
        if not (sep and scheme.lower() in ("http", "https") and split_host(netloc) == host):
            message = f"cross-origin admin requests are refused (Origin {origin[:80]!r})"
            return errors(403, [ValidationIssue("headers.origin", message)])
    if request.method not in ("GET", "HEAD"):
        ctype = request.headers.get("content-type")
        has_body = request.headers.get("content-length", "0").strip() not in ("", "0") or (
            "transfer-encoding" in request.headers
        )
        if (ctype is not None and not is_json_type(ctype)) or (ctype is None and has_body):
            message = f"expected application/json, got {(ctype or 'no Content-Type')[:60]}"
            return errors(415, [ValidationIssue("headers.content-type", message)])
    return None


def _admin(fn: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        state: EmulatorState = request.app.state.emulator
        refused = _admin_refusal(request, state.config)
        if refused is not None:
            return refused
        serving(state)
        return await fn(request, state)

    endpoint.__name__ = fn.__name__
    return endpoint


async def _health(request: Request, state: EmulatorState) -> Response:
    return json_response(
        200,
        {
            "status": "ok",
            "apis": [api for api, _ in ROUTING],
            "uptime_s": round(time.time() - state.started_at, 3),
            "db": state.config.db,
            "strict": state.config.strict,
            "rate_limits": state.limits.enabled,
        },
    )


async def _json_object(request: Request, what: str) -> dict[str, Any] | Response:
    """The request's JSON object body (``{}`` when empty), or the error to answer."""
    incoming = await read_body(request, request.headers, limit=None)
    if incoming.over_cap:
        return errors(413, [incoming.too_large()])
    if incoming.issue is not None:
        return errors(400, [incoming.issue])
    if not incoming.data.strip():
        return {}
    data, issue = parse_json(incoming.data)
    if issue is not None:
        return errors(400, [issue])
    if not isinstance(data, dict):
        return errors(400, [ValidationIssue("body", f"expected a JSON object of {what}")])
    return data


def _invalid(exc: ValidationError) -> Response:
    return errors(400, [ValidationIssue(f"body.{exc.field}" if exc.field else "body", exc.message)])


async def _faults(request: Request, state: EmulatorState) -> Response:
    if request.method == "DELETE":
        state.faults.reset()
    elif request.method == "POST":
        changes = await _json_object(request, "fault settings")
        if isinstance(changes, Response):
            return changes
        try:
            state.faults.update(**changes)
        except ValidationError as exc:
            return _invalid(exc)
    return json_response(200, state.faults.as_dict())


async def _clock(request: Request, state: EmulatorState) -> Response:
    # POST {"advance": seconds} or {"now": unix}: move the clock and run what fell due before answering.
    if request.method == "GET":
        return json_response(200, {"now": state.clock.now(), "offset": state.clock.offset})
    move = await _json_object(request, "clock settings")
    if isinstance(move, Response):
        return move
    unknown = sorted(set(move) - {"advance", "now"})
    if unknown or len(move) > 1:
        message = f"expected one of advance (seconds) or now (unix time), got {sorted(move)}"
        return errors(400, [ValidationIssue(f"body.{unknown[0]}" if unknown else "body", message)])
    try:
        return json_response(200, move_clock(state, advance=move.get("advance"), to=move.get("now")))
    except ValidationError as exc:
        return _invalid(exc)


async def _people(request: Request, state: EmulatorState) -> Response:
    return json_response(200, state.store.people())


async def _events(request: Request, state: EmulatorState) -> Response:
    name = request.query_params.get("name")
    return json_response(200, state.store.events(name=name))


async def _counters(request: Request, state: EmulatorState) -> Response:
    return json_response(200, dict(state.store.counters))


async def _requests(request: Request, state: EmulatorState) -> Response:
    try:
        limit = int(request.query_params.get("limit", "100"))
    except ValueError:
        return errors(400, [ValidationIssue("query.limit", "expected an integer")])
    return json_response(200, state.log.recent(max(0, limit)))


async def _dropped(request: Request, state: EmulatorState) -> Response:
    return json_response(200, list(state.dropped))


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
            return errors(400, [ValidationIssue(f"query.{name}", f"expected an integer, got {raw[:40]!r}")])
    if params["limit"] < 0:
        return errors(400, [ValidationIssue("query.limit", f"must be >= 0, got {params['limit']}")])
    return json_response(200, delivery_report(state.store, **params))


async def _files(request: Request, state: EmulatorState) -> Response:
    # Downloadable files handlers put in the store (kv namespace "emulator_files"), e.g. exports.
    entry = state.store.kv_get("emulator_files", request.path_params["file_id"])
    if not isinstance(entry, dict):
        return errors(404, [ValidationIssue("path.file_id", "no such file")])
    if entry.get("expires_at") is not None and state.clock.now() > float(entry["expires_at"]):
        return errors(403, [ValidationIssue("path.file_id", "the signed link has expired")])
    return Response(
        base64.b64decode(entry["data"]),
        media_type=entry.get("content_type") or "application/octet-stream",
        headers={"content-disposition": f'attachment; filename="{entry.get("name") or "download"}"'},
    )


async def _reset(request: Request, state: EmulatorState) -> Response:
    state.reset()
    return json_response(200, {"status": "reset"})


def admin_routes() -> list[Route]:
    """The ``/_emulator/...`` routes (to mount under ``/_emulator``)."""
    return [
        Route("/health", _admin(_health), methods=["GET"]),
        Route("/faults", _admin(_faults), methods=["GET", "POST", "DELETE"]),
        Route("/clock", _admin(_clock), methods=["GET", "POST"]),
        Route("/people", _admin(_people), methods=["GET"]),
        Route("/events", _admin(_events), methods=["GET"]),
        Route("/counters", _admin(_counters), methods=["GET"]),
        Route("/requests", _admin(_requests), methods=["GET"]),
        Route("/dropped", _admin(_dropped), methods=["GET"]),
        Route("/webhook_deliveries", _admin(_webhook_deliveries), methods=["GET"]),
        Route("/reset", _admin(_reset), methods=["POST"]),
        Route("/files/{file_id}", _admin(_files), methods=["GET"]),
    ]
