# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Broadcasts resources of the App API (generated)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from cio_toolkit._pagination import AsyncPage, SyncPage
from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AsyncBroadcastActions",
    "AsyncBroadcastTriggers",
    "AsyncBroadcasts",
    "BroadcastActions",
    "BroadcastTriggers",
    "Broadcasts",
]


class BroadcastActions(SyncResource):
    """The actions of a broadcast: content, translations, metrics."""

    @operation("app_api", "broadcastActions")
    def list(
        self,
        *,
        broadcast_id: int,
    ) -> SyncPage[m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3]:
        """List broadcast actions (operation ``broadcastActions``)."""
        return self._page("broadcastActions", {"broadcast_id": broadcast_id})

    @operation("app_api", "getBroadcastAction")
    def get(
        self,
        *,
        broadcast_id: int,
        action_id: int,
    ) -> m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3:
        """Get a broadcast action (operation ``getBroadcastAction``)."""
        return self._call("getBroadcastAction", {"broadcast_id": broadcast_id, "action_id": action_id})

    @operation("app_api", "updateBroadcastAction")
    def update(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        body: str | Unset = UNSET,
        sending_state: Literal["automatic", "draft", "off"] | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        url: str | Unset = UNSET,
        method: Literal["get", "post", "put", "delete", "patch"] | Unset = UNSET,
    ) -> m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3:
        """Update a broadcast action (operation ``updateBroadcastAction``)."""
        return self._call(
            "updateBroadcastAction",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "body": body,
                "sending_state": sending_state,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
                "image_url": image_url,
                "url": url,
                "method": method,
            },
        )

    @operation("app_api", "getBroadcastActionLanguage")
    def get_translation(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        language: str,
    ) -> m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3:
        """Get a translation of a broadcast message (operation ``getBroadcastActionLanguage``)."""
        return self._call(
            "getBroadcastActionLanguage",
            {"broadcast_id": broadcast_id, "action_id": action_id, "language": language},
        )

    @operation("app_api", "updateBroadcastActionLanguage")
    def update_translation(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        language: str,
        body: str | Unset = UNSET,
        sending_state: Literal["automatic", "draft", "off"] | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        url: str | Unset = UNSET,
        method: Literal["get", "post", "put", "delete", "patch"] | Unset = UNSET,
    ) -> m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3:
        """Update a translation of a broadcast message (operation ``updateBroadcastActionLanguage``)."""
        return self._call(
            "updateBroadcastActionLanguage",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "language": language,
                "body": body,
                "sending_state": sending_state,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
                "image_url": image_url,
                "url": url,
                "method": method,
            },
        )

    @operation("app_api", "broadcastActionMetrics")
    def metrics(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> m.CampaignMetric:
        """Get broadcast action metrics (operation ``broadcastActionMetrics``)."""
        return self._call(
            "broadcastActionMetrics",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    def metrics_frame(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get broadcast action metrics as a tidy DataFrame, one row per period and metric (operation ``broadcastActionMetrics``)."""
        return self._frame(
            "broadcastActionMetrics",
            "series",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    @operation("app_api", "broadcastActionLinks")
    def link_metrics(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> SyncPage[m.Link]:
        """Get broadcast action link metrics (operation ``broadcastActionLinks``)."""
        return self._page(
            "broadcastActionLinks",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    def link_metrics_frame(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get broadcast action link metrics as a tidy DataFrame, one row per period and metric (operation ``broadcastActionLinks``)."""
        return self._frame(
            "broadcastActionLinks",
            "links",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )


class AsyncBroadcastActions(AsyncResource):
    """The actions of a broadcast: content, translations, metrics."""

    @operation("app_api", "broadcastActions")
    async def list(
        self,
        *,
        broadcast_id: int,
    ) -> AsyncPage[m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3]:
        """List broadcast actions (operation ``broadcastActions``)."""
        return await self._page("broadcastActions", {"broadcast_id": broadcast_id})

    @operation("app_api", "getBroadcastAction")
    async def get(
        self,
        *,
        broadcast_id: int,
        action_id: int,
    ) -> m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3:
        """Get a broadcast action (operation ``getBroadcastAction``)."""
        return await self._call("getBroadcastAction", {"broadcast_id": broadcast_id, "action_id": action_id})

    @operation("app_api", "updateBroadcastAction")
    async def update(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        body: str | Unset = UNSET,
        sending_state: Literal["automatic", "draft", "off"] | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        url: str | Unset = UNSET,
        method: Literal["get", "post", "put", "delete", "patch"] | Unset = UNSET,
    ) -> m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3:
        """Update a broadcast action (operation ``updateBroadcastAction``)."""
        return await self._call(
            "updateBroadcastAction",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "body": body,
                "sending_state": sending_state,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
                "image_url": image_url,
                "url": url,
                "method": method,
            },
        )

    @operation("app_api", "getBroadcastActionLanguage")
    async def get_translation(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        language: str,
    ) -> m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3:
        """Get a translation of a broadcast message (operation ``getBroadcastActionLanguage``)."""
        return await self._call(
            "getBroadcastActionLanguage",
            {"broadcast_id": broadcast_id, "action_id": action_id, "language": language},
        )

    @operation("app_api", "updateBroadcastActionLanguage")
    async def update_translation(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        language: str,
        body: str | Unset = UNSET,
        sending_state: Literal["automatic", "draft", "off"] | Unset = UNSET,
        from_id: int | Unset = UNSET,
        reply_to_id: int | Unset | None = UNSET,
        recipient: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        preheader_text: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        headers: Sequence[Mapping[str, Any]] | str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        url: str | Unset = UNSET,
        method: Literal["get", "post", "put", "delete", "patch"] | Unset = UNSET,
    ) -> m.BroadcastAction1 | m.BroadcastAction2 | m.BroadcastAction3:
        """Update a translation of a broadcast message (operation ``updateBroadcastActionLanguage``)."""
        return await self._call(
            "updateBroadcastActionLanguage",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "language": language,
                "body": body,
                "sending_state": sending_state,
                "from_id": from_id,
                "reply_to_id": reply_to_id,
                "recipient": recipient,
                "subject": subject,
                "preheader_text": preheader_text,
                "body_amp": body_amp,
                "headers": headers,
                "image_url": image_url,
                "url": url,
                "method": method,
            },
        )

    @operation("app_api", "broadcastActionMetrics")
    async def metrics(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> m.CampaignMetric:
        """Get broadcast action metrics (operation ``broadcastActionMetrics``)."""
        return await self._call(
            "broadcastActionMetrics",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    async def metrics_frame(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get broadcast action metrics as a tidy DataFrame, one row per period and metric (operation ``broadcastActionMetrics``)."""
        return await self._frame(
            "broadcastActionMetrics",
            "series",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    @operation("app_api", "broadcastActionLinks")
    async def link_metrics(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> AsyncPage[m.Link]:
        """Get broadcast action link metrics (operation ``broadcastActionLinks``)."""
        return await self._page(
            "broadcastActionLinks",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )

    async def link_metrics_frame(
        self,
        *,
        broadcast_id: int,
        action_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get broadcast action link metrics as a tidy DataFrame, one row per period and metric (operation ``broadcastActionLinks``)."""
        return await self._frame(
            "broadcastActionLinks",
            "links",
            {
                "broadcast_id": broadcast_id,
                "action_id": action_id,
                "period": period,
                "steps": steps,
                "type": type,
            },
        )


class BroadcastTriggers(SyncResource):
    """The triggers of a broadcast: status and errors."""

    @operation("app_api", "broadcastErrors")
    def errors(
        self,
        *,
        broadcast_id: int,
        trigger_id: int,
        start: str | None = None,
        limit: int | None = None,
    ) -> SyncPage[str]:
        """Get broadcast error descriptions (operation ``broadcastErrors``)."""
        return self._page(
            "broadcastErrors",
            {"broadcast_id": broadcast_id, "trigger_id": trigger_id, "start": start, "limit": limit},
        )

    @operation("app_api", "broadcastStatus")
    def get(
        self,
        *,
        broadcast_id: int,
        trigger_id: int,
    ) -> m.Trigger:
        """Get the status of a broadcast (operation ``broadcastStatus``)."""
        return self._call("broadcastStatus", {"broadcast_id": broadcast_id, "trigger_id": trigger_id})

    @operation("app_api", "listBroadcastTriggers")
    def list(
        self,
        *,
        broadcast_id: int,
    ) -> SyncPage[m.Trigger]:
        """Get broadcast triggers (operation ``listBroadcastTriggers``)."""
        return self._page("listBroadcastTriggers", {"broadcast_id": broadcast_id})


class AsyncBroadcastTriggers(AsyncResource):
    """The triggers of a broadcast: status and errors."""

    @operation("app_api", "broadcastErrors")
    async def errors(
        self,
        *,
        broadcast_id: int,
        trigger_id: int,
        start: str | None = None,
        limit: int | None = None,
    ) -> AsyncPage[str]:
        """Get broadcast error descriptions (operation ``broadcastErrors``)."""
        return await self._page(
            "broadcastErrors",
            {"broadcast_id": broadcast_id, "trigger_id": trigger_id, "start": start, "limit": limit},
        )

    @operation("app_api", "broadcastStatus")
    async def get(
        self,
        *,
        broadcast_id: int,
        trigger_id: int,
    ) -> m.Trigger:
        """Get the status of a broadcast (operation ``broadcastStatus``)."""
        return await self._call("broadcastStatus", {"broadcast_id": broadcast_id, "trigger_id": trigger_id})

    @operation("app_api", "listBroadcastTriggers")
    async def list(
        self,
        *,
        broadcast_id: int,
    ) -> AsyncPage[m.Trigger]:
        """Get broadcast triggers (operation ``listBroadcastTriggers``)."""
        return await self._page("listBroadcastTriggers", {"broadcast_id": broadcast_id})


class Broadcasts(SyncResource):
    """API-triggered broadcasts, their metrics and messages."""

    @functools.cached_property
    def actions(self) -> BroadcastActions:
        """The actions of a broadcast: content, translations, metrics."""
        return BroadcastActions(self._client)

    @functools.cached_property
    def triggers(self) -> BroadcastTriggers:
        """The triggers of a broadcast: status and errors."""
        return BroadcastTriggers(self._client)

    @operation("app_api", "listBroadcasts")
    def list(self) -> SyncPage[m.Broadcast]:
        """List broadcasts (operation ``listBroadcasts``)."""
        return self._page("listBroadcasts", {})

    @operation("app_api", "getBroadcast")
    def get(
        self,
        *,
        broadcast_id: int,
    ) -> m.Broadcast:
        """Get a broadcast (operation ``getBroadcast``)."""
        return self._call("getBroadcast", {"broadcast_id": broadcast_id})

    @operation("app_api", "broadcastMetrics")
    def metrics(
        self,
        *,
        broadcast_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> m.CampaignMetric:
        """Get broadcast metrics (operation ``broadcastMetrics``)."""
        return self._call(
            "broadcastMetrics", {"broadcast_id": broadcast_id, "period": period, "steps": steps, "type": type}
        )

    def metrics_frame(
        self,
        *,
        broadcast_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get broadcast metrics as a tidy DataFrame, one row per period and metric (operation ``broadcastMetrics``)."""
        return self._frame(
            "broadcastMetrics",
            "series",
            {"broadcast_id": broadcast_id, "period": period, "steps": steps, "type": type},
        )

    @operation("app_api", "broadcastLinks")
    def link_metrics(
        self,
        *,
        broadcast_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> SyncPage[m.Link]:
        """Get broadcast link metrics (operation ``broadcastLinks``)."""
        return self._page(
            "broadcastLinks",
            {"broadcast_id": broadcast_id, "period": period, "steps": steps, "unique": unique},
        )

    def link_metrics_frame(
        self,
        *,
        broadcast_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> pd.DataFrame:
        """Get broadcast link metrics as a tidy DataFrame, one row per period and metric (operation ``broadcastLinks``)."""
        return self._frame(
            "broadcastLinks",
            "links",
            {"broadcast_id": broadcast_id, "period": period, "steps": steps, "unique": unique},
        )

    @operation("app_api", "broadcastMessages")
    def messages(
        self,
        *,
        broadcast_id: int,
        start: str | None = None,
        limit: int | None = None,
        metric: Literal[
            "attempted",
            "sent",
            "delivered",
            "opened",
            "clicked",
            "converted",
            "bounced",
            "spammed",
            "unsubscribed",
            "dropped",
            "failed",
            "undeliverable",
        ]
        | None = None,
        state: Literal["failed", "sent", "drafted", "attempted"] | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> SyncPage[m.CampaignMessage]:
        """Get messages for a broadcast (operation ``broadcastMessages``)."""
        return self._page(
            "broadcastMessages",
            {
                "broadcast_id": broadcast_id,
                "start": start,
                "limit": limit,
                "metric": metric,
                "state": state,
                "type": type,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )


class AsyncBroadcasts(AsyncResource):
    """API-triggered broadcasts, their metrics and messages."""

    @functools.cached_property
    def actions(self) -> AsyncBroadcastActions:
        """The actions of a broadcast: content, translations, metrics."""
        return AsyncBroadcastActions(self._client)

    @functools.cached_property
    def triggers(self) -> AsyncBroadcastTriggers:
        """The triggers of a broadcast: status and errors."""
        return AsyncBroadcastTriggers(self._client)

    @operation("app_api", "listBroadcasts")
    async def list(self) -> AsyncPage[m.Broadcast]:
        """List broadcasts (operation ``listBroadcasts``)."""
        return await self._page("listBroadcasts", {})

    @operation("app_api", "getBroadcast")
    async def get(
        self,
        *,
        broadcast_id: int,
    ) -> m.Broadcast:
        """Get a broadcast (operation ``getBroadcast``)."""
        return await self._call("getBroadcast", {"broadcast_id": broadcast_id})

    @operation("app_api", "broadcastMetrics")
    async def metrics(
        self,
        *,
        broadcast_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> m.CampaignMetric:
        """Get broadcast metrics (operation ``broadcastMetrics``)."""
        return await self._call(
            "broadcastMetrics", {"broadcast_id": broadcast_id, "period": period, "steps": steps, "type": type}
        )

    async def metrics_frame(
        self,
        *,
        broadcast_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
    ) -> pd.DataFrame:
        """Get broadcast metrics as a tidy DataFrame, one row per period and metric (operation ``broadcastMetrics``)."""
        return await self._frame(
            "broadcastMetrics",
            "series",
            {"broadcast_id": broadcast_id, "period": period, "steps": steps, "type": type},
        )

    @operation("app_api", "broadcastLinks")
    async def link_metrics(
        self,
        *,
        broadcast_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> AsyncPage[m.Link]:
        """Get broadcast link metrics (operation ``broadcastLinks``)."""
        return await self._page(
            "broadcastLinks",
            {"broadcast_id": broadcast_id, "period": period, "steps": steps, "unique": unique},
        )

    async def link_metrics_frame(
        self,
        *,
        broadcast_id: int,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        unique: bool | None = None,
    ) -> pd.DataFrame:
        """Get broadcast link metrics as a tidy DataFrame, one row per period and metric (operation ``broadcastLinks``)."""
        return await self._frame(
            "broadcastLinks",
            "links",
            {"broadcast_id": broadcast_id, "period": period, "steps": steps, "unique": unique},
        )

    @operation("app_api", "broadcastMessages")
    async def messages(
        self,
        *,
        broadcast_id: int,
        start: str | None = None,
        limit: int | None = None,
        metric: Literal[
            "attempted",
            "sent",
            "delivered",
            "opened",
            "clicked",
            "converted",
            "bounced",
            "spammed",
            "unsubscribed",
            "dropped",
            "failed",
            "undeliverable",
        ]
        | None = None,
        state: Literal["failed", "sent", "drafted", "attempted"] | None = None,
        type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"] | None = None,
        start_ts: int | datetime.datetime | None = None,
        end_ts: int | datetime.datetime | None = None,
    ) -> AsyncPage[m.CampaignMessage]:
        """Get messages for a broadcast (operation ``broadcastMessages``)."""
        return await self._page(
            "broadcastMessages",
            {
                "broadcast_id": broadcast_id,
                "start": start,
                "limit": limit,
                "metric": metric,
                "state": state,
                "type": type,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )
