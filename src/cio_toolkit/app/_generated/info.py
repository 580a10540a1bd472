# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Info resources of the App API (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

if TYPE_CHECKING:
    pass

__all__ = ["AsyncInfo", "Info"]


class Info(SyncResource):
    """Customer.io service information."""

    @operation("app_api", "getCioAllowlist")
    def ip_addresses(self) -> SyncPage[str]:
        """List IP addresses (operation ``getCioAllowlist``)."""
        return self._page("getCioAllowlist", {})


class AsyncInfo(AsyncResource):
    """Customer.io service information."""

    @operation("app_api", "getCioAllowlist")
    async def ip_addresses(self) -> AsyncPage[str]:
        """List IP addresses (operation ``getCioAllowlist``)."""
        return await self._page("getCioAllowlist", {})
