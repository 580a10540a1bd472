"""HTTP transport shared by every client.

Request building, retry decisions and error mapping are plain functions; :class:`SyncTransport`
and :class:`AsyncTransport` only do I/O around them, so the two cannot drift apart.
"""

from __future__ import annotations

import asyncio
import email.utils
import gzip as _gzip
import logging
import random
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypedDict, TypeVar, Unpack

import httpx2

from . import _constants as C
from . import _exceptions as E
from ._config import API, Settings, basic_token
from ._ratelimit import BudgetExhausted, RateLimit, RateLimiter, get_limiter, limiters_for
from ._serialize import dumps, loads

__all__ = ["RetryPolicy", "RequestSpec", "Response", "SyncTransport", "AsyncTransport"]

log = logging.getLogger("cio_toolkit")

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
# APIs that accept gzip-compressed request bodies.
_GZIP_APIS = frozenset({"pipelines"})


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter, bounded by attempts and a total time budget."""

    max_retries: int = C.DEFAULT_MAX_RETRIES
    backoff_base: float = C.DEFAULT_BACKOFF_BASE
    backoff_cap: float = C.DEFAULT_BACKOFF_CAP
    budget: float = C.DEFAULT_RETRY_BUDGET

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.backoff_base < 0 or self.backoff_cap < 0 or self.budget <= 0:
            raise ValueError(f"invalid RetryPolicy {self}")


NO_RETRY = RetryPolicy(max_retries=0)


@dataclass
class RequestSpec:
    """A request described without I/O: what one API operation sends."""

    method: str
    path: str
    operation_id: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    idempotent: bool | None = None
    endpoint_class: str = "default"

    def is_idempotent(self) -> bool:
        """Whether re-sending cannot duplicate an effect (method semantics or an idempotency key)."""
        return self.method in _IDEMPOTENT_METHODS if self.idempotent is None else self.idempotent


@dataclass
class Response:
    """A successful answer: status, headers, raw content and parsed JSON (``data``)."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    request_id: str | None
    attempts: int = 1

    @property
    def data(self) -> Any:
        """The JSON body parsed (``None`` when empty or not JSON)."""
        if not self.content:
            return None
        try:
            return loads(self.content)
        except Exception:
            return None


# ---------------------------------------------------------------- pure functions


def auth_header(settings: Settings, api: API) -> str:
    """The Authorization header value for ``api`` (raises ConfigError naming a missing variable)."""
    settings.require(api)
    if api == "pipelines":
        assert settings.pipelines_api_key is not None
        return "Basic " + basic_token(settings.pipelines_api_key.reveal(), "")
    if api == "track":
        assert settings.track_api_key is not None and settings.site_id is not None
        return "Basic " + basic_token(settings.site_id, settings.track_api_key.reveal())
    assert settings.app_api_key is not None
    return f"Bearer {settings.app_api_key.reveal()}"


