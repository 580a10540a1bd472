# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Subscription Center resources of the App API (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncSubscriptionCenter", "SubscriptionCenter"]


class SubscriptionCenter(SyncResource):
    """Subscription topics."""

    @operation("app_api", "getTopics")
    def topics(self) -> SyncPage[m.Topic]:
        """List subscription topics (operation ``getTopics``)."""
        return self._page("getTopics", {})


class AsyncSubscriptionCenter(AsyncResource):
    """Subscription topics."""

    @operation("app_api", "getTopics")
    async def topics(self) -> AsyncPage[m.Topic]:
        """List subscription topics (operation ``getTopics``)."""
        return await self._page("getTopics", {})
