"""The request log: one JSON line per request, in a file and in memory.

Lines are written with a single ``os.write`` on a descriptor opened with ``O_APPEND``, so
several emulators (threads or processes) can share one file without interleaving lines.

The in-memory history keeps the newest entries as their JSON lines, within two bounds: at most
``history`` entries and ``history_bytes`` bytes of lines (the newest entry is always kept). With
bodies logged, a body up to ``body_bytes`` is kept whole as ``body``; a larger one, or one the
emulator stopped reading, is kept as a ``body_raw`` text prefix of ``body_bytes`` with
``"body_truncated": true``. ``body_size`` is the decompressed size the emulator read.
"""

from __future__ import annotations

import collections
import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any, Final

import orjson

from cio_toolkit._constants import PIPELINES_MAX_BATCH_BYTES, TRACK_V2_MAX_BATCH_BYTES

__all__ = ["DEFAULT_BODY_BYTES", "DEFAULT_HISTORY", "DEFAULT_HISTORY_BYTES", "RequestLog", "mask_headers"]

_SECRET_HEADER_WORDS = ("key", "token", "secret", "signature", "cookie", "password")
DEFAULT_HISTORY: Final = 10_000
DEFAULT_HISTORY_BYTES: Final = 64 * 1024 * 1024
# Every body a size-limited API accepts is kept whole: tests read whole batches back from the log.
DEFAULT_BODY_BYTES: Final = max(PIPELINES_MAX_BATCH_BYTES, TRACK_V2_MAX_BATCH_BYTES)
_OPTIONS = orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS


def mask_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers with every credential replaced: ``Authorization: Basic ***``."""
    out: dict[str, str] = {}
    for name, value in headers:
        low = name.lower()
        if low in ("authorization", "proxy-authorization"):
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} ***" if scheme else "***"
        elif any(word in low for word in _SECRET_HEADER_WORDS):
            value = "***"
        out[low] = value
    return out


def _line(entry: Mapping[str, Any]) -> bytes:
    try:
        return orjson.dumps(entry, option=_OPTIONS, default=str)
    except TypeError as exc:  # orjson.JSONEncodeError: a value it cannot write must not lose the entry
        kept = {k: v for k, v in entry.items() if k not in ("body", "query", "headers")}
        kept["log_error"] = f"entry not fully serialisable: {str(exc)[:120]}"
        return orjson.dumps(kept, option=_OPTIONS, default=str)


class RequestLog:
    """Keeps the newest entries in memory (bounded by count and bytes) and appends each to ``path``."""

    def __init__(
        self,
        path: str | None = None,
        *,
        bodies: bool = False,
        history: int = DEFAULT_HISTORY,
        history_bytes: int = DEFAULT_HISTORY_BYTES,
        body_bytes: int = DEFAULT_BODY_BYTES,
    ) -> None:
        self.path = path
        self.bodies = bodies
        self.history = history
        self.history_bytes = history_bytes
        self.body_bytes = body_bytes
        self._lines: collections.deque[bytes] = collections.deque()
        self._kept_bytes = 0
        self._fd: int | None = None
        self._lock = threading.Lock()
        if path:
            parent = os.path.dirname(os.path.abspath(path))
            os.makedirs(parent, exist_ok=True)
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def __repr__(self) -> str:
        return f"RequestLog(path={self.path!r}, bodies={self.bodies})"

    def body_fields(self, body: Any, data: bytes, size: int, *, whole: bool) -> dict[str, Any]:
        """The entry's body fields: ``body`` when parsed and small enough, else a ``body_raw`` prefix."""
        if not data and not size:
            return {"body": None}
        if whole and body is not None and size <= self.body_bytes:
            return {"body": body}
        fields: dict[str, Any] = {"body_raw": data[: self.body_bytes].decode("utf-8", "replace")}
        if not whole or size > self.body_bytes:
            fields["body_truncated"] = True
        return fields

    def record(self, entry: Mapping[str, Any]) -> None:
        """Keep ``entry`` and append it to the file as one line."""
        if self.history <= 0 and self._fd is None:
            return
        line = _line(entry)
        with self._lock:
            if self.history > 0:
                self._lines.append(line)
                self._kept_bytes += len(line)
                while len(self._lines) > self.history or (
                    self._kept_bytes > self.history_bytes and len(self._lines) > 1
                ):
                    self._kept_bytes -= len(self._lines.popleft())
            if self._fd is not None:
                os.write(self._fd, line)

    def recent(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The newest ``limit`` entries (all kept ones by default), oldest first."""
        with self._lock:
            lines = list(self._lines)
        if limit is not None:
            lines = lines[-limit:] if limit > 0 else []
        return [orjson.loads(line) for line in lines]

    def clear(self) -> None:
        """Forget the in-memory entries (the file is left as it is)."""
        with self._lock:
            self._lines.clear()
            self._kept_bytes = 0

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
