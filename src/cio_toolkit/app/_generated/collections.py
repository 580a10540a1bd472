# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Collections resources of the App API (generated)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncCollections", "Collections"]


class Collections(SyncResource):
    """Data collections used in messages."""

    @operation("app_api", "getCollections")
    def list(self) -> SyncPage[m.Collection]:
        """List your collections (operation ``getCollections``)."""
        return self._page("getCollections", {})

    @operation("app_api", "addCollection")
    def create(
        self,
        *,
        name: str,
        data: Sequence[Mapping[str, Any]] | Unset = UNSET,
        url: str | Unset = UNSET,
    ) -> m.Collection:
        """Create a collection (operation ``addCollection``)."""
        return self._call("addCollection", {"name": name, "data": data, "url": url})

    @operation("app_api", "getCollection")
    def get(
        self,
        *,
        collection_id: int,
    ) -> m.Collection:
        """Lookup a collection (operation ``getCollection``)."""
        return self._call("getCollection", {"collection_id": collection_id})

    @operation("app_api", "updateCollection")
    def update(
        self,
        *,
        collection_id: int,
        name: str | Unset = UNSET,
        data: Sequence[Mapping[str, Any]] | Unset = UNSET,
        url: str | Unset = UNSET,
    ) -> m.Collection:
        """Update a collection (operation ``updateCollection``)."""
        return self._call(
            "updateCollection", {"collection_id": collection_id, "name": name, "data": data, "url": url}
        )

    @operation("app_api", "deleteCollection")
    def delete(
        self,
        *,
        collection_id: int,
    ) -> None:
        """Delete a collection (operation ``deleteCollection``)."""
        return self._call("deleteCollection", {"collection_id": collection_id})

    @operation("app_api", "getCollectionContents")
    def contents(
        self,
        *,
        collection_id: int,
    ) -> dict[str, Any]:
        """Lookup collection contents (operation ``getCollectionContents``)."""
        return self._call("getCollectionContents", {"collection_id": collection_id})

    @operation("app_api", "updateCollectionContents")
    def update_contents(
        self,
        *,
        collection_id: int,
        contents: Mapping[str, Any],
    ) -> m.Collection:
        """Update the contents of a collection (operation ``updateCollectionContents``)."""
        return self._call("updateCollectionContents", {"collection_id": collection_id, "contents": contents})


class AsyncCollections(AsyncResource):
    """Data collections used in messages."""

    @operation("app_api", "getCollections")
    async def list(self) -> AsyncPage[m.Collection]:
        """List your collections (operation ``getCollections``)."""
        return await self._page("getCollections", {})

    @operation("app_api", "addCollection")
    async def create(
        self,
        *,
        name: str,
        data: Sequence[Mapping[str, Any]] | Unset = UNSET,
        url: str | Unset = UNSET,
    ) -> m.Collection:
        """Create a collection (operation ``addCollection``)."""
        return await self._call("addCollection", {"name": name, "data": data, "url": url})

    @operation("app_api", "getCollection")
    async def get(
        self,
        *,
        collection_id: int,
    ) -> m.Collection:
        """Lookup a collection (operation ``getCollection``)."""
        return await self._call("getCollection", {"collection_id": collection_id})

    @operation("app_api", "updateCollection")
    async def update(
        self,
        *,
        collection_id: int,
        name: str | Unset = UNSET,
        data: Sequence[Mapping[str, Any]] | Unset = UNSET,
        url: str | Unset = UNSET,
    ) -> m.Collection:
        """Update a collection (operation ``updateCollection``)."""
        return await self._call(
            "updateCollection", {"collection_id": collection_id, "name": name, "data": data, "url": url}
        )

    @operation("app_api", "deleteCollection")
    async def delete(
        self,
        *,
        collection_id: int,
    ) -> None:
        """Delete a collection (operation ``deleteCollection``)."""
        return await self._call("deleteCollection", {"collection_id": collection_id})

    @operation("app_api", "getCollectionContents")
    async def contents(
        self,
        *,
        collection_id: int,
    ) -> dict[str, Any]:
        """Lookup collection contents (operation ``getCollectionContents``)."""
        return await self._call("getCollectionContents", {"collection_id": collection_id})

    @operation("app_api", "updateCollectionContents")
    async def update_contents(
        self,
        *,
        collection_id: int,
        contents: Mapping[str, Any],
    ) -> m.Collection:
        """Update the contents of a collection (operation ``updateCollectionContents``)."""
        return await self._call(
            "updateCollectionContents", {"collection_id": collection_id, "contents": contents}
        )
