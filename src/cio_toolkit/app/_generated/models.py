# GENERATED FILE - DO NOT EDIT.
# Source: the vendored app_api.json spec and the LAYOUT table in scripts/gen_app_client.py.
# Regenerate with: python scripts/generate.py   (check: python scripts/generate.py --check)

"""TypedDicts for every documented App API JSON response (generated).

Methods return plain dicts typed with these: no runtime validation, so a field the API adds
or an enum value it extends never breaks a running job."""

from __future__ import annotations

from typing import Any, Literal, Required

# typing_extensions' TypedDict, so pydantic can validate these on Python 3.11.
from typing_extensions import TypedDict


class TriggerBroadcastResponse(TypedDict, total=False):
    id: int


class ErrorsItemSource(TypedDict, total=False):
    pointer: str


class TriggerBroadcastError422ErrorsItem(TypedDict, total=False):
    detail: str
    source: ErrorsItemSource
    status: Literal["422"]


class TriggerBroadcastError422(TypedDict, total=False):
    errors: list[TriggerBroadcastError422ErrorsItem]


class BroadcastErrorsResponse(TypedDict, total=False):
    errors: list[str]
    next: str


class SendEmailResponse(TypedDict, total=False):
    delivery_id: str
    queued_at: int


class Meta(TypedDict, total=False):
    error: str


class SendEmailError400(TypedDict, total=False):
    meta: Meta


class ActionsItem(TypedDict, total=False):
    type: str
    id: int


class MsgTemplatesItem(TypedDict, total=False):
    type: Literal["email", "sms", "push", "slack"]
    id: int


