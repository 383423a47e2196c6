"""Translation of low-level failures (httpx exceptions, non-2xx answers) into the error tree."""

from __future__ import annotations

import json
import math
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from app.domain.error_codes import API_CODE_CLASSES
from app.domain.errors import (
    ApiError,
    BadRequestError,
    BusinessRuleError,
    ConfigError,
    ConflictError,
    ConnectFailedError,
    ForbiddenError,
    NotFoundError,
    ProxyAuthRequiredError,
    ProxyError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TlsError,
    UnauthorizedError,
    UnexpectedResponseError,
    WizardError,
)

_STATUS_CLASSES: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitedError,
}


@dataclass(frozen=True)
class RawResponse:
    """A fully read (size-capped) HTTP answer; the only thing parsers ever see."""

    method: str
    path: str
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def request_id(self) -> str | None:
        return self.headers.get("x-request-id")

    @property
    def server_time(self) -> datetime | None:
        return parse_http_date(self.headers.get("date"))


def parse_http_date(value: str | None) -> datetime | None:
    """An RFC 7231 ``Date`` header as an aware UTC datetime; None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def translate_transport_error(exc: Exception, method: str, path: str) -> WizardError:
    """One httpx exception -> the matching ``NetworkError`` (the caller raises it ``from exc``)."""
    where = f"{method} {path}"
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeoutError(f"{where}: no answer in time ({type(exc).__name__})")
    if isinstance(exc, httpx.ProxyError):
        if str(exc).startswith("407"):  # httpcore's text for a refused CONNECT: "407 <reason>"
            return ProxyAuthRequiredError(f"{where}: the proxy wants a sign-in (407, tunnel)")
        return ProxyError(f"{where}: proxy failed: {exc}")
    ssl_error = _ssl_cause(exc)
    if ssl_error is not None:
        return TlsError(
            f"{where}: TLS handshake failed: {ssl_error}",
            details={"reason": getattr(ssl_error, "verify_message", None) or str(ssl_error)},
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return ConfigError(f"{where}: the service address is not usable: {exc}", field="api_url")
    if isinstance(exc, httpx.DecodingError):
        return UnexpectedResponseError(f"{where}: the answer could not be decoded: {exc}")
    # ConnectError, ReadError, WriteError, RemoteProtocolError ("server disconnected"...).
    return ConnectFailedError(f"{where}: connection failed: {type(exc).__name__}: {exc}")


def is_retryable_transport_error(error: WizardError) -> bool:
    """Connection failures and timeouts are worth another attempt; TLS/proxy/config are not."""
    return type(error) in (ConnectFailedError, RequestTimeoutError)


def error_for_response(resp: RawResponse) -> WizardError:
    """A non-2xx answer -> one typed error. Envelopes decide by ``code``, the rest by status."""
    envelope = _envelope(resp.body)
    if resp.status == 429:
        return _rate_limited(resp, envelope)
    if resp.status >= 500:
        return _api_error(ServerError, resp, envelope, default_message="server error")
    if resp.status == 407:
        return ProxyAuthRequiredError(f"{resp.method} {resp.path}: the proxy wants a sign-in (407)")
    if envelope is None:
        # Not Licentric talking (captive portal, proxy block page, redirect): don't guess a
        # license meaning from the status of somebody else's page.
        return UnexpectedResponseError(
            f"{resp.method} {resp.path}: HTTP {resp.status} without a Licentric error body",
            status=resp.status,
            details=_content_details(resp),
            request_id=resp.request_id,
        )
    code = envelope.get("code")
    cls = API_CODE_CLASSES.get(code) if isinstance(code, str) else None
    if cls is None:
        cls = _STATUS_CLASSES.get(resp.status) or _class_for_4xx(resp.status)
    if cls is RateLimitedError:
        return _rate_limited(resp, envelope)
    return _api_error(cls, resp, envelope)


def unexpected(resp: RawResponse, why: str) -> UnexpectedResponseError:
    return UnexpectedResponseError(
        f"{resp.method} {resp.path}: {why}",
        status=resp.status,
        details=_content_details(resp),
        request_id=resp.request_id,
    )


def retry_after_seconds(resp: RawResponse, envelope: dict[str, Any] | None = None) -> float:
    """``Retry-After`` (seconds or an HTTP date), else ``details.retryAfter``, else 1."""
    header = resp.headers.get("retry-after")
    value = _seconds(header) if header else None
    if value is None and header:
        when = parse_http_date(header)
        if when is not None:
            value = max(0.0, (when - datetime.now(UTC)).total_seconds())
    if value is None and envelope is not None:
        details = envelope.get("details")
        if isinstance(details, dict):
            value = _seconds(details.get("retryAfter", details.get("retry_after")))
    return 1.0 if value is None else value


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def _rate_limited(resp: RawResponse, envelope: dict[str, Any] | None) -> RateLimitedError:
    env = envelope or {}
    return RateLimitedError(
        f"{resp.method} {resp.path}: rate limited",
        retry_after=retry_after_seconds(resp, envelope),
        code=_str_or_none(env.get("code")),
        status=resp.status,
        details=_dict_or_none(env.get("details")),
        request_id=_str_or_none(env.get("requestId")) or resp.request_id,
    )


def _api_error(
    cls: type[ApiError],
    resp: RawResponse,
    envelope: dict[str, Any] | None,
    *,
    default_message: str = "",
) -> ApiError:
    env = envelope or {}
    text = _str_or_none(env.get("error")) or default_message or f"HTTP {resp.status}"
    details = _dict_or_none(env.get("details"))
    if envelope is None:
        details = _content_details(resp)
    return cls(
        f"{resp.method} {resp.path}: {resp.status} {text}",
        code=_str_or_none(env.get("code")),
        status=resp.status,
        details=details,
        request_id=_str_or_none(env.get("requestId")) or resp.request_id,
    )


def _class_for_4xx(status: int) -> type[ApiError]:
    if status == 422:
        return BusinessRuleError
    return BadRequestError if 400 <= status < 500 else ApiError


def _envelope(body: bytes) -> dict[str, Any] | None:
    """The Licentric error envelope, or None when the body is not one."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not ("code" in data or "error" in data):
        return None
    return data


def _content_details(resp: RawResponse) -> dict[str, Any]:
    return {
        "contentType": resp.headers.get("content-type", ""),
        "bytes": len(resp.body),
        "httpStatus": resp.status,
    }


def _ssl_cause(exc: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _dict_or_none(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None
