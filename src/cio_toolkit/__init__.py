"""cio_toolkit: the Customer.io toolkit for data engineers.

Typed sync and async clients for the Data Pipelines, Track and App APIs, reporting webhooks,
bulk load and export, and a local Customer.io-compatible emulator.
"""

from ._client import AsyncCustomerIO, CustomerIO
from ._config import Settings
from ._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    ConflictError,
    CustomerIOError,
    NetworkError,
    NotFoundError,
    NotReadyError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TimeoutError,
    TransportError,
    ValidationError,
    WebhookSignatureError,
)
from ._ratelimit import RateLimit
from ._transport import RetryPolicy
from ._types import UNSET
from ._wait import wait_until, wait_until_async
from .app import AppClient, AsyncAppClient
from .pipelines import AsyncPipelinesClient, PipelinesClient
from .track import AsyncTrackClient, TrackClient

__version__ = "0.1.0"

__all__ = [
    "UNSET",
    "APIError",
    "AppClient",
    "AsyncAppClient",
    "AsyncCustomerIO",
    "AsyncPipelinesClient",
    "AsyncTrackClient",
    "AuthenticationError",
    "BadRequestError",
    "ConfigError",
    "ConflictError",
    "CustomerIO",
    "CustomerIOError",
    "NetworkError",
    "NotFoundError",
    "NotReadyError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PipelinesClient",
    "RateLimit",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "Settings",
    "TimeoutError",
    "TrackClient",
    "TransportError",
    "ValidationError",
    "WebhookSignatureError",
    "__version__",
    "wait_until",
    "wait_until_async",
]
