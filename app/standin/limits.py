"""Fixed-window rate limits per tier (spec §11), configurable for tests."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

TIERS = ("VALIDATION", "ACTIVATION", "MANAGEMENT")
DOCUMENTED_LIMITS = {"VALIDATION": 60, "ACTIVATION": 10, "MANAGEMENT": 120}
RELAXED_LIMITS = {"VALIDATION": 1_000_000, "ACTIVATION": 1_000_000, "MANAGEMENT": 1_000_000}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # Unix seconds when the window ends
    retry_after: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"x-ratelimit-limit", str(self.limit).encode()),
            (b"x-ratelimit-remaining", str(self.remaining).encode()),
            (b"x-ratelimit-reset", str(self.reset).encode()),
        ]


class RateLimiter:
    """Counts hits per (tier, bucket) in fixed windows aligned to the epoch."""

    def __init__(self, limits: dict[str, int] | None = None, window: float = 60.0) -> None:
        self.limits = {**DOCUMENTED_LIMITS, **(limits or {})}
        self.window = window
        self._counts: dict[tuple[str, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def configure(self, limits: dict[str, int] | None = None, window: float | None = None) -> None:
        with self._lock:
            if limits:
                self.limits.update(limits)
            if window is not None:
                self.window = window
            self._counts.clear()

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def hit(self, tier: str, bucket: str) -> Verdict:
        now = time.time()
        with self._lock:
            start = math.floor(now / self.window) * self.window
            key = (tier, bucket)
            seen_start, count = self._counts.get(key, (start, 0))
            count = count + 1 if seen_start == start else 1
            self._counts[key] = (start, count)
            limit = self.limits[tier]
            end = start + self.window
        return Verdict(
            allowed=count <= limit,
            limit=limit,
            remaining=max(0, limit - count),
            reset=math.ceil(end),
            retry_after=max(1, math.ceil(end - now)),
        )


def classify(method: str, path: str) -> str:
    """Tier of an /api/v1 request."""
    if method == "POST" and path == "/api/v1/licenses/validate-key":
        return "VALIDATION"
    if method == "POST" and path.rstrip("/") == "/api/v1/machines":
        return "ACTIVATION"
    return "MANAGEMENT"
