"""Injected faults for the stand-in's routes (POST /_standin/faults)."""

from __future__ import annotations

import fnmatch
import itertools
import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from .wire import ApiError

KINDS = (
    "latency",
    "status",
    "malformed",
    "truncated",
    "html",
    "drop",
    "rate_limit",
    "clock_offset",
)
TERMINAL = ("status", "malformed", "truncated", "html", "drop", "rate_limit")
ROUTE_NAMES = (
    "validate-key",
    "activate",
    "deactivate",
    "heartbeat",
    "list-machines",
    "get-machine",
    "get-license",
    "license-by-key",
    "checkout",
    "admin",
    "*",
)

_MACHINE = re.compile(r"^/api/v1/machines/[^/]+$")
_HEARTBEAT = re.compile(r"^/api/v1/machines/[^/]+/heartbeat$")
_CHECKOUT = re.compile(r"^/api/v1/licenses/[^/]+/checkout$")
_LICENSE = re.compile(r"^/api/v1/licenses/[^/]+$")


def route_name(method: str, path: str) -> str:
    """Name of a Licentric route, as used in fault specs."""
    path = path.rstrip("/") or "/"
    if path == "/api/v1/licenses/validate-key":
        return "validate-key"
    if path == "/api/v1/machines":
        return "activate" if method == "POST" else "list-machines"
    if _HEARTBEAT.match(path):
        return "heartbeat"
    if _MACHINE.match(path):
        return "deactivate" if method == "DELETE" else "get-machine"
    if path.startswith("/api/v1/licenses/by-key/"):
        return "license-by-key"
    if _CHECKOUT.match(path):
        return "checkout"
    if _LICENSE.match(path) and method == "GET":
        return "get-license"
    return "admin"


@dataclass
class Fault:
    """One fault. `count` None means until reset; `after` means the server does the work first.

    Parameters by kind: latency `ms`; status `status` (+ optional `code`, `message`, `body`,
    `retryAfter`); malformed `status`; truncated `incomplete` (declare the full length and
    cut the connection); html `status`; drop `after`; rate_limit `retryAfter`;
    clock_offset `seconds` (added to the Date header and X-Signature-Timestamp).
    """

    id: int
    route: str
    kind: str
    count: int | None = 1
    method: str | None = None
    after: bool = False
    ms: float = 0
    status: int | None = None
    code: str | None = None
    message: str | None = None
    body: Any = None
    retryAfter: int = 1  # noqa: N815 - wire name
    seconds: float = 0
    incomplete: bool = False
    hits: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def matches(self, method: str, path: str, name: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        if self.route == "*":
            return True
        if self.route.startswith("/"):
            return fnmatch.fnmatchcase(path, self.route)
        return self.route == name


class FaultBook:
    """Thread-safe list of active faults; matching consumes counts."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, spec: dict[str, Any]) -> Fault:
        spec = dict(spec)
        kind = spec.pop("kind", None)
        route = spec.pop("route", "*")
        if kind not in KINDS:
            raise ApiError(400, "VALIDATION_ERROR", f"kind must be one of {', '.join(KINDS)}")
        if not isinstance(route, str) or not (route.startswith("/") or route in ROUTE_NAMES):
            raise ApiError(
                400, "VALIDATION_ERROR", f"route must be a path or one of {', '.join(ROUTE_NAMES)}"
            )
        # Shorthand: a single `value` fills the kind's main parameter.
        if "value" in spec:
            main = {
                "latency": "ms",
                "status": "status",
                "clock_offset": "seconds",
                "rate_limit": "retryAfter",
            }.get(kind)
            value = spec.pop("value")
            if main:
                spec[main] = value
        known = set(Fault.__dataclass_fields__) - {"id", "route", "kind", "hits", "extra"}
        unknown = set(spec) - known
        if unknown:
            raise ApiError(400, "VALIDATION_ERROR", f"unknown fault fields: {sorted(unknown)}")
        if kind == "status" and not isinstance(spec.get("status"), int):
            raise ApiError(400, "VALIDATION_ERROR", "status faults need an integer `status`")
        fault = Fault(id=next(self._ids), route=route, kind=kind, **spec)
        if fault.count is not None and fault.count < 1:
            raise ApiError(400, "VALIDATION_ERROR", "count must be >= 1 or null")
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def take(self, method: str, path: str) -> list[Fault]:
        """Faults that apply to this request; each use counts down its `count`."""
        if not self._faults:
            return []
        name = route_name(method, path)
        with self._lock:
            hit = [f for f in self._faults if f.matches(method, path, name)]
            for f in hit:
                f.hits += 1
                if f.count is not None:
                    f.count -= 1
            self._faults = [f for f in self._faults if f.count is None or f.count > 0]
        return hit
