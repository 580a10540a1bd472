"""Track API (v1 and v2)."""

from ._client import AsyncTrackClient, TrackClient

__all__ = ["AsyncTrackClient", "TrackClient"]
