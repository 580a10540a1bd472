"""Deterministic ids of bulk rows: uuid5 messageIds without the UUID object, and Track v2 ULIDs.

A row's id depends on its row key and its content, so a re-run of the same row is deduplicated
by the API and a changed row is a new event. :func:`_message_ids` computes a whole column's.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from ..pipelines._calls import _NAMESPACE
from ._cells import _binaries, _scalar

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


def _uuid_text(hexes: Any) -> Any:
    """uuid5 text of SHA-1 hex digests (one row of 40 ASCII digits each), as :func:`fast_message_id` writes it."""
    import numpy as np
    import pyarrow as pa

    n = len(hexes)
    out = np.empty((n, 36), dtype=np.uint8)
    out[:, [8, 13, 18, 23]] = ord("-")
    out[:, 0:8], out[:, 9:13], out[:, 14] = hexes[:, 0:8], hexes[:, 8:12], ord("5")
    out[:, 15:18], out[:, 20:23], out[:, 24:36] = hexes[:, 13:16], hexes[:, 17:20], hexes[:, 20:32]
    digit = hexes[:, 16]
    out[:, 19] = np.frombuffer(b"89ab", dtype=np.uint8)[np.where(digit >= ord("a"), digit - 87, digit - 48) & 3]
    bounds = np.arange(0, 36 * (n + 1), 36, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(bounds), pa.py_buffer(out)])


@functools.cache
def _hex_digits() -> Any:
    """Two ASCII hex digits per byte value, for the hex text of many digests at once."""
    import numpy as np

    return np.frombuffer(b"".join(b"%02x" % i for i in range(256)), dtype=np.uint8).reshape(256, 2)


def _hashlib_ids(names: Any) -> Any:
    """:func:`_message_ids` with hashlib: one SHA-1 per name (it holds the GIL for short inputs)."""
    import numpy as np
    import pyarrow.compute as pc

    sha1 = hashlib.sha1
    prefixed = pc.binary_join_element_wise(_scalar(_NS), names, _scalar(b""))
    digests = np.frombuffer(b"".join([sha1(x).digest() for x in prefixed.to_pylist()]), dtype=np.uint8)
    return _uuid_text(_hex_digits()[digests].reshape(len(names), 40))


@functools.cache
def _native_ids() -> Callable[[Any], Any] | None:
    """polars-hash's uuid5 kernel (Rust, run outside the GIL), or None when it is not installed.

    It is used only once it gave hashlib's ids on a probe, so a polars release that breaks the
    plugin costs speed, never different messageIds.
    """
    try:
        import polars as pl
        import polars_hash as plh
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    namespace = str(_NAMESPACE)

    def ids(names: Any) -> Any:
        out = pl.DataFrame({"n": pl.Series(names)}).select(plh.col("n").uuidhash.uuid5(namespace)).to_series()
        return pc.cast(out.to_arrow(), pa.string())

    probe = _binaries([b"", b"track\x1f#0\x1f{}", "\u00e9\U0001f600".encode() * 40, bytes(range(256))])
    try:
        agrees = ids(probe).to_pylist() == _hashlib_ids(probe).to_pylist()
    except Exception:  # a plugin that fails to load or to run is not used
        agrees = False
    return ids if agrees else None


def _message_ids(names: Any) -> Any:
    """The messageId of each binary name in ``names``: :func:`fast_message_id` of each (the namespace in front).

    polars-hash's kernel when installed (it overlaps with the other slice's work; Arrow has no
    SHA-1 kernel and DuckDB's costs ~90 MB of memory), else hashlib per name.
    """
    import pyarrow as pa

    if not len(names):
        return pa.nulls(0, pa.string())
    native = _native_ids()
    return native(names) if native is not None else _hashlib_ids(names)
