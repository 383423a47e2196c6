"""Which proxy a request goes through, as the computer has it: the vendor's or the user's
setting, a PAC file named there, the environment, the OS settings (Windows, macOS), the OS's
PAC file or WPAD (pypac), else none. PAC files run in pypac's sandboxed interpreter; httpx
then talks to the proxy it picked.

Credentials never appear in a ``ProxyChoice``'s text: ``display`` drops them, ``repr`` too.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from app.config import DIRECT_PROXY_WORDS
from app.domain.errors import ProxyError
from app.domain.proxy_sign_in import ProxyCredentials

log = logging.getLogger(__name__)

PAC_TIMEOUT_SECONDS = 3.0
#: Content types a PAC file may come with (servers often send plain text or JavaScript).
PAC_CONTENT_TYPES = (
    "application/x-ns-proxy-autoconfig",
    "application/x-javascript-config",
    "application/javascript",
    "text/javascript",
    "text/plain",
)
_ENV_SCHEMES = frozenset({"http", "https", "all", "no"})


@dataclass(frozen=True)
class ProxySettings:
    """What the configuration says: ``proxy`` (a URL or "direct"), ``pac_url`` (a PAC file's
    address), and the sign-in to send when the proxy asks for one."""

    proxy: str | None = None
    pac_url: str | None = None
    credentials: ProxyCredentials | None = None


@dataclass(frozen=True)
class ProxyChoice:
    """The proxy for one address (``url`` None: direct) and where the choice came from:
    ``setting``, ``pac``, ``environment``, ``system``, ``system-pac`` or ``none``."""

    url: str | None
    source: str
    credentials: ProxyCredentials | None = None

    @property
    def display(self) -> str:
        """For logs and support details: scheme, host and port only."""
        return strip_credentials(self.url) if self.url else "direct"


def choose_proxy(
    target: str, settings: ProxySettings | None = None, environ: Mapping[str, str] | None = None
) -> ProxyChoice:
    """The proxy for ``target`` (an http(s) URL). Raises ProxyError when a PAC file the
    configuration names cannot be fetched or run: guessing "direct" would hide the mistake."""
    settings = settings or ProxySettings()
    env = os.environ if environ is None else environ
    choice = _first_choice(target, settings, env)
    creds = settings.credentials or credentials_in(choice.url)
    choice = ProxyChoice(strip_credentials(choice.url), choice.source, creds)
    log.info("proxy for %s: %s (%s)", urlsplit(target).netloc, choice.display, choice.source)
    return choice


def _first_choice(target: str, settings: ProxySettings, env: Mapping[str, str]) -> ProxyChoice:
    explicit = (settings.proxy or "").strip()
    if explicit:
        url = None if explicit.lower() in DIRECT_PROXY_WORDS else explicit
        return ProxyChoice(url, "setting")
    if settings.pac_url:
        return ProxyChoice(_from_pac(_pac_from_url(settings.pac_url), target), "pac")
    from_env = _from_table(target, _environment_proxies(env), environment=True)
    if from_env is not None:
        return ProxyChoice(from_env or None, "environment")
    if sys.platform in ("win32", "darwin"):
        return _from_system(target)
    return ProxyChoice(None, "none")


def _from_system(target: str) -> ProxyChoice:
    """Windows' Internet Options / macOS' network settings: fixed proxies, then PAC / WPAD."""
    fixed = _from_table(target, _system_proxies(), environment=False)
    if fixed is not None:
        return ProxyChoice(fixed or None, "system")
    pac = _system_pac()
    if pac is not None:
        return ProxyChoice(_from_pac(pac, target), "system-pac")
    return ProxyChoice(None, "none")


def _from_table(target: str, table: Mapping[str, str], *, environment: bool) -> str | None:
    """The proxy in a scheme -> URL table; "" for a bypassed host; None when none applies."""
    parts = urlsplit(target)
    url = table.get(parts.scheme) or table.get("all")
    if not url:
        return None
    host = parts.hostname or ""
    if environment:
        bypass = urllib.request.proxy_bypass_environment(host, dict(table))
    else:
        bypass = urllib.request.proxy_bypass(host)
    return "" if bypass else url


def _environment_proxies(env: Mapping[str, str]) -> dict[str, str]:
    """``HTTPS_PROXY`` & co. and ``NO_PROXY`` (either case) from ``env``."""
    table: dict[str, str] = {}
    for name, value in env.items():
        scheme = name.lower().removesuffix("_proxy")
        if value and scheme in _ENV_SCHEMES and name.lower() != scheme:
            table.setdefault(scheme, value)
    return table


def _system_proxies() -> dict[str, str]:
    table = dict(urllib.request.getproxies())  # env first, then the registry / SystemConfiguration
    for name in _environment_proxies(os.environ):
        table.pop(name, None)
    return table


def _system_pac():  # noqa: ANN202 - pypac.parser.PACFile | None, imported lazily
    """The PAC file the OS names (Windows also looks for WPAD, as its "detect" default)."""
    from pypac import get_pac
    from pypac.parser import MalformedPacError

    try:
        return get_pac(from_os_settings=True, from_dns=sys.platform == "win32", timeout=2)
    except (MalformedPacError, OSError, ValueError) as exc:
        log.warning("ignoring the system's PAC file: %s", type(exc).__name__)
        return None


@functools.lru_cache(maxsize=4)
def _pac_from_url(pac_url: str):  # noqa: ANN202 - pypac.parser.PACFile
    """Download and parse a PAC file once per process (pypac; JavaScript in dukpy)."""
    from pypac import get_pac
    from pypac.parser import MalformedPacError

    try:
        pac = get_pac(
            url=pac_url, timeout=PAC_TIMEOUT_SECONDS, allowed_content_types=PAC_CONTENT_TYPES
        )
    except MalformedPacError as exc:
        raise ProxyError(f"the PAC file {pac_url} does not run: {exc}") from exc
    except Exception as exc:  # requests' errors beyond connect/timeout (bad URL, TLS)
        raise ProxyError(f"the PAC file {pac_url} could not be fetched: {exc}") from exc
    if pac is None:
        raise ProxyError(f"the PAC file {pac_url} could not be fetched")
    return pac


def _from_pac(pac: object, target: str) -> str | None:
    """The first usable entry of ``FindProxyForURL`` (None for DIRECT)."""
    from pypac.parser import parse_pac_value

    host = urlsplit(target).hostname or ""
    try:
        value = pac.find_proxy_for_url(target, host)  # type: ignore[attr-defined]
    except Exception as exc:  # the script itself failed (dukpy raises its own errors)
        raise ProxyError(f"the PAC file failed for {host}: {exc}") from exc
    for entry in parse_pac_value(value or "DIRECT"):
        if entry == "DIRECT":
            return None
        if entry.startswith(("http://", "https://")):
            return entry
    raise ProxyError(f"the PAC file chose no proxy this program can use for {host}: {value}")


def strip_credentials(url: str | None) -> str | None:
    """``url`` without any ``user:password@`` part."""
    if not url:
        return url
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def credentials_in(url: str | None) -> ProxyCredentials | None:
    """The sign-in written into a proxy URL (``http://user:pass@host``), if any."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.username:
        return None
    return ProxyCredentials(unquote(parts.username), unquote(parts.password or ""))
