"""The relay's async client for its upstream Licentric API; translates every failure once.

Every call first spends one unit of its rate tier's budget (Quotas.upstream), so the relay
never sends more than the configured rates. Upstream error texts and details are never passed
on: the caller gets the relay's own message, the log gets the upstream's code.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

import httpx

from app.relay.envelope import RelayError
from app.relay.quota import Quotas, Tier

log = logging.getLogger("app.relay")
_CODE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_BY_KEY = re.compile(r"(/licenses/by-key/)[^\s\"'?#]+")


class RedactKeysFilter(logging.Filter):
    """Masks the key in by-key URLs in httpx's own request log lines (INFO)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/by-key/" in message:
            record.msg, record.args = _BY_KEY.sub(r"\1<key>", message), ()
        return True


if not any(isinstance(f, RedactKeysFilter) for f in logging.getLogger("httpx").filters):
    logging.getLogger("httpx").addFilter(RedactKeysFilter())
# Logged paths hold ids, never keys (a by-key path is logged by its route name only).


class UpstreamClient:
    """Calls `/api/v1/...` on the upstream with the relay's Bearer API key.

    Transport failures become 502/504, upstream 5xx become 502, 429 is passed on with its
    `Retry-After`, and a refused relay credential (401/403) becomes 502: the caller did nothing
    wrong, so they must not see "unauthorized".
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        quotas: Quotas,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1",
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "activation-wizard-relay"},
            follow_redirects=False,
        )
        self._bearer = {"Authorization": f"Bearer {api_key}"}
        self._quotas = quotas

    async def aclose(self) -> None:
        await self._http.aclose()

    async def license_by_key(self, key: str) -> dict[str, Any] | None:
        """`GET /licenses/by-key/{key}`: the license with machines and policy; None when unknown.

        Not a validation: no use is counted on the license.
        """
        try:
            return await self.data("GET", "/licenses/by-key/" + segment(key), log_as="by-key")
        except RelayError as err:
            if err.status == 404:
                return None
            raise

    async def deactivate(self, machine_id: str) -> bool:
        """`DELETE /machines/{id}`; False when the upstream no longer knows the machine."""
        try:
            await self.send("DELETE", "/machines/" + segment(machine_id))
        except RelayError as err:
            if err.status == 404:
                return False
            raise
        return True

    async def data(
        self, method: str, path: str, *, tier: Tier = Tier.BEARER, **kwargs: Any
    ) -> dict[str, Any]:
        """The `data` object of a JSON answer (502 when there is none)."""
        response = await self.send(method, path, tier=tier, **kwargs)
        try:
            body = response.json()
        except ValueError as err:
            raise _unavailable("The license server sent an unreadable answer") from err
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise _unavailable("The license server sent an unexpected answer")
        return data

    async def send(
        self,
        method: str,
        path: str,
        *,
        tier: Tier = Tier.BEARER,
        auth: bool = True,
        license_key: str | None = None,
        passthrough: tuple[int, ...] = (),
        log_as: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """One upstream call, paid from `tier`'s budget; RelayError for every failure.

        `license_key` sends the caller's `License` credential instead of the relay's Bearer
        key; answers with a status in `passthrough` are returned for the caller to read.
        """
        await self._quotas.upstream(tier)
        where = f"{method} {log_as or path}"
        headers = self._bearer if auth else {}
        if license_key is not None:
            headers = {"Authorization": f"License {license_key}"}
        try:
            response = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as err:
            log.warning("upstream timeout: %s", where)
            raise RelayError(
                504, "UPSTREAM_TIMEOUT", "The license server did not answer in time"
            ) from err
        except httpx.HTTPError as err:
            log.warning("upstream unreachable: %s (%s)", where, type(err).__name__)
            raise _unavailable("The license server is unreachable") from err
        if response.is_success or response.status_code in passthrough:
            return response
        raise _translate(response, where)


def segment(value: str) -> str:
    """One path segment, fully escaped; a dot segment is refused (it would climb a route)."""
    if value.strip(".") == "":
        raise RelayError(404, "NOT_FOUND", "Not found")
    return quote(value, safe="")


def _translate(response: httpx.Response, where: str) -> RelayError:
    status = response.status_code
    log.info("upstream %s -> %d %s", where, status, _code(response) or "-")
    if status == 429:
        retry_after = response.headers.get("Retry-After", "1")
        retry_after = retry_after if retry_after.isdigit() else "1"
        return RelayError(
            429, "RATE_LIMITED",
            f"The license server is busy. Retry after {retry_after} seconds.",
            details={"retryAfter": int(retry_after)}, headers={"Retry-After": retry_after},
        )  # fmt: skip
    if status == 404:
        return RelayError(404, "NOT_FOUND", "Not found")
    if status in (401, 403):
        # The relay's own credential or scopes failed: a misconfiguration the caller cannot fix.
        log.error("upstream refused the relay's API key: %s -> %d", where, status)
        return _unavailable("The relay's upstream credential was refused")
    if status >= 500:
        return _unavailable(f"The license server failed ({status})")
    return _unavailable(f"The license server refused the relay's request ({status})")


def error_code(response: httpx.Response) -> str | None:
    """The upstream's error code of a passed-through answer (a short word, never its text)."""
    return _code(response)


def _code(response: httpx.Response) -> str | None:
    """The upstream's error code, for the log only (codes are short words, texts are not)."""
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) and _CODE.fullmatch(code) else None


def _unavailable(message: str) -> RelayError:
    return RelayError(502, "UPSTREAM_UNAVAILABLE", message)
