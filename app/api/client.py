"""LicentricClient: the four Licentric calls the wizard makes (validate, activate, heartbeat,
deactivate) over one pooled connection, with typed errors and optional signature checks."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from app.api.http import SessionClient
from app.api.parse import data_of, decode_json, parse_machine, parse_validation
from app.api.proxies import ProxySettings
from app.api.signature import check_binding, verify_signature
from app.domain.cancel import CancelToken
from app.domain.errors import NotFoundError
from app.domain.models import DeviceIdentity, Machine, ValidationResult

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


class LicentricClient(SessionClient):
    """Talks to ``<base_url>/api/v1``. Every failure is raised as one ``WizardError``.

    Retries: 429 after ``Retry-After`` when it is at most ``max_retry_wait`` seconds (longer
    waits raise ``RateLimitedError`` at once so the UI can count down), 5xx and connection
    failures / timeouts with exponential backoff and jitter, up to ``max_retries`` repeats.
    4xx answers are never retried. Activation (a POST) is also repeated after a connection
    failure: if the first attempt did reach the server the repeat answers 409 ``CONFLICT``
    with ``details.machineId``, which the activation service treats as success.

    ``cancel`` (here or per call) interrupts waits between attempts with ``CancelledError``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10,
        signing_key: str | None = None,
        transport: httpx.BaseTransport | None = None,
        max_retries: int = 3,
        max_retry_wait: float = 10,
        cancel: CancelToken | None = None,
        backoff_base: float = 0.5,
        proxy: ProxySettings | None = None,
    ) -> None:
        super().__init__(
            base_url,
            timeout=timeout,
            transport=transport,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            cancel=cancel,
            backoff_base=backoff_base,
            proxy=proxy,
        )
        self._signing_key = signing_key or None

    # --- the calls ------------------------------------------------------------------

    def validate_key(
        self,
        key: str,
        fingerprint: str | None = None,
        entitlements: tuple[str, ...] | list[str] = (),
        *,
        license_id: str | None = None,
        cancel: CancelToken | None = None,
    ) -> ValidationResult:
        """``POST /licenses/validate-key``. A negative validation is returned, not raised.

        An unknown key is read the same whichever way the server says it (the docs leave it
        open): a 200 ``{valid: false, code: NOT_FOUND}`` or a 404 ``NOT_FOUND`` error envelope
        both return the ``NOT_FOUND`` result ("key not recognised", exit code 3).

        With a signing key, a signed answer must also be bound to this request: its machine's
        fingerprint must be ``fingerprint`` and its license ``license_id`` (the stored
        record's, when there is one); otherwise AnswerMismatchError (an intercepted answer for
        another computer or license, replayed). The HMAC covers only timestamp and body.
        """
        body: dict[str, Any] = {"key": key}
        if fingerprint:
            body["fingerprint"] = fingerprint
        if entitlements:
            body["entitlements"] = list(entitlements)
        try:
            resp = self._session.request(
                "POST", f"{API_PREFIX}/licenses/validate-key", json=body, cancel=cancel
            )
        except NotFoundError as exc:
            if exc.code != "NOT_FOUND":
                raise
            return ValidationResult(valid=False, code="NOT_FOUND")
        if not self._signing_key:
            return parse_validation(decode_json(resp), server_time=resp.server_time)
        verify_signature(resp, self._signing_key)
        result = parse_validation(decode_json(resp), server_time=resp.server_time)
        check_binding(result, fingerprint, license_id, request_id=resp.request_id)
        return result

    def activate(
        self, key: str, identity: DeviceIdentity, *, cancel: CancelToken | None = None
    ) -> Machine:
        """``POST /machines`` for this computer. 409 ``CONFLICT`` (already active) is raised
        as ConflictError with ``machine_id``; the caller decides that it means success."""
        body = {
            "fingerprint": identity.fingerprint,
            "name": identity.name,
            "platform": _platform_value(identity.platform),
            "hostname": identity.hostname,
        }
        resp = self._session.request(
            "POST", f"{API_PREFIX}/machines", json=body, license_key=key, cancel=cancel
        )
        return parse_machine(data_of(decode_json(resp)))

    def deactivate(self, key: str, machine_id: str, *, cancel: CancelToken | None = None) -> None:
        """``DELETE /machines/{id}``; any 2xx means done."""
        resp = self._session.request(
            "DELETE", _machine_path(machine_id), license_key=key, cancel=cancel
        )
        if resp.body.strip():
            decode_json(resp)  # a 2xx HTML page (captive portal) is not a confirmation

    def heartbeat(
        self, key: str, machine_id: str, *, cancel: CancelToken | None = None
    ) -> Machine | None:
        """``POST /machines/{id}/heartbeat``; the updated machine when the server sends it."""
        resp = self._session.request(
            "POST", _machine_path(machine_id) + "/heartbeat", license_key=key, cancel=cancel
        )
        if not resp.body.strip():
            return None
        document = decode_json(resp)  # refuse a 2xx that is not JSON (captive portal)
        data = document.get("data") if isinstance(document, dict) else None
        # The body is not documented: use it when it is a machine, otherwise ignore it.
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            return parse_machine(data)
        return None

    # --- lifetime and diagnostics -----------------------------------------------------

    @property
    def last_server_time(self) -> datetime | None:
        """The server's clock (``Date`` header) at the last answer, for skew reports."""
        return self._session.last_server_time


def _machine_path(machine_id: str) -> str:
    return f"{API_PREFIX}/machines/{quote(machine_id, safe='')}"


def _platform_value(platform: Any) -> str:
    return str(getattr(platform, "value", platform))
