"""Outermost ASGI layer: Date header, injected faults, rate limits and their headers."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from .faults import TERMINAL, Fault, FaultBook
from .limits import RateLimiter, classify
from .wire import dumps, http_date, new_request_id

Scope = dict[str, Any]
Headers = list[tuple[bytes, bytes]]

CAPTIVE_PORTAL = (
    b"<!DOCTYPE html><html><head><title>Sign in to Wi-Fi</title></head>"
    b"<body><h1>Welcome to Hotel Guest Wi-Fi</h1><p>Please accept the terms "
    b"of use to continue.</p><form method='post'><button>Connect</button>"
    b"</form></body></html>"
)
MALFORMED = b'{"data": {"valid": tru, <<not json>>'


class DroppedConnection(Exception):  # noqa: N818 - it is a signal, not an error
    """Raised when the server is not uvicorn and the transport cannot be aborted directly."""


def abort_connection(receive: Any) -> None:
    """Close the TCP connection with no (further) bytes: the client sees a transport error.

    uvicorn's `receive` is a bound method of its request cycle, which holds the transport.
    Marking the cycle disconnected stops uvicorn from writing a 500 afterwards.
    """
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise DroppedConnection("connection dropped by a stand-in fault")
    cycle.disconnected = True
    transport.abort()


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return v.decode("latin-1")
    return None


class StandinMiddleware:
    """Wraps the Starlette app. Faults sit outside the rate limiter (they model the network)
    unless `after` is set, in which case the request is served and then spoiled."""

    def __init__(self, app: Any, faults: FaultBook, limiter: RateLimiter) -> None:
        self.app = app
        self.faults = faults
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        is_api = path.startswith("/api/")
        faults = self.faults.take(method, path) if is_api else []
        offset = sum(f.seconds for f in faults if f.kind == "clock_offset")
        scope["standin.clock_offset"] = offset
        delay = sum(f.ms for f in faults if f.kind == "latency")
        terminal = next((f for f in faults if f.kind in TERMINAL), None)
        date = http_date(time.time() + offset).encode()

        async def send_dated(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                message = {**message, "headers": [*headers, (b"date", date), *extra]}
            await send(message)

        extra: Headers = []
        if delay:
            await asyncio.sleep(delay / 1000)
        if terminal is not None and not self._after(terminal):
            await self._fault_response(terminal, receive, send_dated, None)
            return
        if is_api and path.startswith("/api/v1/"):
            verdict = self.limiter.hit(*self._bucket(scope, method, path))
            extra.extend(verdict.headers())
            if not verdict.allowed:
                await self._too_many(send_dated, verdict.retry_after, verdict.limit)
                return
        if terminal is None:
            await self.app(scope, receive, send_dated)
            return
        captured: list[dict[str, Any]] = []

        async def capture(message: dict[str, Any]) -> None:
            captured.append(message)

        await self.app(scope, receive, capture)
        await self._fault_response(terminal, receive, send_dated, captured)

    @staticmethod
    def _after(fault: Fault) -> bool:
        return fault.kind == "truncated" or (fault.after and fault.kind != "rate_limit")

    @staticmethod
    def _bucket(scope: Scope, method: str, path: str) -> tuple[str, str]:
        tier = classify(method, path)
        ip = (scope.get("client") or ("unknown", 0))[0]
        if tier != "MANAGEMENT":
            return tier, ip
        auth = _header(scope, b"authorization")
        return tier, ("cred:" + auth.partition(" ")[2].strip()) if auth else "ip:" + ip

    async def _too_many(self, send: Any, retry_after: int, limit: int) -> None:
        body = dumps(
            {
                "error": f"Rate limit exceeded. Retry after {retry_after} seconds.",
                "code": "RATE_LIMITED",
                "details": {"retryAfter": retry_after, "limit": limit},
                "requestId": new_request_id(),
            }
        )
        await _respond(
            send, 429, body, b"application/json", [(b"retry-after", str(retry_after).encode())]
        )

    async def _fault_response(
        self, fault: Fault, receive: Any, send: Any, captured: list[dict[str, Any]] | None
    ) -> None:
        kind = fault.kind
        if kind == "drop":
            abort_connection(receive)
            return
        if kind == "rate_limit":
            headers = [
                (b"x-ratelimit-limit", b"0"),
                (b"x-ratelimit-remaining", b"0"),
                (b"x-ratelimit-reset", str(int(time.time()) + fault.retryAfter).encode()),
            ]
            body = dumps(
                {
                    "error": f"Rate limit exceeded. Retry after {fault.retryAfter} seconds.",
                    "code": "RATE_LIMITED",
                    "details": {"retryAfter": fault.retryAfter},
                    "requestId": new_request_id(),
                }
            )
            await _respond(
                send,
                429,
                body,
                b"application/json",
                [(b"retry-after", str(fault.retryAfter).encode()), *headers],
            )
            return
        if kind == "html":
            await _respond(send, fault.status or 200, CAPTIVE_PORTAL, b"text/html; charset=utf-8")
            return
        if kind == "malformed":
            await _respond(send, fault.status or 200, MALFORMED, b"application/json")
            return
        if kind == "status":
            await self._status_response(fault, send)
            return
        # truncated: the real response, cut in half
        start = next(m for m in captured or [] if m["type"] == "http.response.start")
        full = b"".join(
            m.get("body", b"") for m in captured or [] if m["type"] == "http.response.body"
        )
        cut = full[: len(full) // 2]
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        length = len(full) if fault.incomplete else len(cut)
        await send(
            {
                "type": "http.response.start",
                "status": start["status"],
                "headers": [*headers, (b"content-length", str(length).encode())],
            }
        )
        await send({"type": "http.response.body", "body": cut, "more_body": fault.incomplete})
        if fault.incomplete:
            abort_connection(receive)

    @staticmethod
    async def _status_response(fault: Fault, send: Any) -> None:
        status = fault.status or 500
        extra: Headers = []
        if status == 429:
            extra.append((b"retry-after", str(fault.retryAfter).encode()))
        if fault.body is not None:
            body = fault.body if isinstance(fault.body, str) else None
            raw = body.encode() if body is not None else dumps(fault.body)
            ctype = b"text/plain" if body is not None else b"application/json"
            await _respond(send, status, raw, ctype, extra)
            return
        code = fault.code or _default_code(status)
        raw = dumps(
            {
                "error": fault.message or f"Injected HTTP {status}",
                "code": code,
                "requestId": new_request_id(),
            }
        )
        await _respond(send, status, raw, b"application/json", extra)


def _default_code(status: int) -> str:
    return {
        400: "VALIDATION_ERROR",
        401: "UNAUTHORIZED",
        403: "FORBIDDEN",
        404: "NOT_FOUND",
        409: "CONFLICT",
        422: "BUSINESS_RULE_VIOLATION",
        429: "RATE_LIMITED",
        502: "BAD_GATEWAY",
        503: "SERVICE_UNAVAILABLE",
        504: "GATEWAY_TIMEOUT",
    }.get(status, "INTERNAL_ERROR")


async def _respond(
    send: Any, status: int, body: bytes, ctype: bytes, headers: Headers | None = None
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", ctype),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
