"""The relay's tunable numbers: customer limits, upstream budgets, cache ages, server limits."""

from __future__ import annotations

from dataclasses import dataclass

MAX_CACHE_SECONDS = 60.0  # issue 11: a by-key answer is never trusted for longer


@dataclass(frozen=True)
class RelayLimits:
    """Requests per window; sizes in bytes; times in seconds.

    The customer limits (`per_ip`, `per_license`) sit well under the upstream budget, so one
    caller cannot spend what every customer shares. `failed_auth_cost` is what an unknown key
    costs the calling address (a success costs 1).
    """

    per_license: int = 30
    per_ip: int = 60
    failed_auth_cost: int = 10
    window_seconds: int = 60
    # Upstream budgets per Licentric rate tier (documented: 120/min per API key, 10/min
    # activations per IP); never more than this is sent, whatever the callers do.
    bearer_budget: int = 120
    activation_budget: int = 10
    budget_window_seconds: int = 60
    cache_seconds: float = MAX_CACHE_SECONDS  # a known key's license, for authentication
    devices_fresh_seconds: float = 5.0  # a device list is answered from an answer this young
    unknown_key_cache_seconds: float = 15.0
    max_body_bytes: int = 64 * 1024
    upstream_timeout: float = 10.0
    # Server limits (uvicorn has no header or body read timeout: receive_timeout is ours).
    limit_concurrency: int = 1024
    keep_alive_seconds: float = 5.0
    receive_timeout: float = 10.0
    # The vendor's key case (as the wizard's key_case): "upper" sends a key typed on the
    # offline page in upper case; "as-typed" keeps it (keys are case-sensitive).
    key_case: str = "as-typed"

    def __post_init__(self) -> None:
        if self.key_case not in ("as-typed", "upper"):
            raise ValueError("key_case must be 'as-typed' or 'upper'")
        if not 0 < self.cache_seconds <= MAX_CACHE_SECONDS:
            raise ValueError(f"cache_seconds must be in (0, {MAX_CACHE_SECONDS:g}]")
        if min(self.per_license, self.per_ip, self.bearer_budget, self.activation_budget) < 1:
            raise ValueError("limits and budgets must be at least 1")
