"""Emulator settings: keys per API, region, request log and its bounds, strictness, limits, initial faults."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, TypedDict, Unpack

from cio_toolkit._constants import REGIONS
from cio_toolkit._exceptions import ConfigError

from ._faults import FaultSettings
from ._log import DEFAULT_BODY_BYTES, DEFAULT_HISTORY, DEFAULT_HISTORY_BYTES

__all__ = ["KEY_ENV", "EmulatorConfig", "EmulatorKeys", "EmulatorOptions"]

# EmulatorKeys field -> the CIO_* variable the clients read, so one environment configures both.
KEY_ENV: dict[str, str] = {
    "pipelines_api_key": "CIO_PIPELINES_API_KEY",
    "site_id": "CIO_SITE_ID",
    "track_api_key": "CIO_TRACK_API_KEY",
    "app_api_key": "CIO_APP_API_KEY",
    "webhook_signing_key": "CIO_WEBHOOK_SIGNING_KEY",
}
_DEMO_PREFIX = {
    "pipelines_api_key": "demo-pipelines-",
    "site_id": "demo-site-",
    "track_api_key": "demo-track-",
    "app_api_key": "demo-app-",
    "webhook_signing_key": "demo-signing-",
}
LOG_ENV = "CIO_EMULATOR_LOG"
LOG_BODIES_ENV = "CIO_EMULATOR_LOG_BODIES"
HISTORY_BYTES_ENV = "CIO_EMULATOR_HISTORY_BYTES"
LOG_BODY_BYTES_ENV = "CIO_EMULATOR_LOG_BODY_BYTES"


@dataclass(frozen=True)
class EmulatorKeys:
    """The credentials the emulator accepts, one per API (never shown by ``repr``)."""

    pipelines_api_key: str
    site_id: str
    track_api_key: str
    app_api_key: str
    webhook_signing_key: str
    generated: frozenset[str] = field(default=frozenset(), compare=False)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}=<{'generated' if f.name in self.generated else 'given'}>"
            for f in fields(self)
            if f.name != "generated"
        )
        return f"EmulatorKeys({shown})"

    def secrets(self) -> tuple[str, ...]:
        """Every key value, for masking in logs."""
        return tuple(getattr(self, name) for name in KEY_ENV)

    @classmethod
    def resolve(
        cls,
        given: EmulatorKeys | Mapping[str, str | None] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> EmulatorKeys:
        """Keys from ``given`` (an EmulatorKeys or a partial mapping), then CIO_* variables,
        and a generated demo key for anything still missing."""
        if isinstance(given, EmulatorKeys):
            return given
        env = os.environ if environ is None else environ
        given = dict(given or {})
        unknown = set(given) - set(KEY_ENV)
        if unknown:
            raise ConfigError(f"unknown emulator key field(s) {sorted(unknown)}; expected {sorted(KEY_ENV)}")
        values: dict[str, str] = {}
        generated = set()
        for name, var in KEY_ENV.items():
            value = given.get(name) or env.get(var)
            if not value:
                value = _DEMO_PREFIX[name] + secrets.token_hex(8)
                generated.add(name)
            if ":" in value and name == "site_id":
                raise ConfigError(f"{var}: a site id cannot contain ':' (it is the Basic auth user name)")
            values[name] = value
        return cls(**values, generated=frozenset(generated))


class EmulatorOptions(TypedDict, total=False):
    """The settings :meth:`EmulatorConfig.create` and :class:`~cio_toolkit.emulator.Emulator` share.

    Defaults: generated demo keys (after the CIO_* variables), ``strict=True``, the log per
    CIO_EMULATOR_LOG, no seed, rate limits and response validation on, no faults, the byte
    bounds per their CIO_EMULATOR_* variables, region ``us`` (what getRegion answers).
    """

    keys: EmulatorKeys | Mapping[str, str | None] | None
    region: str
    strict: bool
    log: str | os.PathLike[str] | bool | None
    log_bodies: bool | None
    seed: str | None
    rate_limits: bool
    validate_responses: bool
    faults: FaultSettings | Mapping[str, Any] | None
    history_bytes: int | None
    log_body_bytes: int | None


@dataclass
class EmulatorConfig:
    """Everything :func:`create_app` needs; build it with :meth:`create` to apply the CIO_* variables."""

    keys: EmulatorKeys
    db: str = ":memory:"
    strict: bool = True
    log: str | None = None
    log_bodies: bool = False
    seed: str | None = None
    rate_limits: bool = True
    validate_responses: bool = True
    faults: FaultSettings = field(default_factory=FaultSettings)
    request_history: int = DEFAULT_HISTORY
    history_bytes: int = DEFAULT_HISTORY_BYTES  # bytes of request-log lines kept in memory
    log_body_bytes: int = DEFAULT_BODY_BYTES  # a logged body larger than this is truncated
    hosts: tuple[str, ...] = ()  # Host names the admin endpoints accept besides loopback and the bound address
    region: str = "us"  # the workspace region the emulator plays: what getRegion answers

    def __post_init__(self) -> None:
        region = str(self.region or "us").lower()
        if region not in REGIONS:
            raise ConfigError(f"region must be one of {', '.join(REGIONS)}, got {self.region!r}")
        self.region = region

    @classmethod
    def create(
        cls,
        *,
        db: str = ":memory:",
        hosts: tuple[str, ...] | list[str] = (),
        environ: Mapping[str, str] | None = None,
        **options: Unpack[EmulatorOptions],
    ) -> EmulatorConfig:
        """Resolve keys and the request log from arguments, then CIO_* / CIO_EMULATOR_* variables.

        ``options`` are those of :class:`EmulatorOptions`. ``log=None`` follows CIO_EMULATOR_LOG,
        ``log=False`` disables the log even when it is set, a path enables it. ``log_bodies=None``
        follows CIO_EMULATOR_LOG_BODIES=1; ``history_bytes`` and ``log_body_bytes`` (None) follow
        CIO_EMULATOR_HISTORY_BYTES and CIO_EMULATOR_LOG_BODY_BYTES, else 64 MiB and 512,000 bytes.
        """
        unknown = sorted(set(options) - EmulatorOptions.__optional_keys__)
        if unknown:  # keyword arguments collected in **options are not checked by Python itself
            raise TypeError(f"EmulatorConfig.create() got unexpected keyword argument(s) {unknown}")
        log = options.get("log")
        log_bodies = options.get("log_bodies")
        faults = options.get("faults")
        env = os.environ if environ is None else environ
        if log is None:
            log_path = env.get(LOG_ENV) or None
        elif log is False:
            log_path = None
        elif log is True:
            log_path = env.get(LOG_ENV) or None
            if log_path is None:
                raise ConfigError(f"log=True needs {LOG_ENV} to name the file; pass a path instead")
        else:
            log_path = os.fspath(log)
        bodies = env.get(LOG_BODIES_ENV, "") in ("1", "true", "yes") if log_bodies is None else log_bodies
        if isinstance(faults, FaultSettings):
            fault_settings = faults
        else:
            fault_settings = FaultSettings().updated(**dict(faults or {}))
        return cls(
            keys=EmulatorKeys.resolve(options.get("keys"), environ=env),
            db=str(db),
            strict=options.get("strict", True),
            log=log_path,
            log_bodies=bool(bodies),
            seed=options.get("seed"),
            rate_limits=options.get("rate_limits", True),
            validate_responses=options.get("validate_responses", True),
            faults=fault_settings,
            history_bytes=_size(
                "history_bytes", options.get("history_bytes"), env, HISTORY_BYTES_ENV, DEFAULT_HISTORY_BYTES
            ),
            log_body_bytes=_size(
                "log_body_bytes", options.get("log_body_bytes"), env, LOG_BODY_BYTES_ENV, DEFAULT_BODY_BYTES
            ),
            hosts=tuple(h.strip().lower() for h in hosts if h.strip()),
            region=options.get("region") or "us",
        )


def _size(name: str, value: int | None, env: Mapping[str, str], var: str, default: int) -> int:
    """A byte count from the argument, else the variable, else the default; refuses negatives."""
    where = name
    if value is None:
        raw = env.get(var, "").strip()
        if not raw:
            return default
        where = var
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"{var}: expected a whole number of bytes, got {raw[:40]!r}") from None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where}: expected a whole number of bytes >= 0, got {value!r}")
    return value
