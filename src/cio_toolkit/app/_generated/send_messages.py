# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""Send Messages resources of the App API (generated)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from cio_toolkit._types import UNSET, Unset
from cio_toolkit.app._resource import AsyncResource, SyncResource
from cio_toolkit.app.filters import Filter
from cio_toolkit.specs._registry import operation

from . import models as m

if TYPE_CHECKING:
    pass

__all__ = ["AsyncSend", "Send"]


class Send(SyncResource):
    """Send transactional email, push and SMS, and trigger broadcasts."""

    @operation("app_api", "triggerBroadcast")
    def broadcast(
        self,
        *,
        broadcast_id: int,
        data: Mapping[str, Any] | Unset = UNSET,
        email_add_duplicates: bool | Unset = UNSET,
        email_ignore_missing: bool | Unset = UNSET,
        id_ignore_missing: bool | Unset = UNSET,
        recipients: Filter | Mapping[str, Any] | Unset = UNSET,
        emails: Sequence[str] | Unset = UNSET,
        ids: Sequence[str] | Unset = UNSET,
        per_user_data: Sequence[Mapping[str, Any]] | Unset = UNSET,
        data_file_url: str | Unset = UNSET,
    ) -> m.TriggerBroadcastResponse:
        """Trigger a broadcast (operation ``triggerBroadcast``)."""
        return self._call(
            "triggerBroadcast",
            {
                "broadcast_id": broadcast_id,
                "data": data,
                "email_add_duplicates": email_add_duplicates,
                "email_ignore_missing": email_ignore_missing,
                "id_ignore_missing": id_ignore_missing,
                "recipients": recipients,
                "emails": emails,
                "ids": ids,
                "per_user_data": per_user_data,
                "data_file_url": data_file_url,
            },
        )

    @operation("app_api", "sendEmail")
    def email(
        self,
        *,
        identifiers: Mapping[str, Any],
        to: str,
        transactional_message_id: int | str | Unset = UNSET,
        body: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        body_plain: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        from_: str | Unset = UNSET,
        language: str | Unset = UNSET,
        message_data: Mapping[str, Any] | Unset = UNSET,
        send_at: int | Unset = UNSET,
        disable_message_retention: bool | Unset = UNSET,
        send_to_unsubscribed: bool | Unset = UNSET,
        queue_draft: bool | Unset = UNSET,
        bcc: str | Unset = UNSET,
        fake_bcc: bool | Unset = UNSET,
        reply_to: str | Unset = UNSET,
        preheader: str | Unset = UNSET,
        attachments: Mapping[str, Any] | Unset = UNSET,
        headers: str | Unset = UNSET,
        disable_css_preprocessing: bool | Unset = UNSET,
        tracked: bool | Unset = UNSET,
    ) -> m.SendSMSResponse:
        """Send a transactional email (operation ``sendEmail``)."""
        return self._call(
            "sendEmail",
            {
                "transactional_message_id": transactional_message_id,
                "body": body,
                "body_amp": body_amp,
                "body_plain": body_plain,
                "subject": subject,
                "from_": from_,
                "language": language,
                "identifiers": identifiers,
                "message_data": message_data,
                "send_at": send_at,
                "disable_message_retention": disable_message_retention,
                "send_to_unsubscribed": send_to_unsubscribed,
                "queue_draft": queue_draft,
                "to": to,
                "bcc": bcc,
                "fake_bcc": fake_bcc,
                "reply_to": reply_to,
                "preheader": preheader,
                "attachments": attachments,
                "headers": headers,
                "disable_css_preprocessing": disable_css_preprocessing,
                "tracked": tracked,
            },
        )

    @operation("app_api", "sendPush")
    def push(
        self,
        *,
        transactional_message_id: int | str,
        to: Literal["all", "last_used", "$device_token"],
        identifiers: Mapping[str, Any],
        title: str | Unset = UNSET,
        message: str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        link: str | Unset = UNSET,
        sound: Literal["default", "none"] | Unset = UNSET,
        custom_data: Mapping[str, Any] | Unset = UNSET,
        custom_device: Mapping[str, Any] | Unset = UNSET,
        custom_payload: Mapping[str, Any] | Unset = UNSET,
        language: str | Unset = UNSET,
        message_data: Mapping[str, Any] | Unset = UNSET,
        send_at: int | Unset = UNSET,
        disable_message_retention: bool | Unset = UNSET,
        send_to_unsubscribed: bool | Unset = UNSET,
        queue_draft: bool | Unset = UNSET,
    ) -> m.SendSMSResponse:
        """Send a transactional push (operation ``sendPush``)."""
        return self._call(
            "sendPush",
            {
                "transactional_message_id": transactional_message_id,
                "to": to,
                "title": title,
                "message": message,
                "image_url": image_url,
                "link": link,
                "sound": sound,
                "custom_data": custom_data,
                "custom_device": custom_device,
                "custom_payload": custom_payload,
                "language": language,
                "identifiers": identifiers,
                "message_data": message_data,
                "send_at": send_at,
                "disable_message_retention": disable_message_retention,
                "send_to_unsubscribed": send_to_unsubscribed,
                "queue_draft": queue_draft,
            },
        )

    @operation("app_api", "sendSMS")
    def sms(
        self,
        *,
        transactional_message_id: int | str,
        to: str,
        identifiers: Mapping[str, Any],
        from_: str | Unset = UNSET,
        language: str | Unset = UNSET,
        message_data: Mapping[str, Any] | Unset = UNSET,
        send_at: int | Unset = UNSET,
        disable_message_retention: bool | Unset = UNSET,
        send_to_unsubscribed: bool | Unset = UNSET,
        queue_draft: bool | Unset = UNSET,
    ) -> m.SendSMSResponse:
        """Send a transactional SMS (operation ``sendSMS``)."""
        return self._call(
            "sendSMS",
            {
                "transactional_message_id": transactional_message_id,
                "to": to,
                "from_": from_,
                "language": language,
                "identifiers": identifiers,
                "message_data": message_data,
                "send_at": send_at,
                "disable_message_retention": disable_message_retention,
                "send_to_unsubscribed": send_to_unsubscribed,
                "queue_draft": queue_draft,
            },
        )


