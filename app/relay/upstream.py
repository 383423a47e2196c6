"""The relay's async client for its upstream Licentric API; translates every failure once."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import httpx

from app.relay.envelope import RelayError

log = logging.getLogger("app.relay")
# Upstream paths hold ids, never keys (the key travels in the validate-key body): loggable.

_PAGE_SIZE = 100


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

    async def aclose(self) -> None:
        await self._http.aclose()

    async def validate_key(self, key: str) -> dict[str, Any]:
        """The ValidationResult for `key` without a fingerprint (no Bearer: none needed)."""
        return await self._data("POST", "/licenses/validate-key", json={"key": key}, auth=False)

    async def license(self, license_id: str) -> dict[str, Any]:
        return await self._data("GET", f"/licenses/{_seg(license_id)}")

    async def machine(self, machine_id: str) -> dict[str, Any] | None:
        """The machine, or None when the upstream does not know it (404)."""
        try:
            return await self._data("GET", f"/machines/{_seg(machine_id)}")
        except RelayError as err:
            if err.status == 404:
                return None
            raise

    async def machines_of(self, license_id: str, max_pages: int) -> list[dict[str, Any]]:
        """Every machine of the license, following the cursor to the last page."""
        machines: list[dict[str, Any]] = []
        params: dict[str, Any] = {"licenseId": license_id, "limit": _PAGE_SIZE}
        for _ in range(max_pages):
            body = await self._json("GET", "/machines", params=params)
            machines.extend(m for m in body.get("data") or [] if isinstance(m, dict))
            cursor = (body.get("pagination") or {}).get("nextCursor")
            if not cursor:
                return machines
            params = {**params, "cursor": cursor}
        raise RelayError(502, "UPSTREAM_UNAVAILABLE", "Upstream pagination did not end")

    async def deactivate(self, machine_id: str) -> None:
        await self._send("DELETE", f"/machines/{_seg(machine_id)}")

    async def checkout(self, license_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._data("POST", f"/licenses/{_seg(license_id)}/checkout", json=body)

    async def _data(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        data = (await self._json(method, path, **kwargs)).get("data")
        if not isinstance(data, dict):
            raise RelayError(502, "UPSTREAM_UNAVAILABLE", "Upstream answered without data")
        return data

    async def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = await self._send(method, path, **kwargs)
        try:
            body = response.json()
        except ValueError as err:
            raise RelayError(502, "UPSTREAM_UNAVAILABLE", "Upstream sent invalid JSON") from err
        if not isinstance(body, dict):
            raise RelayError(502, "UPSTREAM_UNAVAILABLE", "Upstream sent an unexpected body")
        return body

    async def _send(
        self, method: str, path: str, *, auth: bool = True, **kwargs: Any
    ) -> httpx.Response:
        headers = self._bearer if auth else {}
        try:
            response = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as err:
            log.warning("upstream timeout: %s %s", method, path)
            raise RelayError(
                504, "UPSTREAM_TIMEOUT", "The license server did not answer in time"
            ) from err
        except httpx.HTTPError as err:
            log.warning("upstream unreachable: %s %s (%s)", method, path, type(err).__name__)
            raise RelayError(
                502, "UPSTREAM_UNAVAILABLE", "The license server is unreachable"
            ) from err
        if response.is_success:
            return response
        raise _translate(response, method, path)


def _translate(response: httpx.Response, method: str, path: str) -> RelayError:
    status = response.status_code
    error, code, details = _envelope(response)
    log.info("upstream %s %s -> %d %s", method, path, status, code)
    if status == 429:
        retry_after = response.headers.get("Retry-After") or "1"
        return RelayError(
            429,
            "RATE_LIMITED",
            error or "Rate limit exceeded",
            details=details,
            headers={"Retry-After": retry_after},
        )
    if status >= 500:
        return RelayError(502, "UPSTREAM_UNAVAILABLE", f"The license server failed ({status})")
    if status in (401, 403):
        # The relay's own credential or scopes failed: a misconfiguration the caller cannot fix.
        log.error("upstream refused the relay's API key: %s %s -> %d", method, path, status)
        return RelayError(
            502, "UPSTREAM_UNAVAILABLE", "The relay's upstream credential was refused"
        )
    return RelayError(
        status, code or "UNKNOWN", error or f"Upstream answered {status}", details=details
    )


def _envelope(response: httpx.Response) -> tuple[str | None, str | None, dict[str, Any] | None]:
    try:
        body = response.json()
    except ValueError:
        return None, None, None
    if not isinstance(body, dict):
        return None, None, None
    details = body.get("details")
    error, code = body.get("error"), body.get("code")
    return (
        error if isinstance(error, str) else None,
        code if isinstance(code, str) else None,
        details if isinstance(details, dict) else None,
    )


def _seg(value: str) -> str:
    """One path segment, fully escaped so an id can never climb to another route."""
    return quote(value, safe="")
