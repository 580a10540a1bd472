"""AppClient and AsyncAppClient: the App API, one resource per spec tag.

``AppClient().campaigns.list()``, ``.customers.search(filter=attr("plan") == "pro")``,
``.exports.fetch("customers", filters=segment(3))``... Every method maps to one operation of
app_api.json (its docstring names the operationId); the resource classes are generated from the
spec by scripts/gen_app_client.py, the request building and answer reading they share are in
``_ops.py`` and ``_resource.py``.
"""

from __future__ import annotations

import functools
from typing import Any

from .._base import AsyncAPIClient, SyncAPIClient
from .._config import API, Settings
from ._customers import AsyncCustomers, Customers
from ._generated.activities import Activities, AsyncActivities
from ._generated.broadcasts import AsyncBroadcasts, Broadcasts
from ._generated.campaigns import AsyncCampaigns, Campaigns
from ._generated.collections import AsyncCollections, Collections
from ._generated.data_index import AsyncDataIndex, DataIndex
from ._generated.esp_suppression import AsyncEspSuppression, EspSuppression
from ._generated.imports import AsyncImports, Imports
from ._generated.info import AsyncInfo, Info
from ._generated.messages import AsyncMessages, Messages
from ._generated.newsletters import AsyncNewsletters, Newsletters
from ._generated.objects import AsyncObjects, Objects
from ._generated.reporting_webhooks import AsyncReportingWebhooks, ReportingWebhooks
from ._generated.segments import AsyncSegments, Segments
from ._generated.send_messages import AsyncSend, Send
from ._generated.sender_identities import AsyncSenderIdentities, SenderIdentities
from ._generated.snippets import AsyncSnippets, Snippets
from ._generated.subscription_center import AsyncSubscriptionCenter, SubscriptionCenter
from ._generated.transactional import AsyncTransactional, Transactional
from ._generated.workspaces import AsyncWorkspaces, Workspaces
from ._resources import AsyncExports, Exports

__all__ = ["AppClient", "AsyncAppClient"]


class _AppMixin:
    api: API = "app"

    def __init__(
        self, api_key: str | None = None, *,
        region: str | None = None, base_url: str | None = None, settings: Settings | None = None, **kw: Any,
    ) -> None:
        settings = (settings or Settings()).with_overrides(app_api_key=api_key, region=region, base_url=base_url)
        super().__init__(settings, **kw)  # type: ignore[call-arg]


class AppClient(_AppMixin, SyncAPIClient):
    """Blocking client for the App API."""

    @functools.cached_property
    def customers(self) -> Customers:
        """Look people up: by email, by filter, attributes, segments, messages, activities."""
        return Customers(self)

    @functools.cached_property
    def activities(self) -> Activities:
        """Workspace activity log."""
        return Activities(self)

    @functools.cached_property
    def campaigns(self) -> Campaigns:
        """Campaigns, their metrics and messages."""
        return Campaigns(self)

    @functools.cached_property
    def broadcasts(self) -> Broadcasts:
        """API-triggered broadcasts, their metrics and messages."""
        return Broadcasts(self)

    @functools.cached_property
    def send(self) -> Send:
        """Send transactional email, push and SMS, and trigger broadcasts."""
        return Send(self)

    @functools.cached_property
    def newsletters(self) -> Newsletters:
        """Newsletters, their metrics, messages and test groups."""
        return Newsletters(self)

    @functools.cached_property
    def messages(self) -> Messages:
        """Deliveries across campaigns, newsletters and transactional messages."""
        return Messages(self)

    @functools.cached_property
    def exports(self) -> Exports:
        """Customer and delivery exports."""
        return Exports(self)

    @functools.cached_property
    def imports(self) -> Imports:
        """CSV imports of people, objects and events."""
        return Imports(self)

    @functools.cached_property
    def segments(self) -> Segments:
        """Segments, manual segments and their members."""
        return Segments(self)

    @functools.cached_property
    def transactional(self) -> Transactional:
        """Transactional message templates, contents, metrics."""
        return Transactional(self)

    @functools.cached_property
    def snippets(self) -> Snippets:
        """Reusable content snippets."""
        return Snippets(self)

    @functools.cached_property
    def collections(self) -> Collections:
        """Data collections used in messages."""
        return Collections(self)

    @functools.cached_property
    def sender_identities(self) -> SenderIdentities:
        """Sender identities (from addresses)."""
        return SenderIdentities(self)

    @functools.cached_property
    def esp_suppression(self) -> EspSuppression:
        """The email service provider's suppression lists."""
        return EspSuppression(self)

    @functools.cached_property
    def objects(self) -> Objects:
        """Objects (companies, accounts, ...), their attributes and relationships."""
        return Objects(self)

    @functools.cached_property
    def reporting_webhooks(self) -> ReportingWebhooks:
        """Reporting webhook configurations."""
        return ReportingWebhooks(self)

    @functools.cached_property
    def workspaces(self) -> Workspaces:
        """Workspaces of the account."""
        return Workspaces(self)

    @functools.cached_property
    def info(self) -> Info:
        """Customer.io service information."""
        return Info(self)

    @functools.cached_property
    def subscription_center(self) -> SubscriptionCenter:
        """Subscription topics."""
        return SubscriptionCenter(self)

    @functools.cached_property
    def data_index(self) -> DataIndex:
        """Attribute and event metadata in the data index."""
        return DataIndex(self)


