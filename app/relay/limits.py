"""The relay's own rate limits: fixed windows per license and per client IP."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.relay.envelope import RelayError


@dataclass(frozen=True)
class RelayLimits:
    """Tunable limits. Requests per window; sizes in bytes; times in seconds."""

    per_license: int = 30
    per_ip: int = 60
    window_seconds: float = 60.0
    max_body_bytes: int = 64 * 1024
    upstream_timeout: float = 10.0
    max_pages: int = 100  # guard against an upstream whose pagination never ends


@dataclass(frozen=True)
class WindowState:
    """One bucket's state after counting a request."""

    limit: int
    remaining: int
    reset_at: float  # Unix seconds when the window ends

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.remaining, 0)),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
        }


class FixedWindowLimiter:
    """Counts hits per bucket in fixed windows aligned to multiples of `window` seconds."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, bucket: str) -> WindowState:
        """Count one request; raises RelayError 429 RATE_LIMITED when over the limit."""
        now = self._clock()
        start = now - (now % self.window)
        with self._lock:
            self._forget_old(start)
            began, count = self._counts.get(bucket, (start, 0))
            count = count + 1 if began == start else 1
            self._counts[bucket] = (start, count)
        state = WindowState(self.limit, self.limit - count, start + self.window)
        if count > self.limit:
            retry_after = max(1, math.ceil(state.reset_at - now))
            raise RelayError(
                429,
                "RATE_LIMITED",
                f"Rate limit exceeded. Retry after {retry_after} seconds.",
                details={"retryAfter": retry_after, "limit": self.limit},
                headers={**state.headers(), "Retry-After": str(retry_after)},
            )
        return state

    def _forget_old(self, start: float) -> None:
        # Only past windows are dropped, so memory is bounded by one window's callers.
        if len(self._counts) > 1024:
            self._counts = {b: v for b, v in self._counts.items() if v[0] == start}
