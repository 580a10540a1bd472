# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Snippets resources of the App API (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncSnippets", "Snippets"]


class Snippets(SyncResource):
    """Reusable content snippets."""

    @operation("app_api", "listSnippets")
    def list(self) -> SyncPage[m.Snippet]:
        """List snippets (operation ``listSnippets``)."""
        return self._page("listSnippets", {})

    @operation("app_api", "updateSnippets")
    def upsert(
        self,
        *,
        name: str,
        value: str,
    ) -> m.Snippet:
        """Create or update snippets (operation ``updateSnippets``)."""
        return self._call("updateSnippets", {"name": name, "value": value})

    @operation("app_api", "deleteSnippet")
    def delete(
        self,
        *,
        snippet_name: str,
    ) -> None:
        """Delete a snippet (operation ``deleteSnippet``)."""
        return self._call("deleteSnippet", {"snippet_name": snippet_name})


class AsyncSnippets(AsyncResource):
    """Reusable content snippets."""

    @operation("app_api", "listSnippets")
    async def list(self) -> AsyncPage[m.Snippet]:
        """List snippets (operation ``listSnippets``)."""
        return await self._page("listSnippets", {})

    @operation("app_api", "updateSnippets")
    async def upsert(
        self,
        *,
        name: str,
        value: str,
    ) -> m.Snippet:
        """Create or update snippets (operation ``updateSnippets``)."""
        return await self._call("updateSnippets", {"name": name, "value": value})

    @operation("app_api", "deleteSnippet")
    async def delete(
        self,
        *,
        snippet_name: str,
    ) -> None:
        """Delete a snippet (operation ``deleteSnippet``)."""
        return await self._call("deleteSnippet", {"snippet_name": snippet_name})