class AsyncAppClient(_AppMixin, AsyncAPIClient):
    """Asyncio client for the App API."""

    @functools.cached_property
    def customers(self) -> AsyncCustomers:
        """Look people up: by email, by filter, attributes, segments, messages, activities."""
        return AsyncCustomers(self)

    @functools.cached_property
    def activities(self) -> AsyncActivities:
        """Workspace activity log."""
        return AsyncActivities(self)

    @functools.cached_property
    def campaigns(self) -> AsyncCampaigns:
        """Campaigns, their metrics and messages."""
        return AsyncCampaigns(self)

    @functools.cached_property
    def broadcasts(self) -> AsyncBroadcasts:
        """API-triggered broadcasts, their metrics and messages."""
        return AsyncBroadcasts(self)

    @functools.cached_property
    def send(self) -> AsyncSend:
        """Send transactional email, push and SMS, and trigger broadcasts."""
        return AsyncSend(self)

    @functools.cached_property
    def newsletters(self) -> AsyncNewsletters:
        """Newsletters, their metrics, messages and test groups."""
        return AsyncNewsletters(self)

    @functools.cached_property
    def messages(self) -> AsyncMessages:
        """Deliveries across campaigns, newsletters and transactional messages."""
        return AsyncMessages(self)

    @functools.cached_property
    def exports(self) -> AsyncExports:
        """Customer and delivery exports."""
        return AsyncExports(self)

    @functools.cached_property
    def imports(self) -> AsyncImports:
        """CSV imports of people, objects and events."""
        return AsyncImports(self)

    @functools.cached_property
    def segments(self) -> AsyncSegments:
        """Segments, manual segments and their members."""
        return AsyncSegments(self)

    @functools.cached_property
    def transactional(self) -> AsyncTransactional:
        """Transactional message templates, contents, metrics."""
        return AsyncTransactional(self)

    @functools.cached_property
    def snippets(self) -> AsyncSnippets:
        """Reusable content snippets."""
        return AsyncSnippets(self)

    @functools.cached_property
    def collections(self) -> AsyncCollections:
        """Data collections used in messages."""
        return AsyncCollections(self)

    @functools.cached_property
    def sender_identities(self) -> AsyncSenderIdentities:
        """Sender identities (from addresses)."""
        return AsyncSenderIdentities(self)

    @functools.cached_property
    def esp_suppression(self) -> AsyncEspSuppression:
        """The email service provider's suppression lists."""
        return AsyncEspSuppression(self)

    @functools.cached_property
    def objects(self) -> AsyncObjects:
        """Objects (companies, accounts, ...), their attributes and relationships."""
        return AsyncObjects(self)

    @functools.cached_property
    def reporting_webhooks(self) -> AsyncReportingWebhooks:
        """Reporting webhook configurations."""
        return AsyncReportingWebhooks(self)

    @functools.cached_property
    def workspaces(self) -> AsyncWorkspaces:
        """Workspaces of the account."""
        return AsyncWorkspaces(self)

    @functools.cached_property
    def info(self) -> AsyncInfo:
        """Customer.io service information."""
        return AsyncInfo(self)

    @functools.cached_property
    def subscription_center(self) -> AsyncSubscriptionCenter:
        """Subscription topics."""
        return AsyncSubscriptionCenter(self)

    @functools.cached_property
    def data_index(self) -> AsyncDataIndex:
        """Attribute and event metadata in the data index."""
        return AsyncDataIndex(self)