class ListCampaignsResponseCampaignsItem1(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["segment"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[ActionsItem]
    first_started: int
    tags: list[str]
    trigger_segment_ids: list[int]
    filter_segment_ids: list[int]
    msg_templates: list[MsgTemplatesItem]


class ListCampaignsResponseCampaignsItem2(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["event"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[ActionsItem]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]
    event_name: str


class ListCampaignsResponseCampaignsItem3(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["form"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[ActionsItem]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]


class ListCampaignsResponseCampaignsItem4(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["date"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[ActionsItem]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]
    frequency: Literal["once", "monthly", "yearly"]
    date_attribute: str
    timezone: str
    use_customer_timezone: bool
    start_hour: int
    start_minutes: int


class Audience(TypedDict, total=False):
    type: int
    person_filters: dict[str, Any] | str
    relationship_filters: dict[str, Any] | str


class ListCampaignsResponseCampaignsItem5(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["relationship"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[ActionsItem]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]
    object_type_id: int
    filter_object_attributes: str
    filter_relationship_attributes: str
    audience: Audience
    relationship_attribute_triggers: dict[str, Any] | str


class ListCampaignsResponseCampaignsItem6(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["object"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[ActionsItem]
    first_started: int
    tags: list[str]
    filter_segment_ids: list[int]
    object_type_id: int
    filter_object_attributes: str
    filter_relationship_attributes: str
    audience: Audience
    object_attribute_triggers: dict[str, Any] | str


class ListCampaignsResponseCampaignsItem7(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["webhook"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft", "stopped"]
    actions: list[ActionsItem]
    first_started: int
    tags: list[str]
    webhook_id: int


class ListCampaignsResponse(TypedDict, total=False):
    campaigns: list[
        ListCampaignsResponseCampaignsItem1
        | ListCampaignsResponseCampaignsItem2
        | ListCampaignsResponseCampaignsItem3
        | ListCampaignsResponseCampaignsItem4
        | ListCampaignsResponseCampaignsItem5
        | ListCampaignsResponseCampaignsItem6
        | ListCampaignsResponseCampaignsItem7
    ]


class GetCampaignsResponse(TypedDict, total=False):
    campaign: (
        ListCampaignsResponseCampaignsItem1
        | ListCampaignsResponseCampaignsItem2
        | ListCampaignsResponseCampaignsItem3
        | ListCampaignsResponseCampaignsItem4
        | ListCampaignsResponseCampaignsItem5
        | ListCampaignsResponseCampaignsItem6
        | ListCampaignsResponseCampaignsItem7
    )


Series = TypedDict(
    "Series",
    {
        "2xx": list[int],
        "3xx": list[int],
        "4xx": list[int],
        "5xx": list[int],
        "attempted": list[int],
        "bounced": list[int],
        "clicked": list[int],
        "human_clicked": list[int],
        "prefetch_clicked": list[int],
        "converted": list[int],
        "created": list[int],
        "deferred": list[int],
        "delivered": list[int],
        "drafted": list[int],
        "failed": list[int],
        "opened": list[int],
        "human_opened": list[int],
        "prefetch_opened": list[int],
        "sent": list[int],
        "spammed": list[int],
        "suppressed": list[int],
        "undeliverable": list[int],
        "topic_unsubscribed": list[int],
        "unsubscribed": list[int],
    },
    total=False,
)


class CampaignMetricsResponse1Metric(TypedDict, total=False):
    series: Series


class CampaignMetricsResponse1(TypedDict, total=False):
    metric: CampaignMetricsResponse1Metric


CampaignMetricsResponse2MetricSeries = TypedDict(
    "CampaignMetricsResponse2MetricSeries",
    {
        "2xx": list[int],
        "3xx": list[int],
        "4xx": list[int],
        "5xx": list[int],
        "attempted": list[int],
        "bounced": list[int],
        "clicked": list[int],
        "converted": list[int],
        "created": list[int],
        "deferred": list[int],
        "delivered": list[int],
        "drafted": list[int],
        "failed": list[int],
        "opened": list[int],
        "sent": list[int],
        "spammed": list[int],
        "suppressed": list[int],
        "undeliverable": list[int],
        "topic_unsubscribed": list[int],
        "unsubscribed": list[int],
    },
    total=False,
)


class CampaignMetricsResponse2Metric(TypedDict, total=False):
    series: CampaignMetricsResponse2MetricSeries


class MetricsResponse2(TypedDict, total=False):
    metric: CampaignMetricsResponse2Metric


class LinksItemLink(TypedDict, total=False):
    id: int
    href: str


class LinksItemMetricSeries(TypedDict, total=False):
    clicked: list[int]


class LinksItemMetric(TypedDict, total=False):
    series: LinksItemMetricSeries


class LinksItem(TypedDict, total=False):
    link: LinksItemLink
    metric: LinksItemMetric


class CampaignLinkMetricsResponse(TypedDict, total=False):
    links: list[LinksItem]


ListCampaignActionsResponseActionsItem1 = TypedDict(
    "ListCampaignActionsResponseActionsItem1",
    {
        "id": int,
        "broadcast_id": int,
        "deduplicate_id": str,
        "name": str,
        "layout": str,
        "created": int,
        "updated": int,
        "body": str,
        "type": Literal["email", "in_app", "push", "twilio", "slack"],
        "sending_state": Literal["automatic", "draft", "off"],
        "language": str,
        "from": str,
        "from_id": int,
        "reply_to": str,
        "reply_to_id": int | None,
        "preprocessor": Literal["premailer"],
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "body_amp": str,
        "campaign_id": int,
        "parent_action_id": int,
        "headers": str,
    },
    total=False,
)


class ListCampaignActionsResponseActionsItem2(TypedDict, total=False):
    id: int
    campaign_id: int
    parent_action_id: int
    deduplicate_id: str
    name: str
    layout: str
    created: int
    updated: int
    body: str
    language: str
    type: Literal["twilio"]
    image_url: str
    sending_state: Literal["automatic", "draft", "off"]
    recipient: str


class ListCampaignActionsResponseActionsItem3(TypedDict, total=False):
    id: int
    campaign_id: int
    parent_action_id: int
    deduplicate_id: str
    name: str
    layout: str
    created: int
    updated: int
    body: str
    type: Literal["webhook"]
    url: str
    headers: str
    method: Literal["get", "post", "put", "delete", "patch"]
    sending_state: Literal["automatic", "draft", "off"]


class ListCampaignActionsResponse(TypedDict, total=False):
    actions: list[
        ListCampaignActionsResponseActionsItem1
        | ListCampaignActionsResponseActionsItem2
        | ListCampaignActionsResponseActionsItem3
    ]
    next: str


class GetCampaignMessagesResponseMessagesItemCustomerIdentifiers(TypedDict, total=False):
    email: Required[str | None]
    id: Required[str | int | None]
    cio_id: Required[str | int]


class Metrics(TypedDict, total=False):
    bounced: int
    clicked: int
    human_clicked: int
    prefetch_clicked: int
    converted: int
    created: int
    delivered: int
    drafted: int
    dropped: int
    failed: int
    opened: int
    human_opened: int
    prefetch_opened: int
    sent: int
    spammed: int
    undeliverable: int
    unsubscribed: int


class MessagesResponseMessagesItem(TypedDict, total=False):
    id: str
    deduplicate_id: str
    message_template_id: int
    customer_id: str | None
    customer_identifiers: GetCampaignMessagesResponseMessagesItemCustomerIdentifiers
    recipient: str
    subject: str
    metrics: Metrics
    created: int
    failure_message: str | None
    campaign_id: int | None
    action_id: int
    parent_action_id: int | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    trigger_event_id: str | None
    type: Literal["email", "webhook", "twilio", "slack", "push"]
    forgotten: bool


class MessagesResponse(TypedDict, total=False):
    messages: list[MessagesResponseMessagesItem]


class GetCampaignActionResponse(TypedDict, total=False):
    action: (
        ListCampaignActionsResponseActionsItem1
        | ListCampaignActionsResponseActionsItem2
        | ListCampaignActionsResponseActionsItem3
    )


class CampaignJourneyMetricsResponseJourneyMetric(TypedDict, total=False):
    started: list[int]
    activated: list[int]
    exited_early: list[int]
    finished: list[int]
    converted: list[int]
    never_activated: list[int]
    messaged: list[int]


class CampaignJourneyMetricsResponse(TypedDict, total=False):
    journey_metric: CampaignJourneyMetricsResponseJourneyMetric


class ListActivitiesResponseActivitiesItemCustomerIdentifiers(TypedDict, total=False):
    email: Required[str | None]
    id: Required[str | int | None]
    cio_id: Required[str]


class ActivitiesResponseActivitiesItemData1(TypedDict, total=False):
    delivered: int | None
    delivery_id: str
    opened: bool | None


class ActivitiesResponseActivitiesItem(TypedDict, total=False):
    customer_id: str | None
    customer_identifiers: ListActivitiesResponseActivitiesItemCustomerIdentifiers
    data: ActivitiesResponseActivitiesItemData1 | dict[str, Any]
    delivery_id: str
    delivery_type: Literal["ios", "android", "email", "phone"]
    id: str
    timestamp: int
    type: str


class ListActivitiesResponse(TypedDict, total=False):
    activities: list[ActivitiesResponseActivitiesItem]
    next: str


class ListBroadcastsResponseBroadcastsItemActionsItem(TypedDict, total=False):
    id: int
    type: Literal["email", "webhook", "push", "sms", "slack"]


class ListBroadcastsResponseBroadcastsItem(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    type: Literal["triggered_broadcast"]
    created: int
    updated: int
    active: bool
    state: Literal["running", "draft"]
    actions: list[ListBroadcastsResponseBroadcastsItemActionsItem]
    msg_template_ids: list[ListBroadcastsResponseBroadcastsItemActionsItem]
    first_started: int
    tags: list[str] | str


class ListBroadcastsResponse(TypedDict, total=False):
    broadcasts: list[ListBroadcastsResponseBroadcastsItem]


class GetBroadcastResponse(TypedDict, total=False):
    broadcast: ListBroadcastsResponseBroadcastsItem


class BroadcastStatusResponse(TypedDict, total=False):
    id: int
    broadcast_id: int
    created_at: int
    processed_at: int


BroadcastActionsResponseActionsItem1 = TypedDict(
    "BroadcastActionsResponseActionsItem1",
    {
        "id": int,
        "broadcast_id": int,
        "deduplicate_id": str,
        "name": str,
        "layout": str,
        "created": int,
        "updated": int,
        "body": str,
        "type": Literal["email", "in_app", "push", "twilio", "slack"],
        "sending_state": Literal["automatic", "draft", "off"],
        "language": str,
        "from": str,
        "from_id": int,
        "reply_to": str,
        "reply_to_id": int | None,
        "preprocessor": Literal["premailer"],
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "body_amp": str,
        "headers": str,
    },
    total=False,
)


class BroadcastActionsResponseActionsItem2(TypedDict, total=False):
    id: int
    broadcast_id: int
    deduplicate_id: str
    name: str
    layout: str
    created: int
    updated: int
    body: str
    language: str
    type: Literal["twilio"]
    image_url: str
    sending_state: Literal["automatic", "draft", "off"]
    recipient: str


class BroadcastActionsResponseActionsItem3(TypedDict, total=False):
    id: int
    broadcast_id: int
    deduplicate_id: str
    name: str
    layout: str
    created: int
    updated: int
    body: str
    type: Literal["webhook"]
    url: str
    headers: str
    method: Literal["get", "post", "put", "delete", "patch"]
    sending_state: Literal["automatic", "draft", "off"]


class BroadcastActionsResponse(TypedDict, total=False):
    actions: list[
        BroadcastActionsResponseActionsItem1
        | BroadcastActionsResponseActionsItem2
        | BroadcastActionsResponseActionsItem3
    ]


class GetBroadcastActionResponse(TypedDict, total=False):
    action: (
        BroadcastActionsResponseActionsItem1
        | BroadcastActionsResponseActionsItem2
        | BroadcastActionsResponseActionsItem3
    )


class ListBroadcastTriggersResponse(TypedDict, total=False):
    triggers: list[BroadcastStatusResponse]


class MetadataError400ErrorsItem(TypedDict, total=False):
    detail: Literal["Invalid request format"]
    status: str | int


class MetadataError400(TypedDict, total=False):
    errors: list[MetadataError400ErrorsItem]


class MetadataError422ErrorsItem(TypedDict, total=False):
    detail: str
    status: str | int
    source: ErrorsItemSource


class MetadataError422(TypedDict, total=False):
    errors: list[MetadataError422ErrorsItem]


class SuppressionsItem(TypedDict, total=False):
    created: int
    email: str
    reason: str
    status: str


class GetSuppressionResponse(TypedDict, total=False):
    category: Literal["bounces", "spam"]
    suppressions: list[SuppressionsItem]


class ListExportsResponseExportsItem(TypedDict, total=False):
    id: int
    user_id: int
    user_email: str
    total: int
    deduplicate_id: str
    type: Literal["customers", "deliveries"]
    failed: bool
    description: str
    downloads: int
    created_at: int
    updated_at: int
    status: Literal["done", "pending", "failed"]


class ListExportsResponse(TypedDict, total=False):
    exports: list[ListExportsResponseExportsItem]


class GetExportResponse(TypedDict, total=False):
    export: ListExportsResponseExportsItem


class DownloadExportResponse(TypedDict, total=False):
    url: str


class ExportDeliveriesDataResponseExport(TypedDict, total=False):
    id: int | str
    user_id: int
    user_email: str
    total: int
    deduplicate_id: str
    type: Literal["customers", "deliveries"]
    failed: bool
    description: str
    downloads: int
    created_at: int
    updated_at: int
    status: Literal["done", "pending", "failed"]


class ExportDeliveriesDataResponse(TypedDict, total=False):
    export: ExportDeliveriesDataResponseExport


class ImportResponseImport(TypedDict, total=False):
    id: int
    created_at: int
    updated_at: int
    name: str
    description: str
    rows_to_import: int
    rows_imported: int
    state: Literal[
        "preprocessing",
        "preprocessed",
        "validating",
        "validated",
        "importing",
        "imported",
        "failed",
        "canceled",
    ]
    type: Literal["people", "event", "object", "relationship"]
    identifier: Literal["id", "email"]
    data_to_process: Literal["all", "only_new", "only_existing"]
    people_to_process: Literal["all", "only_new", "only_existing"]
    object_type_id: str | int
    error: str


ImportResponse = TypedDict(
    "ImportResponse",
    {
        "import": Required[ImportResponseImport],
    },
    total=False,
)


class GetImportResponseImport(TypedDict, total=False):
    id: int
    created_at: int
    updated_at: int
    name: str
    description: str
    rows_to_import: int
    rows_imported: int
    state: Literal[
        "preprocessing",
        "preprocessed",
        "validating",
        "validated",
        "importing",
        "imported",
        "failed",
        "canceled",
    ]
    type: Literal["people", "event", "object", "relationship"]
    identifier: Literal["id", "email"]
    data_to_process: Literal["all", "only_new", "only_existing"]
    people_to_process: Literal["all", "only_new", "only_existing"]
    object_type_id: str | int
    error: str
    error_export_id: int
    error_download_url: str
    warning_export_id: int
    warning_download_url: str


GetImportResponse = TypedDict(
    "GetImportResponse",
    {
        "import": Required[GetImportResponseImport],
    },
    total=False,
)


class GetCioAllowlistResponse(TypedDict, total=False):
    ip_addresses: list[str]


class ListMessagesResponseMessagesItem(TypedDict, total=False):
    id: str
    deduplicate_id: str
    message_template_id: int
    customer_id: str | None
    customer_identifiers: ListActivitiesResponseActivitiesItemCustomerIdentifiers
    recipient: str
    subject: str
    metrics: Metrics
    created: int
    failure_message: str | None
    campaign_id: int | None
    action_id: int
    parent_action_id: int | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    trigger_event_id: str | None
    type: Literal["email", "webhook", "twilio", "slack", "push"]
    forgotten: bool


class ListMessagesResponse(TypedDict, total=False):
    messages: list[ListMessagesResponseMessagesItem]


class GetMessageResponse(TypedDict, total=False):
    message: ListMessagesResponseMessagesItem


GetArchivedMessageResponseArchivedMessage = TypedDict(
    "GetArchivedMessageResponseArchivedMessage",
    {
        "id": str,
        "body": str,
        "from": str,
        "reply_to": str,
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "url": str,
        "request_method": Literal["GET", "POST", "PUT", "DELETE", "PATCH"],
        "headers": str,
        "forgotten": bool,
    },
    total=False,
)


class GetArchivedMessageResponse(TypedDict, total=False):
    archived_message: GetArchivedMessageResponseArchivedMessage


class ListNewslettersResponseNewslettersItem(TypedDict, total=False):
    id: int
    deduplicate_id: str
    content_ids: list[int]
    name: str
    sent_at: int | None
    created: int
    updated: int
    type: Literal["email", "webhook", "twilio", "slack", "push", "in_app"]
    tags: list[str]
    recipient_segment_ids: list[int]
    subscription_topic_id: int


class ListNewslettersResponse(TypedDict, total=False):
    newsletters: list[ListNewslettersResponseNewslettersItem]
    next: str


class GetNewslettersResponse(TypedDict, total=False):
    newsletter: ListNewslettersResponseNewslettersItem


ListNewsletterVariantsResponseContentsItem = TypedDict(
    "ListNewsletterVariantsResponseContentsItem",
    {
        "id": int,
        "newsletter_id": int,
        "deduplicate_id": str,
        "name": str,
        "layout": str,
        "body": str,
        "body_amp": str,
        "language": str,
        "type": Literal["email", "webhook", "twilio", "slack", "push"],
        "from": str,
        "from_id": int,
        "reply_to": str,
        "reply_to_id": int | None,
        "preprocessor": Literal["premailer"],
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "headers": str,
    },
    total=False,
)


class ListNewsletterVariantsResponse(TypedDict, total=False):
    contents: list[ListNewsletterVariantsResponseContentsItem]


class GetNewsletterMsgMetaResponseMessagesItem(TypedDict, total=False):
    id: str
    deduplicate_id: str
    message_template_id: int
    customer_id: str | None
    customer_identifiers: ListActivitiesResponseActivitiesItemCustomerIdentifiers
    recipient: str
    subject: str
    metrics: Metrics
    created: int
    failure_message: str | None
    campaign_id: int | None
    action_id: int | None
    parent_action_id: int | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    trigger_event_id: str | None
    type: Literal["email", "webhook", "twilio", "slack", "push"]
    forgotten: bool


class GetNewsletterMsgMetaResponse(TypedDict, total=False):
    messages: list[GetNewsletterMsgMetaResponseMessagesItem]


class GetNewsletterVariantResponse(TypedDict, total=False):
    content: ListNewsletterVariantsResponseContentsItem


class GetNewsletterTestGroupsResponseTestGroupsItem(TypedDict, total=False):
    id: int
    name: str
    label: str
    winner: bool
    content_ids: list[str | int]


class GetNewsletterTestGroupsResponse(TypedDict, total=False):
    test_groups: list[GetNewsletterTestGroupsResponseTestGroupsItem]


class GetObjectTypesResponseTypesItem(TypedDict, total=False):
    id: str
    name: str
    singular_name: str
    slug: str
    singular_slug: str
    enabled: bool
    icon: str


class GetObjectTypesResponse(TypedDict, total=False):
    types: list[GetObjectTypesResponseTypesItem]


class GetObjectsFilterResponseIdentifiersItem(TypedDict, total=False):
    cio_object_id: str
    object_id: str


class GetObjectsFilterResponse(TypedDict, total=False):
    identifiers: list[GetObjectsFilterResponseIdentifiersItem]
    ids: list[str]
    next: str


class GetObjectRelationshipsResponseCioRelationshipsItemIdentifiers(TypedDict, total=False):
    cio_id: str
    id: str | None
    email: str | None


class GetObjectRelationshipsResponseCioRelationshipsItem(TypedDict, total=False):
    identifiers: GetObjectRelationshipsResponseCioRelationshipsItemIdentifiers
    object_type_id: str
    object_type_disabled: bool


class GetObjectRelationshipsResponse(TypedDict, total=False):
    cio_relationships: list[GetObjectRelationshipsResponseCioRelationshipsItem]
    next: str


class GetObjectAttributesResponseObjectIdentifiers(TypedDict, total=False):
    cio_object_id: str
    id: str | None
    email: str | None


class GetObjectAttributesResponseObject(TypedDict, total=False):
    attributes: dict[str, Any]
    timestamps: dict[str, Any]
    identifiers: GetObjectAttributesResponseObjectIdentifiers
    object_type_id: str


class GetObjectAttributesResponse(TypedDict, total=False):
    object: GetObjectAttributesResponseObject


class ListWebhooksResponseReportingWebhooksItem(TypedDict, total=False):
    name: Required[str]
    id: int
    endpoint: Required[str]
    disabled: bool
    full_resolution: bool
    with_content: bool
    events: Required[list[str]]


class ListWebhooksResponse(TypedDict, total=False):
    reporting_webhooks: list[ListWebhooksResponseReportingWebhooksItem]


class ListSegmentsResponseSegmentsItem(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    description: str
    state: Literal["events", "build", "events_queued", "build_queued", "finished"]
    progress: int | None
    type: Literal["dynamic", "manual"]
    tags: list[str] | None
    created_at: int
    updated_at: int


class ListSegmentsResponse(TypedDict, total=False):
    segments: list[ListSegmentsResponseSegmentsItem]


class SegmentResponse(TypedDict, total=False):
    segment: ListSegmentsResponseSegmentsItem


class GetSegmentDependenciesResponseUsedBy(TypedDict, total=False):
    campaigns: list[int]
    sent_newsletters: list[int]
    draft_newsletters: list[int]


class GetSegmentDependenciesResponse(TypedDict, total=False):
    segment_id: int
    used_by: GetSegmentDependenciesResponseUsedBy


class GetSegmentCountResponse(TypedDict, total=False):
    segment_id: int
    count: int


class GetSegmentMembershipResponse1(TypedDict, total=False):
    segment_id: int
    ids: list[str]
    identifiers: list[ListActivitiesResponseActivitiesItemCustomerIdentifiers]
    next: str


class GetSegmentMembershipResponse2IdentifiersItem(TypedDict, total=False):
    id: Required[str | int]
    cio_id: Required[str]


class GetSegmentMembershipResponse2(TypedDict, total=False):
    segment_id: int
    ids: list[str]
    identifiers: list[GetSegmentMembershipResponse2IdentifiersItem]
    next: str


class ListSendersResponseSenderIdentitiesItem(TypedDict, total=False):
    id: int
    deduplicate_id: str
    name: str
    email: str
    address: str
    template_type: Literal["email", "phone"]
    auto_generated: bool


class ListSendersResponse(TypedDict, total=False):
    sender_identities: list[ListSendersResponseSenderIdentitiesItem]


class GetSenderResponse(TypedDict, total=False):
    sender_identity: ListSendersResponseSenderIdentitiesItem


class ListSnippetsResponseSnippetsItem(TypedDict, total=False):
    name: Required[str]
    value: Required[str]
    updated_at: int


class ListSnippetsResponse(TypedDict, total=False):
    snippets: list[ListSnippetsResponseSnippetsItem]


class UpdateSnippetsResponse(TypedDict, total=False):
    snippet: ListSnippetsResponseSnippetsItem


class DeleteSnippetError400ErrorsItem(TypedDict, total=False):
    detail: str
    status: str


class DeleteSnippetError400(TypedDict, total=False):
    errors: list[DeleteSnippetError400ErrorsItem]


class GetTopicsResponseTopicsItem(TypedDict, total=False):
    name: str
    description: str
    subscribed_by_default: bool
    id: int
    identifier: str


class GetTopicsResponse(TypedDict, total=False):
    topics: list[GetTopicsResponseTopicsItem]


class ListTransactionalResponseMessagesItem(TypedDict, total=False):
    id: int
    name: str
    description: str
    send_to_unsubscribed: bool
    link_tracking: bool
    open_tracking: bool
    hide_message_body: bool
    queue_drafts: bool
    created_at: int
    updated_at: int


class ListTransactionalResponse(TypedDict, total=False):
    messages: list[ListTransactionalResponseMessagesItem]


class GetTransactionalResponse(TypedDict, total=False):
    message: ListTransactionalResponseMessagesItem


ListTransactionalVariantsResponseContentsItem = TypedDict(
    "ListTransactionalVariantsResponseContentsItem",
    {
        "id": int,
        "name": str,
        "created": int,
        "updated": int,
        "body": str,
        "language": str,
        "type": Literal["email", "push"],
        "from": str,
        "from_id": int,
        "reply_to": str,
        "reply_to_id": int | None,
        "preprocessor": Literal["premailer"],
        "recipient": str,
        "subject": str,
        "bcc": str,
        "fake_bcc": bool,
        "preheader_text": str,
        "body_amp": str,
        "headers": str,
    },
    total=False,
)


class ListTransactionalVariantsResponse(TypedDict, total=False):
    contents: list[ListTransactionalVariantsResponseContentsItem]


class UpdateTransactionalResponse(TypedDict, total=False):
    content: list[ListTransactionalVariantsResponseContentsItem]


class TransactionalMetricsResponseMetricSeries(TypedDict, total=False):
    attempted: list[int]
    bounced: list[int]
    clicked: list[int]
    human_clicked: list[int]
    prefetch_clicked: list[int]
    converted: list[int]
    created: list[int]
    deferred: list[int]
    delivered: list[int]
    drafted: list[int]
    failed: list[int]
    opened: list[int]
    human_opened: list[int]
    prefetch_opened: list[int]
    sent: list[int]
    spammed: list[int]
    suppressed: list[int]
    undeliverable: list[int]
    topic_unsubscribed: list[int]
    unsubscribed: list[int]


class TransactionalMetricsResponseMetric(TypedDict, total=False):
    series: TransactionalMetricsResponseMetricSeries


class TransactionalMetricsResponse(TypedDict, total=False):
    metric: TransactionalMetricsResponseMetric


class TransactionalMessagesResponseMessagesItem(TypedDict, total=False):
    id: str
    deduplicate_id: str
    message_template_id: int
    customer_id: str | None
    customer_identifiers: ListActivitiesResponseActivitiesItemCustomerIdentifiers
    recipient: str
    subject: str
    metrics: Metrics
    created: int
    failure_message: str | None
    campaign_id: int | None
    action_id: int | None
    parent_action_id: int | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    trigger_event_id: str | None
    type: str
    forgotten: bool


class TransactionalMessagesResponse(TypedDict, total=False):
    messages: list[TransactionalMessagesResponseMessagesItem]


class ListWorkspacesResponseWorkspacesItem(TypedDict, total=False):
    id: int | str
    name: str
    messages_sent: int
    billable_messages_sent: int
    people: int
    object_types: int
    objects: int


class ListWorkspacesResponse(TypedDict, total=False):
    workspaces: list[ListWorkspacesResponseWorkspacesItem]


class GetCollectionsResponseCollectionsItem(TypedDict, total=False):
    bytes: int
    created_at: int
    updated_at: int
    id: int
    name: str
    rows: int
    schema: list[str]


class GetCollectionsResponse(TypedDict, total=False):
    collections: list[GetCollectionsResponseCollectionsItem]


class AddCollectionResponse(TypedDict, total=False):
    collection: GetCollectionsResponseCollectionsItem


class GetPeopleEmailResponse(TypedDict, total=False):
    results: list[ListActivitiesResponseActivitiesItemCustomerIdentifiers]


class GetPeopleFilterResponse(TypedDict, total=False):
    identifiers: list[GetCampaignMessagesResponseMessagesItemCustomerIdentifiers]
    ids: list[str | int]
    next: str


class CustomerAttributes(TypedDict, total=False):
    id: str | None
    email: str | None
    cio_id: str
    cio_subscription_preferences: str
    _cio_subscription_preferences_computed: str


class CustomerTimestamps(TypedDict, total=False):
    cio_id: int
    _last_emailed: int
    email: int
    id: int
    unsubscribed: int
    _cio_subscription_preferences_computed: int
    cio_subscription_preferences: int
    additionalProperties: Any


class CustomerDevicesItemAttributes(TypedDict, total=False):
    device_os: str
    device_model: str
    app_version: str
    cio_sdk_version: str
    _last_status: Literal["", "bounced", "sent", "suppressed"]
    device_locale: str
    push_enabled: Literal["true", "false"]


class CustomerDevicesItem(TypedDict, total=False):
    id: Required[str]
    last_used: int
    platform: Required[Literal["ios", "android"]]
    attributes: CustomerDevicesItemAttributes


class Customer(TypedDict, total=False):
    id: str
    identifiers: ListActivitiesResponseActivitiesItemCustomerIdentifiers
    attributes: CustomerAttributes
    timestamps: CustomerTimestamps
    unsubscribed: bool
    devices: list[CustomerDevicesItem]


class GetPersonAttributesResponse(TypedDict, total=False):
    customer: Customer


class GetPersonRelationshipsResponseCioRelationshipsItemIdentifiers(TypedDict, total=False):
    object_id: str
    cio_object_id: str


class GetPersonRelationshipsResponseCioRelationshipsItem(TypedDict, total=False):
    object_type_id: int
    identifiers: GetPersonRelationshipsResponseCioRelationshipsItemIdentifiers
    attributes: dict[str, Any]
    timestamps: dict[str, Any]


class GetPersonRelationshipsResponse(TypedDict, total=False):
    cio_relationships: list[GetPersonRelationshipsResponseCioRelationshipsItem]
    next: str


class GetPeopleByIdResponse(TypedDict, total=False):
    customers: list[GetPersonAttributesResponse]


class GetPersonSegmentsResponseSegmentsItem(TypedDict, total=False):
    id: int
    name: str
    description: str


class GetPersonSegmentsResponse(TypedDict, total=False):
    segments: list[GetPersonSegmentsResponseSegmentsItem]


class GetPersonMessagesResponseMessagesItemMetrics(TypedDict, total=False):
    delivered: int
    sent: int


class GetPersonMessagesResponseMessagesItem(TypedDict, total=False):
    id: str
    deduplicate_id: str
    msg_template_id: str
    customer_id: str
    campaign_id: int
    action_id: int
    recipient: str
    subject: str
    metrics: GetPersonMessagesResponseMessagesItemMetrics
    created: int
    failure_message: str | None
    newsletter_id: int | None
    content_id: int | None
    broadcast_id: int | None
    type: Literal["email", "webhook", "twilio", "slack", "push"]
    forgotten: bool


class GetPersonMessagesResponse(TypedDict, total=False):
    messages: list[GetPersonMessagesResponseMessagesItem]


class GetPersonActivitiesResponse(TypedDict, total=False):
    activities: list[ActivitiesResponseActivitiesItem]


class GetPersonSubscriptionPreferencesResponseCustomerTopicsItem(TypedDict, total=False):
    id: str | int
    subscribed: bool
    name: str
    description: str


class GetPersonSubscriptionPreferencesResponseCustomerHeader(TypedDict, total=False):
    title: str
    subtitle: str


class GetPersonSubscriptionPreferencesResponseCustomer(TypedDict, total=False):
    id: str | None
    identifiers: ListActivitiesResponseActivitiesItemCustomerIdentifiers
    topics: list[GetPersonSubscriptionPreferencesResponseCustomerTopicsItem]
    unsubscribed: bool
    header: GetPersonSubscriptionPreferencesResponseCustomerHeader


class GetPersonSubscriptionPreferencesResponse(TypedDict, total=False):
    customer: GetPersonSubscriptionPreferencesResponseCustomer


class GetPersonSubscriptionPreferencesError400Meta(TypedDict, total=False):
    errors: list[str]


class GetPersonSubscriptionPreferencesError400(TypedDict, total=False):
    meta: GetPersonSubscriptionPreferencesError400Meta


# operationId -> status code -> response type
RESPONSE_TYPES: dict[str, dict[str, Any]] = {
    "triggerBroadcast": {"200": TriggerBroadcastResponse, "422": TriggerBroadcastError422},
    "broadcastErrors": {"200": BroadcastErrorsResponse},
    "sendEmail": {
        "200": SendEmailResponse,
        "400": SendEmailError400,
        "403": SendEmailError400,
        "413": SendEmailError400,
    },
    "sendPush": {"200": SendEmailResponse, "400": SendEmailError400},
    "sendSMS": {"200": SendEmailResponse, "400": SendEmailError400, "403": SendEmailError400},
    "listCampaigns": {"200": ListCampaignsResponse},
    "getCampaigns": {"200": GetCampaignsResponse},
    "campaignMetrics": {"200": CampaignMetricsResponse1 | MetricsResponse2},
    "campaignLinkMetrics": {"200": CampaignLinkMetricsResponse},
    "listCampaignActions": {"200": ListCampaignActionsResponse},
    "getCampaignMessages": {"200": MessagesResponse},
    "getCampaignAction": {"200": GetCampaignActionResponse},
    "updateCampaignAction": {"200": GetCampaignActionResponse},
    "getCampaignActionTranslation": {"200": GetCampaignActionResponse},
    "updateCampaignActionTranslation": {"200": GetCampaignActionResponse},
    "campaignActionMetrics": {"200": CampaignMetricsResponse1 | MetricsResponse2},
    "campaignActionLinks": {"200": CampaignLinkMetricsResponse},
    "campaignJourneyMetrics": {"200": CampaignJourneyMetricsResponse},
    "listActivities": {"200": ListActivitiesResponse},
    "listBroadcasts": {"200": ListBroadcastsResponse},
    "getBroadcast": {"200": GetBroadcastResponse},
    "broadcastStatus": {"200": BroadcastStatusResponse},
    "broadcastMetrics": {"200": CampaignMetricsResponse1},
    "broadcastLinks": {"200": CampaignLinkMetricsResponse},
    "broadcastActions": {"200": BroadcastActionsResponse},
    "broadcastMessages": {"200": MessagesResponse},
    "getBroadcastAction": {"200": GetBroadcastActionResponse},
    "updateBroadcastAction": {"200": GetBroadcastActionResponse},
    "getBroadcastActionLanguage": {"200": GetBroadcastActionResponse},
    "updateBroadcastActionLanguage": {"200": GetBroadcastActionResponse},
    "broadcastActionMetrics": {"200": CampaignMetricsResponse1},
    "broadcastActionLinks": {"200": CampaignLinkMetricsResponse},
    "listBroadcastTriggers": {"200": ListBroadcastTriggersResponse},
    "updateAttributeMetadata": {"400": MetadataError400, "422": MetadataError422},
    "updateEventMetadata": {"400": MetadataError400, "422": MetadataError422},
    "getSuppression": {"200": GetSuppressionResponse},
    "getSuppressionByType": {"200": GetSuppressionResponse},
    "postSuppression": {"200": dict[str, Any]},
    "listExports": {"200": ListExportsResponse},
    "getExport": {"200": GetExportResponse},
    "downloadExport": {"200": DownloadExportResponse},
    "exportPeopleData": {"200": GetExportResponse},
    "exportDeliveriesData": {"200": ExportDeliveriesDataResponse},
    "import": {"200": ImportResponse},
    "getImport": {"200": GetImportResponse},
    "getCioAllowlist": {"200": GetCioAllowlistResponse},
    "listMessages": {"200": ListMessagesResponse},
    "getMessage": {"200": GetMessageResponse},
    "getArchivedMessage": {"200": GetArchivedMessageResponse},
    "listNewsletters": {"200": ListNewslettersResponse},
    "getNewsletters": {"200": GetNewslettersResponse},
    "getNewsletterMetrics": {"200": CampaignMetricsResponse1},
    "getNewsletterLinks": {"200": CampaignLinkMetricsResponse},
    "listNewsletterVariants": {"200": ListNewsletterVariantsResponse},
    "getNewsletterMsgMeta": {"200": GetNewsletterMsgMetaResponse},
    "getNewsletterVariant": {"200": GetNewsletterVariantResponse},
    "updateNewsletterVariant": {"200": GetNewsletterVariantResponse},
    "getNewsletterVariantTranslation": {"200": GetNewsletterVariantResponse},
    "updateNewsletterVariantTranslation": {"200": GetNewsletterVariantResponse},
    "getNewsletterTestGroups": {"200": GetNewsletterTestGroupsResponse},
    "getNewsletterVariantTranslationTest": {"200": GetNewsletterVariantResponse},
    "updateNewsletterTestTranslation": {"200": GetNewsletterVariantResponse},
    "getVariantMetrics": {"200": CampaignMetricsResponse1},
    "getVariantLinks": {"200": CampaignLinkMetricsResponse},
    "getObjectTypes": {"200": GetObjectTypesResponse},
    "getObjectsFilter": {"200": GetObjectsFilterResponse},
    "getObjectRelationships": {"200": GetObjectRelationshipsResponse},
    "getObjectAttributes": {"200": GetObjectAttributesResponse},
    "listWebhooks": {"200": ListWebhooksResponse},
    "createWebhook": {"200": ListWebhooksResponseReportingWebhooksItem},
    "getWebhook": {"200": ListWebhooksResponseReportingWebhooksItem},
    "updateWebhook": {"200": ListWebhooksResponseReportingWebhooksItem},
    "listSegments": {"200": ListSegmentsResponse},
    "createManSegment": {"200": SegmentResponse},
    "getSegment": {"200": SegmentResponse},
    "getSegmentDependencies": {"200": GetSegmentDependenciesResponse},
    "getSegmentCount": {"200": GetSegmentCountResponse},
    "getSegmentMembership": {"200": GetSegmentMembershipResponse1 | GetSegmentMembershipResponse2},
    "listSenders": {"200": ListSendersResponse},
    "getSender": {"200": GetSenderResponse},
    "getSenderUsage": {"200": GetSegmentDependenciesResponseUsedBy},
    "listSnippets": {"200": ListSnippetsResponse},
    "updateSnippets": {"200": UpdateSnippetsResponse},
    "deleteSnippet": {"400": DeleteSnippetError400},
    "getTopics": {"200": GetTopicsResponse},
    "listTransactional": {"200": ListTransactionalResponse},
    "getTransactional": {"200": GetTransactionalResponse},
    "listTransactionalVariants": {"200": ListTransactionalVariantsResponse, "400": SendEmailError400},
    "updateTransactional": {"200": UpdateTransactionalResponse, "400": SendEmailError400},
    "getTransactionalVariant": {"200": UpdateTransactionalResponse},
    "updateTransactionalVariant": {"200": UpdateTransactionalResponse, "400": SendEmailError400},
    "transactionalMetrics": {"200": TransactionalMetricsResponse},
    "transactionalLinks": {"200": CampaignLinkMetricsResponse},
    "transactionalMessages": {"200": TransactionalMessagesResponse},
    "listWorkspaces": {"200": ListWorkspacesResponse},
    "getCollections": {"200": GetCollectionsResponse},
    "addCollection": {"200": AddCollectionResponse},
    "getCollection": {"200": AddCollectionResponse},
    "updateCollection": {"200": AddCollectionResponse},
    "getCollectionContents": {"200": dict[str, Any]},
    "updateCollectionContents": {"200": AddCollectionResponse},
    "getPeopleEmail": {"200": GetPeopleEmailResponse},
    "getPeopleFilter": {"200": GetPeopleFilterResponse},
    "getPersonAttributes": {"200": GetPersonAttributesResponse},
    "getPersonRelationships": {"200": GetPersonRelationshipsResponse},
    "getPeopleById": {"200": GetPeopleByIdResponse},
    "getPersonSegments": {"200": GetPersonSegmentsResponse},
    "getPersonMessages": {"200": GetPersonMessagesResponse},
    "getPersonActivities": {"200": GetPersonActivitiesResponse},
    "getPersonSubscriptionPreferences": {
        "200": GetPersonSubscriptionPreferencesResponse,
        "400": GetPersonSubscriptionPreferencesError400,
    },
}
