from __future__ import annotations

import pytest

from cio_toolkit._exceptions import ValidationError, WebhookSignatureError
from cio_toolkit.webhooks import sign, unwrap, verify
from cio_toolkit.webhooks.events import EmailSent

# Computed independently of the toolkit with:
#   python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_test_key_123",
#     b"v0:1700000000:{\"event_id\":\"01E4C4CT6YDC7Y5M7FE1GWWPQJ\",\"metric\":\"sent\"}",
#     hashlib.sha256).hexdigest())'
# and cross-checked with `openssl dgst -sha256 -hmac whsec_test_key_123`.
KA_KEY = "whsec_test_key_123"
KA_BODY = b'{"event_id":"01E4C4CT6YDC7Y5M7FE1GWWPQJ","metric":"sent"}'
KA_TS = 1700000000
KA_SIG = "c3643fec3579226611855e2d0666da15b3495246a21f9ea477122c8d6d48f44d"


def reason(body: bytes, headers: dict[str, str], **kw: object) -> str:
    with pytest.raises(WebhookSignatureError) as info:
        verify(body, headers, KA_KEY, **kw)  # type: ignore[arg-type]
    assert info.value.status == 401
    return info.value.reason


def test_known_answer_sign_and_verify() -> None:
    assert sign(KA_BODY, KA_KEY, KA_TS) == {"X-CIO-Timestamp": "1700000000", "X-CIO-Signature": KA_SIG}
    verify(KA_BODY, {"X-CIO-Timestamp": "1700000000", "X-CIO-Signature": KA_SIG}, KA_KEY, now=KA_TS)


def test_header_names_are_case_insensitive_and_signature_hex_case_too() -> None:
    verify(KA_BODY, {"x-cio-timestamp": "1700000000", "x-cio-signature": KA_SIG}, KA_KEY, now=KA_TS)
    verify(KA_BODY, {"X-CIO-TIMESTAMP": "1700000000", "X-Cio-Signature": KA_SIG.upper()}, KA_KEY, now=KA_TS)


def test_tampered_body_is_rejected() -> None:
    headers = {"X-CIO-Timestamp": str(KA_TS), "X-CIO-Signature": KA_SIG}
    assert reason(KA_BODY.replace(b"sent", b"sEnt"), headers, now=KA_TS) == "bad_signature"
    assert reason(KA_BODY + b" ", headers, now=KA_TS) == "bad_signature"


def test_tampered_timestamp_is_rejected() -> None:
    # A replay with a fresh timestamp but the old signature must fail the HMAC, not pass the clock check.
    headers = {"X-CIO-Timestamp": str(KA_TS + 1), "X-CIO-Signature": KA_SIG}
    assert reason(KA_BODY, headers, now=KA_TS) == "bad_signature"


def test_wrong_key_is_rejected() -> None:
    headers = sign(KA_BODY, "another-key", KA_TS)
    assert reason(KA_BODY, headers, now=KA_TS) == "bad_signature"


def test_stale_and_future_timestamps_are_rejected_both_ways() -> None:
    headers = {"X-CIO-Timestamp": str(KA_TS), "X-CIO-Signature": KA_SIG}
    verify(KA_BODY, headers, KA_KEY, now=KA_TS + 300)
    verify(KA_BODY, headers, KA_KEY, now=KA_TS - 300)
    assert reason(KA_BODY, headers, now=KA_TS + 301) == "stale_timestamp"
    assert reason(KA_BODY, headers, now=KA_TS - 301) == "stale_timestamp"
    assert reason(KA_BODY, headers, now=KA_TS + 31, tolerance=30) == "stale_timestamp"


def test_missing_and_malformed_headers() -> None:
    assert reason(KA_BODY, {"X-CIO-Timestamp": str(KA_TS)}, now=KA_TS) == "missing_signature"
    assert reason(KA_BODY, {"X-CIO-Signature": KA_SIG}, now=KA_TS) == "missing_timestamp"
    assert reason(KA_BODY, {}, now=KA_TS) == "missing_signature"
    for bad in ("soon", "1.7e9", "-1700000000", "１７"):
        assert (
            reason(KA_BODY, {"X-CIO-Timestamp": bad, "X-CIO-Signature": KA_SIG}, now=KA_TS) == "bad_timestamp"
        )
    # A non-ASCII signature must be a clean rejection, not a crash in compare_digest.
    assert (
        reason(KA_BODY, {"X-CIO-Timestamp": str(KA_TS), "X-CIO-Signature": "é" * 64}, now=KA_TS)
        == "bad_signature"
    )


def test_errors_never_carry_the_key() -> None:
    with pytest.raises(WebhookSignatureError) as info:
        verify(KA_BODY, {"X-CIO-Timestamp": str(KA_TS), "X-CIO-Signature": "0" * 64}, KA_KEY, now=KA_TS)
    assert KA_KEY not in str(info.value) and KA_KEY not in repr(info.value)


def test_empty_key_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        sign(KA_BODY, "")
    assert info.value.field == "signing_key"


@pytest.mark.parametrize("blank", [" ", "\t\n", "\u00a0", b"  "])
def test_whitespace_keys_are_a_validation_error(blank: str | bytes) -> None:
    # A one-space key used to be accepted: anyone could forge its signatures.
    with pytest.raises(ValidationError) as info:
        sign(KA_BODY, blank)
    assert info.value.field == "signing_key"
    with pytest.raises(ValidationError):
        verify(KA_BODY, {"X-CIO-Timestamp": str(KA_TS), "X-CIO-Signature": KA_SIG}, blank, now=KA_TS)


def test_unwrap_verifies_then_types_the_event() -> None:
    body = (
        b'{"event_id":"e1","object_type":"email","metric":"sent","timestamp":1700000000,'
        b'"data":{"delivery_id":"d1","identifiers":{"id":"7"},"campaign_id":3}}'
    )
    event = unwrap(body, sign(body, KA_KEY), KA_KEY)
    assert isinstance(event, EmailSent)
    assert (
        event.data.campaign_id == 3
        and event.data.identifiers is not None
        and event.data.identifiers.id == "7"
    )
    with pytest.raises(WebhookSignatureError):
        unwrap(body, sign(body + b"x", KA_KEY), KA_KEY)
    not_json = b"{nope"
    with pytest.raises(ValidationError) as info:
        unwrap(not_json, sign(not_json, KA_KEY), KA_KEY)
    assert info.value.field == "body"
    # Deeper than orjson parses (1,024 levels) is still JSON, and still an event.
    deep = body.replace(b'"campaign_id":3', b'"campaign_id":3,"x":' + b"[" * 5000 + b"]" * 5000)
    assert unwrap(deep, sign(deep, KA_KEY), KA_KEY).event_id == "e1"
