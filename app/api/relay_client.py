"""RelayClient: the vendor relay's license view, device list and remote deactivation."""

from __future__ import annotations

from urllib.parse import quote

from app.api.http import SessionClient
from app.api.parse import decode_json, parse_device_list, parse_license_view
from app.domain.cancel import CancelToken
from app.domain.models import DeviceList, LicenseView


class RelayClient(SessionClient):
    """Talks to the vendor relay at ``base_url`` (``/v1/...``) with ``License`` auth.

    Same error tree and retry rules as LicentricClient: the relay answers in the Licentric
    envelope, and its 502/503/504 (upstream trouble) become ServerError.
    """

    def license_view(self, key: str, *, cancel: CancelToken | None = None) -> LicenseView:
        """``GET /v1/license``: status, expiry, seats, licensee, check-in and offline policy."""
        resp = self._session.request("GET", "/v1/license", license_key=key, cancel=cancel)
        return parse_license_view(decode_json(resp))

    def list_devices(self, key: str, *, cancel: CancelToken | None = None) -> DeviceList:
        """``GET /v1/devices``: the license's machines and its seat count."""
        resp = self._session.request("GET", "/v1/devices", license_key=key, cancel=cancel)
        return parse_device_list(decode_json(resp))

    def deactivate_device(
        self, key: str, machine_id: str, *, cancel: CancelToken | None = None
    ) -> None:
        """``DELETE /v1/devices/{id}`` (a machine of this license only; 404 otherwise)."""
        path = f"/v1/devices/{quote(machine_id, safe='')}"
        resp = self._session.request("DELETE", path, license_key=key, cancel=cancel)
        if resp.body.strip():
            decode_json(resp)  # a 2xx HTML page is not a confirmation
