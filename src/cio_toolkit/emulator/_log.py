"""The request log: one JSON line per request, in a file and in memory.

Lines are written with a single ``os.write`` on a descriptor opened with ``O_APPEND``, so
several emulators (threads or processes) can share one file without interleaving lines.
"""

from __future__ import annotations

import collections
import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

__all__ = ["RequestLog", "mask_headers"]

_SECRET_HEADER_WORDS = ("key", "token", "secret", "signature", "cookie", "password")


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


class RequestLog:
    """Keeps the last ``history`` entries in memory and appends each to ``path`` when set."""

    def __init__(self, path: str | None = None, *, bodies: bool = False, history: int = 10_000) -> None:
        self.path = path
        self.bodies = bodies
        self.entries: collections.deque[dict[str, Any]] = collections.deque(maxlen=history)
        self._fd: int | None = None
        self._lock = threading.Lock()
        if path:
            parent = os.path.dirname(os.path.abspath(path))
            os.makedirs(parent, exist_ok=True)
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def __repr__(self) -> str:
        return f"RequestLog(path={self.path!r}, bodies={self.bodies})"

    def record(self, entry: Mapping[str, Any]) -> None:
        """Keep ``entry`` and append it to the file as one line."""
        entry = dict(entry)
        self.entries.append(entry)
        fd = self._fd
        if fd is not None:
            line = orjson.dumps(
                entry, option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS, default=str
            )
            with self._lock:
                if self._fd is not None:
                    os.write(self._fd, line)

    def recent(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The newest ``limit`` entries (all kept ones by default), oldest first."""
        items = list(self.entries)
        if limit is None:
            return items
        return items[-limit:] if limit > 0 else []

    def clear(self) -> None:
        """Forget the in-memory entries (the file is left as it is)."""
        self.entries.clear()

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
