"""Fault injection: random 5xx, added latency, forced 429s and dropped connections.

Settings change at run time from Python (``emu.faults.update(...)``) or over HTTP
(``POST /_emulator/faults``). Faults hit every API request whose path matches ``path``
(a shell-style glob such as ``/v1/*``; None = every request); the ``/_emulator`` admin
endpoints are never affected.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import random
import threading
from dataclasses import dataclass
from typing import Any, Literal

from cio_toolkit._exceptions import ValidationError

__all__ = ["FaultDecision", "FaultSettings", "Faults"]

FaultKind = Literal["drop", "429", "error"]


@dataclass(frozen=True)
class FaultSettings:
    """One consistent set of fault parameters."""

    error_rate: float = 0.0  # share of requests answered with ``error_status``
    error_status: int = 500
    latency_ms: float = 0.0  # added before every matching request is handled
    force_429: int = 0  # the next N matching requests get 429
    retry_after: int = 1  # seconds, sent with forced 429s
    drop_rate: float = 0.0  # share of requests whose connection is closed without an answer
    path: str | None = None  # glob on the request path; None = all
    seed: int | None = None  # makes the random choices repeatable

    def updated(self, **changes: Any) -> FaultSettings:
        """Return a copy with ``changes`` applied, after checking each against its limits."""
        known = {f.name for f in dataclasses.fields(self)}
        for name in changes:
            if name not in known:
                raise ValidationError(
                    f"faults.{name}: unknown setting; expected one of {sorted(known)}", field=name
                )
        new = dataclasses.replace(self, **changes)
        new._check()
        return new

    def _check(self) -> None:
        for name in ("error_rate", "drop_rate"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0.0 <= value <= 1.0:
                raise ValidationError(
                    f"faults.{name}: must be a number between 0 and 1, got {value!r}",
                    field=name,
                    limit="0..1",
                    actual=value,
                )
        if not isinstance(self.error_status, int) or not 500 <= self.error_status <= 599:
            raise ValidationError(
                f"faults.error_status: must be a 5xx status, got {self.error_status!r}",
                field="error_status",
                limit="500..599",
                actual=self.error_status,
            )
        if not isinstance(self.latency_ms, int | float) or not 0 <= self.latency_ms <= 60_000:
            raise ValidationError(
                f"faults.latency_ms: must be between 0 and 60000, got {self.latency_ms!r}",
                field="latency_ms",
                limit="0..60000",
                actual=self.latency_ms,
            )
        for name, top in (("force_429", 1_000_000), ("retry_after", 3600)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
                raise ValidationError(
                    f"faults.{name}: must be an integer between 0 and {top}, got {value!r}",
                    field=name,
                    limit=f"0..{top}",
                    actual=value,
                )
        if self.path is not None and not isinstance(self.path, str):
            raise ValidationError("faults.path: must be a glob string or null", field="path")

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain JSON-able values."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class FaultDecision:
    """What to do to one request."""

    latency_s: float = 0.0
    kind: FaultKind | None = None
    status: int = 0
    retry_after: int = 0


_NONE = FaultDecision()


class Faults:
    """Thread-safe runtime fault control of one emulator."""

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self._lock = threading.Lock()
        self._settings = settings or FaultSettings()
        self._rng = random.Random(self._settings.seed)
        self.injected: dict[str, int] = {"drop": 0, "429": 0, "error": 0, "latency": 0}

    def __repr__(self) -> str:
        return f"Faults({self._settings})"

    @property
    def settings(self) -> FaultSettings:
        """The current settings."""
        return self._settings

    def update(self, **changes: Any) -> FaultSettings:
        """Change some settings (e.g. ``error_rate=0.05, error_status=503``); return the new set."""
        with self._lock:
            self._settings = self._settings.updated(**changes)
            if "seed" in changes:
                self._rng = random.Random(self._settings.seed)
            return self._settings

    def reset(self) -> None:
        """Turn every fault off."""
        with self._lock:
            self._settings = FaultSettings()
            self.injected = dict.fromkeys(self.injected, 0)

    def as_dict(self) -> dict[str, Any]:
        """Settings plus how many faults were injected so far."""
        with self._lock:
            return {**self._settings.as_dict(), "injected": dict(self.injected)}

    def decide(self, path: str) -> FaultDecision:
        """Pick the fault (if any) for a request to ``path``."""
        s = self._settings
        if not (s.error_rate or s.latency_ms or s.force_429 or s.drop_rate):
            return _NONE
        if s.path is not None and not fnmatch.fnmatchcase(path, s.path):
            return _NONE
        with self._lock:
            s = self._settings
            latency = s.latency_ms / 1000.0
            if latency:
                self.injected["latency"] += 1
            if s.drop_rate and self._rng.random() < s.drop_rate:
                self.injected["drop"] += 1
                return FaultDecision(latency, "drop")
            if s.force_429 > 0:
                self._settings = dataclasses.replace(s, force_429=s.force_429 - 1)
                self.injected["429"] += 1
                return FaultDecision(latency, "429", 429, s.retry_after)
            if s.error_rate and self._rng.random() < s.error_rate:
                self.injected["error"] += 1
                return FaultDecision(latency, "error", s.error_status)
            return FaultDecision(latency) if latency else _NONE
