"""Every default and documented limit, in one place (see the vendored specs and DESIGN.md)."""

from __future__ import annotations

from typing import Final

# Hosts per API and region. The Pipelines API's base includes its /v1 prefix.
HOSTS: Final[dict[str, dict[str, str]]] = {
    "pipelines": {"us": "https://cdp.customer.io/v1", "eu": "https://cdp-eu.customer.io/v1"},
    "track": {"us": "https://track.customer.io", "eu": "https://track-eu.customer.io"},
    "app": {"us": "https://api.customer.io", "eu": "https://api-eu.customer.io"},
}
# With one base URL (the emulator), each API's paths hang off it like this.
BASE_URL_SUFFIX: Final[dict[str, str]] = {"pipelines": "/v1", "track": "", "app": ""}
REGIONS: Final[tuple[str, ...]] = ("us", "eu")

# Data Pipelines (CDP)
PIPELINES_MAX_CALL_BYTES: Final = 32 * 1024
PIPELINES_MAX_BATCH_BYTES: Final = 500 * 1024
PIPELINES_RATE: Final = (3000, 3.0)  # requests per seconds

# Track
TRACK_RATE: Final = (3000, 3.0)
TRACK_MAX_ID_BYTES: Final = 150
TRACK_MAX_ATTRIBUTE_NAME_BYTES: Final = 150
TRACK_MAX_ATTRIBUTE_VALUE_BYTES: Final = 1000
TRACK_MAX_ATTRIBUTES: Final = 300
TRACK_MAX_EVENT_NAME_BYTES: Final = 100
TRACK_MAX_EVENT_DATA_BYTES: Final = 100_000  # the spec says 100000 bytes, not 100 KiB
TRACK_V2_MAX_ENTITY_BYTES: Final = 32 * 1024
TRACK_V2_MAX_BATCH_BYTES: Final = 500 * 1024

# App
APP_RATE: Final = (10, 1.0)
APP_TRANSACTIONAL_RATE: Final = (100, 1.0)
APP_BROADCAST_TRIGGER_RATE: Final = (1, 10.0)
APP_ARCHIVED_MESSAGE_RATE: Final = (100, 86_400.0)  # getArchivedMessage: 100 a day, besides the 10/s

# Reporting webhooks
WEBHOOK_TIMESTAMP_TOLERANCE: Final = 300  # seconds
WEBHOOK_DELIVERY_TIMEOUT: Final = 4.0  # Customer.io gives up after this many seconds

# Transport defaults
DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
DEFAULT_MAX_RETRIES: Final = 6
DEFAULT_BACKOFF_BASE: Final = 0.5
DEFAULT_BACKOFF_CAP: Final = 30.0
DEFAULT_RETRY_BUDGET: Final = 120.0  # total seconds spent on one call, retries included
GZIP_MIN_BYTES: Final = 8 * 1024
# Level 1: most of the saving of higher levels at a fraction of the CPU (it runs beside the caller's work).
GZIP_LEVEL: Final = 1
RETRY_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})

USER_AGENT: Final = "cio_toolkit"
