"""cio_toolkit: the Customer.io toolkit for data engineers.

Typed sync and async clients for the Data Pipelines, Track and App APIs, reporting webhooks,
bulk load and export, and a local Customer.io-compatible emulator.
"""

from . import _exceptions
from ._client import AsyncCustomerIO, CustomerIO
from ._config import Settings
from ._exceptions import *  # noqa: F403 - the exception tree, listed once: in _exceptions.__all__
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
    "AppClient",
    "AsyncAppClient",
    "AsyncCustomerIO",
    "AsyncPipelinesClient",
    "AsyncTrackClient",
    "CustomerIO",
    "PipelinesClient",
    "RateLimit",
    "RetryPolicy",
    "Settings",
    "TrackClient",
    "__version__",
    "wait_until",
    "wait_until_async",
]
__all__ += _exceptions.__all__
