"""Track API (v1 and v2): people, events, devices, segments, forms, metrics, region, v2 entity and batch.

>>> from cio_toolkit.track import TrackClient, v2
>>> track = TrackClient.from_env()
>>> track.customers.identify(id="u1", email="u1@example.com", attributes={"plan": "pro"})
>>> track.v2.batch([v2.person_event(id="u1", name="upgraded")]).ok
"""

from . import v2
from ._client import (
    V2,
    AsyncCustomers,
    AsyncEvents,
    AsyncForms,
    AsyncSegments,
    AsyncTrackClient,
    AsyncV2,
    Customers,
    Events,
    Forms,
    Segments,
    TrackClient,
)
from ._requests import BatchResult, ItemError, Region, person_path
from ._ulid import event_id_for, new_event_id

__all__ = [
    "AsyncCustomers",
    "AsyncEvents",
    "AsyncForms",
    "AsyncSegments",
    "AsyncTrackClient",
    "AsyncV2",
    "BatchResult",
    "Customers",
    "Events",
    "Forms",
    "ItemError",
    "Region",
    "Segments",
    "TrackClient",
    "V2",
    "event_id_for",
    "new_event_id",
    "person_path",
    "v2",
]