def encode_body(spec: RequestSpec, *, allow_gzip: bool) -> tuple[bytes | None, dict[str, str]]:
    """Serialize the body and gzip it when large and accepted; return content and extra headers."""
    if spec.content is not None:
        content = spec.content
    elif spec.json is not None:
        content = dumps(spec.json)
    else:
        return None, {}
    headers = {"Content-Type": "application/json"}
    # A body the caller already encoded (it set Content-Encoding) is sent as it is.
    pre_encoded = any(k.lower() == "content-encoding" for k in spec.headers)
    if allow_gzip and len(content) >= C.GZIP_MIN_BYTES and not pre_encoded:
        content = _gzip.compress(content, compresslevel=C.GZIP_LEVEL)
        headers["Content-Encoding"] = "gzip"
    return content, headers


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The request id the API put in its answer, if any."""
    for name in ("x-request-id", "x-cio-request-id", "cf-ray"):
        if value := headers.get(name):
            return value
    return None


def _error_source(source: Any) -> str:
    # App API errors point at the field as {"pointer": "/data/x"}, {"parameter": "x"} or {"header": "x"}.
    if isinstance(source, Mapping):
        return str(source.get("pointer") or source.get("parameter") or source.get("header") or "").lstrip("/")
    return str(source or "")


def _error_detail(content: bytes) -> str:
    """The service's own words from an error body, in any of the shapes Customer.io answers.

    ``{"errors": [{"field"|"source": ..., "message"|"detail": ...}]}``, Track's
    ``{"meta": {"errors": ["..."]}}``, the App API's ``{"meta": {"error": "..."}}``, the Data
    Pipelines API's ``{"code": ..., "message": ...}``, a bare JSON string (``"Segment not found"``)
    and plain text (a 401 is ``Unauthorized request``).
    """
    try:
        data = loads(content)
    except Exception:
        text = content[:1000].decode("utf-8", "replace").strip()
        # Plain text is the message; an HTML error page says nothing worth repeating.
        return "" if not text or text.startswith("<") else text.splitlines()[0][:300]
    if isinstance(data, str):
        return data
    if not isinstance(data, dict):
        return ""
    meta: dict[str, Any] = data["meta"] if isinstance(data.get("meta"), dict) else {}
    errs = data.get("errors") or meta.get("errors")
    if isinstance(errs, list) and errs:
        parts = []
        for e in errs[:5]:
            if isinstance(e, dict):
                fld = e.get("field") or _error_source(e.get("source"))
                msg = e.get("message") or e.get("detail") or e.get("reason") or e.get("title") or ""
                parts.append(f"{fld}: {msg}" if fld else str(msg))
            else:
                parts.append(str(e))
        return "; ".join(parts)
    for where in (data, meta):
        for key in ("error", "message", "detail"):
            if isinstance(value := where.get(key), str):
                return value
    return ""


def error_for_response(
    status: int, headers: Mapping[str, str], content: bytes, *, operation_id: str, secrets: tuple[str, ...] = ()
) -> E.APIError:
    """Map an error answer to the exception tree (body redacted, no key)."""
    rid = request_id_of(headers)
    body = E.redact(content, secrets)
    detail = E.redact(_error_detail(content), secrets)
    msg = f"{operation_id}: HTTP {status}" + (f": {detail}" if detail else "")
    kw: dict[str, Any] = {"status": status, "request_id": rid, "body": body}
    if status == 401:
        return E.AuthenticationError(msg + " (check the API key for this API)", **kw)
    if status == 403:
        return E.PermissionDeniedError(msg, **kw)
    if status == 404:
        return E.NotFoundError(msg, **kw)
    if status == 413:
        return E.PayloadTooLargeError(msg + " (payload too large)", **kw)
    if status == 429:
        return E.RateLimitError(msg, retry_after=parse_retry_after(headers.get("retry-after")), **kw)
    if status >= 500:
        return E.ServerError(msg, **kw)
    if status < 400:
        # Customer.io's APIs never redirect: a 3xx (a proxy, a wrong base URL) is not an acknowledgement.
        where = headers.get("location")
        return E.APIError(msg + " (unexpected redirect" + (f" to {where}" if where else "") + ")", **kw)
    if status == 409:
        return E.ConflictError(msg, **kw)
    if status in (400, 422):
        return E.BadRequestError(msg, **kw)
    return E.APIError(msg, **kw)


def error_for_exception(exc: Exception, *, operation_id: str) -> E.TransportError:
    """Map an httpx2 request exception (no usable answer) to the exception tree."""
    if isinstance(exc, httpx2.TimeoutException):
        return E.TimeoutError(f"{operation_id}: timed out ({type(exc).__name__})")
    return E.NetworkError(f"{operation_id}: network error ({type(exc).__name__}: {exc})")


def _never_reached_server(exc: Exception) -> bool:
    # A connect failure means the request was never sent, so retrying cannot duplicate a write.
    return isinstance(exc, httpx2.ConnectError | httpx2.ConnectTimeout | httpx2.PoolTimeout)


def retry_delay(
    policy: RetryPolicy,
    *,
    attempt: int,
    elapsed: float,
    idempotent: bool,
    status: int | None = None,
    retry_after: float | None = None,
    exc: Exception | None = None,
    rng: random.Random | None = None,
    paced: bool = False,
) -> float | None:
    """Seconds to wait before retry number ``attempt + 1``, or None to give up.

    Retries 408, 429, 5xx (not 501), connection errors and timeouts. Writes that are not
    idempotent are retried only on 429 (the request was refused, not processed) or when the
    request provably never reached the server. A ``paced`` request (one with a rate controller,
    which slows every request down after a 429) waits only for ``Retry-After`` after a 429.
    """
    if attempt >= policy.max_retries:
        return None
    if status is not None:
        retryable = status in (408, 429) or (status >= 500 and status != 501)
        safe = idempotent or status == 429
    else:
        retryable = isinstance(exc, httpx2.TransportError)
        safe = idempotent or (exc is not None and _never_reached_server(exc))
    if not (retryable and safe):
        return None
    if paced and status == 429:
        delay = retry_after or 0.0
        return None if elapsed + delay > policy.budget else delay
    ceiling = min(policy.backoff_cap, policy.backoff_base * (2**attempt))
    delay = (rng or random).uniform(0, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after)
    if elapsed + delay > policy.budget:
        return None
    return delay


# ---------------------------------------------------------------- I/O


class TransportOptions(TypedDict, total=False):
    """A transport's options beyond settings and API (all optional; None means the default)."""

    retry: RetryPolicy | None
    timeout: float | None
    rate_limits: Mapping[str, RateLimit | RateLimiter] | bool
    default_headers: Mapping[str, str] | None