class AsyncSend(AsyncResource):
    """Send transactional email, push and SMS, and trigger broadcasts."""

    @operation("app_api", "triggerBroadcast")
    async def broadcast(
        self,
        *,
        broadcast_id: int,
        data: Mapping[str, Any] | Unset = UNSET,
        email_add_duplicates: bool | Unset = UNSET,
        email_ignore_missing: bool | Unset = UNSET,
        id_ignore_missing: bool | Unset = UNSET,
        recipients: Filter | Mapping[str, Any] | Unset = UNSET,
        emails: Sequence[str] | Unset = UNSET,
        ids: Sequence[str] | Unset = UNSET,
        per_user_data: Sequence[Mapping[str, Any]] | Unset = UNSET,
        data_file_url: str | Unset = UNSET,
    ) -> m.TriggerBroadcastResponse:
        """Trigger a broadcast (operation ``triggerBroadcast``)."""
        return await self._call(
            "triggerBroadcast",
            {
                "broadcast_id": broadcast_id,
                "data": data,
                "email_add_duplicates": email_add_duplicates,
                "email_ignore_missing": email_ignore_missing,
                "id_ignore_missing": id_ignore_missing,
                "recipients": recipients,
                "emails": emails,
                "ids": ids,
                "per_user_data": per_user_data,
                "data_file_url": data_file_url,
            },
        )

    @operation("app_api", "sendEmail")
    async def email(
        self,
        *,
        identifiers: Mapping[str, Any],
        to: str,
        transactional_message_id: int | str | Unset = UNSET,
        body: str | Unset = UNSET,
        body_amp: str | Unset = UNSET,
        body_plain: str | Unset = UNSET,
        subject: str | Unset = UNSET,
        from_: str | Unset = UNSET,
        language: str | Unset = UNSET,
        message_data: Mapping[str, Any] | Unset = UNSET,
        send_at: int | Unset = UNSET,
        disable_message_retention: bool | Unset = UNSET,
        send_to_unsubscribed: bool | Unset = UNSET,
        queue_draft: bool | Unset = UNSET,
        bcc: str | Unset = UNSET,
        fake_bcc: bool | Unset = UNSET,
        reply_to: str | Unset = UNSET,
        preheader: str | Unset = UNSET,
        attachments: Mapping[str, Any] | Unset = UNSET,
        headers: str | Unset = UNSET,
        disable_css_preprocessing: bool | Unset = UNSET,
        tracked: bool | Unset = UNSET,
    ) -> m.SendSMSResponse:
        """Send a transactional email (operation ``sendEmail``)."""
        return await self._call(
            "sendEmail",
            {
                "transactional_message_id": transactional_message_id,
                "body": body,
                "body_amp": body_amp,
                "body_plain": body_plain,
                "subject": subject,
                "from_": from_,
                "language": language,
                "identifiers": identifiers,
                "message_data": message_data,
                "send_at": send_at,
                "disable_message_retention": disable_message_retention,
                "send_to_unsubscribed": send_to_unsubscribed,
                "queue_draft": queue_draft,
                "to": to,
                "bcc": bcc,
                "fake_bcc": fake_bcc,
                "reply_to": reply_to,
                "preheader": preheader,
                "attachments": attachments,
                "headers": headers,
                "disable_css_preprocessing": disable_css_preprocessing,
                "tracked": tracked,
            },
        )

    @operation("app_api", "sendPush")
    async def push(
        self,
        *,
        transactional_message_id: int | str,
        to: Literal["all", "last_used", "$device_token"],
        identifiers: Mapping[str, Any],
        title: str | Unset = UNSET,
        message: str | Unset = UNSET,
        image_url: str | Unset = UNSET,
        link: str | Unset = UNSET,
        sound: Literal["default", "none"] | Unset = UNSET,
        custom_data: Mapping[str, Any] | Unset = UNSET,
        custom_device: Mapping[str, Any] | Unset = UNSET,
        custom_payload: Mapping[str, Any] | Unset = UNSET,
        language: str | Unset = UNSET,
        message_data: Mapping[str, Any] | Unset = UNSET,
        send_at: int | Unset = UNSET,
        disable_message_retention: bool | Unset = UNSET,
        send_to_unsubscribed: bool | Unset = UNSET,
        queue_draft: bool | Unset = UNSET,
    ) -> m.SendSMSResponse:
        """Send a transactional push (operation ``sendPush``)."""
        return await self._call(
            "sendPush",
            {
                "transactional_message_id": transactional_message_id,
                "to": to,
                "title": title,
                "message": message,
                "image_url": image_url,
                "link": link,
                "sound": sound,
                "custom_data": custom_data,
                "custom_device": custom_device,
                "custom_payload": custom_payload,
                "language": language,
                "identifiers": identifiers,
                "message_data": message_data,
                "send_at": send_at,
                "disable_message_retention": disable_message_retention,
                "send_to_unsubscribed": send_to_unsubscribed,
                "queue_draft": queue_draft,
            },
        )

    @operation("app_api", "sendSMS")
    async def sms(
        self,
        *,
        transactional_message_id: int | str,
        to: str,
        identifiers: Mapping[str, Any],
        from_: str | Unset = UNSET,
        language: str | Unset = UNSET,
        message_data: Mapping[str, Any] | Unset = UNSET,
        send_at: int | Unset = UNSET,
        disable_message_retention: bool | Unset = UNSET,
        send_to_unsubscribed: bool | Unset = UNSET,
        queue_draft: bool | Unset = UNSET,
    ) -> m.SendSMSResponse:
        """Send a transactional SMS (operation ``sendSMS``)."""
        return await self._call(
            "sendSMS",
            {
                "transactional_message_id": transactional_message_id,
                "to": to,
                "from_": from_,
                "language": language,
                "identifiers": identifiers,
                "message_data": message_data,
                "send_at": send_at,
                "disable_message_retention": disable_message_retention,
                "send_to_unsubscribed": send_to_unsubscribed,
                "queue_draft": queue_draft,
            },
        )
