"""Settings from arguments, CIO_* environment variables and a .env file; regions and base URLs."""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from . import _constants as C
from ._exceptions import ConfigError

__all__ = ["Secret", "Settings", "API"]

API = Literal["pipelines", "track", "app"]

# setting name -> environment variable
ENV_VARS: dict[str, str] = {
    "region": "CIO_REGION",
    "pipelines_api_key": "CIO_PIPELINES_API_KEY",
    "site_id": "CIO_SITE_ID",
    "track_api_key": "CIO_TRACK_API_KEY",
    "app_api_key": "CIO_APP_API_KEY",
    "webhook_signing_key": "CIO_WEBHOOK_SIGNING_KEY",
    "base_url": "CIO_BASE_URL",
    "ca_bundle": "CIO_CA_BUNDLE",
}
_SECRET_FIELDS = ("pipelines_api_key", "track_api_key", "app_api_key", "webhook_signing_key")
# which settings each API needs
_REQUIRED: dict[str, tuple[str, ...]] = {
    "pipelines": ("pipelines_api_key",),
    "track": ("site_id", "track_api_key"),
    "app": ("app_api_key",),
    "webhooks": ("webhook_signing_key",),
}


class Secret:
    """A credential whose repr and str never show the value; ``reveal()`` returns it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret value (for building auth headers only)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


def _secret(name: str, value: str | Secret | None) -> Secret | None:
    if value is None or value == "":
        return None
    secret = value if isinstance(value, Secret) else Secret(str(value))
    _check_credential(name, secret.reveal())
    return secret


def _check_credential(name: str, value: str) -> None:
    # A key the service would refuse is refused here, where the setting is named, not as a
    # 401 on some later call (and a one-character signing key would sign anything).
    if not value.strip():
        raise ConfigError(f"{ENV_VARS[name]} is blank: set the key itself, or leave the variable unset")
    if any(ch.isspace() for ch in value):
        raise ConfigError(
            f"{ENV_VARS[name]} contains whitespace (Customer.io keys never do): check for a stray space "
            "or newline around the value"
        )


@dataclass(frozen=True)
class Settings:
    """Where to send requests and with which credentials. Keys are held as :class:`Secret`."""

    region: str = "us"
    pipelines_api_key: Secret | None = None
    site_id: str | None = None
    track_api_key: Secret | None = None
    app_api_key: Secret | None = None
    webhook_signing_key: Secret | None = None
    base_url: str | None = None
    ca_bundle: str | None = None  # a PEM file of CAs to trust instead of the system's (an emulator's own CA)
    source: str = field(default="arguments", compare=False)

    def __post_init__(self) -> None:
        region = (self.region or "us").lower()
        if region not in C.REGIONS:
            raise ConfigError(f"CIO_REGION must be one of {', '.join(C.REGIONS)}, got {self.region!r}")
        object.__setattr__(self, "region", region)
        for name in _SECRET_FIELDS:
            object.__setattr__(self, name, _secret(name, getattr(self, name)))
        if self.site_id == "":
            object.__setattr__(self, "site_id", None)
        elif self.site_id is not None:
            _check_credential("site_id", self.site_id)
        if self.base_url:
            url = self.base_url.rstrip("/")
            if not url.startswith(("http://", "https://")):
                raise ConfigError(f"CIO_BASE_URL must start with http:// or https://, got {url!r}")
            object.__setattr__(self, "base_url", url)
        else:
            object.__setattr__(self, "base_url", None)
        if self.ca_bundle is not None:
            path = os.fspath(self.ca_bundle)
            if not Path(path).is_file():
                raise ConfigError(f"CIO_CA_BUNDLE must name a PEM file of CA certificates; {path!r} is not a file")
            object.__setattr__(self, "ca_bundle", path)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, env_file: str | Path | None = ".env", **overrides: Any
    ) -> Settings:
        """Read CIO_* variables (the process environment wins over ``env_file``); ``overrides`` win over both."""
        values: dict[str, str] = {}
        if env_file is not None and Path(env_file).is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if env is None else env)
        kwargs: dict[str, Any] = {}
        for name, var in ENV_VARS.items():
            if values.get(var):
                kwargs[name] = values[var]
        kwargs.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**kwargs, source="environment")

    def with_overrides(self, **overrides: Any) -> Settings:
        """Return a copy with the given non-None fields replaced."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def require(self, api: str) -> None:
        """Raise :class:`ConfigError` naming each missing CIO_* variable that ``api`` needs."""
        missing = [ENV_VARS[n] for n in _REQUIRED[api] if not getattr(self, n)]
        if missing:
            raise ConfigError(
                f"the {api} API needs {' and '.join(missing)}: set it in the environment or .env, "
                "or pass it to the client"
            )

    def api_base_url(self, api: API) -> str:
        """The base URL every path of ``api`` is appended to."""
        if self.base_url:
            return self.base_url + C.BASE_URL_SUFFIX[api]
        return C.HOSTS[api][self.region]

    @property
    def target(self) -> str:
        """A human description of where requests go, e.g. ``Customer.io (us)`` or the base URL."""
        if self.base_url:
            return f"{self.base_url} (custom base URL)"
        return f"Customer.io live workspace, region {self.region}"

    def __repr__(self) -> str:
        present = [f.name for f in fields(self) if f.name in _SECRET_FIELDS and getattr(self, f.name)]
        site = f", site_id={self.site_id!r}" if self.site_id else ""
        return f"Settings(target={self.target!r}{site}, keys set: {', '.join(present) or 'none'})"

    def secrets(self) -> tuple[str, ...]:
        """Every secret value, and the Basic tokens built from them, for redaction by value."""
        values = [s.reveal() for n in _SECRET_FIELDS if (s := getattr(self, n))]
        if self.pipelines_api_key:
            values.append(basic_token(self.pipelines_api_key.reveal(), ""))
        if self.track_api_key and self.site_id:
            values.append(basic_token(self.site_id, self.track_api_key.reveal()))
        return tuple(values)


def basic_token(user: str, password: str) -> str:
    """The base64 credentials of an HTTP Basic ``Authorization`` header."""
    return base64.b64encode(f"{user}:{password}".encode()).decode()
