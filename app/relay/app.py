"""The relay's Starlette application: routing, per-IP limits, the error envelope, access log."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.relay import handlers
from app.relay.envelope import RelayError, error_response, json_response, new_request_id
from app.relay.handlers import RelayState
from app.relay.limits import RelayLimits
from app.relay.upstream import UpstreamClient

log = logging.getLogger("app.relay")

Endpoint = Callable[[Request, RelayState], Awaitable[Response]]


def build_app(
    upstream: str,
    api_key: str,
    limits: RelayLimits | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Starlette:
    """A relay app for `upstream` (a Licentric origin) holding the Bearer `api_key`."""
    limits = limits or RelayLimits()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        client = UpstreamClient(
            upstream, api_key, timeout=limits.upstream_timeout, transport=transport
        )
        app.state.relay = RelayState(client, limits)
        try:
            yield
        finally:
            await client.aclose()

    routes = [
        Route("/healthz", _health, methods=["GET"]),
        Route("/v1/devices", _guarded(_devices), methods=["GET"]),
        Route("/v1/devices/{machine_id}", _guarded(_deactivate), methods=["DELETE"]),
        Route("/v1/offline-checkout", _guarded(_checkout), methods=["POST"]),
    ]
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _crash},
    )


def _guarded(endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    """Wraps an endpoint: per-IP limit first, every RelayError answered in the envelope."""

    async def run(request: Request) -> Response:
        request_id = new_request_id()
        state: RelayState = request.app.state.relay
        ip = request.client.host if request.client else "unknown"
        try:
            state.per_ip.hit(ip)
            response = await endpoint(request, state)
            response.headers["X-Request-Id"] = request_id
        except RelayError as err:
            response = error_response(err, request_id)
        log.info("%s %s -> %d ip=%s id=%s", request.method, request.url.path,
                 response.status_code, ip, request_id)  # fmt: skip
        return response

    return run


async def _devices(request: Request, state: RelayState) -> Response:
    caller = await handlers.authenticate(request, state)
    return await handlers.list_devices(request, state, caller)


async def _deactivate(request: Request, state: RelayState) -> Response:
    caller = await handlers.authenticate(request, state)
    return await handlers.deactivate_device(request, state, caller)


async def _checkout(request: Request, state: RelayState) -> Response:
    # Cheap refusals (size, JSON, fields) come before the upstream is asked anything.
    body = handlers.checkout_body(await handlers.read_json(request, state.limits.max_body_bytes))
    caller = await handlers.authenticate(request, state)
    return await handlers.offline_checkout(request, state, caller, body)


async def _health(request: Request) -> Response:
    return json_response({"data": {"status": "ok"}})


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
    error = RelayError(status, codes.get(status, "BAD_REQUEST"), _phrase(status))
    return error_response(error, new_request_id())


async def _crash(request: Request, exc: Exception) -> Response:
    request_id = new_request_id()
    log.error("unexpected %s on %s (id=%s)", type(exc).__name__, request.url.path, request_id)
    error = RelayError(500, "INTERNAL_ERROR", "The relay failed unexpectedly")
    return error_response(error, request_id)


def _phrase(status: int) -> str:
    return {404: "Not found", 405: "Method not allowed"}.get(status, "Bad request")
