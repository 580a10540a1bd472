# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Workspaces resources of the App API (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncWorkspaces", "Workspaces"]


class Workspaces(SyncResource):
    """Workspaces of the account."""

    @operation("app_api", "listWorkspaces")
    def list(self) -> SyncPage[m.Workspace]:
        """List workspaces (operation ``listWorkspaces``)."""
        return self._page("listWorkspaces", {})


class AsyncWorkspaces(AsyncResource):
    """Workspaces of the account."""

    @operation("app_api", "listWorkspaces")
    async def list(self) -> AsyncPage[m.Workspace]:
        """List workspaces (operation ``listWorkspaces``)."""
        return await self._page("listWorkspaces", {})
