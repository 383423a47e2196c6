"""The Starlette application: Licentric routes under /api/v1 and control routes under /_standin.

Admin routes chosen by the stand-in (exact real paths were not retrievable):
POST/GET /api/v1/products, /api/v1/policies, /api/v1/entitlements, /api/v1/licenses and
POST /api/v1/licenses/{id}/actions/{suspend|reinstate|revoke|renew|ban}
(also reachable as POST /api/v1/licenses/{id}/{action}).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from . import admin_handlers, control, handlers
from .http import http_error
from .middleware import StandinMiddleware
from .requestlog import RequestLogMiddleware
from .state import StandinState

V1 = "/api/v1"
ROUTES = [
    Route(f"{V1}/licenses/validate-key", handlers.validate_key, methods=["POST"]),
    Route(f"{V1}/machines", handlers.machines_collection, methods=["GET", "POST"]),
    Route(f"{V1}/machines/{{id}}", handlers.machine_item, methods=["GET", "DELETE"]),
    Route(f"{V1}/machines/{{id}}/heartbeat", handlers.heartbeat, methods=["POST"]),
    Route(f"{V1}/licenses/by-key/{{key:path}}", handlers.license_by_key, methods=["GET"]),
    Route(f"{V1}/licenses", admin_handlers.licenses, methods=["GET", "POST"]),
    Route(f"{V1}/licenses/{{id}}", handlers.license_item, methods=["GET"]),
    Route(f"{V1}/licenses/{{id}}/checkout", handlers.checkout, methods=["POST"]),
    Route(f"{V1}/licenses/{{id}}/actions/{{action}}", handlers.license_action, methods=["POST"]),
    Route(f"{V1}/licenses/{{id}}/{{action}}", handlers.license_action, methods=["POST"]),
    Route(f"{V1}/products", admin_handlers.products, methods=["GET", "POST"]),
    Route(f"{V1}/policies", admin_handlers.policies, methods=["GET", "POST"]),
    Route(f"{V1}/entitlements", admin_handlers.entitlements, methods=["GET", "POST"]),
    Route("/_standin/fixtures", control.fixtures, methods=["GET"]),
    Route("/_standin/fixtures/details", control.fixture_details, methods=["GET"]),
    Route("/_standin/reset", control.reset, methods=["POST"]),
    Route("/_standin/faults", control.faults, methods=["GET", "POST", "DELETE"]),
    Route("/_standin/config", control.config, methods=["GET", "POST"]),
    Route("/_standin/clock", control.clock, methods=["GET", "POST"]),
    Route("/_standin/health", control.health, methods=["GET"]),
]


def build_app(state: StandinState) -> RequestLogMiddleware:
    """The stand-in for one state: routes, envelopes for Starlette's own errors, faults, limits."""
    app = Starlette(
        routes=ROUTES, exception_handlers={HTTPException: http_error, Exception: http_error}
    )
    app.state.standin = state
    return RequestLogMiddleware(StandinMiddleware(app, state.faults, state.limiter), state.requests)
