"""ULIDs for Track event ``id`` fields: the API deduplicates events that carry the same id."""

from __future__ import annotations

import hashlib
import os
import time

__all__ = ["new_event_id", "event_id_for", "is_ulid"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32, as the ULID spec uses
_VALID = frozenset(_ALPHABET)


def _encode(value: int) -> str:
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_event_id(*, at: float | None = None) -> str:
    """A fresh ULID (48-bit millisecond time, 80 random bits)."""
    ms = int((time.time() if at is None else at) * 1000) & ((1 << 48) - 1)
    return _encode((ms << 80) | int.from_bytes(os.urandom(10), "big"))


def event_id_for(key: str) -> str:
    """A ULID derived from ``key``: the same key always gives the same id, so a re-send deduplicates."""
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:16], "big")
    return _encode(digest)


def is_ulid(value: object) -> bool:
    """Whether ``value`` is a 26-character Crockford base32 ULID (the first character at most 7)."""
    return (
        isinstance(value, str) and len(value) == 26 and value[0] in "01234567" and set(value.upper()) <= _VALID
    )
