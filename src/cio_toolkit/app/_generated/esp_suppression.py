# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""ESP Suppression resources of the App API (generated)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncEspSuppression", "EspSuppression"]


class EspSuppression(SyncResource):
    """The email service provider's suppression lists."""

    @operation("app_api", "getSuppression")
    def search(
        self,
        *,
        email_address: str,
    ) -> m.GetSuppressionByTypeResponse:
        """Look up an ESP-suppressed address (operation ``getSuppression``)."""
        return self._call("getSuppression", {"email_address": email_address})

    @operation("app_api", "getSuppressionByType")
    def list(
        self,
        *,
        suppression_type: Literal["bounces", "spam_reports"],
        limit: int | None = None,
        offset: int | None = None,
    ) -> SyncPage[m.Suppression]:
        """Get ESP-suppressed emails by type (operation ``getSuppressionByType``)."""
        return self._page(
            "getSuppressionByType", {"suppression_type": suppression_type, "limit": limit, "offset": offset}
        )

    @operation("app_api", "postSuppression")
    def add(
        self,
        *,
        suppression_type: Literal["bounces", "spam_reports"],
        email_address: str,
    ) -> dict[str, Any]:
        """Suppress an email at the ESP (operation ``postSuppression``)."""
        return self._call(
            "postSuppression", {"suppression_type": suppression_type, "email_address": email_address}
        )

    @operation("app_api", "deleteSuppression")
    def remove(
        self,
        *,
        suppression_type: Literal["bounces", "spam_reports"],
        email_address: str,
    ) -> None:
        """Un-suppress an ESP-suppressed address (operation ``deleteSuppression``)."""
        return self._call(
            "deleteSuppression", {"suppression_type": suppression_type, "email_address": email_address}
        )


class AsyncEspSuppression(AsyncResource):
    """The email service provider's suppression lists."""

    @operation("app_api", "getSuppression")
    async def search(
        self,
        *,
        email_address: str,
    ) -> m.GetSuppressionByTypeResponse:
        """Look up an ESP-suppressed address (operation ``getSuppression``)."""
        return await self._call("getSuppression", {"email_address": email_address})

    @operation("app_api", "getSuppressionByType")
    async def list(
        self,
        *,
        suppression_type: Literal["bounces", "spam_reports"],
        limit: int | None = None,
        offset: int | None = None,
    ) -> AsyncPage[m.Suppression]:
        """Get ESP-suppressed emails by type (operation ``getSuppressionByType``)."""
        return await self._page(
            "getSuppressionByType", {"suppression_type": suppression_type, "limit": limit, "offset": offset}
        )

    @operation("app_api", "postSuppression")
    async def add(
        self,
        *,
        suppression_type: Literal["bounces", "spam_reports"],
        email_address: str,
    ) -> dict[str, Any]:
        """Suppress an email at the ESP (operation ``postSuppression``)."""
        return await self._call(
            "postSuppression", {"suppression_type": suppression_type, "email_address": email_address}
        )

    @operation("app_api", "deleteSuppression")
    async def remove(
        self,
        *,
        suppression_type: Literal["bounces", "spam_reports"],
        email_address: str,
    ) -> None:
        """Un-suppress an ESP-suppressed address (operation ``deleteSuppression``)."""
        return await self._call(
            "deleteSuppression", {"suppression_type": suppression_type, "email_address": email_address}
        )