_HTTP = TypeVar("_HTTP", httpx2.Client, httpx2.AsyncClient)


def trust(settings: Settings) -> ssl.SSLContext | bool:
    """What an HTTP client built for ``settings`` verifies servers with (httpx's ``verify=``)."""
    # Settings.ca_bundle replaces the system's trust store (e.g. the emulator's own CA with --tls).
    return ssl.create_default_context(cafile=settings.ca_bundle) if settings.ca_bundle else True


class _BaseTransport(Generic[_HTTP]):
    def __init__(self, settings: Settings, api: API, **options: Unpack[TransportOptions]) -> None:
        timeout = options.get("timeout")
        self.settings = settings
        self.api = api
        self.retry = options.get("retry") or RetryPolicy()
        self.timeout = C.DEFAULT_TIMEOUT if timeout is None else timeout
        self.base_url = settings.api_base_url(api)
        self._rate_limits = options.get("rate_limits", True)
        self._default_headers = {"User-Agent": C.USER_AGENT, "Accept": "application/json",
                                 **(options.get("default_headers") or {})}
        self._limiters: dict[str, RateLimiter | None] = {}
        self._auth: str | None = None
        self._client: _HTTP | None = None
        self._pool_of: Self | None = None

    def share_pool_of(self, other: Self) -> None:
        """Send through ``other``'s connection pool from now on; closing this transport leaves it open."""
        self._pool_of = other._pool_of or other

    @property
    def client(self) -> _HTTP:
        """The pooled httpx2 client (created on first use)."""
        if self._pool_of is not None:
            return self._pool_of.client
        if self._client is None:
            self._client = self._new_client(verify=self._verify(), limits=_limits(),
                                            timeout=httpx2.Timeout(self.timeout, connect=C.DEFAULT_CONNECT_TIMEOUT))
        return self._client

    def _new_client(self, **kw: Any) -> _HTTP:
        raise NotImplementedError

    def limiter(self, endpoint_class: str) -> RateLimiter | None:
        """The shared rate controller for one endpoint class of this API and target (None when limits are off)."""
        if endpoint_class not in self._limiters:
            if self._rate_limits is False:
                self._limiters[endpoint_class] = None
            else:
                custom = self._rate_limits if isinstance(self._rate_limits, Mapping) else {}
                chosen = custom.get(endpoint_class)
                # A controller given is used as it is (one shared beyond this process, as a Spark task's).
                self._limiters[endpoint_class] = chosen if isinstance(chosen, RateLimiter) else get_limiter(
                    self.api, endpoint_class, chosen, target=self.base_url)
        return self._limiters[endpoint_class]

    def limiters(self, endpoint_class: str) -> tuple[RateLimiter, ...]:
        """Every controller a request of ``endpoint_class`` draws on: its own first."""
        found = (self.limiter(c) for c in limiters_for(self.api, endpoint_class))
        return tuple(lim for lim in found if lim is not None)

    def _prepare(self, spec: RequestSpec) -> tuple[str, dict[str, str], bytes | None]:
        if self._auth is None:
            self._auth = auth_header(self.settings, self.api)
        content, body_headers = encode_body(spec, allow_gzip=self.api in _GZIP_APIS)
        headers = {**self._default_headers, **body_headers, **spec.headers, "Authorization": self._auth}
        return self.base_url + spec.path, headers, content

    def _params(self, spec: RequestSpec) -> dict[str, Any] | None:
        if not spec.params:
            return None
        out: dict[str, Any] = {}
        for k, v in spec.params.items():
            if v is None:
                continue
            out[k] = ("true" if v else "false") if isinstance(v, bool) else v
        return out

    def _verify(self) -> ssl.SSLContext | bool:
        return trust(self.settings)

    def _attempt_timeout(self, timeout: float | None) -> httpx2.Timeout | float:
        # Always explicit: a pool shared through with_options() carries its owner's default.
        if timeout is not None:
            return timeout
        return httpx2.Timeout(self.timeout, connect=C.DEFAULT_CONNECT_TIMEOUT)

    def _log(self, spec: RequestSpec, status: int | str, attempt: int, started: float) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s %s -> %s (attempt %d, %.0f ms)",
                self.api, spec.method, spec.path, status, attempt + 1, (time.monotonic() - started) * 1000,
            )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} api={self.api} base_url={self.base_url!r}>"


