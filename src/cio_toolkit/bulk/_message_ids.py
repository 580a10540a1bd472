"""Deterministic ids of bulk rows: uuid5 messageIds without the UUID object, and Track v2 ULIDs.

A row's id depends on its row key and its content, so a re-run of the same row is deduplicated
by the API and a changed row is a new event.
"""

from __future__ import annotations

import hashlib
import uuid

from ..pipelines._calls import _NAMESPACE

__all__ = ["fast_message_id", "row_message_id"]

_NS = _NAMESPACE.bytes


# uuid5 forces the top bits of byte 8 to 10: its first hex digit keeps only its low 2 bits, plus 8.
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def fast_message_id(name: bytes) -> str:
    """``str(uuid.uuid5(namespace, name))`` for the toolkit's messageId namespace, without the UUID object."""
    x = hashlib.sha1(_NS + name).hexdigest()
    return f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT[x[16]]}{x[17:20]}-{x[20:32]}"


def row_message_id(row_key: str, call_json: bytes) -> str:
    """The messageId of a bulk row: uuid5 of its row key and its content (so a changed row is new)."""
    return fast_message_id(row_key.encode() + b"\x1f" + call_json)


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _ulid_from(message_id: str, epoch_ms: int) -> str:
    # A deterministic ULID (Track v2's event dedup id): time part from the event, rest from the messageId.
    value = (max(0, min(epoch_ms, (1 << 48) - 1)) << 80) | (uuid.UUID(message_id).int & ((1 << 80) - 1))
    out = []
    for _ in range(26):
        out.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(out))
