"""Moving-window limits: what each caller may ask, and what the relay may send upstream."""

from __future__ import annotations

import math
import time
from enum import StrEnum

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter

from app.relay.envelope import RelayError
from app.relay.metrics import RelayMetrics
from app.relay.settings import RelayLimits


class Tier(StrEnum):
    """Licentric's rate tiers as the relay spends them (spec section 11)."""

    BEARER = "bearer"  # every API-key call: 120/min per key
    ACTIVATION = "activation"  # POST /machines: 10/min per IP, shared by all relay callers


class Quotas:
    """Customer limits (per address, per license) and the upstream budget per tier.

    Over `limits`' moving windows, so no 60 s span ever holds more than the configured
    number, in this process or (Redis storage) across every worker and replica.
    """

    def __init__(self, storage: Storage, limits: RelayLimits, metrics: RelayMetrics) -> None:
        self._limiter = MovingWindowRateLimiter(storage)
        self._metrics = metrics
        self._failed_cost = limits.failed_auth_cost
        self._per_ip = _item(limits.per_ip, limits.window_seconds, "address")
        self._per_license = _item(limits.per_license, limits.window_seconds, "license")
        self._budgets = {
            Tier.BEARER: _item(limits.bearer_budget, limits.budget_window_seconds, "budget"),
            Tier.ACTIVATION: _item(
                limits.activation_budget, limits.budget_window_seconds, "budget"
            ),
        }

    async def address(self, address: str) -> None:
        """One request from `address`; 429 once it used up its window."""
        if not await self._limiter.hit(self._per_ip, address):
            raise await self._refusal(self._per_ip, (address,), "address")

    async def failed_authentication(self, address: str) -> None:
        """An unknown key weighs `failed_auth_cost` in all (the request itself counted 1)."""
        stats = await self._limiter.get_window_stats(self._per_ip, address)
        extra = min(self._failed_cost - 1, stats.remaining)
        if extra > 0:
            await self._limiter.hit(self._per_ip, address, cost=extra)

    async def license(self, bucket: str) -> dict[str, str]:
        """One request for the license `bucket`; its X-RateLimit headers, 429 when used up."""
        if not await self._limiter.hit(self._per_license, bucket):
            raise await self._refusal(self._per_license, (bucket,), "license")
        stats = await self._limiter.get_window_stats(self._per_license, bucket)
        return _headers(self._per_license, stats.remaining, stats.reset_time)

    async def upstream(self, tier: Tier) -> None:
        """Spend one upstream call of `tier`; 429 (the relay is busy) when the budget is used."""
        item = self._budgets[tier]
        if not await self._limiter.hit(item, tier.value):
            self._metrics.budget_refused(tier.value)
            raise await self._refusal(item, (tier.value,), "budget", busy=True)
        self._metrics.upstream_call(tier.value)

    async def spent(self, tier: Tier, calls: int) -> None:
        """Calls already sent outside `upstream()` (the start-up scope check) use the budget too."""
        if calls > 0:
            stats = await self._limiter.get_window_stats(self._budgets[tier], tier.value)
            cost = min(calls, stats.remaining)
            if cost > 0:
                await self._limiter.hit(self._budgets[tier], tier.value, cost=cost)
            self._metrics.upstream_call(tier.value, calls)

    async def _refusal(
        self, item: RateLimitItem, ids: tuple[str, ...], reason: str, *, busy: bool = False
    ) -> RelayError:
        self._metrics.limited(reason)
        stats = await self._limiter.get_window_stats(item, *ids)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        message = (
            f"The relay is busy. Retry after {retry_after} seconds."
            if busy
            else f"Rate limit exceeded. Retry after {retry_after} seconds."
        )
        headers = {"Retry-After": str(retry_after)}
        if not busy:
            headers.update(_headers(item, 0, stats.reset_time))
        return RelayError(
            429, "RATE_LIMITED", message,
            details={"retryAfter": retry_after, "limit": item.amount}, headers=headers,
        )  # fmt: skip


def _item(amount: int, window_seconds: int, namespace: str) -> RateLimitItem:
    return RateLimitItemPerSecond(amount, max(1, int(window_seconds)), namespace=namespace)


def _headers(item: RateLimitItem, remaining: int, reset_time: float) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(item.amount),
        "X-RateLimit-Remaining": str(max(remaining, 0)),
        "X-RateLimit-Reset": str(math.ceil(reset_time)),
    }