def _limits() -> httpx2.Limits:
    return httpx2.Limits(max_connections=64, max_keepalive_connections=32, keepalive_expiry=30)


class _Call:
    """One call: the request each attempt sends, and the retry state that turns each answer or
    failure into a result or a delay. The sync and async loops only do the waiting and the I/O."""

    def __init__(self, transport: _BaseTransport[Any], spec: RequestSpec, retry: RetryPolicy | None,
                 timeout: float | None) -> None:
        url, headers, content = transport._prepare(spec)
        self.limiters = transport.limiters(spec.endpoint_class)
        self.sent_at = 0.0  # on the first controller's clock
        self.throttles = 0  # 429s so far: with a controller, they do not use up attempts
        self.t = transport
        self.spec = spec
        self.policy = retry or transport.retry
        self.started = time.monotonic()
        self.attempt = 0
        self.request: dict[str, Any] = {
            "method": spec.method, "url": url, "headers": headers, "content": content,
            "timeout": transport._attempt_timeout(timeout),
        }

    def outcome(self, r: httpx2.Response | httpx2.RequestError) -> Response | float:
        """The answer, or the seconds to wait before the next attempt (raises when it gives up)."""
        if isinstance(r, httpx2.RequestError):
            return self.failed(r)
        return self.answered(r.status_code, r.headers, r.content)

    def answered(self, status: int, headers: Mapping[str, str], content: bytes) -> Response | float:
        spec = self.spec
        self.t._log(spec, status, self.attempt, self.started)
        if status < 300:
            if self.limiters:
                self.limiters[0].observe(throttled=False, sent_at=self.sent_at)
            return Response(status, headers, content, request_id_of(headers), self.attempt + 1)
        err = error_for_response(status, headers, content, operation_id=spec.operation_id,
                                 secrets=self.t.settings.secrets())
        retry_after = parse_retry_after(headers.get("retry-after"))
        if self.limiters:
            self.limiters[0].observe(throttled=status == 429, sent_at=self.sent_at, retry_after=retry_after)
            self.throttles += status == 429
        delay = retry_delay(self.policy, attempt=self._attempts_used(), elapsed=time.monotonic() - self.started,
                            idempotent=spec.is_idempotent(), status=status, retry_after=retry_after,
                            paced=bool(self.limiters))
        return self._next(err, delay)

    def failed(self, exc: Exception) -> float:
        self.t._log(self.spec, type(exc).__name__, self.attempt, self.started)
        err = error_for_exception(exc, operation_id=self.spec.operation_id)
        delay = retry_delay(self.policy, attempt=self._attempts_used(), elapsed=time.monotonic() - self.started,
                            idempotent=self.spec.is_idempotent(), exc=exc)
        return self._next(err, delay)

    def _attempts_used(self) -> int:
        # Paced 429s cost only their wait, not an attempt, unless the policy allows no retries at all.
        return self.attempt - (self.throttles if self.policy.max_retries else 0)

    def slot(self) -> float:
        """Reserve a slot of every controller; return the seconds to wait (raises when over the budget)."""
        left = self.policy.budget - (time.monotonic() - self.started)
        wait = 0.0
        for lim in self.limiters:
            try:
                wait = max(wait, lim.reserve(max_wait=left))
            except BudgetExhausted as exc:
                raise E.RateLimitError(
                    f"{self.spec.operation_id}: the client-side budget of {exc.rate.limit} requests per "
                    f"{exc.rate.period:g} s is used up; the next slot opens in {exc.wait:.0f} s",
                    retry_after=exc.wait) from None
        return wait

    def slot_void(self) -> bool:
        """Whether a 429 paused a controller while this call waited for its slot: it must take a new one.

        Slots reserved before a pause would otherwise all go out during it, or at once after it,
        and draw the next 429s.
        """
        return any(lim.paused() for lim in self.limiters)

    def started_sending(self) -> None:
        """Stamp the attempt's send time on the first controller's clock (what its answer is judged by)."""
        if self.limiters:
            self.sent_at = self.limiters[0].clock()

    def _next(self, err: E.CustomerIOError, delay: float | None) -> float:
        if delay is None:
            err.attempts = self.attempt + 1
            raise err
        log.info("%s %s: %s; retry %d in %.2fs", self.t.api, self.spec.operation_id,
                 type(err).__name__, self.attempt + 1, delay)
        self.attempt += 1
        return delay


