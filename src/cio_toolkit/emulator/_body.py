"""Request bodies: read with a cap, decompressed incrementally, parsed with a depth limit.

Every body-size rule of the emulator is in :data:`BODY_LIMITS` (the documented limits, from
:mod:`cio_toolkit._constants`) and :func:`read_cap`:

- an operation with a documented limit is read up to twice that limit: a body between the limit
  and the cap gets the API's own answer (Pipelines: 400 with ``X-Strict-Mode: 1``, else 200 and
  dropped; Track v2: 400 ``request_too_large``), measured on the decompressed JSON;
- any other body (Track v1, App API, admin) is read up to :data:`MAX_BODY_BYTES`;
- past the cap the emulator stops reading: a declared Content-Length over it is refused before
  any byte is read, and gzip/deflate output stops at cap + 1 bytes, so a small compressed body
  that expands to gigabytes costs no more than the cap. The core answers 413 (a Pipelines
  request without ``X-Strict-Mode: 1`` keeps its documented 200-and-dropped answer);
- JSON nested deeper than :data:`MAX_JSON_DEPTH` levels is refused with 400: the emulator stores,
  logs and answers bodies with orjson, which cannot write JSON nested about 255 levels deep.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import orjson
from starlette.requests import Request

from cio_toolkit._constants import (
    PIPELINES_MAX_BATCH_BYTES,
    PIPELINES_MAX_CALL_BYTES,
    TRACK_V2_MAX_BATCH_BYTES,
    TRACK_V2_MAX_ENTITY_BYTES,
)

from ._validate import ValidationIssue

__all__ = [
    "BODY_LIMITS",
    "MAX_BODY_BYTES",
    "MAX_JSON_DEPTH",
    "Body",
    "body_limit",
    "inflate",
    "parse_json",
    "read_body",
    "read_cap",
]

# (api, operationId) -> documented limit on the decompressed body; "*" is every other operation.
BODY_LIMITS: Final[dict[tuple[str, str], int]] = {
    ("pipelines_api", "batch"): PIPELINES_MAX_BATCH_BYTES,
    ("pipelines_api", "*"): PIPELINES_MAX_CALL_BYTES,
    ("track_api", "entity"): TRACK_V2_MAX_ENTITY_BYTES,
    ("track_api", "batch"): TRACK_V2_MAX_BATCH_BYTES,
}
MAX_BODY_BYTES: Final = 8 * 1024 * 1024  # bodies without a documented limit (2 MB attachments fit)
MAX_JSON_DEPTH: Final = 128
_ENCODINGS = {"gzip": 31, "deflate": 15}  # zlib wbits: gzip container, zlib container


def body_limit(api: str | None, operation_id: str | None) -> int | None:
    """The documented body limit of an operation in bytes, or None when it has none."""
    found = BODY_LIMITS.get((api or "", operation_id or ""))
    return found if found is not None else BODY_LIMITS.get((api or "", "*"))


def read_cap(limit: int | None) -> int:
    """How many (decompressed) bytes the emulator reads of a body with documented ``limit``."""
    return MAX_BODY_BYTES if limit is None else 2 * limit


@dataclass(slots=True)
class Body:
    """A request body as read: ``data`` is decompressed, complete unless ``over_cap`` or ``issue``."""

    data: bytes = b""
    received: int = 0  # bytes read off the connection (compressed size)
    size: int = 0  # decompressed bytes produced; cap + 1 at most
    declared: int | None = None  # Content-Length, when sent
    encoding: str = ""
    cap: int = MAX_BODY_BYTES
    limit: int | None = None
    over_cap: bool = False
    issue: ValidationIssue | None = None  # an encoding the emulator cannot read

    def too_large(self) -> ValidationIssue:
        """The issue for a body over the cap, naming the cap and the documented limit."""
        if self.declared is not None and self.declared > self.cap:
            what = f"Content-Length is {self.declared} bytes"
        else:
            what = f"is more than {self.cap} bytes" + (" once decompressed" if self.encoding else "")
        if self.limit is None:
            return ValidationIssue("body", f"{what}; the emulator accepts bodies up to {self.cap} bytes")
        return ValidationIssue(
            "body", f"{what}; the limit is {self.limit} bytes (the emulator stops reading at {self.cap})"
        )


class _Inflater:
    """Incremental gzip/deflate decoding that never produces more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        self._wbits = _ENCODINGS[encoding]
        self._d = zlib.decompressobj(self._wbits)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data`` into at most ``room`` bytes; input beyond that is left unread."""
        out = bytearray()
        while data and len(out) < room:
            if self._d.eof:
                # A gzip body may hold several members; after a zlib stream, trailing bytes are ignored.
                data = data.lstrip(b"\0")
                if self._wbits != 31 or not data:
                    break
                self._d = zlib.decompressobj(self._wbits)
            out += self._d.decompress(data, room - len(out))
            data = self._d.unused_data if self._d.eof else self._d.unconsumed_tail
        return bytes(out)

    def finish(self) -> None:
        """Raise EOFError when the compressed stream stopped before its end marker."""
        if not self._d.eof:
            raise EOFError("compressed data ended before the end-of-stream marker was reached")


def _content_length(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return max(0, int(value.strip()))
    except ValueError:
        return None  # the server refuses a malformed length before the app sees it


async def read_body(request: Request, headers: Mapping[str, str], *, limit: int | None) -> Body:
    """Read and decompress the request body, stopping once it is over ``read_cap(limit)``.

    ``headers`` are the request's, with lower-case names.
    """
    cap = read_cap(limit)
    encoding = headers.get("content-encoding", "").strip().lower()
    body = Body(cap=cap, limit=limit, encoding=encoding if encoding in _ENCODINGS else "",
                declared=_content_length(headers.get("content-length")))
    if encoding not in _ENCODINGS and encoding not in ("", "identity"):
        body.issue = ValidationIssue("headers.content-encoding", f"unsupported encoding {encoding[:40]!r}")
    if body.declared is not None and body.declared > cap:
        body.over_cap = True  # refused before reading: the client may still be waiting to send it
        return body
    inflater = _Inflater(encoding) if body.encoding else None
    parts: list[bytes] = []
    try:
        async for chunk in request.stream():
            if not chunk:
                continue
            body.received += len(chunk)
            out = chunk if inflater is None else inflater.feed(chunk, cap + 1 - body.size)
            parts.append(out)
            body.size += len(out)
            if body.size > cap:
                body.over_cap = True
                break
        else:
            if inflater is not None and body.received:
                inflater.finish()
    except (zlib.error, EOFError) as exc:
        body.issue = ValidationIssue("headers.content-encoding", f"body is not valid {encoding}: {exc}")
    body.data = b"".join(parts)
    return body


def inflate(data: bytes, encoding: str, *, cap: int = MAX_BODY_BYTES) -> bytes:
    """Decompress a whole gzip/deflate payload; ValueError when it expands past ``cap`` bytes."""
    inflater = _Inflater(encoding)
    out = inflater.feed(data, cap + 1)
    if len(out) > cap:
        raise ValueError(f"expands to more than {cap} bytes")
    inflater.finish()
    return out


def _deeper(node: Any, room: int) -> bool:
    """Whether containers nest more than ``room`` levels below ``node`` (recursion stays under 130)."""
    if room <= 0:
        return True
    for child in node.values() if type(node) is dict else node:
        kind = type(child)
        if (kind is dict or kind is list) and _deeper(child, room - 1):
            return True
    return False


def _depth(value: Any) -> int:
    """How deeply objects and arrays nest in ``value`` (a scalar is 0, ``{}`` is 1)."""
    deepest = 0
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _depth_issue(depth: str) -> ValidationIssue:
    return ValidationIssue(
        "body", f"is nested {depth} levels deep; the emulator accepts JSON nested at most {MAX_JSON_DEPTH} levels"
    )


def parse_json(data: bytes) -> tuple[Any, ValidationIssue | None]:
    """Parse a JSON body; refuse invalid JSON and JSON nested deeper than :data:`MAX_JSON_DEPTH`."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc):  # orjson's own limit (1024) is deeper than ours
            return None, _depth_issue("more than 1024")
        return None, ValidationIssue("body", f"invalid JSON: {str(exc)[:120]}")
    # Counting brackets is cheap and bounds the depth: only bodies with many containers are walked.
    many = data.count(b"{") + data.count(b"[") > MAX_JSON_DEPTH
    if many and isinstance(value, dict | list) and _deeper(value, MAX_JSON_DEPTH - 1):
        return None, _depth_issue(str(_depth(value)))  # exact, for the message; bad input only
    return value, None
