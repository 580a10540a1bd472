# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Sender Identities resources of the App API (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncSenderIdentities", "SenderIdentities"]


class SenderIdentities(SyncResource):
    """Sender identities (from addresses)."""

    @operation("app_api", "listSenders")
    def list(
        self,
        *,
        start: str | None = None,
        limit: int | None = None,
        sort: Literal["asc", "desc"] | None = None,
    ) -> SyncPage[m.SenderIdentity]:
        """List sender identities (operation ``listSenders``)."""
        return self._page("listSenders", {"start": start, "limit": limit, "sort": sort})

    @operation("app_api", "getSender")
    def get(
        self,
        *,
        sender_id: int,
    ) -> m.SenderIdentity:
        """Get a sender (operation ``getSender``)."""
        return self._call("getSender", {"sender_id": sender_id})

    @operation("app_api", "getSenderUsage")
    def used_by(
        self,
        *,
        sender_id: int,
    ) -> m.GetSenderUsageResponse:
        """Get sender usage data (operation ``getSenderUsage``)."""
        return self._call("getSenderUsage", {"sender_id": sender_id})


class AsyncSenderIdentities(AsyncResource):
    """Sender identities (from addresses)."""

    @operation("app_api", "listSenders")
    async def list(
        self,
        *,
        start: str | None = None,
        limit: int | None = None,
        sort: Literal["asc", "desc"] | None = None,
    ) -> AsyncPage[m.SenderIdentity]:
        """List sender identities (operation ``listSenders``)."""
        return await self._page("listSenders", {"start": start, "limit": limit, "sort": sort})

    @operation("app_api", "getSender")
    async def get(
        self,
        *,
        sender_id: int,
    ) -> m.SenderIdentity:
        """Get a sender (operation ``getSender``)."""
        return await self._call("getSender", {"sender_id": sender_id})

    @operation("app_api", "getSenderUsage")
    async def used_by(
        self,
        *,
        sender_id: int,
    ) -> m.GetSenderUsageResponse:
        """Get sender usage data (operation ``getSenderUsage``)."""
        return await self._call("getSenderUsage", {"sender_id": sender_id})
