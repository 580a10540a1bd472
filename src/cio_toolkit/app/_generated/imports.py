# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Imports resources of the App API (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncImports", "Imports"]


class Imports(SyncResource):
    """CSV imports of people, objects and events."""

    @operation("app_api", "import")
    def create(
        self,
        *,
        name: str,
        data_file_url: str,
        type: Literal["people"] | Literal["event"] | Literal["relationship"] | Literal["object"],
        identifier: Literal["id", "email"] | Unset = UNSET,
        data_to_process: Literal["all", "only_new", "only_existing"] | Unset = UNSET,
        description: str | Unset = UNSET,
        object_type_id: str | Unset = UNSET,
    ) -> m.ImportImport:
        """Import items in bulk (operation ``import``)."""
        return self._call(
            "import",
            {
                "name": name,
                "data_file_url": data_file_url,
                "type": type,
                "identifier": identifier,
                "data_to_process": data_to_process,
                "description": description,
                "object_type_id": object_type_id,
            },
        )

    @operation("app_api", "getImport")
    def get(
        self,
        *,
        import_id: int,
    ) -> m.GetImportImport:
        """Retrieve a bulk import (operation ``getImport``)."""
        return self._call("getImport", {"import_id": import_id})


class AsyncImports(AsyncResource):
    """CSV imports of people, objects and events."""

    @operation("app_api", "import")
    async def create(
        self,
        *,
        name: str,
        data_file_url: str,
        type: Literal["people"] | Literal["event"] | Literal["relationship"] | Literal["object"],
        identifier: Literal["id", "email"] | Unset = UNSET,
        data_to_process: Literal["all", "only_new", "only_existing"] | Unset = UNSET,
        description: str | Unset = UNSET,
        object_type_id: str | Unset = UNSET,
    ) -> m.ImportImport:
        """Import items in bulk (operation ``import``)."""
        return await self._call(
            "import",
            {
                "name": name,
                "data_file_url": data_file_url,
                "type": type,
                "identifier": identifier,
                "data_to_process": data_to_process,
                "description": description,
                "object_type_id": object_type_id,
            },
        )

    @operation("app_api", "getImport")
    async def get(
        self,
        *,
        import_id: int,
    ) -> m.GetImportImport:
        """Retrieve a bulk import (operation ``getImport``)."""
        return await self._call("getImport", {"import_id": import_id})
