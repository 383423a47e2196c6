"""The start-up check that the relay's API key holds every scope the relay needs."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import httpx

log = logging.getLogger("app.relay")

REQUIRED_SCOPES = ("machines:read", "machines:write", "licenses:read")


class RelayStartupError(Exception):
    """The relay must not start: its API key is rejected or lacks a scope it needs."""


@dataclass(frozen=True)
class ScopeProbe:
    """A harmless request that only a key with `scope` gets past (`ok` statuses)."""

    scope: str
    method: str
    path: str
    ok: tuple[int, ...]


def probes() -> list[ScopeProbe]:
    """Read a page of one machine; look up and delete ids that cannot exist (so 404 = allowed)."""
    ghost = str(uuid.uuid4())
    return [
        ScopeProbe("machines:read", "GET", "/api/v1/machines?limit=1", (200,)),
        ScopeProbe("licenses:read", "GET", f"/api/v1/licenses/{ghost}", (200, 404)),
        ScopeProbe("machines:write", "DELETE", f"/api/v1/machines/{ghost}", (204, 200, 404)),
    ]


def check_scopes(upstream: str, api_key: str, *, timeout: float = 10.0) -> int:
    """Raise RelayStartupError naming the first missing scope; warn (only) when unreachable.

    Returns how many API-key calls it sent (they count against the upstream's rate limit).
    """
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    sent = 0
    with httpx.Client(base_url=upstream.rstrip("/"), headers=headers, timeout=timeout) as http:
        for probe in probes():
            sent += 1
            try:
                status = http.request(probe.method, probe.path).status_code
            except httpx.HTTPError as err:
                log.warning(
                    "upstream %s unreachable at start-up (%s); starting anyway, scopes unchecked",
                    upstream, type(err).__name__,
                )  # fmt: skip
                return sent
            _judge(probe, status, upstream)
    return sent


def _judge(probe: ScopeProbe, status: int, upstream: str) -> None:
    if status == 401:
        raise RelayStartupError(f"The upstream {upstream} rejected the relay's API key (401)")
    if status == 403:
        raise RelayStartupError(
            f"The relay's API key lacks the scope {probe.scope} "
            f"(needs {', '.join(REQUIRED_SCOPES)})"
        )
    if status not in probe.ok:
        log.warning("scope check for %s got HTTP %d; starting anyway", probe.scope, status)
