"""The relay's wire conventions: Licentric's error envelope, request ids and JSON answers."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.responses import Response


class RelayError(Exception):
    """An answer in Licentric's error envelope: `{error, code, details?, requestId}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = dict(headers or {})


def new_request_id() -> str:
    return "relay_" + uuid.uuid4().hex


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Response(payload, status_code=status, headers=headers, media_type="application/json")


def error_response(error: RelayError, request_id: str) -> Response:
    body: dict[str, Any] = {"error": error.message, "code": error.code}
    if error.details is not None:
        body["details"] = error.details
    body["requestId"] = request_id
    headers = {**error.headers, "X-Request-Id": request_id}
    return json_response(body, error.status, headers)
