"""The relay's Starlette application: routing, the caller's address and limits, the error
envelope, metrics and the access log."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager

import httpx
from redis.exceptions import RedisError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from app.relay import handlers, offline_page
from app.relay.auth import Authenticator
from app.relay.envelope import RelayError, error_response, json_response, new_request_id
from app.relay.handlers import RelayContext
from app.relay.metrics import RelayMetrics
from app.relay.offline_signing import OfflineSigner
from app.relay.peers import ClientAddresses
from app.relay.quota import Quotas, Tier
from app.relay.settings import RelayLimits
from app.relay.shared import SharedState
from app.relay.upstream import UpstreamClient

log = logging.getLogger("app.relay")

Endpoint = Callable[[Request, RelayContext, str], Awaitable[Response]]


def build_app(
    upstream: str,
    api_key: str,
    limits: RelayLimits | None = None,
    *,
    trusted_proxies: Iterable[str] = (),
    redis_url: str | None = None,
    offline_signer: OfflineSigner | None = None,
    startup_calls: int = 0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Starlette:
    """A relay app for `upstream` (a Licentric origin) holding the Bearer `api_key`.

    State (caches, limits, budget) lives in this process unless `redis_url` names a Redis
    that every worker and replica shares. `startup_calls` (the scope check's) use the budget.
    """
    limits = limits or RelayLimits()
    addresses = ClientAddresses(trusted_proxies)
    metrics = RelayMetrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        shared = SharedState.redis(redis_url) if redis_url else SharedState.in_process()
        await shared.check()
        quotas = Quotas(shared.storage, limits, metrics)
        await quotas.spent(Tier.BEARER, startup_calls)
        client = UpstreamClient(
            upstream, api_key, quotas, timeout=limits.upstream_timeout, transport=transport
        )
        auth = Authenticator(client, shared.cache, quotas, metrics, limits, api_key)
        app.state.relay = RelayContext(
            limits, shared, metrics, quotas, client, auth, addresses, offline_signer
        )
        try:
            yield
        finally:
            await client.aclose()
            await shared.aclose()

    routes = [
        Route("/healthz", _health, methods=["GET"]),
        Route("/metrics", _metrics, methods=["GET"]),
        Route("/v1/license", _guarded(handlers.license_view, "license"), methods=["GET"]),
        Route("/v1/devices", _guarded(handlers.list_devices, "devices"), methods=["GET"]),
        Route(
            "/v1/devices/{machine_id}",
            _guarded(handlers.deactivate_device, "deactivate"),
            methods=["DELETE"],
        ),
        Route(
            "/v1/offline-activation",
            _guarded(offline_page.offline_activation, "offline-activation"),
            methods=["POST"],
        ),
        Route("/offline", offline_page.page, methods=["GET"]),
        Route(
            "/offline",
            _guarded(offline_page.form_post, "offline-form", count_address=False),
            methods=["POST"],
        ),
        Route("/offline/{name}", offline_page.asset, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _crash},
    )


def _guarded(
    endpoint: Endpoint, route: str, *, count_address: bool = True
) -> Callable[[Request], Awaitable[Response]]:
    """Wraps an endpoint: the address limit first, every failure answered in the envelope.

    `count_address=False`: the endpoint counts the address itself (to answer in its own form).
    """

    async def run(request: Request) -> Response:
        request_id = new_request_id()
        ctx: RelayContext = request.app.state.relay
        peer = request.client.host if request.client else None
        address = ctx.addresses.of(peer, request.headers.getlist("x-forwarded-for"))
        try:
            if count_address:
                await ctx.quotas.address(address)
            response = await endpoint(request, ctx, address)
        except RelayError as err:
            response = error_response(err, request_id)
        except ClientDisconnect:
            # The caller went away mid-request: nothing to answer, nothing wrong here.
            log.debug("client %s disconnected during %s %s", address, request.method, route)
            response = Response(status_code=400)
        except RedisError as err:
            log.warning("shared state unavailable: %s", type(err).__name__)
            unavailable = RelayError(503, "SERVICE_UNAVAILABLE", "The relay is unavailable")
            response = error_response(unavailable, request_id)
        response.headers["X-Request-Id"] = request_id
        ctx.metrics.request(route, response.status_code)
        log.info("%s %s -> %d ip=%s id=%s", request.method, route,
                 response.status_code, address, request_id)  # fmt: skip
        return response

    return run


async def _health(request: Request) -> Response:
    return json_response({"data": {"status": "ok"}})


async def _metrics(request: Request) -> Response:
    ctx: RelayContext = request.app.state.relay
    return Response(ctx.metrics.render(), media_type=ctx.metrics.content_type)


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
