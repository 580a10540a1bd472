# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Segments resources of the App API (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncSegments", "Segments"]


class Segments(SyncResource):
    """Segments, manual segments and their members."""

    @operation("app_api", "listSegments")
    def list(self) -> SyncPage[m.Segment]:
        """List segments (operation ``listSegments``)."""
        return self._page("listSegments", {})

    @operation("app_api", "createManSegment")
    def create(
        self,
        *,
        name: str,
        description: str | Unset = UNSET,
    ) -> m.Segment:
        """Create a manual segment (operation ``createManSegment``)."""
        return self._call("createManSegment", {"name": name, "description": description})

    @operation("app_api", "getSegment")
    def get(
        self,
        *,
        segment_id: int,
    ) -> m.Segment:
        """Get a segment (operation ``getSegment``)."""
        return self._call("getSegment", {"segment_id": segment_id})

    @operation("app_api", "deleteManSegment")
    def delete(
        self,
        *,
        segment_id: int,
    ) -> None:
        """Delete a segment (operation ``deleteManSegment``)."""
        return self._call("deleteManSegment", {"segment_id": segment_id})

    @operation("app_api", "getSegmentDependencies")
    def used_by(
        self,
        *,
        segment_id: int,
    ) -> m.GetSegmentDependenciesResponse:
        """Get a segment's dependencies (operation ``getSegmentDependencies``)."""
        return self._call("getSegmentDependencies", {"segment_id": segment_id})

    @operation("app_api", "getSegmentCount")
    def customer_count(
        self,
        *,
        segment_id: int,
    ) -> m.GetSegmentCountResponse:
        """Get a segment customer count (operation ``getSegmentCount``)."""
        return self._call("getSegmentCount", {"segment_id": segment_id})

    @operation("app_api", "getSegmentMembership")
    def members(
        self,
        *,
        segment_id: int,
        start: str | None = None,
        limit: int | None = None,
    ) -> SyncPage[Any]:
        """List customers in a segment (operation ``getSegmentMembership``)."""
        return self._page("getSegmentMembership", {"segment_id": segment_id, "start": start, "limit": limit})


class AsyncSegments(AsyncResource):
    """Segments, manual segments and their members."""

    @operation("app_api", "listSegments")
    async def list(self) -> AsyncPage[m.Segment]:
        """List segments (operation ``listSegments``)."""
        return await self._page("listSegments", {})

    @operation("app_api", "createManSegment")
    async def create(
        self,
        *,
        name: str,
        description: str | Unset = UNSET,
    ) -> m.Segment:
        """Create a manual segment (operation ``createManSegment``)."""
        return await self._call("createManSegment", {"name": name, "description": description})

    @operation("app_api", "getSegment")
    async def get(
        self,
        *,
        segment_id: int,
    ) -> m.Segment:
        """Get a segment (operation ``getSegment``)."""
        return await self._call("getSegment", {"segment_id": segment_id})

    @operation("app_api", "deleteManSegment")
    async def delete(
        self,
        *,
        segment_id: int,
    ) -> None:
        """Delete a segment (operation ``deleteManSegment``)."""
        return await self._call("deleteManSegment", {"segment_id": segment_id})

    @operation("app_api", "getSegmentDependencies")
    async def used_by(
        self,
        *,
        segment_id: int,
    ) -> m.GetSegmentDependenciesResponse:
        """Get a segment's dependencies (operation ``getSegmentDependencies``)."""
        return await self._call("getSegmentDependencies", {"segment_id": segment_id})

    @operation("app_api", "getSegmentCount")
    async def customer_count(
        self,
        *,
        segment_id: int,
    ) -> m.GetSegmentCountResponse:
        """Get a segment customer count (operation ``getSegmentCount``)."""
        return await self._call("getSegmentCount", {"segment_id": segment_id})

    @operation("app_api", "getSegmentMembership")
    async def members(
        self,
        *,
        segment_id: int,
        start: str | None = None,
        limit: int | None = None,
    ) -> AsyncPage[Any]:
        """List customers in a segment (operation ``getSegmentMembership``)."""
        return await self._page(
            "getSegmentMembership", {"segment_id": segment_id, "start": start, "limit": limit}
        )
