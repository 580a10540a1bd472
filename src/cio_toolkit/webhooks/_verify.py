"""Signing and verification of reporting webhooks (pure functions, no I/O).

Customer.io signs each delivery with ``X-CIO-Signature``: the hex HMAC-SHA256, keyed with the
webhook's signing key, of ``v0:{X-CIO-Timestamp}:{raw body}``. Each webhook has its own key, so
:func:`verify` takes one key or several (webhooks sharing a receiver, or a key being rotated).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping

from cio_toolkit._constants import WEBHOOK_TIMESTAMP_TOLERANCE
from cio_toolkit._exceptions import ValidationError, WebhookSignatureError

__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "compute_signature", "sign", "verify"]

SIGNATURE_HEADER = "X-CIO-Signature"
TIMESTAMP_HEADER = "X-CIO-Timestamp"
_SIG_LOWER = SIGNATURE_HEADER.lower()
_TS_LOWER = TIMESTAMP_HEADER.lower()


def check_signing_key(signing_key: str | bytes) -> bytes:
    """The key as bytes; ``ValidationError`` (field ``signing_key``) if it is not str/bytes or is blank.

    A blank or whitespace-only key is always a configuration mistake (an unset variable, a stray
    space), and signatures made with it would be trivially forgeable.
    """
    if isinstance(signing_key, bytes):
        key = signing_key
    elif isinstance(signing_key, str):
        key = signing_key.encode("utf-8")
    else:
        raise ValidationError("signing_key must be str or bytes", field="signing_key")
    if not signing_key.strip():  # str.strip also removes Unicode spaces
        raise ValidationError(
            "the signing key must not be empty or only whitespace", field="signing_key", limit="non-blank"
        )
    return key


def signing_keys(signing_key: str | bytes | Iterable[str | bytes]) -> list[str | bytes]:
    """One key or several as a non-empty list of checked keys (:func:`check_signing_key`)."""
    keys = [signing_key] if isinstance(signing_key, str | bytes) else list(signing_key)
    if not keys:
        raise ValidationError("at least one signing key is needed", field="signing_key", limit=">= 1", actual=0)
    for key in keys:
        check_signing_key(key)
    return keys


def compute_signature(body: bytes, timestamp: int | str, signing_key: str | bytes) -> str:
    """Return the hex HMAC-SHA256 of ``v0:{timestamp}:{body}`` keyed with ``signing_key``."""
    message = b"v0:" + str(timestamp).encode("ascii") + b":" + body
    return hmac.new(check_signing_key(signing_key), message, hashlib.sha256).hexdigest()


def sign(body: bytes, signing_key: str | bytes, timestamp: int | None = None) -> dict[str, str]:
    """Return the ``X-CIO-Timestamp`` and ``X-CIO-Signature`` headers Customer.io would send."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return {TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: compute_signature(body, ts, signing_key)}


def _header(headers: Mapping[str, str], lower_name: str) -> str | None:
    # Starlette's Headers and httpx's Headers are already case-insensitive; a plain dict is not.
    value = headers.get(lower_name)
    if value is None:
        for name, candidate in headers.items():
            if name.lower() == lower_name:
                return candidate
    return value


def verify(
    body: bytes,
    headers: Mapping[str, str],
    signing_key: str | bytes | Iterable[str | bytes],
    *,
    tolerance: int = WEBHOOK_TIMESTAMP_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a delivery's signature (made with ``signing_key``, or any one of several keys) and timestamp;
    raise ``WebhookSignatureError`` saying why not."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise ValidationError("body must be the raw request bytes", field="body")
    body = bytes(body)
    signature = _header(headers, _SIG_LOWER)
    if not signature:
        raise WebhookSignatureError(f"missing {SIGNATURE_HEADER} header", reason="missing_signature")
    raw_ts = _header(headers, _TS_LOWER)
    if not raw_ts:
        raise WebhookSignatureError(f"missing {TIMESTAMP_HEADER} header", reason="missing_timestamp")
    raw_ts = raw_ts.strip()
    if not raw_ts.isascii() or not raw_ts.isdigit() or len(raw_ts) > 12:
        raise WebhookSignatureError(
            f"{TIMESTAMP_HEADER} is not a unix timestamp in seconds", reason="bad_timestamp"
        )
    ts = int(raw_ts)
    current = time.time() if now is None else now
    skew = current - ts
    if abs(skew) > tolerance:
        direction = "old" if skew > 0 else "in the future"
        raise WebhookSignatureError(
            f"{TIMESTAMP_HEADER} is {abs(skew):.0f} s {direction}; tolerance is {tolerance} s",
            reason="stale_timestamp",
        )
    given = signature.strip().lower().encode("utf-8")
    # compare_digest on ASCII bytes: constant time, and a non-ASCII header cannot raise. Every key
    # is tried, so the time taken does not say which one matched.
    matches = [hmac.compare_digest(compute_signature(body, raw_ts, key).encode("ascii"), given)
               for key in signing_keys(signing_key)]
    if not any(matches):
        raise WebhookSignatureError(f"{SIGNATURE_HEADER} does not match the body", reason="bad_signature")
