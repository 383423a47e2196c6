"""Vendor configuration: a TOML file, then environment and command-line overrides. Stdlib only."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from app.domain.errors import ConfigError
from app.domain.license_key import KeyRule
from app.i18n.languages import SHIPPED, match

#: The neutral default configuration shipped in resources/.
DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent / "resources" / "vendor.toml"
_APP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_ENV_PREFIX = "ACTIVATION_WIZARD_"
#: Keys an empty environment variable must not silently remove (a spoofed server would pass).
_NOT_UNSET_BY_ENV = ("signing_key", "public_key")
#: The addresses the app sends license keys to: https, or http only to this computer.
_SERVICE_URLS = ("api_url", "relay_url")
#: A ``proxy`` setting of one of these words sends requests straight to the server.
DIRECT_PROXY_WORDS = frozenset({"direct", "none", "off"})


#: The template's product name: a vendor who has not set ``product_name`` yet ships it.
PLACEHOLDER_PRODUCT = "Your Product"


@dataclass(frozen=True)
class VendorConfig:
    """Everything a vendor can set. Field names are the TOML keys."""

    product_name: str = PLACEHOLDER_PRODUCT
    vendor_name: str = "Your Company"
    app_id: str = "com.example.product"
    api_url: str = "https://www.licentric.com"
    relay_url: str | None = None
    signing_key: str | None = None  # hex response-signing key (HMAC)
    public_key: str | None = None  # base64 SPKI DER Ed25519 key for offline files
    required_entitlements: tuple[str, ...] = ()
    support_url: str | None = None
    support_email: str | None = None
    renew_url: str | None = None
    portal_url: str | None = None  # where users manage devices when no relay exists
    logo: str | None = None  # path, relative to the config file
    accent_color: str = "#2F6FDE"
    environment: str = "live"  # "live" or "test": which Licentric dataset the keys belong to
    test_key_prefixes: tuple[str, ...] = ()  # key prefixes that mark test-environment keys
    #: A regular expression a whole license key must match (after paste clean-up); None: the
    #: permissive default (dash-separated groups of letters and digits, any case).
    key_pattern: str | None = None
    #: "as-typed" (keys are case-sensitive, sent as the user typed them) or "upper" (keys
    #: are case-insensitive and sent in upper case).
    key_case: str = "as-typed"
    offline_grace_hours: float = 72.0  # how long a cached good answer counts when offline
    # The policy's check-in interval, for the `heartbeat` helper and the activation when no
    # relay tells it (validate-key does not say in advance that a policy needs check-ins).
    heartbeat_minutes: float | None = None
    timeout_seconds: float = 10.0
    language: str | None = None  # "de", "ja", ... or "auto"/unset: the user's system language
    allow_insecure_http: bool = False  # plain http:// to a remote service or relay (tests only)
    # The proxy: unset follows the computer (environment, OS settings, PAC/WPAD); a URL or
    # "direct" overrides it; ``proxy_pac_url`` names a PAC file to ask instead.
    proxy: str | None = None
    proxy_pac_url: str | None = None
    demo: bool = False  # set by --demo, never by a file
    source: str | None = field(default=None, compare=False)  # file the config came from

    @property
    def key_rule(self) -> KeyRule:
        """The key rule for app.domain.license_key.normalise_key."""
        pattern = re.compile(self.key_pattern) if self.key_pattern else None
        return KeyRule(pattern=pattern, upper=self.key_case == "upper")

    @property
    def logo_path(self) -> Path | None:
        if not self.logo:
            return None
        path = Path(self.logo)
        if not path.is_absolute() and self.source:
            path = Path(self.source).parent / path
        return path


def load_config(
    path: str | os.PathLike[str] | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> VendorConfig:
    """Read ``path`` (or the shipped default), apply ``ACTIVATION_WIZARD_*`` environment
    variables and then ``overrides`` (from the command line), and check every field.

    Raises ConfigError naming the field and what is wrong with it.
    """
    env = os.environ if environ is None else environ
    file = Path(path) if path else _default_path(env)
    values: dict[str, Any] = {}
    if file is not None:
        values.update(_read_toml(file))
        values["source"] = str(file)
    from_env: dict[str, str] = {}  # setting -> the variable its value came from
    for f in fields(VendorConfig):
        variable = _ENV_PREFIX + f.name.upper()
        raw = env.get(variable)
        if raw is not None and f.name not in ("demo", "source"):
            if not raw.strip() and f.name in _NOT_UNSET_BY_ENV:
                raise ConfigError(
                    f"The environment variable {variable} is empty: unset it to keep the "
                    f"configured '{f.name}', or give the key.",
                    field=f.name,
                )
            values[f.name] = raw
            from_env[f.name] = variable
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    values.update(given)
    try:
        return _build(values)
    except ConfigError as exc:
        variable = from_env.get(exc.field) if exc.field not in given else None
        if variable is None:
            raise
        # The vendor's file is fine: say where the bad value really is (never the value,
        # which may be the signing key).
        raise ConfigError(
            f"The environment variable {variable} is not valid: {exc.message}", field=exc.field
        ) from exc


def with_overrides(config: VendorConfig, **changes: Any) -> VendorConfig:
    """A checked copy of ``config`` with ``changes`` applied (``None`` values ignored)."""
    return _build({**config.__dict__, **{k: v for k, v in changes.items() if v is not None}})


def _default_path(env: Any) -> Path | None:
    configured = env.get(_ENV_PREFIX + "CONFIG")
    if configured:
        return Path(configured)
    return DEFAULT_CONFIG_PATH if DEFAULT_CONFIG_PATH.is_file() else None


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"The configuration file {file} does not exist.", field="file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file} is not valid TOML: {exc}", field="file") from exc
    except OSError as exc:
        raise ConfigError(f"Cannot read {file}: {exc.strerror}", field="file") from exc
    # Accept either a flat file or everything under a [vendor] table.
    return dict(data.get("vendor", data))


def _build(values: dict[str, Any]) -> VendorConfig:
    known = {f.name: f for f in fields(VendorConfig)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"Unknown setting '{unknown[0]}'.", field=unknown[0])
    clean: dict[str, Any] = {}
    for name, value in values.items():
        clean[name] = _coerce(name, value, known[name].type)
    config = replace(VendorConfig(), **clean)
    _check(config)
    return config


def _coerce(name: str, value: Any, annotation: Any) -> Any:
    kind = str(annotation)
    if "tuple" in kind:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"'{name}' must be a list of strings.", field=name)
        return tuple(value)
    if kind == "bool":
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "on")
        if not isinstance(value, bool):
            raise ConfigError(f"'{name}' must be true or false.", field=name)
        return value
    if kind == "float | None" and value in (None, ""):
        return None
    if kind in ("float", "float | None"):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"'{name}' must be a number.", field=name) from None
    if value is None or value == "":
        return None if "None" in kind else value
    if not isinstance(value, str):
        raise ConfigError(f"'{name}' must be text.", field=name)
    return value.strip()


def _check(c: VendorConfig) -> None:
    if not c.product_name:
        raise ConfigError("'product_name' must not be empty.", field="product_name")
    if not _APP_ID.match(c.app_id):
        raise ConfigError(
            "'app_id' must be 2-64 letters, digits, dots, dashes or underscores.", field="app_id"
        )
    for name in ("api_url", "relay_url", "support_url", "renew_url", "portal_url", "proxy_pac_url"):
        url = getattr(c, name)
        if url is not None and not _is_http_url(url):
            raise ConfigError(f"'{name}' must be an http(s) address, got '{url}'.", field=name)
    for name in _SERVICE_URLS:
        url = getattr(c, name)
        if url is not None and _is_plain_remote_http(url) and not c.allow_insecure_http:
            raise ConfigError(
                f"'{name}' must be an https:// address: plain http:// would send license keys "
                "unencrypted (it is allowed only to this computer, or with "
                "allow_insecure_http = true).",
                field=name,
            )
    if not _COLOUR.match(c.accent_color):
        raise ConfigError("'accent_color' must look like #2F6FDE.", field="accent_color")
    if c.environment not in ("live", "test"):
        raise ConfigError("'environment' must be 'live' or 'test'.", field="environment")
    if c.signing_key is not None and not re.fullmatch(r"[0-9a-fA-F]{32,128}", c.signing_key):
        raise ConfigError("'signing_key' must be the hex signing key.", field="signing_key")
    if c.proxy and c.proxy.lower() not in DIRECT_PROXY_WORDS and not _is_http_url(c.proxy):
        raise ConfigError(
            "'proxy' must be a proxy address like http://proxy.example.com:3128, or 'direct'.",
            field="proxy",
        )
    _check_key_rule(c)
    if c.timeout_seconds <= 0 or c.timeout_seconds > 300:
        raise ConfigError("'timeout_seconds' must be between 0 and 300.", field="timeout_seconds")
    if c.offline_grace_hours < 0:
        raise ConfigError(
            "'offline_grace_hours' must not be negative.", field="offline_grace_hours"
        )
    if c.heartbeat_minutes is not None and c.heartbeat_minutes <= 0:
        raise ConfigError("'heartbeat_minutes' must be more than 0.", field="heartbeat_minutes")
    if c.language and c.language.lower() != "auto" and not match(c.language, allow_pseudo=True):
        raise ConfigError(
            f"'language' must be 'auto' or one of {', '.join(SHIPPED)}.", field="language"
        )
    if c.logo and c.logo_path is not None and not c.logo_path.is_file():
        raise ConfigError(f"'logo' file {c.logo_path} does not exist.", field="logo")


def _check_key_rule(c: VendorConfig) -> None:
    if c.key_case not in ("as-typed", "upper"):
        raise ConfigError("'key_case' must be 'as-typed' or 'upper'.", field="key_case")
    if c.key_pattern is not None:
        try:
            re.compile(c.key_pattern)
        except re.error as exc:
            raise ConfigError(
                f"'key_pattern' is not a valid regular expression: {exc.msg}.",
                field="key_pattern",
            ) from None


def _is_http_url(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _is_plain_remote_http(url: str) -> bool:
    """http:// to anything but this computer (localhost, 127.0.0.0/8, ::1)."""
    parsed = urlparse(url)
    if parsed.scheme != "http":
        return False
    host = (parsed.hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True
