"""Wire rules shared by the clients, the streaming sender and bulk loads: one copy of each (no I/O).

* size rules: the byte limits of one call and of one batch of each API (:func:`call_limit`,
  :func:`batch_limit`), the per-call check (:func:`oversize`); a part that cannot fit even an
  empty body raises :class:`PayloadTooLargeError`;
* the strict-mode header of Data Pipelines (:func:`strict_headers`);
* byte-exact batch packing (:class:`Packer`), and the order rule of /v1/batch
  (:class:`CallPlanner`: a call type the batch does not carry, alias, goes on its own request
  after the batch before it);
* partial-success answers (207 of /api/v2/batch, :func:`partial_errors`).

A packed body is ``head + part,part,... + tail``; its size is computed exactly from the parts, so
a body is never over its limit, and a part that would push it over starts the next body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from . import _constants as C
from ._exceptions import PayloadTooLargeError

__all__ = [
    "BATCHABLE_TYPES",
    "batch_limit",
    "call_limit",
    "oversize",
    "frame_size",
    "pack_bounds",
    "BATCH_HEAD",
    "BATCH_TAIL",
    "CallPlanner",
    "Frame",
    "Packer",
    "PartialError",
    "partial_errors",
    "strict_headers",
]

P = TypeVar("P")

# The spec's /v1/batch items are identify, track, page, screen and group; alias has its own endpoint only.
BATCHABLE_TYPES = ("identify", "track", "page", "screen", "group")
BATCH_HEAD = b'{"batch":['
BATCH_TAIL = b"]}"


def batch_limit(api: str) -> int:
    """The byte limit of one batch body of ``api`` ("pipelines" or "track"); the numbers are in _constants."""
    return C.PIPELINES_MAX_BATCH_BYTES if api == "pipelines" else C.TRACK_V2_MAX_BATCH_BYTES


def call_limit(api: str) -> int:
    """The byte limit of one call of ``api``: a Pipelines call, or a Track v2 item (alone or in a batch)."""
    return C.PIPELINES_MAX_CALL_BYTES if api == "pipelines" else C.TRACK_V2_MAX_ENTITY_BYTES


def oversize(size: int, limit: int, what: str) -> str | None:
    """The per-call size rule: why ``what`` of ``size`` serialized bytes is refused, or None when it fits."""
    if size <= limit:
        return None
    return f"{what} is {size} bytes as JSON, over the {limit}-byte per-call limit"


def strict_headers(strict: bool) -> dict[str, str]:
    """The Data Pipelines strict-mode header (without it the API answers 200 and drops invalid data)."""
    return {"X-Strict-Mode": "1"} if strict else {}


# ---------------------------------------------------------------- packing


@dataclass
class Frame(Generic[P]):
    """One planned request: its encoded parts, a payload per part, and the exact body size.

    ``kind`` is ``"batch"`` (the parts framed as one batch body) or ``"single"`` (one call sent
    to its own endpoint, the part itself is the body).
    """

    parts: list[bytes]
    payloads: list[P]
    size: int
    head: bytes = BATCH_HEAD
    tail: bytes = BATCH_TAIL
    kind: Literal["batch", "single"] = "batch"

    def __len__(self) -> int:
        return len(self.parts)

    @property
    def body(self) -> bytes:
        """The request body."""
        if self.kind == "single":
            return self.parts[0]
        return self.head + b",".join(self.parts) + self.tail


def frame_size(sizes: Sequence[int], *, head: bytes = BATCH_HEAD, tail: bytes = BATCH_TAIL) -> int:
    """Exact size of a batch body holding parts of ``sizes`` bytes (a comma between two parts)."""
    return len(head) + len(tail) + sum(sizes) + max(0, len(sizes) - 1)


def _too_large(size: int, max_bytes: int, overhead: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"call of {size} bytes cannot fit in a {max_bytes}-byte batch",
        field="call", limit=max_bytes - overhead, actual=size,
    )


def pack_bounds(sizes: Any, max_bytes: int, *, overhead: int = len(BATCH_HEAD) + len(BATCH_TAIL)) -> list[int]:
    """Where :class:`Packer`'s greedy rule cuts parts of ``sizes`` bytes into bodies, for a whole column at once.

    Returns the end index of every body, the last one being ``len(sizes)``. Body ``[s, e)`` is
    ``overhead + sum(sizes[s:e]) + (e - s - 1)`` bytes, the most parts that fit, as
    :meth:`Packer.extend` packs them one by one (one ``searchsorted`` per body instead of a
    Python step per part). Raises :class:`PayloadTooLargeError` for a part no body can hold.
    """
    import numpy as np

    n = len(sizes)
    cum = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.asarray(sizes, dtype=np.int64) + 1, out=cum[1:])  # each part plus its comma
    room = max_bytes - overhead + 1  # the last part of a body has no comma
    ends: list[int] = []
    start = 0
    while start < n:
        end = int(np.searchsorted(cum, cum[start] + room, side="right")) - 1
        if end <= start:
            raise _too_large(int(sizes[start]), max_bytes, overhead)
        ends.append(end)
        start = end
    return ends


class Packer(Generic[P]):
    """Packs encoded parts into batch bodies of at most ``max_bytes`` (and ``max_items`` parts).

    ``head`` and ``tail`` frame every body (``{"batch":[`` ... ``]<,"context":..>}``); each part
    keeps a payload of the caller's (a messageId, a row's ordinal and key, an input index).
    """

    def __init__(
        self,
        max_bytes: int,
        *,
        head: bytes = BATCH_HEAD,
        tail: bytes = BATCH_TAIL,
        max_items: int | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_items = max_items
        self.head, self.tail = head, tail
        self.overhead = len(head) + len(tail)
        if self.overhead + 2 > max_bytes:
            raise PayloadTooLargeError(
                f"batch context/integrations take {self.overhead} bytes, over the {max_bytes}-byte batch limit",
                field="batch context", limit=max_bytes, actual=self.overhead,
            )
        self._parts: list[bytes] = []
        self._payloads: list[P] = []
        self._size = self.overhead

    def __len__(self) -> int:
        return len(self._parts)

    @property
    def pending(self) -> list[P]:
        """The payloads of the body in progress, oldest first."""
        return self._payloads

    def fits(self, encoded: bytes) -> bool:
        """Whether ``encoded`` fits in the current body."""
        sep = 1 if self._parts else 0
        return self._size + sep + len(encoded) <= self.max_bytes

    def _too_large(self, size: int) -> PayloadTooLargeError:
        return _too_large(size, self.max_bytes, self.overhead)

    def add(self, encoded: bytes, payload: P) -> Frame[P] | None:
        """Add one part; return the previous body if this part started a new one."""
        done: list[Frame[P]] = []
        self.extend((encoded,), (payload,), done.append)
        return done[0] if done else None

    def extend(self, parts: Iterable[bytes], payloads: Iterable[P], emit: Callable[[Frame[P]], None]) -> None:
        """Add many parts in order, handing every full body to ``emit`` (the hot loop of bulk loads)."""
        cur, pay, size = self._parts, self._payloads, self._size
        limit, overhead = self.max_bytes, self.overhead
        max_items = self.max_items or -1
        head, tail = self.head, self.tail
        for body, payload in zip(parts, payloads, strict=True):
            n = len(body)
            if cur and size + 1 + n <= limit and len(cur) != max_items:
                size += 1 + n
                cur.append(body)
                pay.append(payload)
                continue
            if overhead + n > limit:  # checked before anything is emitted: the packer is unchanged
                self._parts, self._payloads, self._size = cur, pay, size
                raise self._too_large(n)
            if cur:
                emit(Frame(cur, pay, size, head, tail))
                cur, pay, size = [], [], overhead
            size += n
            cur.append(body)
            pay.append(payload)
        self._parts, self._payloads, self._size = cur, pay, size

    def flush(self) -> Frame[P] | None:
        """Return the current body (None when empty) and start a new one."""
        if not self._parts:
            return None
        done = Frame(self._parts, self._payloads, self._size, self.head, self.tail)
        self._parts, self._payloads, self._size = [], [], self.overhead
        return done


class CallPlanner(Generic[P]):
    """Data Pipelines calls in order -> requests: batch bodies, and the calls /v1/batch cannot carry.

    A call whose type is not in :data:`BATCHABLE_TYPES` (alias) becomes a ``"single"`` frame,
    planned after the batch before it is flushed, which keeps the order of effects.
    """

    def __init__(self, packer: Packer[P]) -> None:
        self.packer = packer

    def __len__(self) -> int:
        return len(self.packer)

    @property
    def pending(self) -> list[P]:
        """The payloads of the batch in progress, oldest first."""
        return self.packer.pending

    def add(self, type_: str, encoded: bytes, payload: P) -> list[Frame[P]]:
        """Plan one call; return the requests it completes (none, one or two), in order."""
        if type_ in BATCHABLE_TYPES:
            done = self.packer.add(encoded, payload)
            return [done] if done is not None else []
        out = [last] if (last := self.packer.flush()) is not None else []
        out.append(Frame([encoded], [payload], len(encoded), kind="single"))
        return out

    def extend(self, type_: str, parts: Sequence[bytes], payloads: Sequence[P],
               emit: Callable[[Frame[P]], None]) -> None:
        """Plan many calls of one type (a bulk load), handing every completed request to ``emit``."""
        if type_ in BATCHABLE_TYPES:
            self.packer.extend(parts, payloads, emit)
            return
        for encoded, payload in zip(parts, payloads, strict=True):
            for frame in self.add(type_, encoded, payload):
                emit(frame)

    def flush(self) -> Frame[P] | None:
        """The batch in progress, if any."""
        return self.packer.flush()

    def plan(self, calls: Iterable[tuple[str, bytes, P]]) -> Iterator[Frame[P]]:
        """Every request for ``calls`` (type, encoded, payload), in order."""
        for type_, encoded, payload in calls:
            yield from self.add(type_, encoded, payload)
        if (last := self.flush()) is not None:
            yield last


# ---------------------------------------------------------------- partial success


@dataclass(frozen=True)
class PartialError:
    """One entry of a 207 answer: the position in the batch it names (None if none) and what it says."""

    position: int | None
    field: str | None
    reason: str | None
    message: str | None


def partial_errors(data: Any) -> list[PartialError]:
    """The per-item errors of a /api/v2/batch answer (``{"errors": [{"batch_index": i, ...}]}``)."""
    errors = data.get("errors") if isinstance(data, dict) else None
    out = []
    for err in errors or []:
        if not isinstance(err, dict):
            continue
        pos = err.get("batch_index")
        out.append(PartialError(
            pos if isinstance(pos, int) else None, err.get("field"), err.get("reason"), err.get("message"),
        ))
    return out
