"""App API."""

from ._client import AppClient, AsyncAppClient

__all__ = ["AppClient", "AsyncAppClient"]
