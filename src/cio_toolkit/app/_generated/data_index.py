# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Data Index resources of the App API (generated)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

if TYPE_CHECKING:
    pass

__all__ = ["AsyncDataIndex", "DataIndex"]


class DataIndex(SyncResource):
    """Attribute and event metadata in the data index."""

    @operation("app_api", "updateAttributeMetadata")
    def update_attributes(
        self,
        *,
        attributes: Sequence[Mapping[str, Any]],
    ) -> None:
        """Add or update attributes (operation ``updateAttributeMetadata``)."""
        return self._call("updateAttributeMetadata", {"attributes": attributes})

    @operation("app_api", "updateEventMetadata")
    def update_events(
        self,
        *,
        events: Sequence[Mapping[str, Any]],
    ) -> None:
        """Add or update events (operation ``updateEventMetadata``)."""
        return self._call("updateEventMetadata", {"events": events})


class AsyncDataIndex(AsyncResource):
    """Attribute and event metadata in the data index."""

    @operation("app_api", "updateAttributeMetadata")
    async def update_attributes(
        self,
        *,
        attributes: Sequence[Mapping[str, Any]],
    ) -> None:
        """Add or update attributes (operation ``updateAttributeMetadata``)."""
        return await self._call("updateAttributeMetadata", {"attributes": attributes})

    @operation("app_api", "updateEventMetadata")
    async def update_events(
        self,
        *,
        events: Sequence[Mapping[str, Any]],
    ) -> None:
        """Add or update events (operation ``updateEventMetadata``)."""
        return await self._call("updateEventMetadata", {"events": events})
