"""The stand-in's request log: what reached it, for tests that must show a call never happened.

Outermost ASGI layer: every `/api/` request is recorded as received (before faults and rate
limits), with license keys in by-key paths masked. `GET /_standin/requests` lists the log,
`DELETE` clears it; a stand-in reset clears it too.
"""

from __future__ import annotations

import collections
import threading
import time
from typing import Any

from .wire import dumps

_MAX_ENTRIES = 10_000
_BY_KEY = "/licenses/by-key/"


class RequestLog:
    """A bounded, thread-safe list of received requests."""

    def __init__(self) -> None:
        self._entries: collections.deque[dict[str, Any]] = collections.deque(maxlen=_MAX_ENTRIES)
        self._lock = threading.Lock()

    def record(self, method: str, path: str, query: str) -> None:
        entry = {"method": method, "path": _masked(path), "query": query, "at": time.time()}
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class RequestLogMiddleware:
    """Records `/api/` requests and serves `/_standin/requests`."""

    def __init__(self, app: Any, log: RequestLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == "/_standin/requests":
            await self._serve(scope["method"], send)
            return
        if scope["path"].startswith("/api/"):
            raw = scope.get("raw_path") or scope["path"].encode()
            query = scope.get("query_string", b"").decode("latin-1")
            self.log.record(scope["method"], raw.decode("latin-1"), query)
        await self.app(scope, receive, send)

    async def _serve(self, method: str, send: Any) -> None:
        if method == "DELETE":
            self.log.clear()
        status = 200 if method in ("GET", "DELETE") else 405
        answer = {"data": self.log.entries()} if status == 200 else {"code": "METHOD_NOT_ALLOWED"}
        body = dumps(answer)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _masked(path: str) -> str:
    head, found, key = path.partition(_BY_KEY)
    if not found:
        return path
    return f"{head}{_BY_KEY}{key[:4]}…{key[-4:]}" if len(key) > 8 else f"{head}{_BY_KEY}…"
