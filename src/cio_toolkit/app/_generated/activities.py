# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Activities resources of the App API (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["Activities", "AsyncActivities"]


class Activities(SyncResource):
    """Workspace activity log."""

    @operation("app_api", "listActivities")
    def list(
        self,
        *,
        start: str | None = None,
        type: str | None = None,
        name: str | None = None,
        deleted: bool | None = None,
        customer_id: str | None = None,
        id_type: Literal["id", "email", "cio_id"] | None = None,
        limit: int | None = None,
    ) -> SyncPage[m.Activity]:
        """List activities (operation ``listActivities``)."""
        return self._page(
            "listActivities",
            {
                "start": start,
                "type": type,
                "name": name,
                "deleted": deleted,
                "customer_id": customer_id,
                "id_type": id_type,
                "limit": limit,
            },
        )


class AsyncActivities(AsyncResource):
    """Workspace activity log."""

    @operation("app_api", "listActivities")
    async def list(
        self,
        *,
        start: str | None = None,
        type: str | None = None,
        name: str | None = None,
        deleted: bool | None = None,
        customer_id: str | None = None,
        id_type: Literal["id", "email", "cio_id"] | None = None,
        limit: int | None = None,
    ) -> AsyncPage[m.Activity]:
        """List activities (operation ``listActivities``)."""
        return await self._page(
            "listActivities",
            {
                "start": start,
                "type": type,
                "name": name,
                "deleted": deleted,
                "customer_id": customer_id,
                "id_type": id_type,
                "limit": limit,
            },
        )
