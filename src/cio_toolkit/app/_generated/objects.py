# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Objects resources of the App API (generated)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.app.filters import Filter
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncObjects", "Objects"]


class Objects(SyncResource):
    """Objects (companies, accounts, ...), their attributes and relationships."""

    @operation("app_api", "getObjectTypes")
    def types(self) -> SyncPage[m.Type]:
        """List object types (operation ``getObjectTypes``)."""
        return self._page("getObjectTypes", {})

    @operation("app_api", "getObjectsFilter")
    def search(
        self,
        *,
        object_type_id: str,
        filter: Filter | Mapping[str, Any],
        start: str | None = None,
        limit: int | None = None,
    ) -> SyncPage[m.ObjectIdentifier]:
        """Find objects (operation ``getObjectsFilter``)."""
        return self._page(
            "getObjectsFilter",
            {"start": start, "limit": limit, "object_type_id": object_type_id, "filter": filter},
        )

    @operation("app_api", "getObjectRelationships")
    def relationships(
        self,
        *,
        object_type_id: int,
        object_id: str,
        start: str | None = None,
        limit: int | None = None,
        id_type: Literal["object_id", "cio_object_id"] | None = None,
    ) -> SyncPage[m.ObjectCioRelationship]:
        """Get Object Relationships (operation ``getObjectRelationships``)."""
        return self._page(
            "getObjectRelationships",
            {
                "object_type_id": object_type_id,
                "object_id": object_id,
                "start": start,
                "limit": limit,
                "id_type": id_type,
            },
        )

    @operation("app_api", "getObjectAttributes")
    def attributes(
        self,
        *,
        object_type_id: int,
        object_id: str,
        id_type: Literal["object_id", "cio_object_id"] | None = None,
    ) -> m.Object:
        """Get Object Attributes (operation ``getObjectAttributes``)."""
        return self._call(
            "getObjectAttributes",
            {"object_type_id": object_type_id, "object_id": object_id, "id_type": id_type},
        )


class AsyncObjects(AsyncResource):
    """Objects (companies, accounts, ...), their attributes and relationships."""

    @operation("app_api", "getObjectTypes")
    async def types(self) -> AsyncPage[m.Type]:
        """List object types (operation ``getObjectTypes``)."""
        return await self._page("getObjectTypes", {})

    @operation("app_api", "getObjectsFilter")
    async def search(
        self,
        *,
        object_type_id: str,
        filter: Filter | Mapping[str, Any],
        start: str | None = None,
        limit: int | None = None,
    ) -> AsyncPage[m.ObjectIdentifier]:
        """Find objects (operation ``getObjectsFilter``)."""
        return await self._page(
            "getObjectsFilter",
            {"start": start, "limit": limit, "object_type_id": object_type_id, "filter": filter},
        )

    @operation("app_api", "getObjectRelationships")
    async def relationships(
        self,
        *,
        object_type_id: int,
        object_id: str,
        start: str | None = None,
        limit: int | None = None,
        id_type: Literal["object_id", "cio_object_id"] | None = None,
    ) -> AsyncPage[m.ObjectCioRelationship]:
        """Get Object Relationships (operation ``getObjectRelationships``)."""
        return await self._page(
            "getObjectRelationships",
            {
                "object_type_id": object_type_id,
                "object_id": object_id,
                "start": start,
                "limit": limit,
                "id_type": id_type,
            },
        )

    @operation("app_api", "getObjectAttributes")
    async def attributes(
        self,
        *,
        object_type_id: int,
        object_id: str,
        id_type: Literal["object_id", "cio_object_id"] | None = None,
    ) -> m.Object:
        """Get Object Attributes (operation ``getObjectAttributes``)."""
        return await self._call(
            "getObjectAttributes",
            {"object_type_id": object_type_id, "object_id": object_id, "id_type": id_type},
        )
