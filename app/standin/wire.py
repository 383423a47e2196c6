"""Wire conventions shared by the stand-in: timestamps, JSON, the error envelope."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any


class ApiError(Exception):
    """An error answered with Licentric's envelope `{error, code, details?, requestId}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


def iso(ts: float | None) -> str | None:
    """Unix seconds -> ISO-8601 UTC with milliseconds and `Z` (None stays None)."""
    if ts is None:
        return None
    dt = datetime.fromtimestamp(ts, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> float:
    """ISO-8601 (with `Z` or an offset; a bare date allowed) -> Unix seconds; ValueError if bad."""
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def http_date(ts: float) -> str:
    return formatdate(ts, usegmt=True)


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def new_request_id() -> str:
    return "req_" + uuid.uuid4().hex


def error_body(err: ApiError, request_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {"error": err.message, "code": err.code}
    if err.details is not None:
        body["details"] = err.details
    body["requestId"] = request_id
    return body