class SyncTransport(_BaseTransport[httpx2.Client]):
    """Blocking I/O around the pure request/retry functions; reuses one connection pool."""

    def _new_client(self, **kw: Any) -> httpx2.Client:
        return httpx2.Client(**kw)

    def send(self, spec: RequestSpec, *, retry: RetryPolicy | None = None, timeout: float | None = None) -> Response:
        """Send ``spec``, retrying per policy; return the answer or raise from the exception tree."""
        call = _Call(self, spec, retry, timeout)
        while True:
            wait = call.slot()
            if wait > 0:
                time.sleep(wait)
                if call.slot_void():
                    continue
            call.started_sending()
            r: httpx2.Response | httpx2.RequestError
            try:
                r = self.client.request(params=self._params(spec), **call.request)
            except httpx2.RequestError as exc:
                r = exc
            if isinstance(outcome := call.outcome(r), Response):
                return outcome
            time.sleep(outcome)

    def close(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None


class AsyncTransport(_BaseTransport[httpx2.AsyncClient]):
    """Asyncio I/O around the same pure functions as :class:`SyncTransport`."""

    def _new_client(self, **kw: Any) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(**kw)

    async def send(
        self, spec: RequestSpec, *, retry: RetryPolicy | None = None, timeout: float | None = None
    ) -> Response:
        """Send ``spec``, retrying per policy; return the answer or raise from the exception tree."""
        call = _Call(self, spec, retry, timeout)
        while True:
            wait = call.slot()
            if wait > 0:
                await asyncio.sleep(wait)
                if call.slot_void():
                    continue
            call.started_sending()
            r: httpx2.Response | httpx2.RequestError
            try:
                r = await self.client.request(params=self._params(spec), **call.request)
            except httpx2.RequestError as exc:
                r = exc
            if isinstance(outcome := call.outcome(r), Response):
                return outcome
            await asyncio.sleep(outcome)

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

