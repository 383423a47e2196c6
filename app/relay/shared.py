"""Where the relay keeps its caches, limits and budget: this process, or Redis for many.

In-process state is right for one worker. With `--redis-url` every worker and replica reads
and writes the same cache entries and moving windows, so limits and the upstream budget hold
for the deployment as a whole.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import redis
import redis.asyncio as aioredis
from limits.aio.storage import MemoryStorage, RedisStorage, Storage

from app.relay.owner import OwnerLicense
from app.relay.scopes import RelayStartupError

_PREFIX = "activation-relay"
_MAX_ENTRIES = 50_000  # in-process cache bound; expired entries go first


@dataclass(frozen=True)
class CachedAnswer:
    """One by-key answer: the license, or None when the upstream did not know the key."""

    license: OwnerLicense | None
    fetched_at: float

    def age(self) -> float:
        return time.time() - self.fetched_at


class LicenseCache(Protocol):
    """Answers per key bucket (an HMAC of the key: the cache never holds a key)."""

    async def get(self, bucket: str) -> CachedAnswer | None: ...

    async def put(self, bucket: str, answer: CachedAnswer, ttl: float) -> None: ...

    async def drop(self, bucket: str) -> None: ...


class MemoryLicenseCache:
    """The in-process cache: a dict with expiry times, bounded in size."""

    def __init__(self, max_entries: int = _MAX_ENTRIES) -> None:
        self._entries: dict[str, tuple[float, CachedAnswer]] = {}
        self._max = max_entries

    async def get(self, bucket: str) -> CachedAnswer | None:
        entry = self._entries.get(bucket)
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    async def put(self, bucket: str, answer: CachedAnswer, ttl: float) -> None:
        if len(self._entries) >= self._max:
            self._evict()
        self._entries[bucket] = (time.monotonic() + ttl, answer)

    async def drop(self, bucket: str) -> None:
        self._entries.pop(bucket, None)

    def _evict(self) -> None:
        now = time.monotonic()
        self._entries = {b: e for b, e in self._entries.items() if e[0] > now}
        while len(self._entries) >= self._max:  # all fresh: drop the oldest inserted
            self._entries.pop(next(iter(self._entries)))


class RedisLicenseCache:
    """The shared cache: one JSON value per bucket with a Redis expiry."""

    def __init__(self, client: aioredis.Redis) -> None:
        self._redis = client

    async def get(self, bucket: str) -> CachedAnswer | None:
        raw = await self._redis.get(self._key(bucket))
        if raw is None:
            return None
        data = json.loads(raw)
        license_ = data.get("license")
        owner = OwnerLicense.from_json(license_) if isinstance(license_, dict) else None
        return CachedAnswer(owner, float(data["fetchedAt"]))

    async def put(self, bucket: str, answer: CachedAnswer, ttl: float) -> None:
        owner = answer.license.to_json() if answer.license is not None else None
        value = json.dumps({"license": owner, "fetchedAt": answer.fetched_at})
        await self._redis.set(self._key(bucket), value, px=max(1, int(ttl * 1000)))

    async def drop(self, bucket: str) -> None:
        await self._redis.delete(self._key(bucket))

    @staticmethod
    def _key(bucket: str) -> str:
        return f"{_PREFIX}:license:{bucket}"


class SharedState:
    """The storage behind the moving windows (the `limits` package) and the license cache."""

    def __init__(
        self, storage: Storage, cache: LicenseCache, client: aioredis.Redis | None = None
    ) -> None:
        self.storage = storage
        self.cache = cache
        self._client = client

    @property
    def shared(self) -> bool:
        return self._client is not None

    @classmethod
    def in_process(cls) -> SharedState:
        return cls(MemoryStorage(), MemoryLicenseCache())

    @classmethod
    def redis(cls, url: str) -> SharedState:
        """State in the Redis at `url` (`redis://host:port/db`, `rediss://` or `unix://`)."""
        client = aioredis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        storage = RedisStorage(
            _limits_uri(url), implementation="redispy", key_prefix=_PREFIX + ":limits"
        )
        return cls(storage, RedisLicenseCache(client), client)

    async def check(self) -> None:
        """Raises (a redis error) when the shared store cannot be reached."""
        if self._client is not None:
            await self._client.ping()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def _limits_uri(url: str) -> str:
    """The `limits` package's spelling of a redis-py URL (`async+redis://`, ...)."""
    if url.startswith("unix://"):
        return "async+redis+" + url
    return "async+" + url


def check_redis(url: str) -> None:
    """RelayStartupError (naming the host, never a password) when Redis does not answer."""
    try:
        with redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5) as client:
            client.ping()
    except (redis.RedisError, ValueError) as err:
        where = urlsplit(url)
        place = f"{where.hostname}:{where.port or 6379}" if where.hostname else where.path
        raise RelayStartupError(f"Cannot reach Redis at {place} ({type(err).__name__})") from err
