"""Who is calling: the `License <key>` header checked with the upstream's by-key lookup.

`GET /licenses/by-key/{key}` is not a validation (no use is counted, no shared validation
quota is spent). Its answer is cached per key for at most `cache_seconds` (unknown keys for
`unknown_key_cache_seconds`), and concurrent lookups of one key in this process share one call.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

from app.relay.envelope import RelayError
from app.relay.keys import license_key_from, mask_key
from app.relay.metrics import RelayMetrics
from app.relay.owner import OwnerLicense
from app.relay.quota import Quotas
from app.relay.settings import RelayLimits
from app.relay.shared import CachedAnswer, LicenseCache
from app.relay.upstream import UpstreamClient

log = logging.getLogger("app.relay")


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: the license they proved they hold, as the relay last saw it."""

    key: str
    bucket: str  # HMAC of the key: what limits and caches are keyed by
    license: OwnerLicense
    rate_headers: dict[str, str]

    @property
    def masked_key(self) -> str:
        return mask_key(self.key)


class Authenticator:
    """Turns an Authorization header into a Caller, spending as few upstream calls as it can."""

    def __init__(
        self,
        upstream: UpstreamClient,
        cache: LicenseCache,
        quotas: Quotas,
        metrics: RelayMetrics,
        limits: RelayLimits,
        api_key: str,
    ) -> None:
        self._upstream = upstream
        self._cache = cache
        self._quotas = quotas
        self._metrics = metrics
        self._limits = limits
        # Derived from the API key, so every replica holding it computes the same buckets,
        # and nothing stored (in memory or Redis) can be turned back into a license key.
        self._secret = hashlib.sha256(b"activation-relay/buckets\0" + api_key.encode()).digest()
        self._inflight: dict[str, asyncio.Task[CachedAnswer]] = {}

    def bucket(self, key: str) -> str:
        return hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def check_header(authorization: str | None) -> None:
        """401 for a missing or malformed header, with no lookup."""
        license_key_from(authorization)

    async def caller(
        self, authorization: str | None, address: str, *, max_age: float | None = None
    ) -> Caller:
        """The caller, from an answer at most `max_age` seconds old (default: any cached).

        401 for a missing, malformed or unknown key (an unknown key weighs more against the
        address), 403 for a revoked or banned license, 429 past the per-license limit.
        """
        key = license_key_from(authorization)
        bucket = self.bucket(key)
        rate_headers = await self._quotas.license(bucket)
        answer = await self._answer(key, bucket, max_age)
        if answer.license is None:
            await self._quotas.failed_authentication(address)
            log.info("unknown license key %s from %s", mask_key(key), address)
            raise RelayError(
                401, "UNAUTHORIZED", "Unknown license key", headers={"WWW-Authenticate": "License"}
            )
        answer.license.refuse_if_finished()
        return Caller(key, bucket, answer.license, rate_headers)

    async def refreshed(self, caller: Caller, max_age: float) -> Caller:
        """The same caller from an answer at most `max_age` seconds old."""
        answer = await self._answer(caller.key, caller.bucket, max_age)
        if answer.license is None:
            raise RelayError(401, "UNAUTHORIZED", "Unknown license key")
        answer.license.refuse_if_finished()
        return Caller(caller.key, caller.bucket, answer.license, caller.rate_headers)

    async def forget(self, caller: Caller) -> None:
        """Drop the cached answer (after a change through the relay): the next read refetches."""
        await self._cache.drop(caller.bucket)

    async def _answer(self, key: str, bucket: str, max_age: float | None) -> CachedAnswer:
        cached = await self._cache.get(bucket)
        fresh_enough = cached is not None and (
            cached.license is None or max_age is None or cached.age() <= max_age
        )
        self._metrics.cache(hit=fresh_enough)
        if cached is not None and fresh_enough:
            return cached
        task = self._inflight.get(bucket)
        if task is None:
            task = asyncio.ensure_future(self._lookup(key, bucket))
            self._inflight[bucket] = task
            task.add_done_callback(lambda _done: self._inflight.pop(bucket, None))
        return await asyncio.shield(task)

    async def _lookup(self, key: str, bucket: str) -> CachedAnswer:
        data = await self._upstream.license_by_key(key)
        owner = OwnerLicense.from_upstream(data) if data is not None else None
        answer = CachedAnswer(owner, time.time())
        ttl = self._limits.cache_seconds if owner else self._limits.unknown_key_cache_seconds
        await self._cache.put(bucket, answer, ttl)
        return answer
