"""The exception tree. Every error the toolkit raises derives from :class:`CustomerIOError`.

::

    CustomerIOError
    ├── ConfigError                  a setting is missing or invalid (names the CIO_* variable)
    ├── ValidationError              input breaks a documented rule (names the field and the limit)
    │   └── PayloadTooLargeError     a call or request is over a size limit (client check, or HTTP 413,
    │                                when it is an APIError too)
    ├── APIError                     the API answered with an error status
    │   ├── AuthenticationError      401
    │   ├── PermissionDeniedError    403
    │   ├── NotFoundError            404
    │   ├── BadRequestError          400 / 422 (the API's own validation)
    │   │   └── ConflictError        409 (the resource exists, or changed underneath the request)
    │   ├── RateLimitError           429 (``retry_after`` in seconds, when sent)
    │   └── ServerError              5xx
    ├── TransportError               no usable answer
    │   ├── NetworkError             connection refused, reset or dropped
    │   └── TimeoutError             a connect or read timeout
    ├── NotReadyError                a bounded wait ended first (an export, arriving events, a write
    │                                becoming visible); also a builtin ``TimeoutError``
    └── WebhookSignatureError        a reporting webhook failed verification (says why)

When retries run out (``max_retries`` attempts or the time ``budget``), the error of the last
attempt is raised as it is: a ServerError, RateLimitError, NetworkError or TimeoutError, whose
``attempts`` says how many were made.

Every error carries ``status``, ``request_id`` and a redacted ``body``; none ever carries a key
or a full payload.
"""

from __future__ import annotations

import builtins
from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigError",
    "ConflictError",
    "CustomerIOError",
    "NetworkError",
    "NotFoundError",
    "NotReadyError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "TransportError",
    "ValidationError",
    "WebhookSignatureError",
]

_MAX_BODY = 500
# Shorter values are not masked: replacing every "k" would garble the text and hide nothing.
_MIN_SECRET_CHARS = 4


def redact(text: str | bytes | None, secrets: tuple[str, ...] = ()) -> str:
    """Mask each of ``secrets`` wherever it occurs in ``text`` and cut it to a readable length.

    Redaction is by value: the words around a credential ("Basic", "api_key") are left alone,
    so an error message that explains authentication still reads as written.
    """
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _MIN_SECRET_CHARS:
            text = text.replace(secret, "***")
    if len(text) > _MAX_BODY:
        text = text[:_MAX_BODY] + f"... ({len(text) - _MAX_BODY} more chars)"
    return text


class CustomerIOError(Exception):
    """Base class of every error raised by cio_toolkit."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        request_id: str | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.request_id = request_id
        self.body = body
        self.attempts = 1

    def __str__(self) -> str:
        parts = [self.message]
        if self.status is not None:
            parts.append(f"status={self.status}")
        if self.request_id:
            parts.append(f"request_id={self.request_id}")
        return " | ".join(parts)


class ConfigError(CustomerIOError):
    """A required setting is missing or invalid; the message names the CIO_* variable."""


class ValidationError(CustomerIOError, ValueError):
    """Input breaks a documented rule; ``field`` and ``limit`` say which and how."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        limit: Any = None,
        actual: Any = None,
        status: int | None = None,
        request_id: str | None = None,
        body: str | None = None,
    ) -> None:
        super().__init__(message, status=status, request_id=request_id, body=body)
        self.field = field
        self.limit = limit
        self.actual = actual


class APIError(CustomerIOError):
    """The API answered with an error status."""


class PayloadTooLargeError(ValidationError, APIError):
    """A call or a request is over a documented size limit (client check, or HTTP 413 with ``status``)."""


class AuthenticationError(APIError):
    """401: the key is wrong or missing for this API."""


class PermissionDeniedError(APIError):
    """403: the key is valid but lacks the scope for this operation."""


class NotFoundError(APIError):
    """404: the resource does not exist."""


class BadRequestError(APIError):
    """400/422: the API rejected the request's content."""


class ConflictError(BadRequestError):
    """409: the resource already exists, or changed underneath the request."""


class RateLimitError(APIError):
    """429: too many requests; ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx: the service failed."""


class TransportError(CustomerIOError):
    """No usable HTTP answer arrived."""


class NetworkError(TransportError):
    """The connection was refused, reset or dropped."""


class TimeoutError(TransportError):
    """A connect or read timeout: the server did not answer in time."""


class NotReadyError(CustomerIOError, builtins.TimeoutError):
    """A bounded wait ended before what it waited for was ready; the message says what and how far."""


class WebhookSignatureError(CustomerIOError):
    """A reporting webhook failed verification; ``reason`` says why."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, status=401)
        self.reason = reason
