"""The relay's Prometheus metrics (`/metrics`): requests, upstream calls, cache and limits."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest


class RelayMetrics:
    """Counters in a registry of their own, so several relays in one process stay apart."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._requests = Counter(
            "relay_requests", "Requests answered, by route and status",
            ["route", "status"], registry=self.registry,
        )  # fmt: skip
        self._upstream = Counter(
            "relay_upstream_calls", "Calls sent to the license server, by rate tier",
            ["tier"], registry=self.registry,
        )  # fmt: skip
        self._cache = Counter(
            "relay_cache_lookups", "License cache lookups, by result (hit, miss)",
            ["result"], registry=self.registry,
        )  # fmt: skip
        self._limited = Counter(
            "relay_limited_requests", "Requests refused with 429, by reason "
            "(address, license, budget)", ["reason"], registry=self.registry,
        )  # fmt: skip
        self._budget = Counter(
            "relay_budget_refusals", "Upstream calls not sent because the tier's budget was "
            "used", ["tier"], registry=self.registry,
        )  # fmt: skip

    def request(self, route: str, status: int) -> None:
        self._requests.labels(route, str(status)).inc()

    def upstream_call(self, tier: str, calls: int = 1) -> None:
        self._upstream.labels(tier).inc(calls)

    def cache(self, hit: bool) -> None:
        self._cache.labels("hit" if hit else "miss").inc()

    def limited(self, reason: str) -> None:
        self._limited.labels(reason).inc()

    def budget_refused(self, tier: str) -> None:
        self._budget.labels(tier).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
