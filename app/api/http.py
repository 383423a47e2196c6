"""The shared HTTP transport: one pooled httpx.Client, size-capped reads, the retry loop."""

from __future__ import annotations

import functools
import logging
import random
import ssl
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Self

import httpx

from app import __version__
from app.api.capped import ACCEPT_ENCODING, read_capped
from app.api.capped import MAX_BODY_BYTES as MAX_BODY_BYTES  # re-exported
from app.api.failures import (
    RawResponse,
    error_for_response,
    is_retryable_transport_error,
    retry_after_seconds,
    translate_transport_error,
)
from app.api.proxies import ProxyChoice, ProxyCredentials, ProxySettings, choose_proxy
from app.domain.cancel import CancelToken
from app.domain.errors import (
    CancelledError,
    KeyFormatError,
    ProxyAuthFailedError,
    ProxyAuthRequiredError,
    WizardError,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """What is retried and how long we wait. Only 429, 5xx and connection failures retry."""

    max_retries: int = 3
    max_retry_wait: float = 10.0  # a longer Retry-After is raised at once (UI counts down)
    backoff_base: float = 0.5
    backoff_cap: float = 4.0

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with 'equal jitter' for retry number ``attempt`` (0-based)."""
        ceiling = min(self.backoff_cap, self.backoff_base * (2**attempt))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """The OS trust store (so a company CA installed for TLS interception is trusted).

    Built once per process and lazily: loading the system store takes a noticeable moment.
    """
    import truststore

    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def user_agent() -> str:
    return f"activation-wizard/{__version__}"


def build_http_client(
    base_url: str,
    *,
    timeout: float,
    transport: httpx.BaseTransport | None = None,
    proxy: ProxyChoice | None = None,
) -> httpx.Client:
    """One keep-alive HTTP/1.1 client through ``proxy`` (None: httpx reads the environment)."""
    # No redirects are followed, so a plain-http base URL never needs certificates.
    verify: ssl.SSLContext | bool = tls_context() if base_url.startswith("https:") else False
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout),
        verify=verify,
        http1=True,
        http2=False,
        proxy=_httpx_proxy(proxy),
        trust_env=proxy is None,  # a choice already made (even "direct") is not second-guessed
        follow_redirects=False,
        limits=httpx.Limits(max_connections=4, max_keepalive_connections=1),
        headers={
            "User-Agent": user_agent(),
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        transport=transport,
    )


def _httpx_proxy(choice: ProxyChoice | None) -> httpx.Proxy | None:
    if choice is None or choice.url is None:
        return None
    creds = choice.credentials
    auth = (creds.username, creds.password) if creds else None
    return httpx.Proxy(choice.url, auth=auth)


class SessionClient:
    """What both clients share about their one ``HttpSession``: building it from the retry
    settings, its connection count, closing it, and use as a context manager."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10,
        transport: httpx.BaseTransport | None = None,
        max_retries: int = 3,
        max_retry_wait: float = 10,
        cancel: CancelToken | None = None,
        backoff_base: float = 0.5,
        proxy: ProxySettings | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        retry = RetryPolicy(
            max_retries=max_retries, max_retry_wait=max_retry_wait, backoff_base=backoff_base
        )
        self._session = HttpSession(
            self.base_url,
            timeout=timeout,
            retry=retry,
            transport=transport,
            cancel=cancel,
            proxy=proxy,
        )

    @property
    def connections_opened(self) -> int:
        """TCP connections opened so far (one when keep-alive works)."""
        return self._session.connections_opened

    @property
    def proxy(self) -> ProxyChoice | None:
        """The proxy chosen at the first request (None before it, or with a transport)."""
        return self._session.proxy

    def use_proxy_credentials(self, credentials: ProxyCredentials | None) -> None:
        """Sign in to the proxy with ``credentials`` from the next request on."""
        self._session.use_proxy_credentials(credentials)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class HttpSession:
    """Sends requests for one client: auth header, retries, translation, server clock."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float,
        retry: RetryPolicy,
        transport: httpx.BaseTransport | None = None,
        cancel: CancelToken | None = None,
        proxy: ProxySettings | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry
        self.cancel = cancel
        self.connections_opened = 0
        self.last_server_time: datetime | None = None
        self._timeout = timeout
        self._transport = transport
        self._proxy_settings = proxy
        self.proxy: ProxyChoice | None = None  # chosen on the first request
        self._client: httpx.Client | None = None

    @property
    def _http(self) -> httpx.Client:
        """Built on the first request: choosing a proxy may fetch a PAC file (never on the
        UI thread, never for a command that needs no network)."""
        if self._client is None:
            if self._transport is None:  # an injected transport is the caller's own route
                self.proxy = choose_proxy(self.base_url, self._proxy_settings)
            self._client = build_http_client(
                self.base_url, timeout=self._timeout, transport=self._transport, proxy=self.proxy
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def use_proxy_credentials(self, credentials: ProxyCredentials | None) -> None:
        """Start over with a new sign-in: the next request chooses and connects afresh."""
        settings = self._proxy_settings or ProxySettings()
        self._proxy_settings = replace(settings, credentials=credentials)
        self.close()
        self._client = None
        self.proxy = None

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        license_key: str | None = None,
        cancel: CancelToken | None = None,
    ) -> RawResponse:
        """Send with retries; a 2xx answer is returned, anything else raised as a WizardError.

        Retried: 429 (after ``Retry-After`` when it is at most ``max_retry_wait``), 5xx, and
        connection failures / timeouts (also for POST: callers must tolerate a repeat).
        """
        token = cancel or self.cancel
        headers = _auth_headers(license_key)
        attempt = 0
        while True:
            _check_cancel(token)
            resp, delay = self._attempt(method, path, json, headers, attempt)
            if resp is not None:
                return resp
            logger.warning("%s %s: retry %d in %.2f s", method, path, attempt + 1, delay)
            _sleep(delay, token)
            attempt += 1

    def _attempt(
        self, method: str, path: str, body: Any, headers: dict[str, str], attempt: int
    ) -> tuple[RawResponse | None, float]:
        """One try: (answer, 0) on 2xx, (None, delay) to retry; raises when it is final."""
        last_try = attempt >= self.retry.max_retries
        try:
            resp = self._send(method, path, body, headers)
        except ProxyAuthRequiredError as error:
            raise self._proxy_sign_in_error(error) from error.__cause__
        except WizardError as error:
            if last_try or not is_retryable_transport_error(error):
                raise
            return None, self.retry.backoff(attempt)
        if 200 <= resp.status < 300:
            return resp, 0.0
        if resp.status == 429:
            wait = retry_after_seconds(resp)
            if last_try or wait > self.retry.max_retry_wait:
                raise error_for_response(resp)
            return None, wait
        if resp.status >= 500 and not last_try:
            return None, self.retry.backoff(attempt)
        error = error_for_response(resp)
        if isinstance(error, ProxyAuthRequiredError):
            raise self._proxy_sign_in_error(error)
        raise error

    def _proxy_sign_in_error(self, error: ProxyAuthRequiredError) -> ProxyAuthRequiredError:
        """A 407 after a sign-in was sent means that sign-in is wrong: say so plainly."""
        if self.proxy is not None and self.proxy.credentials is not None:
            return ProxyAuthFailedError(f"{error.message} (the sign-in was turned down)")
        return error

    def _send(self, method: str, path: str, body: Any, headers: dict[str, str]) -> RawResponse:
        """One request, read with a size cap; httpx failures leave here translated."""
        started = time.monotonic()
        try:
            request = self._http.build_request(
                method, path, json=body, headers=headers, extensions={"trace": self._trace}
            )
            response = self._http.send(request, stream=True)
            try:
                raw = read_capped(response, method, path)
            finally:
                response.close()
        except httpx.HTTPError as exc:
            logger.info("%s %s -> %s", method, path, type(exc).__name__)
            raise translate_transport_error(exc, method, path) from exc
        elapsed_ms = (time.monotonic() - started) * 1000
        logger.info("%s %s -> %d (%.0f ms)", method, path, raw.status, elapsed_ms)
        server_time = raw.server_time
        if server_time is not None:
            self.last_server_time = server_time
        return raw

    def _trace(self, event: str, info: dict[str, Any]) -> None:
        # httpcore reports each new TCP connection; pooling keeps this at one per session.
        if event == "connection.connect_tcp.complete":
            self.connections_opened += 1


def _auth_headers(license_key: str | None) -> dict[str, str]:
    if license_key is None:
        return {}
    # A header cannot carry control or non-ASCII characters; refuse before httpx crashes on it.
    if not license_key or not all(33 <= ord(ch) < 127 for ch in license_key):
        raise KeyFormatError(
            "the license key contains characters that cannot be sent", reason="invalid_characters"
        )
    return {"Authorization": f"License {license_key}"}


def _check_cancel(token: CancelToken | None) -> None:
    if token is not None:
        token.raise_if_cancelled()


def _sleep(seconds: float, token: CancelToken | None) -> None:
    if token is None:
        time.sleep(seconds)
    elif token.wait(seconds):
        raise CancelledError("cancelled while waiting to retry")
