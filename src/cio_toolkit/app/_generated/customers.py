# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Customers resources of the App API (generated)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.app.filters import Filter
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncCustomers", "Customers"]


class Customers(SyncResource):
    """Look people up: by email, by filter, attributes, segments, messages, activities."""

    @operation("app_api", "getPeopleEmail")
    def find(
        self,
        *,
        email: str,
    ) -> SyncPage[m.CustomerIdentifiers]:
        """Get customers by email (operation ``getPeopleEmail``)."""
        return self._page("getPeopleEmail", {"email": email})

    @operation("app_api", "getPeopleFilter")
    def search(
        self,
        *,
        filter: Filter | Mapping[str, Any],
        start: str | None = None,
        limit: int | None = None,
    ) -> SyncPage[m.MessageCustomerIdentifiers]:
        """Search for customers (operation ``getPeopleFilter``)."""
        return self._page("getPeopleFilter", {"start": start, "limit": limit, "filter": filter})

    @operation("app_api", "getPersonAttributes")
    def attributes(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
    ) -> m.GetPersonAttributesCustomer:
        """Lookup a customer's attributes (operation ``getPersonAttributes``)."""
        return self._call("getPersonAttributes", {"customer_id": customer_id, "id_type": id_type})

    @operation("app_api", "getPersonRelationships")
    def relationships(
        self,
        *,
        customer_id: str,
        start: str | None = None,
        limit: int | None = None,
    ) -> SyncPage[m.CustomerCioRelationship]:
        """Lookup a customer's relationships (operation ``getPersonRelationships``)."""
        return self._page(
            "getPersonRelationships", {"customer_id": customer_id, "start": start, "limit": limit}
        )

    @operation("app_api", "getPeopleById")
    def get_many(
        self,
        *,
        ids: Sequence[str],
    ) -> SyncPage[m.GetPersonAttributesResponse]:
        """List customers, attributes, and devices (operation ``getPeopleById``)."""
        return self._page("getPeopleById", {"ids": ids})

    @operation("app_api", "getPersonSegments")
    def segments(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
    ) -> SyncPage[m.CustomerSegment]:
        """Lookup a customer's segments (operation ``getPersonSegments``)."""
        return self._page("getPersonSegments", {"customer_id": customer_id, "id_type": id_type})

    @operation("app_api", "getPersonMessages")
    def messages(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
        start: str | None = None,
        limit: int | None = None,
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> SyncPage[m.CustomerMessage]:
        """Lookup messages sent to a customer (operation ``getPersonMessages``)."""
        return self._page(
            "getPersonMessages",
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "start": start,
                "limit": limit,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    @operation("app_api", "getPersonActivities")
    def activities(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
        start: str | None = None,
        limit: int | None = None,
        type: str | None = None,
        name: str | None = None,
    ) -> SyncPage[m.Activity]:
        """Lookup a customer's activities (operation ``getPersonActivities``)."""
        return self._page(
            "getPersonActivities",
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "start": start,
                "limit": limit,
                "type": type,
                "name": name,
            },
        )

    @operation("app_api", "getPersonSubscriptionPreferences")
    def subscription_preferences(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
        language: str | None = None,
        accept_language: str | None = None,
    ) -> m.GetPersonSubscriptionPreferencesResponse:
        """Lookup a customer's subscription preferences (operation ``getPersonSubscriptionPreferences``)."""
        return self._call(
            "getPersonSubscriptionPreferences",
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "language": language,
                "accept_language": accept_language,
            },
        )


class AsyncCustomers(AsyncResource):
    """Look people up: by email, by filter, attributes, segments, messages, activities."""

    @operation("app_api", "getPeopleEmail")
    async def find(
        self,
        *,
        email: str,
    ) -> AsyncPage[m.CustomerIdentifiers]:
        """Get customers by email (operation ``getPeopleEmail``)."""
        return await self._page("getPeopleEmail", {"email": email})

    @operation("app_api", "getPeopleFilter")
    async def search(
        self,
        *,
        filter: Filter | Mapping[str, Any],
        start: str | None = None,
        limit: int | None = None,
    ) -> AsyncPage[m.MessageCustomerIdentifiers]:
        """Search for customers (operation ``getPeopleFilter``)."""
        return await self._page("getPeopleFilter", {"start": start, "limit": limit, "filter": filter})

    @operation("app_api", "getPersonAttributes")
    async def attributes(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
    ) -> m.GetPersonAttributesCustomer:
        """Lookup a customer's attributes (operation ``getPersonAttributes``)."""
        return await self._call("getPersonAttributes", {"customer_id": customer_id, "id_type": id_type})

    @operation("app_api", "getPersonRelationships")
    async def relationships(
        self,
        *,
        customer_id: str,
        start: str | None = None,
        limit: int | None = None,
    ) -> AsyncPage[m.CustomerCioRelationship]:
        """Lookup a customer's relationships (operation ``getPersonRelationships``)."""
        return await self._page(
            "getPersonRelationships", {"customer_id": customer_id, "start": start, "limit": limit}
        )

    @operation("app_api", "getPeopleById")
    async def get_many(
        self,
        *,
        ids: Sequence[str],
    ) -> AsyncPage[m.GetPersonAttributesResponse]:
        """List customers, attributes, and devices (operation ``getPeopleById``)."""
        return await self._page("getPeopleById", {"ids": ids})

    @operation("app_api", "getPersonSegments")
    async def segments(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
    ) -> AsyncPage[m.CustomerSegment]:
        """Lookup a customer's segments (operation ``getPersonSegments``)."""
        return await self._page("getPersonSegments", {"customer_id": customer_id, "id_type": id_type})

    @operation("app_api", "getPersonMessages")
    async def messages(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
        start: str | None = None,
        limit: int | None = None,
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> AsyncPage[m.CustomerMessage]:
        """Lookup messages sent to a customer (operation ``getPersonMessages``)."""
        return await self._page(
            "getPersonMessages",
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "start": start,
                "limit": limit,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    @operation("app_api", "getPersonActivities")
    async def activities(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
        start: str | None = None,
        limit: int | None = None,
        type: str | None = None,
        name: str | None = None,
    ) -> AsyncPage[m.Activity]:
        """Lookup a customer's activities (operation ``getPersonActivities``)."""
        return await self._page(
            "getPersonActivities",
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "start": start,
                "limit": limit,
                "type": type,
                "name": name,
            },
        )

    @operation("app_api", "getPersonSubscriptionPreferences")
    async def subscription_preferences(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id"] | None = None,
        language: str | None = None,
        accept_language: str | None = None,
    ) -> m.GetPersonSubscriptionPreferencesResponse:
        """Lookup a customer's subscription preferences (operation ``getPersonSubscriptionPreferences``)."""
        return await self._call(
            "getPersonSubscriptionPreferences",
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "language": language,
                "accept_language": accept_language,
            },
        )
