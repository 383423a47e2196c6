"""Request and response plumbing shared by the stand-in's handlers: JSON in, envelopes out."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from .schema import MAX_BODY_BYTES, issue, parse_json_body, validation_error
from .wire import ApiError, dumps, error_body, new_request_id

if TYPE_CHECKING:
    from .state import StandinState

log = logging.getLogger("app.standin")
Endpoint = Callable[[Request], Awaitable[Response]]


def state_of(request: Request) -> StandinState:
    """The stand-in instance serving this request (set by build_app)."""
    return request.app.state.standin


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(payload), status, headers=headers, media_type="application/json")


def error_response(err: ApiError) -> Response:
    rid = new_request_id()
    return json_response(
        error_body(err, rid), err.status, headers={"X-Request-Id": rid, **err.headers}
    )


def api(fn: Endpoint) -> Endpoint:
    """Turn ApiError into the envelope and anything unexpected into a 500 envelope."""

    @functools.wraps(fn)
    async def wrapper(request: Request) -> Response:
        try:
            return await fn(request)
        except ApiError as err:
            return error_response(err)
        except Exception:
            log.exception("stand-in handler failed")
            return error_response(ApiError(500, "INTERNAL_ERROR", "Internal server error"))

    return wrapper


def _too_big() -> ApiError:
    return validation_error(
        [
            issue(
                [],
                f"Request body exceeds {MAX_BODY_BYTES} bytes",
                "too_big",
                maximum=MAX_BODY_BYTES,
            )
        ]
    )


async def read_json(request: Request, *, required: bool = True) -> dict[str, Any]:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise _too_big()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_big()
        chunks.append(chunk)
    return parse_json_body(b"".join(chunks), required=required)


def page_args(request: Request) -> tuple[str | None, int]:
    q = request.query_params
    raw = q.get("limit", "25")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise validation_error(
            [
                issue(
                    ["limit"],
                    "Limit must be an integer from 1 to 100",
                    "invalid_type" if not raw.isdigit() else "too_big",
                )
            ]
        )
    return q.get("cursor") or None, int(raw)


def page(items: list[dict[str, Any]], next_cursor: str | None) -> Response:
    return json_response(
        {
            "data": items,
            "pagination": {"nextCursor": next_cursor, "hasMore": next_cursor is not None},
        }
    )


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405/500 in the Licentric envelope."""
    status = getattr(exc, "status_code", 500)
    code, message = {
        404: ("NOT_FOUND", "Not found"),
        405: ("METHOD_NOT_ALLOWED", "Method not allowed"),
    }.get(status, ("INTERNAL_ERROR", "Internal server error"))
    return error_response(ApiError(status, code, message))
